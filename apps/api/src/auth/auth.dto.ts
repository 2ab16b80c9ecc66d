import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@rectify.local' })
  email: string;

  @ApiProperty({ example: 'a password' })
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from sign-in or the previous refresh' })
  @IsString()
  @Length(10, 200)
  refreshToken: string;
}

export class SignedInUserDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() unitId: string;
  @ApiProperty({ type: [String], example: ['dispatcher'] }) roles: string[];
}

export class TokenPairDto {
  @ApiProperty({ description: 'Short-lived JWT for the Authorization: Bearer header' }) accessToken: string;
  @ApiProperty({ description: 'Opaque token for /api/auth/refresh; rotates on every use' }) refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn: number;
  @ApiProperty() refreshExpiresAt: Date;
}

export class LoginResponseDto extends TokenPairDto {
  @ApiProperty({ type: SignedInUserDto }) user: SignedInUserDto;
}

export class MeDto {
  @ApiProperty() userId: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitPath: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ type: [String], description: 'Permissions the roles grant, with their scope' }) permissions: string[];
}
