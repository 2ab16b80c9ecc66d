import type { Me } from '../api/auth';

/** Whether the roles grant a permission (any scope): `item.act`, `org.manage`… */
export function can(me: Me, permission: string): boolean {
  return me.permissions.some((p) => p === permission || p.startsWith(`${permission}:`));
}
