import { normalizeUnitName, presentUnitNames } from '#domain';

export interface UnitRef {
  id: string;
  name: string;
}

export interface UnitSuggestion extends UnitRef {
  /** The name or alias that resembles the name looked up. */
  matched: string;
  score: number;
}

/**
 * The active units by name, code and alias, held in memory for one import or decomposition:
 * exact resolution as OrgUnitsService.resolve does it, and suggestions for names that match none
 * (a name contained in another, an abbreviation such as 市住建局 for 市住房和城乡建设局, a department's name before
 * the 2018 reform such as 市环保局 for 市生态环境局, shared pairs of characters).
 */
export class UnitDirectory {
  private readonly byKey = new Map<string, UnitRef>();
  private readonly names: { key: string; unit: UnitRef }[] = [];

  constructor(units: { id: string; name: string; code: string; aliases: string[] }[]) {
    for (const u of units) {
      const ref = { id: u.id, name: u.name };
      for (const key of [u.name, u.code, ...u.aliases].map(normalizeUnitName)) {
        if (!this.byKey.has(key)) this.byKey.set(key, ref);
        this.names.push({ key, unit: ref });
      }
    }
  }

  resolve(name: string): UnitRef | null {
    return this.byKey.get(normalizeUnitName(name)) ?? null;
  }

  suggest(name: string, limit = 5): UnitSuggestion[] {
    // The name as written, and with today's names of renamed departments (市环保局: 市生态环境局).
    const keys = [normalizeUnitName(name)];
    keys.push(...presentUnitNames(keys[0]));
    const best = new Map<string, UnitSuggestion>();
    for (const { key: other, unit } of this.names) {
      const score = Math.max(...keys.map((key) => similarity(key, other)));
      if (score < 0.3) continue;
      const seen = best.get(unit.id);
      if (!seen || seen.score < score) best.set(unit.id, { ...unit, matched: other, score: Math.round(score * 100) / 100 });
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh')).slice(0, limit);
  }
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 2 && long.includes(short)) return 0.9;
  if (short.length >= 3 && short[0] === long[0] && isSubsequence(short, long)) return 0.8;
  const x = bigrams(a);
  const y = new Set(bigrams(b));
  const common = x.filter((g) => y.has(g)).length;
  return x.length + y.size === 0 ? 0 : (2 * common) / (x.length + y.size);
}
