/**
 * Org units form a tree stored as a materialised path of ids: "/<root>/<child>/<unit>/".
 * A unit's subtree is every unit whose path starts with the unit's own path.
 */
export function childPath(parentPath: string | null, id: string): string {
  return `${parentPath ?? '/'}${id}/`;
}

export function isWithin(path: string, ancestorPath: string): boolean {
  return path.startsWith(ancestorPath);
}

export function ancestorIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export const ORG_UNIT_KINDS = ['city', 'department', 'county', 'section', 'enterprise', 'other'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** Unit names are compared without whitespace and full-width variants of ASCII. */
export function normalizeUnitName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').trim();
}
