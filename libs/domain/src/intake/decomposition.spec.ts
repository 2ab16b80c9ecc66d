import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decomposePlan } from './decomposition.js';

const fixtures = path.resolve(process.cwd(), 'test/fixtures/decomposition');
const read = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');

interface Expected {
  documentYear: number;
  tasks: Record<string, unknown>[];
}

const FIELDS = ['no', 'title', 'lead', 'cooperating', 'implementing', 'leadExplicit', 'stages', 'deadline', 'type'] as const;

describe.each(['plan-sample', 'air-plan-nested', 'water-plan-scan'])('decomposition of %s', (name) => {
  const text = read(`${name}.txt`);
  const expected = JSON.parse(read(`${name}.expected.json`)) as Expected;
  const result = decomposePlan(text);

  it('finds the document year and every task in order', () => {
    expect(result.documentYear).toBe(expected.documentYear);
    expect(result.tasks.map((t) => t.no)).toEqual(expected.tasks.map((t) => t.no));
  });

  it.each(expected.tasks.map((t, i) => [t.no, i] as const))('task %s matches field by field', (_no, i) => {
    const task = result.tasks[i];
    for (const field of FIELDS)
      if (field in expected.tasks[i]) expect({ field, value: task[field] }).toEqual({ field, value: expected.tasks[i][field] });
  });

  it('gives each task the span of the text it was read from', () => {
    for (const task of result.tasks) {
      const source = text.slice(task.span.start, task.span.end);
      expect(source.replace(/\s+/g, '')).toContain(task.title.replace(/\s+/g, ''));
    }
  });
});

describe('decomposition edge cases', () => {
  it('finds no tasks in prose without numbering', () => {
    expect(decomposePlan('会议强调，要抓好落实。\n会议指出，要压实责任。').tasks).toEqual([]);
  });
});
