import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { ORG_UNIT_KINDS, ROLES, type OrgUnitKind, type Role } from '#domain';
import { PageQueryDto, toBool } from '../http/query.dto.js';

export class CreateOrgUnitDto {
  @ApiProperty({ example: 'DT-YJJ', description: 'Unique code' })
  @IsString()
  @Length(1, 64)
  code: string;

  @ApiProperty({ example: '市应急管理局' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ORG_UNIT_KINDS })
  @IsIn(ORG_UNIT_KINDS)
  kind: OrgUnitKind;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['市应急局'], description: 'Other names the unit is written as' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  aliases?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  sortOrder?: number;
}

export class UpdateOrgUnitDto {
  @ApiProperty({ description: 'The version you read; a stale version is refused with 409' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ enum: ORG_UNIT_KINDS })
  @IsOptional()
  @IsIn(ORG_UNIT_KINDS)
  kind?: OrgUnitKind;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Move the unit (and its subtree) under another parent' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  aliases?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  sortOrder?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class OrgUnitQueryDto {
  @ApiPropertyOptional({ description: 'Text in the name, code or an alias' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ enum: ORG_UNIT_KINDS })
  @IsOptional()
  @IsIn(ORG_UNIT_KINDS)
  kind?: OrgUnitKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  activeOnly?: boolean;
}

export class ResolveUnitQueryDto {
  @ApiProperty({ example: '市应急局', description: 'A name, code or alias' })
  @IsString()
  @Length(1, 100)
  name: string;
}

export class OrgUnitDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORG_UNIT_KINDS }) kind: string;
  @ApiProperty({ nullable: true, type: String }) parentId: string | null;
  @ApiProperty({ description: 'Materialised path of ids from the root' }) path: string;
  @ApiProperty() sortOrder: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [String] }) aliases: string[];
  @ApiProperty() version: number;
}

export class OrgUnitTreeDto extends OrgUnitDto {
  @ApiProperty({ type: () => [OrgUnitTreeDto] }) children: OrgUnitTreeDto[];
}

const PHONE = /^[0-9+\-() ]{5,30}$/;
const NAME_LENGTH = [1, 50] as const;

export class CreateUserDto {
  @ApiProperty({ example: '张伟' })
  @IsString()
  @Length(...NAME_LENGTH)
  name: string;

  @ApiProperty({ example: 'zhang.wei@example.cn' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @Length(3, 320)
  email: string;

  @ApiPropertyOptional({ example: '0352-1234567', nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: 'phone may contain digits, spaces and + - ( ) only' })
  phone?: string | null;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  unitId: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1, { message: 'roles must name at least one role' })
  @ArrayUnique()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ description: 'Initial password (at least 10 characters, two kinds of character)' })
  @IsOptional()
  @IsString()
  password?: string;
}

export class UpdateUserDto {
  @ApiProperty({ description: 'The version you read; a stale version is refused with 409' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(...NAME_LENGTH)
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: 'phone may contain digits, spaces and + - ( ) only' })
  phone?: string | null;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'roles must name at least one role' })
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  password?: string;
}

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Text in the name or e-mail' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  active?: boolean;
}

export class PreferencesDto {
  @ApiProperty({ description: 'Non-urgent mail only in the weekly digest; overdue and escalation mail always comes' })
  @IsBoolean()
  digestOnly: boolean;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty() active: boolean;
  @ApiProperty() digestOnly: boolean;
  @ApiProperty({ description: 'Set by an administrator’s reset until the user chooses a new password' }) mustChangePassword: boolean;
  @ApiProperty({ nullable: true, type: Date }) lastLoginAt: Date | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) data: UserDto[];
  @ApiProperty({ description: 'Number of matching users in your scope' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

/** A person named in a record, with their unit. */
export class PersonRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
}

export class HistoryRowDto {
  @ApiProperty() seq: number;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: String }) fromState: string | null;
  @ApiProperty({ nullable: true, type: String }) toState: string | null;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ type: PersonRefDto, nullable: true, description: 'Who acted; null for the system' }) actor: PersonRefDto | null;
  @ApiProperty() at: Date;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() hash: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'Given to the user out of band; must meet the password policy' })
  @IsString()
  @Length(1, 256)
  temporaryPassword: string;
}
