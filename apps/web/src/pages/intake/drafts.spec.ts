import { editable, merge, reviewed, take } from './drafts';
import type { DraftTask } from './intakeApi';

const unit = (name: string, unitId: string | null, suggested: string[] = []) => ({
  name,
  unitId,
  unitName: unitId ? name : null,
  suggestions: suggested.map((id) => ({ id, name: `单位${id}`, matched: `单位${id}`, score: 0.5 })),
});
const task = (over: Partial<DraftTask>): DraftTask => ({
  no: 1,
  label: '1',
  title: '任务一',
  text: '1.任务一。',
  lead: [],
  cooperating: [],
  implementing: [],
  leadExplicit: true,
  stages: [],
  deadline: null,
  type: 'deadline',
  span: { start: 0, end: 10, lineStart: 1, lineEnd: 1 },
  ...over,
});

describe('draft tasks as the dispatcher edits them', () => {
  it('keeps matched units as ids, lists the unmatched names, and never has a unit in two roles', () => {
    const d = editable(
      task({
        lead: [unit('市生态环境局', 'eco'), unit('市环保委', null)],
        cooperating: [unit('市生态环境局', 'eco'), unit('市水务局', 'water')],
        implementing: [unit('各县区人民政府', null), unit('市水务局', 'water'), unit('天镇县', 'tz')],
      }),
    );
    expect(d).toMatchObject({ leadUnitIds: ['eco'], cooperatingUnitIds: ['water'], implementingUnitIds: ['tz'] });
    expect(d.unmatched).toEqual([
      { name: '市环保委', role: 'lead', suggestions: [] },
      { name: '各县区人民政府', role: 'implementing', suggestions: [] },
    ]);
  });

  it('maps an unmatched name to a suggested unit in the role the document gave it', () => {
    const d = editable(
      task({
        lead: [unit('市生态环境局', 'eco'), unit('市环保局', null, ['eco', 'agri'])],
        cooperating: [unit('市农委', null, ['agri']), unit('市水务局', 'water')],
      }),
    );
    expect(d.unmatched.map((u) => [u.name, u.role, u.suggestions.map((s) => s.id)])).toEqual([
      ['市环保局', 'lead', ['eco', 'agri']],
      ['市农委', 'cooperating', ['agri']],
    ]);
    // A lead taken that already leads: nothing doubles, the name is settled.
    const a = take(d, '市环保局', 'eco');
    expect(a).toMatchObject({ leadUnitIds: ['eco'], cooperatingUnitIds: ['water'] });
    expect(a.unmatched.map((u) => u.name)).toEqual(['市农委']);
    // A cooperating unit joins the cooperating units; one that leads stays a lead only.
    expect(take(a, '市农委', 'agri')).toMatchObject({ leadUnitIds: ['eco'], cooperatingUnitIds: ['water', 'agri'], unmatched: [] });
    expect(take(a, '市农委', 'eco')).toMatchObject({ leadUnitIds: ['eco'], cooperatingUnitIds: ['water'], unmatched: [] });
    // A lead taken from the cooperating units leaves them.
    expect(take(d, '市环保局', 'water')).toMatchObject({ leadUnitIds: ['eco', 'water'], cooperatingUnitIds: [] });
    expect(take(d, '没有这个名称', 'eco')).toBe(d);
    // A cooperating unit taken that was implementing cooperates only; an implementing one that cooperates stays cooperating.
    const e = editable(
      task({ lead: [unit('甲', 'a')], cooperating: [unit('市农委', null)], implementing: [unit('丙', 'c'), unit('丁局', null)] }),
    );
    expect(take(e, '市农委', 'c')).toMatchObject({ cooperatingUnitIds: ['c'], implementingUnitIds: [] });
    expect(take(take(e, '市农委', 'c'), '丁局', 'c')).toMatchObject({ cooperatingUnitIds: ['c'], implementingUnitIds: [], unmatched: [] });
  });

  it('merges two tasks into the earlier one: both texts, every unit once, all stages, the later deadline, the whole span', () => {
    const a = editable(
      task({
        no: 2,
        title: '二',
        text: 'B',
        lead: [unit('乙', 'b')],
        stages: ['2030-03-31'],
        deadline: '2030-06-30',
        span: { start: 20, end: 30, lineStart: 3, lineEnd: 3 },
      }),
    );
    const b = editable(
      task({
        no: 1,
        title: '一',
        text: 'A',
        lead: [unit('甲', 'a')],
        cooperating: [unit('乙', 'b')],
        type: 'ongoing',
        span: { start: 0, end: 15, lineStart: 1, lineEnd: 2 },
      }),
    );
    const m = merge(a, b);
    expect(m).toMatchObject({
      no: 1,
      title: '一；二',
      text: 'A\nB',
      leadUnitIds: ['a', 'b'],
      cooperatingUnitIds: [],
      stages: ['2030-03-31'],
      deadline: '2030-06-30',
      type: 'deadline',
      span: { start: 0, end: 30 },
    });
  });

  it('sends no deadline for ongoing or recurring tasks', () => {
    const d = editable(task({ type: 'recurring', deadline: '2030-12-31', lead: [unit('甲', 'a')] }));
    expect(reviewed(d)).toMatchObject({ no: 1, leadUnitIds: ['a'], deadline: null, type: 'recurring', span: { start: 0, end: 10 } });
  });
});
