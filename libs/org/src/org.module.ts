import { Module } from '@nestjs/common';
import { AccessChanges } from './access-changes.js';
import { OrgUnitsService } from './org-units.service.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [OrgUnitsService, UsersService, PasswordHasher, AccessChanges],
  exports: [OrgUnitsService, UsersService, PasswordHasher, AccessChanges],
})
export class OrgModule {}
