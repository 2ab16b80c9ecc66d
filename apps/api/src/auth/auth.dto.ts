import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@rectify.local' })
  email: string;

  @ApiProperty({ example: 'a password' })
  password: string;

  @ApiPropertyOptional({
    enum: ['body', 'cookie'],
    default: 'body',
    description: 'Where the refresh token goes: in the answer (API clients) or in the HttpOnly cookie rectify_refresh (the web app)',
  })
  refreshIn?: 'body' | 'cookie';
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token from sign-in or the previous refresh; omit it to use the rectify_refresh cookie' })
  @IsOptional()
  @IsString()
  @Length(10, 200)
  refreshToken?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  currentPassword: string;

  @ApiProperty({
    description: 'At least 10 characters of three kinds (lower, upper, digits, symbols); not a common password; not your e-mail name',
  })
  @IsString()
  @Length(1, 256)
  newPassword: string;
}

export class SignedInUserDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() unitId: string;
  @ApiProperty({ type: [String], example: ['dispatcher'] }) roles: string[];
  @ApiProperty({ description: 'A password set by an administrator must be changed before anything else' }) mustChangePassword: boolean;
}

export class TokenPairDto {
  @ApiProperty({ description: 'Short-lived JWT for the Authorization: Bearer header' }) accessToken: string;
  @ApiPropertyOptional({ description: 'Opaque token for /api/auth/refresh; rotates on every use. Absent in cookie mode' })
  refreshToken?: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn: number;
  @ApiProperty() refreshExpiresAt: Date;
}

export class LoginResponseDto extends TokenPairDto {
  @ApiProperty({ type: SignedInUserDto }) user: SignedInUserDto;
}

export class MeUnitDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() code: string;
  @ApiProperty({ example: 'county' }) kind: string;
}

export class MeDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['zh', 'en'] }) locale: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ type: MeUnitDto }) unit: MeUnitDto;
  @ApiProperty({ type: [String], description: 'Permissions the roles grant, with their scope (permission:scope)' }) permissions: string[];
  @ApiProperty() mustChangePassword: boolean;
  @ApiProperty({ description: 'Same as id' }) userId: string;
  @ApiProperty({ description: 'Same as unit.id' }) unitId: string;
  @ApiProperty() unitPath: string;
}
