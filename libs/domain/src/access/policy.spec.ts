import { DomainError } from '../errors/domain-error.js';
import { ancestorIds } from '../org/unit-path.js';
import {
  assertAllowed,
  decide,
  hasPermission,
  listScope,
  scopeOfPaths,
  type Actor,
  type Permission,
  type ResourceScope,
} from './policy.js';
import type { Role } from './roles.js';

// A city with two departments; department A has a section.
const CITY = '/city/';
const A = '/city/a/';
const A_SECTION = '/city/a/s/';
const B = '/city/b/';

const actor = (roles: Role[], unitPath = A): Actor => ({ userId: 'u', unitId: ancestorIds(unitPath).at(-1)!, unitPath, roles });
const owned = (...paths: string[]): ResourceScope => ({ ownerScope: scopeOfPaths(paths) });

const OWN = owned(A_SECTION);
const OTHER = owned(B);
const DISPATCHED_BY_A: ResourceScope = { ...owned(B), dispatcherScope: scopeOfPaths([A]) };
const ACCEPTED_BY_A: ResourceScope = { ...owned(B), acceptanceScope: scopeOfPaths([A]) };

type Outcome = 'allowed' | 'forbidden' | 'not_found';
const outcome = (a: Actor, p: Permission, r: ResourceScope): Outcome => {
  const d = decide(a, p, r);
  return d.allowed ? 'allowed' : d.reason;
};

describe('policy: every role × own/other unit × read/write', () => {
  // [role, resource, read (item.read), write (item.act)]
  const table: [Role, string, ResourceScope, Outcome, Outcome][] = [
    ['admin', 'own', OWN, 'allowed', 'allowed'],
    ['admin', 'other', OTHER, 'allowed', 'allowed'],
    ['auditor', 'own', OWN, 'allowed', 'forbidden'],
    ['auditor', 'other', OTHER, 'allowed', 'forbidden'],
    ['dispatcher', 'own', OWN, 'allowed', 'allowed'],
    ['dispatcher', 'other', OTHER, 'not_found', 'not_found'],
    ['dispatcher', 'dispatched by own unit', DISPATCHED_BY_A, 'allowed', 'allowed'],
    ['unit_officer', 'own', OWN, 'allowed', 'allowed'],
    ['unit_officer', 'other', OTHER, 'not_found', 'not_found'],
    ['unit_officer', 'dispatched by own unit', DISPATCHED_BY_A, 'not_found', 'not_found'],
    ['verifier', 'own', OWN, 'allowed', 'forbidden'],
    ['verifier', 'other', OTHER, 'not_found', 'not_found'],
    ['verifier', 'accepted by own unit', ACCEPTED_BY_A, 'allowed', 'forbidden'],
    ['unit_officer', 'accepted by own unit', ACCEPTED_BY_A, 'not_found', 'not_found'],
    ['dispatcher', 'accepted by own unit', ACCEPTED_BY_A, 'not_found', 'not_found'],
  ];

  it.each(table)('%s on a %s item: read %s, write %s', (role, _label, resource, read, write) => {
    expect(outcome(actor([role]), 'item.read', resource)).toBe(read);
    expect(outcome(actor([role]), 'item.act', resource)).toBe(write);
  });

  const userTable: [Role, Outcome, Outcome, Outcome, Outcome][] = [
    // role, read own, manage own, read other, manage other
    ['admin', 'allowed', 'allowed', 'allowed', 'allowed'],
    ['auditor', 'allowed', 'forbidden', 'allowed', 'forbidden'],
    ['dispatcher', 'allowed', 'forbidden', 'not_found', 'not_found'],
    ['unit_officer', 'allowed', 'forbidden', 'not_found', 'not_found'],
    ['verifier', 'allowed', 'forbidden', 'not_found', 'not_found'],
  ];

  it.each(userTable)('%s on users: own read %s / manage %s, other read %s / manage %s', (role, ro, mo, rx, mx) => {
    expect(outcome(actor([role]), 'user.read', OWN)).toBe(ro);
    expect(outcome(actor([role]), 'user.manage', OWN)).toBe(mo);
    expect(outcome(actor([role]), 'user.read', OTHER)).toBe(rx);
    expect(outcome(actor([role]), 'user.manage', OTHER)).toBe(mx);
  });
});

describe('policy: scope details', () => {
  it('a unit sees its whole subtree but not its parent', () => {
    expect(outcome(actor(['unit_officer'], A), 'item.read', owned(A_SECTION))).toBe('allowed');
    expect(outcome(actor(['unit_officer'], A_SECTION), 'item.read', owned(A))).toBe('not_found');
    expect(outcome(actor(['unit_officer'], CITY), 'item.read', owned(B))).toBe('allowed');
  });

  it('a path prefix of another id is not an ancestor', () => {
    expect(outcome(actor(['unit_officer'], '/city/a/'), 'item.read', owned('/city/ab/'))).toBe('not_found');
  });

  it('an item with several owner units is visible to each of them', () => {
    const shared = owned(B, A_SECTION);
    expect(outcome(actor(['unit_officer'], A), 'item.act', shared)).toBe('allowed');
    expect(outcome(actor(['unit_officer'], B), 'item.act', shared)).toBe('allowed');
  });

  it('roles add up: verifier + unit officer may act and verify', () => {
    const both = actor(['verifier', 'unit_officer']);
    expect(outcome(both, 'item.act', OWN)).toBe('allowed');
    expect(outcome(both, 'item.verify', OWN)).toBe('allowed');
    expect(outcome(both, 'item.verify', OTHER)).toBe('not_found');
    // acting as verifier on work accepted by its unit, but not as its officer
    expect(outcome(both, 'item.verify', ACCEPTED_BY_A)).toBe('allowed');
    expect(outcome(both, 'item.act', ACCEPTED_BY_A)).toBe('forbidden');
  });

  it('auditors may record spot checks but change nothing else', () => {
    const auditor = actor(['auditor']);
    expect(outcome(auditor, 'item.spot_check', OTHER)).toBe('allowed');
    for (const p of ['item.create', 'item.act', 'item.verify', 'org.manage', 'user.manage', 'calendar.manage'] as Permission[]) {
      expect(hasPermission(auditor, p)).toBe(false);
    }
  });

  it('a user with no roles may do nothing', () => {
    const nobody = actor([]);
    expect(outcome(nobody, 'item.read', OWN)).toBe('not_found');
    expect(hasPermission(nobody, 'org.read')).toBe(false);
    expect(listScope(nobody, 'item.read')).toEqual({ kind: 'none' });
  });

  it('list scopes narrow by unit and include dispatched work for dispatchers', () => {
    expect(listScope(actor(['admin']), 'item.read')).toEqual({ kind: 'all' });
    expect(listScope(actor(['auditor']), 'user.read')).toEqual({ kind: 'all' });
    expect(listScope(actor(['dispatcher']), 'item.read')).toEqual({
      kind: 'units',
      unitId: 'a',
      unitPath: A,
      dispatched: true,
      accepting: false,
    });
    expect(listScope(actor(['unit_officer']), 'item.read')).toEqual({
      kind: 'units',
      unitId: 'a',
      unitPath: A,
      dispatched: false,
      accepting: false,
    });
    expect(listScope(actor(['verifier', 'dispatcher']), 'item.read')).toEqual({
      kind: 'units',
      unitId: 'a',
      unitPath: A,
      dispatched: true,
      accepting: true,
    });
    // the widest grant wins when roles overlap
    expect(listScope(actor(['unit_officer', 'auditor']), 'item.read')).toEqual({ kind: 'all' });
  });

  it('assertAllowed throws not-found outside scope and forbidden inside it', () => {
    expect(() => assertAllowed(actor(['unit_officer']), 'item.act', OTHER, 'item', 'i1')).toThrow(
      expect.objectContaining({ kind: 'not_found', code: 'ITEM_NOT_FOUND' }) as DomainError,
    );
    expect(() => assertAllowed(actor(['verifier']), 'item.act', OWN, 'item', 'i1')).toThrow(
      expect.objectContaining({ kind: 'forbidden' }) as DomainError,
    );
    expect(() => assertAllowed(actor(['unit_officer']), 'item.act', OWN, 'item', 'i1')).not.toThrow();
  });
});
