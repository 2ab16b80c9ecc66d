import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto, toBool } from '../http/query.dto.js';

export class MessageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only messages not read yet' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  unreadOnly?: boolean;
}

export class MessageDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'item.assign', description: 'What the message is about (its e-mail template)' }) kind: string;
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) itemId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) projectId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) readAt: Date | null;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto] }) items: MessageDto[];
  @ApiProperty({ description: 'Messages matching the query' }) total: number;
  @ApiProperty({ description: 'All your unread messages' }) unread: number;
}

export class UnreadCountDto {
  @ApiProperty() unread: number;
}

export class SavedFilterDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Item list query parameters (GET /api/items)' })
  query: Record<string, unknown>;
  @ApiProperty() createdAt: Date;
}

export class CreateSavedFilterDto {
  @ApiProperty({ example: '本月到期' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Item list query parameters, checked as GET /api/items checks them',
  })
  @IsObject()
  query: Record<string, unknown>;
}

export class DashboardTileDto {
  @ApiProperty() count: number;
  @ApiProperty({ description: 'False past the list’s exact-count cap' }) countIsExact: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The GET /api/items query that lists exactly these items' })
  query: Record<string, unknown>;
}

export class UnitTileDto extends DashboardTileDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
}

export class OfficerDashboardDto {
  @ApiProperty({ type: DashboardTileDto }) overdue: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto, description: 'Due within 5 working days' }) dueSoon: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto, description: 'Returned by an acceptance level' }) returned: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto, description: 'Assigned to your unit, to accept' }) toAccept: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto, description: 'Cooperating parts your unit owes' }) partsOwed: DashboardTileDto;
}

export class DispatcherDashboardDto {
  @ApiProperty({ type: DashboardTileDto }) dispatchedOpen: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto }) overdue: DashboardTileDto;
  @ApiProperty({ type: [UnitTileDto], description: 'Overdue items by lead unit, the most first (at most 20 units)' })
  overdueByUnit: UnitTileDto[];
  @ApiProperty({ type: DashboardTileDto }) extensionRequests: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto }) inAcceptance: DashboardTileDto;
}

export class VerifierDashboardDto {
  @ApiProperty({ type: DashboardTileDto }) acceptanceQueue: DashboardTileDto;
}

export class OverviewDashboardDto {
  @ApiProperty({ type: DashboardTileDto }) open: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto }) overdue: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto }) inAcceptance: DashboardTileDto;
  @ApiProperty({ type: DashboardTileDto }) signedOff: DashboardTileDto;
}

export class DashboardDto {
  @ApiPropertyOptional({ type: OfficerDashboardDto }) officer?: OfficerDashboardDto;
  @ApiPropertyOptional({ type: DispatcherDashboardDto }) dispatcher?: DispatcherDashboardDto;
  @ApiPropertyOptional({ type: VerifierDashboardDto }) verifier?: VerifierDashboardDto;
  @ApiPropertyOptional({ type: OverviewDashboardDto, description: 'Auditors and administrators' }) overview?: OverviewDashboardDto;
}
