import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, unwrap } from '../api/client';
import type { ResponseOf } from '../api/types';

export type OrgUnit = ResponseOf<'/api/org-units', 'get'>[number];

/** Every unit the user may read (for names, pickers and the tree), loaded once per session. */
export function useUnits() {
  return useQuery({ queryKey: ['org-units'], queryFn: () => unwrap(api.GET('/api/org-units')), staleTime: 10 * 60_000 });
}

export function useUnitNames(): Map<string, string> {
  const units = useUnits();
  return useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
}

export function unitOptions(units: OrgUnit[] | undefined, kind?: string): { value: string; label: string }[] {
  return (units ?? []).filter((u) => !kind || u.kind === kind).map((u) => ({ value: u.id, label: u.name }));
}
