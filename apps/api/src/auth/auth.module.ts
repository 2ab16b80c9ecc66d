import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, type AppConfig } from '#config';
import { OrgModule } from '#org';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { JwtStrategy, LocalStrategy } from './strategies.js';
import { VerifiedTokens } from './verified-tokens.js';

@Module({
  imports: [
    PassportModule,
    OrgModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    LoginRateLimiter,
    LocalStrategy,
    JwtStrategy,
    LocalAuthGuard,
    { provide: VerifiedTokens, useFactory: () => new VerifiedTokens() },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
})
export class AuthModule {}
