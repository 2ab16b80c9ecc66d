import { HistoryEntity } from './history.entity.js';
import { OrgUnitAliasEntity, OrgUnitEntity } from './org-unit.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { UserEntity } from './user.entity.js';

export { HistoryEntity, OrgUnitAliasEntity, OrgUnitEntity, RefreshTokenEntity, UserEntity };

/** Every entity, listed explicitly (no globs) so every tool sees the same set. */
export const ENTITIES = [OrgUnitEntity, OrgUnitAliasEntity, UserEntity, RefreshTokenEntity, HistoryEntity];
