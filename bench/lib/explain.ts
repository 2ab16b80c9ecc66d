import type pg from 'pg';

/** EXPLAIN (ANALYZE, BUFFERS) of a statement, summarised: timings, the plan tree, the costliest nodes. */

interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'CTE Name'?: string;
  'Join Type'?: string;
  Strategy?: string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Hash Cond'?: string;
  'Join Filter'?: string;
  'Sort Key'?: string[];
  'Sort Method'?: string;
  'Sort Space Used'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Exact Heap Blocks'?: number;
  'Lossy Heap Blocks'?: number;
  'Workers Launched'?: number;
  'Plan Rows': number;
  'Actual Rows': number;
  'Actual Loops': number;
  'Actual Total Time': number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface Explained {
  Plan: PlanNode;
  'Planning Time': number;
  'Execution Time': number;
}

export interface PlanSummary {
  planningMs: number;
  executionMs: number;
  lines: string[];
  hotSpots: string[];
  /** How the main query reads `item`, e.g. "index item_deadline_idx", "bitmap(a & b)", "seq scan", plus rows sorted. */
  access: string;
}

function bitmapOf(node: PlanNode): string {
  switch (node['Node Type']) {
    case 'Bitmap Index Scan':
      return node['Index Name'] ?? '?';
    case 'BitmapAnd':
      return (node.Plans ?? []).map(bitmapOf).join(' & ');
    case 'BitmapOr':
      return `(${(node.Plans ?? []).map(bitmapOf).join(' | ')})`;
    default:
      return node['Node Type'];
  }
}

/** The scans of `relation` outside subplans (CTEs included: the page and its count), and the number of rows fed into sorts. */
function accessPath(root: PlanNode, relation: string): string {
  const scans: string[] = [];
  let sorted = 0;
  let workers = 0;
  const walk = (node: PlanNode): void => {
    if (node['Subplan Name'] && !node['Subplan Name'].startsWith('CTE ')) return;
    if (node['Node Type'] === 'Sort' && node.Plans?.[0]) sorted += node.Plans[0]['Actual Rows'] * node.Plans[0]['Actual Loops'];
    if (node['Workers Launched']) workers += node['Workers Launched'];
    if (node['Relation Name'] === relation) {
      const type = node['Node Type'];
      const rows = node['Actual Rows'] * node['Actual Loops'];
      if (type === 'Bitmap Heap Scan') scans.push(`bitmap(${(node.Plans ?? []).map(bitmapOf).join(' & ')}) ${rows} rows`);
      else if (type === 'Index Scan' || type === 'Index Only Scan')
        scans.push(`${type === 'Index Scan' ? 'index' : 'index-only'} ${node['Index Name']} ${rows} rows`);
      else scans.push(`${type.toLowerCase()} ${rows} rows`);
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root);
  const extra = [sorted > 0 ? `sort of ${sorted}` : '', workers > 0 ? `${workers} parallel workers` : ''].filter(Boolean);
  return [scans.join(' + ') || '-', ...extra].join('; ');
}

const short = (s: string, n = 110): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function label(node: PlanNode): string {
  let s = node['Node Type'];
  if (node.Strategy && node.Strategy !== 'Plain') s = `${node.Strategy} ${s}`;
  if (node['Join Type'] && node['Join Type'] !== 'Inner') s += ` (${node['Join Type']})`;
  if (node['Relation Name'])
    s += ` on ${node['Relation Name']}${node.Alias && node.Alias !== node['Relation Name'] ? ` ${node.Alias}` : ''}`;
  if (node['Index Name']) s += ` using ${node['Index Name']}`;
  return s;
}

/** Time spent in the node itself. A CTE Scan's time includes running its CTE (an InitPlan elsewhere): not its own. */
function exclusiveMs(node: PlanNode, cteMs: ReadonlyMap<string, number>): number {
  const total = node['Actual Total Time'] * node['Actual Loops'];
  const children = (node.Plans ?? []).reduce((a, c) => a + c['Actual Total Time'] * c['Actual Loops'], 0);
  const cte = node['Node Type'] === 'CTE Scan' && node['CTE Name'] ? (cteMs.get(node['CTE Name']) ?? 0) : 0;
  return Math.max(0, total - children - cte);
}

export async function explain(client: pg.Client | pg.Pool, sql: string, params: unknown[]): Promise<PlanSummary> {
  const { rows } = await client.query<{ 'QUERY PLAN': Explained[] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
  const plan = rows[0]['QUERY PLAN'][0];
  const lines: string[] = [];
  const all: { node: PlanNode; depth: number }[] = [];
  const walk = (node: PlanNode, depth: number): void => {
    all.push({ node, depth });
    const pad = '  '.repeat(depth);
    const sub = node['Subplan Name'] ? `[${node['Subplan Name']}] ` : '';
    const blocks = (node['Shared Hit Blocks'] ?? 0) + (node['Shared Read Blocks'] ?? 0);
    lines.push(
      `${pad}${sub}${label(node)}  rows=${node['Actual Rows']} (est ${node['Plan Rows']}) loops=${node['Actual Loops']} ` +
        `time=${node['Actual Total Time'].toFixed(2)} ms buffers=${blocks}`,
    );
    const details: string[] = [];
    if (node['Index Cond']) details.push(`index cond: ${node['Index Cond']}`);
    if (node['Recheck Cond'] && !node['Index Cond']) details.push(`recheck: ${node['Recheck Cond']}`);
    if (node['Hash Cond']) details.push(`hash cond: ${node['Hash Cond']}`);
    if (node.Filter) details.push(`filter: ${node.Filter} (removed ${node['Rows Removed by Filter'] ?? 0})`);
    if (node['Rows Removed by Index Recheck']) details.push(`removed by recheck: ${node['Rows Removed by Index Recheck']}`);
    if (node['Exact Heap Blocks'] !== undefined)
      details.push(`heap blocks: ${node['Exact Heap Blocks']} exact, ${node['Lossy Heap Blocks'] ?? 0} lossy`);
    if (node['Sort Key'])
      details.push(`sort: ${node['Sort Key'].join(', ')} (${node['Sort Method'] ?? '?'}, ${node['Sort Space Used'] ?? '?'} kB)`);
    if (node['Workers Launched'] !== undefined) details.push(`parallel workers: ${node['Workers Launched']}`);
    for (const d of details) lines.push(`${pad}    ${short(d)}`);
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(plan.Plan, 0);
  const cteMs = new Map<string, number>();
  for (const { node } of all) {
    const name = /^CTE (.+)$/.exec(node['Subplan Name'] ?? '')?.[1];
    if (name) cteMs.set(name, node['Actual Total Time'] * node['Actual Loops']);
  }
  const hotSpots = all
    .map(({ node }) => ({ node, ms: exclusiveMs(node, cteMs) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3)
    .filter((h) => h.ms > 0.05)
    .map((h) => `${label(h.node)} ${h.ms.toFixed(2)} ms`);
  return { planningMs: plan['Planning Time'], executionMs: plan['Execution Time'], lines, hotSpots, access: accessPath(plan.Plan, 'item') };
}
