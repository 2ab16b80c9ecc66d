import { asciiDigits, findDates } from './chinese-dates.js';

/**
 * Policy-document decomposition (任务分解): the numbered tasks of an implementation plan, each with
 * its units (from the bracket that ends it), dates and type. General conventions of such plans:
 * - a unit named with 牵头 leads (several may); 配合/参与/协助 and, after a lead, 按职责分工负责 cooperate;
 * - without 牵头 the first unit leads and the rest cooperate (leadExplicit false), except one unit
 *   alone "负责", which is an explicit lead;
 * - "…负责落实" names implementing units; "以下均需X落实，不再列出" carries X to every later task;
 * - dates without a year take the document's year; several dates are stages, the last the deadline;
 * - 长期坚持 is ongoing, 每月/每季度/每年/每周/定期 without a date recurring.
 */

export type TaskType = 'deadline' | 'ongoing' | 'recurring';

export interface DecomposedTask {
  /** The task's number as printed, or its place in the document when printed numbers repeat. */
  no: number;
  /** The numbering path as printed, e.g. "二（一）3". */
  label: string;
  title: string;
  text: string;
  lead: string[];
  cooperating: string[];
  implementing: string[];
  leadExplicit: boolean;
  stages: string[];
  deadline: string | null;
  type: TaskType;
  /** Where the task was read: character offsets [start, end) and 1-based lines of the text given. */
  span: { start: number; end: number; lineStart: number; lineEnd: number };
}

export interface Decomposition {
  documentYear: number | null;
  tasks: DecomposedTask[];
}

interface Line {
  text: string;
  start: number;
  no: number;
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function chineseNumber(s: string): number {
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + (CN_DIGITS[s[1]] ?? 0);
  if (s.length === 3) return CN_DIGITS[s[0]] * 10 + (CN_DIGITS[s[2]] ?? 0);
  if (s.length === 2 && s[1] === '十') return CN_DIGITS[s[0]] * 10;
  return CN_DIGITS[s] ?? 0;
}

/** Numbering styles from the outermost: 第一章 / 4.3.2 / # headings, 一、 （一） 1. （1） */
const LEVELS: { pattern: RegExp; value: (m: RegExpExecArray) => number }[] = [
  { pattern: /^\s*(?:#+\s|第[一二三四五六七八九十百\d]+[章节部分篇]|\d+(?:\.\d+)+\s)/, value: () => 0 },
  { pattern: /^\s*([一二三四五六七八九十]{1,3})\s*[、.．]/, value: (m) => chineseNumber(m[1]) },
  { pattern: /^\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]/, value: (m) => chineseNumber(m[1]) },
  { pattern: /^\s*(\d{1,3})\s*(?:[、．]|\.(?!\d))(?!\s*\d)/, value: (m) => Number(m[1]) },
  { pattern: /^\s*[（(]\s*(\d{1,3})\s*[）)]/, value: (m) => Number(m[1]) },
];

function levelOf(text: string): { level: number; value: number; length: number } | null {
  const t = asciiDigits(text);
  for (let level = 0; level < LEVELS.length; level++) {
    const m = LEVELS[level].pattern.exec(t);
    if (m) return { level, value: LEVELS[level].value(m), length: m[0].length };
  }
  return null;
}

/** Page numbers, "第 3 页", "- 3 -", and short lines repeated as running headers. */
function noiseLines(lines: Line[]): Set<number> {
  const noise = new Set<number>();
  const counts = new Map<string, number>();
  for (const l of lines) {
    const t = l.text.trim();
    if (t && t.length <= 40 && !levelOf(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  for (const l of lines) {
    const t = asciiDigits(l.text.trim());
    if (
      /^[-—–~·\s]*\d{1,4}[-—–~·\s]*$/.test(t) ||
      /^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$/.test(t) ||
      /^\d+\s*\/\s*\d+$/.test(t) ||
      (t.length > 0 && (counts.get(l.text.trim()) ?? 0) >= 3)
    )
      noise.add(l.no);
  }
  return noise;
}

const ROLE = /牵头|配合|参与|协助|协同|负责|落实/;

/** The bracket of responsible units that ends a task: the last one naming a role. */
function unitBracket(text: string): { inner: string; start: number; end: number } | null {
  const re = /[（(]([^（）()]*)[）)]/g;
  let found: { inner: string; start: number; end: number } | null = null;
  for (const m of text.matchAll(re)) if (ROLE.test(m[1])) found = { inner: m[1], start: m.index, end: m.index + m[0].length };
  return found;
}

const splitNames = (s: string): string[] =>
  s
    .split(/[、，,]/)
    .map((n) =>
      n
        .trim()
        .replace(/^(由|请|各自)/, '')
        .replace(/(等(有关|相关)?(部门|单位)?|等)$/, '')
        .trim(),
    )
    .filter((n) => n.length >= 2 && !/^(按职责|分工|负责|牵头|配合|参与)/.test(n));

interface Units {
  lead: string[];
  cooperating: string[];
  implementing: string[];
  leadExplicit: boolean;
  carried: string[];
  ongoing: boolean;
}

function readUnits(inner: string): Units {
  const u: Units = { lead: [], cooperating: [], implementing: [], leadExplicit: false, carried: [], ongoing: false };
  const unplaced: string[][] = [];
  for (const clause of inner.split(/[，,；;。]/).map((c) => c.trim())) {
    if (!clause) continue;
    if (/长期坚持/.test(clause)) u.ongoing = true;
    const carry = /以下均(?:需|由)(.+?)(?:负责)?落实/.exec(clause);
    if (carry) {
      u.carried.push(...splitNames(carry[1]));
      continue;
    }
    if (/不再列出/.test(clause) || !ROLE.test(clause)) continue;
    let m: RegExpExecArray | null;
    if ((m = /^(.+?)牵头/.exec(clause))) {
      u.lead.push(...splitNames(m[1]));
      u.leadExplicit = true;
      const rest = clause.slice(m[0].length);
      if (ROLE.test(rest)) u.cooperating.push(...splitNames(rest.replace(/(按职责分工)?(负责|配合|参与|协助|协同)+.*$/, '')));
    } else if ((m = /^(.+?)(?:负责)?落实$/.exec(clause)) && /落实$/.test(clause)) {
      u.implementing.push(...splitNames(m[1]));
    } else if ((m = /^(.+?)(配合|参与|协助|协同)/.exec(clause))) {
      u.cooperating.push(...splitNames(m[1]));
    } else if ((m = /^(.+?)(按职责分工|分工)?负责/.exec(clause))) {
      const names = splitNames(m[1]);
      if (u.lead.length > 0) u.cooperating.push(...names);
      else unplaced.push(names);
      if (!m[2] && names.length === 1 && u.lead.length === 0 && unplaced.length === 1) u.leadExplicit = true;
      else if (u.lead.length === 0) u.leadExplicit = false;
    }
  }
  if (u.lead.length === 0 && unplaced.length > 0) {
    const [first, ...rest] = unplaced.flat();
    u.lead.push(first);
    u.cooperating.unshift(...rest);
  } else u.cooperating.push(...unplaced.flat());
  const uniq = (a: string[]): string[] => [...new Set(a)];
  u.lead = uniq(u.lead);
  u.cooperating = uniq(u.cooperating).filter((n) => !u.lead.includes(n));
  u.implementing = uniq(u.implementing);
  return u;
}

/** The year the plan is for: its document number 〔2025〕, else the first year in its title lines, else its most frequent year. */
function documentYear(lines: Line[], firstTask: number): number | null {
  const all = asciiDigits(lines.map((l) => l.text).join('\n'));
  const docNo = /[〔[【(（]\s*((?:19|20)\d{2})\s*[〕\]】)）]/.exec(all);
  if (docNo) return Number(docNo[1]);
  const head = asciiDigits(
    lines
      .slice(0, firstTask)
      .map((l) => l.text)
      .join('\n'),
  );
  const inTitle = /((?:19|20)\d{2})\s*年/.exec(head);
  if (inTitle) return Number(inTitle[1]);
  const counts = new Map<number, number>();
  for (const m of all.matchAll(/((?:19|20)\d{2})\s*年/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? null;
}

const firstSentence = (text: string): string => {
  const cut = text.search(/[。；;！!？?]/);
  return (cut < 0 ? text : text.slice(0, cut)).replace(/[，,：:\s]+$/, '').trim();
};

/**
 * Splits a plan's text into its numbered tasks. The task level is the numbering style whose
 * items most often end with a bracket of responsible units (the deepest on a tie); lines of
 * deeper levels belong to the task above them.
 */
export function decomposePlan(input: string): Decomposition {
  const lines: Line[] = [];
  let offset = 0;
  input.split('\n').forEach((text, i) => {
    lines.push({ text: text.replace(/\r$/, ''), start: offset, no: i + 1 });
    offset += text.length + 1;
  });
  const noise = noiseLines(lines);
  const body = lines.filter((l) => !noise.has(l.no) && l.text.trim() !== '');
  const numbered = body.map((l) => ({ line: l, at: levelOf(l.text) }));

  const items = (level: number): { index: number; text: string }[] => {
    const out: { index: number; text: string }[] = [];
    numbered.forEach((n, i) => {
      if (n.at?.level !== level) return;
      let j = i + 1;
      while (j < numbered.length && !(numbered[j].at && numbered[j].at!.level <= level)) j++;
      out.push({
        index: i,
        text: body
          .slice(i, j)
          .map((l) => l.text.trim())
          .join(''),
      });
    });
    return out;
  };
  let taskLevel = -1;
  let best = -1;
  for (let level = 0; level < LEVELS.length; level++) {
    const found = items(level);
    if (found.length === 0) continue;
    const withUnits = found.filter((f) => unitBracket(f.text)).length;
    if (level > 0 && (withUnits > best || (withUnits === best && level >= 3))) {
      best = withUnits;
      taskLevel = level;
    }
  }
  if (taskLevel < 0) return { documentYear: documentYear(lines, lines.length), tasks: [] };

  const firstTaskLine = numbered.find((n) => n.at?.level === taskLevel)!.line.no - 1;
  const year = documentYear(lines, firstTaskLine) ?? new Date().getUTCFullYear();
  const path: string[] = [];
  const tasks: DecomposedTask[] = [];
  let carried: string[] = [];
  numbered.forEach((n, i) => {
    if (!n.at) return;
    const marker = n.line.text
      .trim()
      .slice(0, n.at.length - (n.line.text.length - n.line.text.trimStart().length))
      .trim();
    path.length = Math.min(path.length, n.at.level);
    path[n.at.level] = marker.replace(/[、.．\s]+$/, '');
    if (n.at.level !== taskLevel) return;
    let j = i + 1;
    while (j < numbered.length && !(numbered[j].at && numbered[j].at!.level <= taskLevel)) j++;
    const strip = n.at.length - (n.line.text.length - n.line.text.trimStart().length);
    const join = (ls: Line[]): string =>
      ls
        .map((l) => l.text.trim())
        .join('')
        .slice(strip)
        .trim();
    let own = body.slice(i, j);
    // The bracket of units closes the task: lines after it (a closing section, the signature) are not part of it.
    const whole = unitBracket(join(own));
    if (whole) {
      let k = 0;
      while (k < own.length - 1 && join(own.slice(0, k + 1)).length < whole.end) k++;
      own = own.slice(0, k + 1);
    }
    const text = join(own);
    const bracket = unitBracket(text);
    const units = bracket ? readUnits(bracket.inner) : null;
    const implementing = [...new Set([...(units?.implementing ?? []), ...carried, ...(units?.carried ?? [])])];
    if (units?.carried.length) carried = [...new Set([...carried, ...units.carried])];
    const prose = bracket ? text.slice(0, bracket.start) + text.slice(bracket.end) : text;
    // A numbered line without punctuation, followed by the body, is the task's heading.
    const firstLine = own[0].text.trim().slice(strip).trim();
    const heading = own.length > 1 && firstLine.length <= 40 && !/[。，；：,;:（(]/.test(firstLine) ? firstLine : null;
    const stages = [...new Set(findDates(text, year).map((d) => d.date))].sort();
    const ongoing = Boolean(units?.ongoing) || /长期坚持/.test(text);
    const recurring = /每(月|季度|季|年|周|半年|旬)|定期/.test(prose);
    const last = own[own.length - 1];
    tasks.push({
      no: n.at.value,
      label: path.filter(Boolean).join(''),
      title: heading ?? (firstSentence(prose) || prose.slice(0, 40)),
      text,
      lead: units?.lead ?? [],
      cooperating: units?.cooperating ?? [],
      implementing,
      leadExplicit: units?.leadExplicit ?? false,
      stages,
      deadline: stages.length ? stages[stages.length - 1] : null,
      type: ongoing ? 'ongoing' : recurring && stages.length === 0 ? 'recurring' : 'deadline',
      span: { start: n.line.start, end: last.start + last.text.length, lineStart: n.line.no, lineEnd: last.no },
    });
  });
  const numbers = tasks.map((t) => t.no);
  if (new Set(numbers).size !== numbers.length) tasks.forEach((t, i) => (t.no = i + 1));
  return { documentYear: year, tasks };
}
