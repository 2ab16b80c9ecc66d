import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HistoryService } from '#audit';
import { DomainError, assertAllowed, listScope, scopeOfPaths, type Actor, type Role } from '#domain';
import { OrgUnitEntity, UserEntity, escapeLike, isUniqueViolation } from '#persistence';
import { AccessChanges } from './access-changes.js';
import { PasswordHasher } from './password-hasher.js';
import { assertPasswordPolicy } from './password-policy.js';

export interface UserView {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  unitId: string;
  unitName: string;
  roles: Role[];
  active: boolean;
  digestOnly: boolean;
  /** Set by an administrator's reset until the user chooses a new password. */
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateUser {
  name: string;
  email: string;
  phone?: string | null;
  unitId: string;
  roles: Role[];
  password?: string;
}

export interface UpdateUser {
  version: number;
  name?: string;
  phone?: string | null;
  unitId?: string;
  roles?: Role[];
  active?: boolean;
  password?: string;
}

export interface UserFilter {
  q?: string;
  unitId?: string;
  role?: Role;
  active?: boolean;
  page: number;
  pageSize: number;
}

export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const USER_ENTITY = 'user';

type UserRow = UserEntity & { unitName: string; unitPath: string };

@Injectable()
export class UsersService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly history: HistoryService,
    private readonly hasher: PasswordHasher,
    private readonly access: AccessChanges,
  ) {}

  /** For sign-in only: the user with the password hash, by e-mail (case-insensitive). */
  async findForSignIn(email: string): Promise<UserEntity | null> {
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email: email.trim() })
      .getOne();
  }

  async recordSignIn(userId: string): Promise<void> {
    await this.dataSource.query(`UPDATE app_user SET last_login_at = now() WHERE id = $1`, [userId]);
  }

  async get(actor: Actor, id: string): Promise<UserView> {
    const row = await this.findRow(this.dataSource.manager, id);
    if (!row) throw DomainError.notFound('user', id);
    assertAllowed(actor, 'user.read', { ownerScope: scopeOfPaths([row.unitPath]) }, 'user', id);
    return toView(row);
  }

  async list(actor: Actor, filter: UserFilter): Promise<Page<UserView>> {
    const scope = listScope(actor, 'user.read');
    const qb = this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .innerJoin(OrgUnitEntity, 'o', 'o.id = u.unit_id')
      .addSelect(['o.name', 'o.path'])
      .orderBy('u.name')
      .addOrderBy('u.id')
      .offset((filter.page - 1) * filter.pageSize)
      .limit(filter.pageSize);
    if (scope.kind === 'none') qb.andWhere('false');
    if (scope.kind === 'units') qb.andWhere(`o.path LIKE :scope`, { scope: `${escapeLike(scope.unitPath)}%` });
    if (filter.unitId) qb.andWhere('u.unit_id = :unitId', { unitId: filter.unitId });
    if (filter.role) qb.andWhere(':role = ANY(u.roles)', { role: filter.role });
    if (filter.active !== undefined) qb.andWhere('u.active = :active', { active: filter.active });
    if (filter.q) qb.andWhere('(u.name ILIKE :q OR u.email ILIKE :q)', { q: `%${escapeLike(filter.q)}%` });
    const [entities, raw, total] = await Promise.all([qb.getMany(), qb.getRawMany<{ o_name: string; o_path: string }>(), qb.getCount()]);
    const data = entities.map((u, i) => toView({ ...u, unitName: raw[i].o_name, unitPath: raw[i].o_path }));
    return { data, total, page: filter.page, pageSize: filter.pageSize };
  }

  async create(actor: Actor | null, input: CreateUser): Promise<UserView> {
    if (input.password !== undefined) assertPasswordPolicy(input.password, input.email);
    const passwordHash = input.password !== undefined ? await this.hasher.hash(input.password) : null;
    return this.dataSource.transaction(async (m) => {
      await this.requireUnit(m, input.unitId);
      const user = m.create(UserEntity, {
        name: input.name.trim(),
        email: input.email.trim(),
        phone: input.phone ?? null,
        unitId: input.unitId,
        roles: [...new Set(input.roles)],
        active: true,
        passwordHash,
        version: 1,
      });
      await this.guardEmail(() => m.save(UserEntity, user));
      await this.history.append(m, {
        entityType: USER_ENTITY,
        entityId: user.id,
        action: 'create',
        actorId: actor?.userId ?? null,
        toState: 'active',
        data: { name: user.name, email: user.email, unitId: user.unitId, roles: user.roles, passwordSet: passwordHash !== null },
      });
      return toView((await this.findRow(m, user.id))!);
    });
  }

  async update(actor: Actor, id: string, input: UpdateUser): Promise<UserView> {
    const passwordHash = input.password !== undefined ? await this.checkedHash(id, input.password) : undefined;
    const view = await this.dataSource.transaction(async (m) => {
      const user = await m.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw DomainError.notFound('user', id);
      if (user.version !== input.version) {
        throw DomainError.conflict('VERSION_CONFLICT', `The user was changed by someone else (current version ${user.version})`, {
          currentVersion: user.version,
        });
      }
      if (
        id === actor.userId &&
        (input.active === false || (input.roles && !input.roles.includes('admin') && user.roles.includes('admin')))
      ) {
        throw new DomainError('unprocessable', 'USER_SELF_LOCKOUT', 'You cannot deactivate yourself or remove your own admin role');
      }
      const changes: Record<string, unknown> = {};
      const wasActive = user.active;
      const set = <K extends 'name' | 'phone' | 'unitId' | 'active'>(key: K, value: UserEntity[K] | undefined): void => {
        if (value !== undefined && value !== user[key]) {
          changes[key] = { from: user[key], to: value };
          user[key] = value;
        }
      };
      if (input.unitId !== undefined) await this.requireUnit(m, input.unitId);
      set('name', input.name?.trim());
      set('phone', input.phone);
      set('unitId', input.unitId);
      set('active', input.active);
      if (input.roles !== undefined) {
        const roles = [...new Set(input.roles)].sort();
        if (roles.join() !== [...user.roles].sort().join()) changes.roles = { from: user.roles, to: roles };
        user.roles = roles;
      }
      if (passwordHash !== undefined) changes.passwordChanged = true;
      if (Object.keys(changes).length === 0) return toView((await this.findRow(m, id))!);
      user.version += 1;
      await m.update(
        UserEntity,
        { id },
        {
          name: user.name,
          phone: user.phone,
          unitId: user.unitId,
          active: user.active,
          roles: user.roles,
          version: user.version,
          ...(passwordHash !== undefined ? { passwordHash, passwordChangedAt: new Date() } : {}),
        },
      );
      if (wasActive && !user.active) {
        await m.query(
          `UPDATE auth_refresh_token SET revoked_at = now(), revoked_reason = 'user_deactivated' WHERE user_id = $1 AND revoked_at IS NULL`,
          [id],
        );
      }
      await this.history.append(m, {
        entityType: USER_ENTITY,
        entityId: id,
        action: 'update',
        actorId: actor.userId,
        fromState: wasActive ? 'active' : 'inactive',
        toState: user.active ? 'active' : 'inactive',
        data: changes,
      });
      return toView((await this.findRow(m, id))!);
    });
    this.access.userChanged(id);
    return view;
  }

  /** A user's own mail preference: non-urgent mail only in the weekly digest. */
  async setDigestOnly(actor: Actor, digestOnly: boolean): Promise<UserView> {
    return this.dataSource.transaction(async (m) => {
      const [[row]] = await m.query<[{ before: boolean }[], number]>(
        `UPDATE app_user u SET digest_only = $2, version = u.version + 1, updated_at = now()
           FROM app_user old WHERE u.id = $1 AND old.id = u.id RETURNING old.digest_only AS before`,
        [actor.userId, digestOnly],
      );
      if (!row) throw DomainError.notFound('user', actor.userId);
      if (row.before !== digestOnly) {
        await this.history.append(m, {
          entityType: USER_ENTITY,
          entityId: actor.userId,
          action: 'set_preferences',
          actorId: actor.userId,
          data: { digestOnly: { from: row.before, to: digestOnly } },
        });
      }
      return toView((await this.findRow(m, actor.userId))!);
    });
  }

  /** Changes the signed-in user's own password; the user's other sessions end (this one stays). */
  async changeOwnPassword(actor: Actor & { sessionId?: string }, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id AND u.active', { id: actor.userId })
      .getOne();
    if (!user) throw DomainError.notFound('user', actor.userId);
    assertPasswordPolicy(newPassword, user.email, 'newPassword');
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new DomainError('unprocessable', 'PASSWORD_CURRENT_WRONG', 'The current password is wrong', {
        fields: [{ field: 'currentPassword', messages: ['is wrong'] }],
      });
    }
    if (currentPassword === newPassword) {
      throw new DomainError('unprocessable', 'PASSWORD_POLICY', 'The new password must differ from the current one', {
        fields: [{ field: 'newPassword', messages: ['must differ from the current password'] }],
      });
    }
    const hash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE app_user SET password_hash = $2, must_change_password = false, password_changed_at = now(), version = version + 1, updated_at = now()
          WHERE id = $1`,
        [actor.userId, hash],
      );
      await m.query(
        `UPDATE auth_refresh_token SET revoked_at = now(), revoked_reason = 'password_changed'
          WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2`,
        [actor.userId, actor.sessionId ?? null],
      );
      await this.history.append(m, {
        entityType: USER_ENTITY,
        entityId: actor.userId,
        action: 'change_password',
        actorId: actor.userId,
        data: { mustChangePassword: { from: user.mustChangePassword, to: false } },
      });
    });
    this.access.userChanged(actor.userId);
  }

  /**
   * An administrator sets a temporary password: the user's sessions end, and the user must choose
   * a new password at the next sign-in before doing anything else.
   */
  async resetPassword(actor: Actor, id: string, temporaryPassword: string): Promise<void> {
    const row = await this.findRow(this.dataSource.manager, id);
    if (!row) throw DomainError.notFound('user', id);
    assertAllowed(actor, 'user.manage', { ownerScope: scopeOfPaths([row.unitPath]) }, 'user', id);
    assertPasswordPolicy(temporaryPassword, row.email, 'temporaryPassword');
    const hash = await this.hasher.hash(temporaryPassword);
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE app_user SET password_hash = $2, must_change_password = true, password_changed_at = now(), version = version + 1, updated_at = now()
          WHERE id = $1`,
        [id, hash],
      );
      await m.query(
        `UPDATE auth_refresh_token SET revoked_at = now(), revoked_reason = 'password_reset' WHERE user_id = $1 AND revoked_at IS NULL`,
        [id],
      );
      await this.history.append(m, {
        entityType: USER_ENTITY,
        entityId: id,
        action: 'reset_password',
        actorId: actor.userId,
        data: { mustChangePassword: { from: row.mustChangePassword, to: true } },
      });
    });
    this.access.userChanged(id);
  }

  /** A new password for user `id` checked against the policy (with the user's e-mail), hashed. */
  private async checkedHash(id: string, password: string): Promise<string> {
    const [row] = await this.dataSource.query<{ email: string }[]>(`SELECT email FROM app_user WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('user', id);
    assertPasswordPolicy(password, row.email);
    return this.hasher.hash(password);
  }

  private async requireUnit(m: EntityManager, unitId: string): Promise<void> {
    const exists = await m.exists(OrgUnitEntity, { where: { id: unitId } });
    if (!exists) throw new DomainError('unprocessable', 'ORG_UNIT_NOT_FOUND', 'The unit does not exist', { unitId });
  }

  private async findRow(m: EntityManager, id: string): Promise<UserRow | null> {
    const qb = m
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .innerJoin(OrgUnitEntity, 'o', 'o.id = u.unit_id')
      .addSelect(['o.name', 'o.path'])
      .where('u.id = :id', { id });
    const { entities, raw } = await qb.getRawAndEntities<{ o_name: string; o_path: string }>();
    if (entities.length === 0) return null;
    return Object.assign(entities[0], { unitName: raw[0].o_name, unitPath: raw[0].o_path });
  }

  private async guardEmail<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw DomainError.conflict('USER_EMAIL_TAKEN', 'Another user already has this e-mail address');
      }
      throw e;
    }
  }
}

function toView(u: UserRow): UserView {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    phone: u.phone,
    unitId: u.unitId,
    unitName: u.unitName,
    roles: u.roles,
    active: u.active,
    digestOnly: u.digestOnly,
    mustChangePassword: u.mustChangePassword,
    lastLoginAt: u.lastLoginAt,
    version: u.version,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
