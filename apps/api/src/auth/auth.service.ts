import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, type Role } from '#domain';
import { AccessChanges, PasswordHasher, UsersService } from '#org';
import { RefreshTokenEntity, preparedQuery } from '#persistence';
import type { SessionActor } from './access.decorators.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { SessionCache } from './session-cache.js';

export interface AccessTokenPayload {
  sub: string;
  sid: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresAt: Date;
}

export interface SignedInUser {
  id: string;
  name: string;
  email: string;
  unitId: string;
  roles: Role[];
  mustChangePassword: boolean;
}

/** The signed-in user as the web app shows it. */
export interface Me {
  id: string;
  email: string;
  name: string;
  locale: 'zh' | 'en';
  roles: Role[];
  unit: { id: string; name: string; code: string; kind: string };
  mustChangePassword: boolean;
}

export interface ClientInfo {
  ip: string;
  userAgent?: string;
  /** The request's id, for the log lines about it. */
  requestId?: string;
}

/** One answer for an unknown account, a wrong password and a deactivated account. */
const invalidCredentials = (): DomainError =>
  new DomainError('unauthenticated', 'AUTH_INVALID_CREDENTIALS', 'Wrong e-mail address or password');
const invalidRefresh = (): DomainError =>
  new DomainError('unauthenticated', 'AUTH_INVALID_REFRESH_TOKEN', 'The refresh token is invalid, expired or revoked; sign in again');

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Sign-in sessions. A session is a family of refresh tokens: each refresh rotates the token,
 * and presenting an already-rotated token (a sign of theft) revokes the whole family.
 * Access tokens are short-lived JWTs naming the session, which is checked on every request
 * (a check is reused for SESSION_CHECK_CACHE_MS, 1 s, within this process; signing out, a
 * revoked session and a user or unit edit made here evict it at once, see SessionCache).
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly sessions: SessionCache;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginRateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    access: AccessChanges,
  ) {
    this.sessions = new SessionCache(config.auth.sessionCheckCacheMs);
    access.subscribe((userId) => this.sessions.evictUser(userId));
  }

  async validateCredentials(email: string, password: string, client: ClientInfo): Promise<SignedInUser> {
    await this.limiter.admit(client.ip, email);
    const user = await this.users.findForSignIn(email);
    const ok = await this.hasher.verify(user?.active ? user.passwordHash : null, password);
    if (!user || !ok) {
      await this.limiter.recordFailure(client.ip, email);
      this.logger.warn(`sign-in refused for ${email.trim().toLowerCase()} from ${client.ip} (request ${client.requestId ?? '-'})`);
      throw invalidCredentials();
    }
    await this.limiter.reset(client.ip, email);
    await this.users.recordSignIn(user.id);
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      unitId: user.unitId,
      roles: user.roles,
      mustChangePassword: user.mustChangePassword,
    };
  }

  async startSession(userId: string, client: ClientInfo): Promise<TokenPair> {
    return this.issue(this.dataSource.manager, userId, randomUUID(), client);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPair> {
    const [id, secret] = refreshToken.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw invalidRefresh();
    // Failures that must still commit (revoking a reused token's session) are returned, then thrown.
    let revoked: string | null = null;
    const result = await this.dataSource.transaction(async (m): Promise<TokenPair | DomainError> => {
      const token = await m.findOne(RefreshTokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!token || !safeEqual(token.secretHash, sha256(secret))) return invalidRefresh();
      if (token.revokedAt || token.expiresAt <= new Date()) return invalidRefresh();
      if (token.rotatedAt) {
        // Reuse of a rotated token: whoever holds the newer one may be an attacker. End the session.
        await m.query(
          `UPDATE auth_refresh_token SET revoked_at = now(), revoked_reason = 'refresh_token_reused'
            WHERE family_id = $1 AND revoked_at IS NULL`,
          [token.familyId],
        );
        this.logger.warn(`refresh token reuse detected, session ${token.familyId} revoked (request ${client.requestId ?? '-'})`);
        revoked = token.familyId;
        return invalidRefresh();
      }
      const active = await m.query<unknown[]>(`SELECT 1 FROM app_user WHERE id = $1 AND active`, [token.userId]);
      if (active.length === 0) return invalidRefresh();
      await m.update(RefreshTokenEntity, { id }, { rotatedAt: new Date() });
      return this.issue(m, token.userId, token.familyId, client);
    });
    if (revoked) this.sessions.evictSession(revoked);
    if (result instanceof DomainError) throw result;
    return result;
  }

  /** The session a valid refresh token belongs to (rotated or not), or null. */
  async sessionOfRefreshToken(refreshToken: string): Promise<string | null> {
    const [id, secret] = refreshToken.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) return null;
    const [row] = await this.dataSource.query<{ family_id: string; secret_hash: string }[]>(
      `SELECT family_id, secret_hash FROM auth_refresh_token WHERE id = $1`,
      [id],
    );
    return row && safeEqual(row.secret_hash, sha256(secret)) ? row.family_id : null;
  }

  /** The session of a valid access token (signature and expiry checked), or null. */
  async sessionOfAccessToken(accessToken: string): Promise<string | null> {
    try {
      const payload = await this.jwt.verifyAsync<AccessTokenPayload>(accessToken, { algorithms: ['HS256'] });
      return typeof payload.sid === 'string' ? payload.sid : null;
    } catch {
      return null;
    }
  }

  async me(actor: SessionActor): Promise<Me> {
    const [row] = await this.dataSource.query<
      { id: string; email: string; name: string; roles: Role[]; must_change_password: boolean; unit: Me['unit'] }[]
    >(
      `SELECT u.id, u.email, u.name, u.roles, u.must_change_password,
              json_build_object('id', o.id, 'name', o.name, 'code', o.code, 'kind', o.kind) AS unit
         FROM app_user u JOIN org_unit o ON o.id = u.unit_id WHERE u.id = $1`,
      [actor.userId],
    );
    if (!row) throw DomainError.notFound('user', actor.userId);
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      locale: this.config.mail.locale,
      roles: row.roles,
      unit: row.unit,
      mustChangePassword: row.must_change_password,
    };
  }

  /** Revokes every token of the session; its access tokens stop working at once. */
  async endSession(sessionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_refresh_token SET revoked_at = now(), revoked_reason = 'signed_out' WHERE family_id = $1 AND revoked_at IS NULL`,
      [sessionId],
    );
    this.sessions.evictSession(sessionId);
  }

  /** The actor behind a valid access token, or null if the user or the session is no longer valid. */
  async actorForToken(payload: AccessTokenPayload): Promise<SessionActor | null> {
    const known = this.sessions.get(payload.sid, payload.sub);
    if (known) return known;
    const mark = this.sessions.mark();
    const rows = await preparedQuery<{ id: string; unit_id: string; path: string; roles: Role[]; must_change_password: boolean }>(
      this.dataSource.manager,
      `SELECT u.id, u.unit_id, o.path, u.roles, u.must_change_password
         FROM app_user u JOIN org_unit o ON o.id = u.unit_id
        WHERE u.id = $1 AND u.active
          AND EXISTS (SELECT 1 FROM auth_refresh_token t
                       WHERE t.family_id = $2 AND t.user_id = u.id AND t.revoked_at IS NULL AND t.expires_at > now())`,
      [payload.sub, payload.sid],
    );
    const row = rows[0];
    if (!row) return null;
    const actor: SessionActor = {
      userId: row.id,
      unitId: row.unit_id,
      unitPath: row.path,
      roles: row.roles,
      sessionId: payload.sid,
      mustChangePassword: row.must_change_password,
    };
    this.sessions.keep(actor, mark);
    return actor;
  }

  private async issue(m: EntityManager, userId: string, familyId: string, client: ClientInfo): Promise<TokenPair> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlSeconds * 1000);
    await m.insert(RefreshTokenEntity, {
      id,
      familyId,
      userId,
      secretHash: sha256(secret),
      expiresAt: refreshExpiresAt,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
    });
    const payload: AccessTokenPayload = { sub: userId, sid: familyId };
    const accessToken = await this.jwt.signAsync(payload, { expiresIn: this.config.auth.accessTokenTtlSeconds });
    return {
      accessToken,
      refreshToken: `${id}.${secret}`,
      tokenType: 'Bearer',
      expiresIn: this.config.auth.accessTokenTtlSeconds,
      refreshExpiresAt,
    };
  }
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
