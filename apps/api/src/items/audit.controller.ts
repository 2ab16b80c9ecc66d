import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { HistoryService } from '#audit';
import { RequirePermission } from '../auth/access.decorators.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly history: HistoryService) {}

  /** Recomputes every history chain (or one entity type's) and reports the first broken row. */
  @Get('verify-chains')
  @RequirePermission('audit.read')
  @ApiQuery({ name: 'entityType', required: false, example: 'item' })
  @ApiOkResponse({ description: '{checkedRows, checkedEntities, firstBreak: null | {entityType, entityId, seq, problem}}' })
  verify(@Query('entityType') entityType?: string) {
    return this.history.verify(entityType || undefined);
  }
}
