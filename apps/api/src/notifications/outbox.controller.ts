import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { DomainError } from '#domain';
import { OutboxService } from '#notifications';
import { RequirePermission } from '../auth/access.decorators.js';

/** Administrators see e-mails that could not be delivered, with the reason, and send them again. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get('failed')
  @ApiOperation({ summary: 'E-mails that failed for good, with the reason' })
  @RequirePermission('notifications.manage')
  @ApiOkResponse({
    description: 'Failed e-mails, newest first, with recipient, attempts and the last error',
    schema: { type: 'array', items: { type: 'object', additionalProperties: true } },
  })
  async failed() {
    const rows = await this.outbox.listFailed();
    return rows.map((r) => ({
      id: r.id,
      to: (r.payload as { to?: string }).to ?? null,
      template: (r.payload as { template?: string }).template ?? null,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
    }));
  }

  @Post(':id/retry')
  @ApiOperation({ summary: 'Put a failed e-mail back in line' })
  @RequirePermission('notifications.manage')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Queued again (relayed within seconds)' })
  async retry(@Param('id') id: string): Promise<void> {
    if (!/^\d{1,18}$/.test(id)) throw DomainError.notFound('failed_email', id);
    await this.outbox.retry(id);
  }
}
