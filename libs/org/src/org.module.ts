import { Module } from '@nestjs/common';
import { OrgUnitsService } from './org-units.service.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [OrgUnitsService, UsersService, PasswordHasher],
  exports: [OrgUnitsService, UsersService, PasswordHasher],
})
export class OrgModule {}
