import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '#config';
import { Public } from '../auth/access.decorators.js';
import { ApiAnswers } from './api-answers.js';

export class ApiIndexDto {
  @ApiProperty({ example: 'Rectify (整改通) API' }) name: string;
  @ApiProperty({ example: '0.1.0' }) version: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Where to go next' })
  links: Record<string, string>;
}

/** GET /api: what this API is and where its documentation, sign-in and main collections are. */
@ApiTags('api')
@Controller()
export class ApiIndexController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The API index: links to the documentation and the main collections' })
  @ApiAnswers(ApiIndexDto)
  index(): ApiIndexDto {
    return {
      name: 'Rectify (整改通) API',
      version: '0.1.0',
      links: {
        ...(this.config.http.apiDocs ? { docs: '/api/docs', openapi: '/api/docs-json' } : {}),
        health: '/health',
        signIn: '/api/auth/login',
        me: '/api/auth/me',
        items: '/api/items',
        batches: '/api/batches',
        statistics: '/api/statistics/summary',
        projects: '/api/projects',
        orgUnits: '/api/org-units',
        users: '/api/users',
        messages: '/api/me/messages',
        dashboard: '/api/me/dashboard',
      },
    };
  }
}
