import { formFor, missingFields, transitionBody } from './actionForms';

describe('action forms', () => {
  it('asks for what each guard needs', () => {
    expect(formFor('request_extension', true)).toEqual({
      fields: ['proposedDeadline', 'reason'],
      required: ['proposedDeadline', 'reason'],
    });
    expect(formFor('report_progress', false)).toEqual({ fields: ['text', 'evidence'], required: ['text'] });
    expect(formFor('return', true).required).toEqual(['reason']);
    expect(formFor('pass', false).required).toEqual([]);
    expect(formFor('spot_check', false).required).toEqual(['spotCheckResult']);
  });

  it('lists what is missing before anything is sent', () => {
    const form = formFor('request_extension', true);
    expect(missingFields(form, { reason: '  ' }, 0)).toEqual(['proposedDeadline', 'reason']);
    expect(missingFields(form, { reason: '汛期施工受阻', proposedDeadline: '2027-03-31' }, 0)).toEqual([]);
  });

  it('sends only the fields of the action, trimmed', () => {
    expect(transitionBody('return', 7, { reason: ' 佐证材料不全 ', text: 'ignored', proposedDeadline: '2027-01-01' })).toEqual({
      action: 'return',
      version: 7,
      reason: '佐证材料不全',
    });
    expect(transitionBody('report_part', 3, { text: '已完成清运', partStatus: 'done', reason: '' })).toEqual({
      action: 'report_part',
      version: 3,
      text: '已完成清运',
      partStatus: 'done',
    });
    expect(transitionBody('accept', 2, {})).toEqual({ action: 'accept', version: 2 });
  });
});
