import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags, ApiOperation } from '@nestjs/swagger';
import { HistoryService } from '#audit';
import { RequirePermission } from '../auth/access.decorators.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly history: HistoryService) {}

  /** Recomputes every history chain (or one entity type's) and reports the first broken row. */
  @Get('verify-chains')
  @ApiOperation({ summary: 'Verify the hash chains of the history' })
  @RequirePermission('audit.read')
  @ApiQuery({ name: 'entityType', required: false, example: 'item' })
  @ApiOkResponse({
    description: '{checkedRows, checkedEntities, firstBreak: null | {entityType, entityId, seq, problem}}',
    schema: { type: 'object', additionalProperties: true },
  })
  verify(@Query('entityType') entityType?: string) {
    return this.history.verify(entityType || undefined);
  }
}
