/**
 * Distributions of working days to close, as (value, count) pairs in ascending order of value.
 * The roll-ups keep one count per value, so a median over a million items adds up a few hundred
 * pairs per group; the figures read them as two parallel arrays (one JSON array each from the
 * database: a breakdown by unit has tens of thousands of pairs, and JSON is parsed natively
 * where rows are parsed one field at a time).
 */
export interface Distribution {
  /** Ascending, each value once. */
  days: number[];
  /** How many closed items took that many days (a correction's counts may be negative). */
  n: number[];
}

/** One group's distribution from one source (cells, not yet folded deltas, corrections…). */
export interface GroupDistribution extends Distribution {
  g: string;
}

/**
 * The SELECT that turns (g, days, n) rows of `rows` (a derived table) into one row per group with
 * its distribution, as GroupDistribution reads it.
 */
export function distributionSql(rows: string): string {
  return `SELECT d.g, json_agg(d.days ORDER BY d.days) AS days, json_agg(d.n ORDER BY d.days) AS n FROM ${rows} d GROUP BY d.g`;
}

/** Distributions per group from (g, days, n) rows in any order, counts of the same (g, days) added up. */
export function distributionsOf(rows: { g: string; days: number; n: number }[]): GroupDistribution[] {
  const byGroup = new Map<string, { days: number[]; n: number[] }[]>();
  for (const r of rows) {
    const parts = byGroup.get(r.g) ?? [];
    parts.push({ days: [r.days], n: [r.n] });
    byGroup.set(r.g, parts);
  }
  return [...byGroup].map(([g, parts]) => ({ g, ...combine(parts) }));
}

/** Several sources' distributions of one group added up (a source's counts may be negative: corrections). */
export function combine(parts: Distribution[]): Distribution {
  if (parts.length === 1) return parts[0];
  const byDays = new Map<number, number>();
  for (const p of parts) for (let i = 0; i < p.days.length; i++) byDays.set(p.days[i], (byDays.get(p.days[i]) ?? 0) + p.n[i]);
  const pairs = [...byDays].filter(([, n]) => n !== 0).sort((a, b) => a[0] - b[0]);
  return { days: pairs.map(([d]) => d), n: pairs.map(([, n]) => n) };
}

/** The median of a distribution, as percentile_cont(0.5) computes it over the values it stands for. */
export function median(d: Distribution): number | null {
  const total = d.n.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const at = (rank: number): number => {
    let seen = 0;
    for (let i = 0; i < d.days.length; i++) {
      seen += d.n[i];
      if (rank < seen) return d.days[i];
    }
    return d.days[d.days.length - 1];
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}
