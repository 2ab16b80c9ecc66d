import { editable, merge, reviewed } from './drafts';
import type { DraftTask } from './intakeApi';

const unit = (name: string, unitId: string | null) => ({ name, unitId, unitName: unitId ? name : null });
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
    expect(d.unmatched).toEqual(['市环保委', '各县区人民政府']);
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
