import { randomUUID } from 'node:crypto';
import { grantFor, ROLES, type Permission, type Role } from '#domain';
import type { OrgUnitView, UserView } from '#org';
import { Factory } from './support/factories.js';
import { fillPath, operationsOf, type OpenApiDocument, type Operation } from './support/openapi.js';
import { TestApi } from './support/api.js';
import { separateDatabaseUrl } from './support/database.js';

/**
 * Who may do what, written out by hand: the permission each operation needs (or public / any
 * signed-in user), and a request that gets past validation to the access decision. Writes carry a
 * stale version, so an allowed one ends in 409 and changes nothing. An operation the OpenAPI
 * document lists and this table does not fails the test.
 */
type Need = Permission | 'public' | 'signed_in';
interface Expectation {
  /** What the route itself requires (checked before anything else: 403). */
  need: Need;
  /** Decided by the service once the data is found readable (403 then): only these roles, or any of these permissions. */
  act?: { roles?: Role[]; anyOf?: Permission[] };
  /** Every unit may read it (batch names are shared), so another unit's is not a 404. */
  shared?: boolean;
  /** 404 is a normal answer here (a lookup by name that finds nothing). */
  mayBeAbsent?: boolean;
  body?: unknown;
  query?: string;
  /** Sent as multipart/form-data: these text fields, then `file`. */
  form?: { fields?: Record<string, string>; file?: [string, string] };
}

const STALE = 999;
const TABLE: Record<string, Expectation> = {
  'GET /api': { need: 'public' },
  'GET /health': { need: 'public' },
  // Guarded by its own scrape token: without METRICS_TOKEN it is not served at all.
  'GET /metrics': { need: 'public', mayBeAbsent: true },
  'POST /api/auth/login': { need: 'public' },
  'POST /api/auth/refresh': { need: 'public' },
  'POST /api/auth/logout': { need: 'public' },
  'GET /api/auth/me': { need: 'signed_in' },
  'POST /api/auth/password': { need: 'signed_in', body: { currentPassword: 'wrong-password', newPassword: 'New-Password-2026!' } },
  'PUT /api/users/me/preferences': { need: 'signed_in' },
  'GET /api/me/dashboard': { need: 'signed_in' },
  'GET /api/me/messages': { need: 'signed_in' },
  'GET /api/me/messages/unread-count': { need: 'signed_in' },
  'POST /api/me/messages/{id}/read': { need: 'signed_in' },
  'POST /api/me/messages/read-all': { need: 'signed_in' },
  'GET /api/me/saved-filters': { need: 'item.read' },
  'POST /api/me/saved-filters': { need: 'item.read' },
  'DELETE /api/me/saved-filters/{id}': { need: 'item.read' },

  'GET /api/org-units': { need: 'org.read' },
  'GET /api/org-units/tree': { need: 'org.read' },
  'GET /api/org-units/resolve': { need: 'org.read', query: 'name=x', mayBeAbsent: true },
  'GET /api/org-units/{id}': { need: 'org.read' },
  'GET /api/org-units/{id}/history': { need: 'org.manage' },
  'POST /api/org-units': { need: 'org.manage' },
  'PATCH /api/org-units/{id}': { need: 'org.manage', body: { version: STALE, name: '改名' } },
  'GET /api/users': { need: 'user.read' },
  'GET /api/users/{id}': { need: 'user.read' },
  'GET /api/users/{id}/history': { need: 'user.manage' },
  'POST /api/users': { need: 'user.manage' },
  'PATCH /api/users/{id}': { need: 'user.manage', body: { version: STALE, name: '改名' } },
  'POST /api/users/{id}/reset-password': { need: 'user.manage', body: { temporaryPassword: 'Temporary-Password-2026' } },

  'GET /api/batches': { need: 'item.read' },
  'GET /api/batches/{id}': { need: 'item.read', shared: true },
  'POST /api/batches': { need: 'item.create' },
  'PATCH /api/batches/{id}': { need: 'item.create', body: { version: STALE, name: '改名' } },
  'POST /api/batches/{id}/ledger-import/preview': { need: 'item.create', form: {} },
  'POST /api/batches/{id}/ledger-import': { need: 'item.create', form: { fields: { previewId: 'a'.repeat(64) } } },
  'POST /api/batches/{id}/decomposition': {
    need: 'item.create',
    form: { fields: { drafts: '[]' }, file: ['plan.txt', '1. 开展排查。（市生态环境局牵头）'] },
  },
  'POST /api/decompositions': { need: 'item.create' },
  'GET /api/items': { need: 'item.read' },
  'GET /api/items/export': { need: 'item.read' },
  'POST /api/items': { need: 'item.create' },
  'POST /api/items/bulk-transitions': { need: 'item.read' },
  'GET /api/items/{id}': { need: 'item.read' },
  'PATCH /api/items/{id}': { need: 'item.act', act: { roles: ['dispatcher'] }, body: { version: STALE, title: '改名' } },
  'GET /api/items/{id}/actions': { need: 'item.read' },
  'GET /api/items/{id}/history': { need: 'item.read' },
  'GET /api/items/{id}/comments': { need: 'item.read' },
  'POST /api/items/{id}/comments': { need: 'item.read', body: { text: '意见' } },
  'GET /api/items/{id}/progress': { need: 'item.read' },
  'POST /api/items/{id}/transitions': { need: 'item.read', body: { action: 'accept', version: STALE } },
  'GET /api/items/{id}/evidence': { need: 'item.read' },
  'POST /api/items/{id}/evidence': { need: 'item.read', act: { anyOf: ['item.act', 'item.verify'] }, form: {} },
  'GET /api/items/{id}/evidence/{evidenceId}': { need: 'item.read' },
  'GET /api/audit/verify-chains': { need: 'audit.read' },

  'GET /api/statistics/summary': { need: 'item.read' },
  'GET /api/statistics/breakdown': { need: 'item.read' },
  'GET /api/statistics/trend': { need: 'item.read' },
  'GET /api/statistics/bulletin': { need: 'item.read' },
  'GET /api/statistics/export': { need: 'item.read' },
  'GET /api/statistics/report-figures': { need: 'item.read' },

  // Complaint cases: their ids here are made up (a unit's own and another's cases are in complaints.e2e-spec.ts).
  'GET /api/complaint-batches': { need: 'complaint.read' },
  'POST /api/complaint-batches': { need: 'complaint.create' },
  'POST /api/complaint-batches/{id}/cases': { need: 'complaint.create' },
  'POST /api/complaint-batches/{id}/import-preview': { need: 'complaint.create', form: {} },
  'POST /api/complaint-batches/{id}/import': { need: 'complaint.create', form: {} },
  'GET /api/complaint-batches/{id}/daily-report': { need: 'complaint.read' },
  'GET /api/complaints': { need: 'complaint.read' },
  'GET /api/complaints/export': { need: 'complaint.read' },
  'GET /api/complaints/statistics/summary': { need: 'complaint.read' },
  'GET /api/complaints/statistics/breakdown': { need: 'complaint.read' },
  'GET /api/complaints/{id}': { need: 'complaint.read' },
  'GET /api/complaints/{id}/actions': { need: 'complaint.read' },
  'POST /api/complaints/{id}/transitions': { need: 'complaint.read', body: { action: 'transfer', version: STALE } },
  'POST /api/complaints/{id}/spawn-item': { need: 'complaint.act' },
  'POST /api/complaints/{id}/duplicates/{otherId}/reject': { need: 'complaint.act' },
  'GET /api/complaints/{id}/evidence': { need: 'complaint.read' },
  'POST /api/complaints/{id}/evidence': { need: 'complaint.act', form: {} },
  'GET /api/complaints/{id}/evidence/{evidenceId}': { need: 'complaint.read' },
  'DELETE /api/complaints/{id}/evidence/{evidenceId}': { need: 'complaint.act' },

  'GET /api/calendar/days': { need: 'calendar.read' },
  'GET /api/calendar/deadline': { need: 'calendar.read' },
  'GET /api/calendar/status': { need: 'calendar.read' },
  'PUT /api/calendar/days/{day}': { need: 'calendar.manage' },
  'DELETE /api/calendar/days/{day}': { need: 'calendar.manage' },
  'POST /api/calendar/notices': { need: 'calendar.manage' },
  'POST /api/calendar/notices/preview': { need: 'calendar.manage' },

  'GET /api/admin/outbox/failed': { need: 'notifications.manage' },
  'POST /api/admin/outbox/{id}/retry': { need: 'notifications.manage' },
  'GET /api/admin/reminder-policies': { need: 'notifications.manage' },
  'PUT /api/admin/reminder-policies/{scope}': { need: 'notifications.manage' },
  'DELETE /api/admin/reminder-policies/{scope}': { need: 'notifications.manage' },

  'GET /api/projects': { need: 'project.read' },
  'POST /api/projects': { need: 'project.manage' },
  'GET /api/projects/export': { need: 'project.read' },
  'POST /api/projects/import': { need: 'project.manage', form: {} },
  'GET /api/projects/milestone-template': { need: 'project.read' },
  'PUT /api/projects/milestone-template': { need: 'project.manage' },
  'GET /api/projects/statistics/summary': { need: 'project.read' },
  'GET /api/projects/statistics/breakdown': { need: 'project.read' },
  'GET /api/projects/{id}': { need: 'project.read' },
  'PATCH /api/projects/{id}': { need: 'project.manage', body: { version: STALE, name: '改名' } },
  'DELETE /api/projects/{id}': { need: 'project.manage', query: `version=${STALE}&reason=x` },
  'GET /api/projects/{id}/history': { need: 'project.read' },
  'GET /api/projects/{id}/schedule': { need: 'project.read' },
  'GET /api/projects/{id}/investment': { need: 'project.read' },
  'POST /api/projects/{id}/investment': {
    need: 'project.read',
    act: { anyOf: ['project.report', 'project.manage'] },
    body: { month: '2025-05', amount: '1' },
  },
  'GET /api/projects/{id}/investment/figures': { need: 'project.read', query: 'month=2025-05' },
  'GET /api/projects/{id}/milestones': { need: 'project.read' },
  'POST /api/projects/{id}/milestones': { need: 'project.manage', body: { name: '节点', plannedDate: '2025-06-30' } },
  'GET /api/projects/{id}/milestones/{milestoneId}': { need: 'project.read' },
  'GET /api/projects/{id}/milestones/{milestoneId}/history': { need: 'project.read' },
  'POST /api/projects/{id}/milestones/{milestoneId}/transitions': { need: 'project.read', body: { action: 'start', version: STALE } },
  'GET /api/projects/{id}/milestones/{milestoneId}/evidence': { need: 'project.read' },
  'POST /api/projects/{id}/milestones/{milestoneId}/evidence': { need: 'project.read', form: {} },
  'GET /api/projects/{id}/milestones/{milestoneId}/evidence/{evidenceId}': { need: 'project.read' },
};

/** The first path segment after /api whose `{id}` names data that belongs to units. */
const SCOPED = ['items', 'batches', 'users', 'projects'] as const;
type Scoped = (typeof SCOPED)[number];
type Side = 'own' | 'other';

function scopedKind(op: Operation): Scoped | null {
  const m = /^\/api\/(\w+)\/\{id\}/.exec(op.path);
  return m && (SCOPED as readonly string[]).includes(m[1]) ? (m[1] as Scoped) : null;
}

/** What a role must get: 403 without the permission, 404 for another unit's data, else through. */
function expected(role: Role, op: Operation, side: Side): 'forbidden' | 'not_found' | 'through' | 'public' {
  const { need, act, shared } = TABLE[op.name];
  if (need === 'public') return 'public';
  if (need === 'signed_in') return 'through';
  const grant = grantFor({ roles: [role] }, need);
  if (!grant) return 'forbidden';
  if (side === 'other' && grant !== 'all' && scopedKind(op) && !shared) return 'not_found';
  if (act?.roles && !act.roles.includes(role)) return 'forbidden';
  if (act?.anyOf && !act.anyOf.some((p) => grantFor({ roles: [role] }, p))) return 'forbidden';
  return 'through';
}

describe('access matrix: every role x own/other unit x every operation (e2e)', () => {
  let api: TestApi;
  let ops: Operation[];
  let unitId: string;
  const token: Partial<Record<Role, string>> = {};
  /** Per role and side, the id standing for each scoped kind. */
  const ids: Record<Role, Record<Side, Record<Scoped, string>>> = {} as never;

  beforeAll(async () => {
    // A database of its own: an allowed write to a shared setting must not reach other test files.
    api = await TestApi.start({ env: { DATABASE_URL: separateDatabaseUrl('access') } });
    const f = api.factory;
    const city = await f.newUnit({ kind: 'city' });
    unitId = city.id;
    const side = async () => {
      const bureau = await f.newUnit({ parent: city });
      const dept = await f.newUnit({ parent: city });
      const acceptor = await f.newUnit({ parent: city });
      const dispatcher = await f.newUser(bureau, ['dispatcher']);
      const batch = await f.newBatch(Factory.actor(dispatcher, bureau), { chain: [{ level: 'city', unitId: acceptor.id }] });
      const item = await f.newItem(Factory.actor(dispatcher, bureau), batch, { leadUnitIds: [dept.id] });
      const { accessToken } = await api.login(dispatcher.email);
      const project = await api.request('POST', '/api/projects', {
        token: accessToken,
        body: {
          code: `AM-${Factory.tag()}`,
          name: '访问矩阵项目',
          category: 'air',
          countyUnitId: null,
          source: '规划',
          plannedInvestment: '100',
          startYear: 2025,
          endYear: 2026,
          plannedStart: '2025-03-01',
          plannedEnd: '2026-10-31',
          responsibleUnitIds: [dept.id],
          yearPlans: [{ year: 2025, amount: 100 }],
        },
      });
      if (project.status !== 201) throw new Error(`project: ${project.status} ${project.raw}`);
      return { bureau, dept, acceptor, dispatcher, batch, item, project: project.body.id as string };
    };
    const own = await side();
    const other = await side();
    const unitOf: Record<Role, OrgUnitView> = {
      admin: city,
      auditor: city,
      dispatcher: own.bureau,
      unit_officer: own.dept,
      verifier: own.acceptor,
    };
    const otherUser = await f.newUser(other.dept, ['unit_officer']);
    for (const role of ROLES) {
      const user: UserView = role === 'dispatcher' ? own.dispatcher : await f.newUser(unitOf[role], [role]);
      const colleague = await f.newUser(unitOf[role], ['unit_officer']);
      token[role] = (await api.login(user.email)).accessToken;
      const common = { items: own.item.id, batches: own.batch.id, projects: own.project };
      ids[role] = {
        own: { ...common, users: colleague.id },
        other: { items: other.item.id, batches: other.batch.id, projects: other.project, users: otherUser.id },
      };
    }
    const doc = (await api.request('GET', '/api/docs-json')).body as OpenApiDocument;
    ops = operationsOf(doc);
  }, 120_000);
  afterAll(async () => {
    await api.stop();
  });

  it('has an expectation for every operation of the OpenAPI document, and none for one it lacks', () => {
    const names = ops.map((o) => o.name);
    expect(names.filter((n) => !TABLE[n])).toEqual([]);
    expect(Object.keys(TABLE).filter((n) => !names.includes(n))).toEqual([]);
  });

  it.each(ROLES)(
    '%s: 403 without the permission, 404 for another unit, through for its own',
    async (role) => {
      const wrong: string[] = [];
      // Signing out (a public route that ends the caller's session) goes last.
      const ordered = [...ops.filter((o) => o.name !== 'POST /api/auth/logout'), ...ops.filter((o) => o.name === 'POST /api/auth/logout')];
      for (const op of ordered.filter((o) => TABLE[o.name])) {
        for (const side of ['own', 'other'] as const) {
          const kind = scopedKind(op);
          if (side === 'other' && !kind) continue;
          const want = expected(role, op, side);
          const row = TABLE[op.name];
          const params: Record<string, string> = { day: '2031-01-06', scope: 'default' };
          if (kind) params.id = ids[role][side][kind];
          else if (op.path.startsWith('/api/org-units/{id}')) params.id = unitId;
          // A made-up id (a message, an evidence file) is missing for everyone: 404 is then through too.
          const madeUp = (op.path.match(/\{(\w+)\}/g) ?? []).filter((p) => !params[p.slice(1, -1)]).length > 0;
          for (const name of op.path.match(/\{(\w+)\}/g) ?? []) params[name.slice(1, -1)] ??= randomUUID();
          const url = `${fillPath(op.path, params)}${row.query ? `?${row.query}` : ''}`;
          let body: string | FormData | undefined;
          const headers: Record<string, string> = { authorization: `Bearer ${token[role]}` };
          if (row.form) {
            body = new FormData();
            for (const [k, v] of Object.entries(row.form.fields ?? {})) body.append(k, v);
            const [name, content] = row.form.file ?? ['a.pdf', '%PDF-1.4\n%%EOF\n'];
            body.append('file', new Blob([Buffer.from(content)]), name);
          } else if (op.method !== 'GET' && op.method !== 'DELETE') {
            body = JSON.stringify(row.body ?? {});
            headers['content-type'] = 'application/json';
          }
          const res = await fetch(`${api.baseUrl}${url}`, { method: op.method, headers, body });
          await res.arrayBuffer();
          const ok =
            want === 'public'
              ? res.status !== 403 && res.status < 500 && (row.mayBeAbsent || res.status !== 404) // its own 401: a bad refresh token
              : want === 'forbidden'
                ? res.status === 403
                : want === 'not_found'
                  ? res.status === 404
                  : ![401, 403].includes(res.status) && res.status < 500 && (madeUp || row.mayBeAbsent || res.status !== 404);
          if (!ok) wrong.push(`${op.name} (${side}): ${res.status}, expected ${want}`);
        }
      }
      expect(wrong).toEqual([]);
    },
    120_000,
  );
});
