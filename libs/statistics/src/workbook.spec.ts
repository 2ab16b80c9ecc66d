import { toCsv } from './workbook.js';
import { periodEnds } from './statistics.service.js';

describe('CSV', () => {
  it('quotes separators, quotes and line breaks, and keeps formulas from running', () => {
    const csv = toCsv({
      name: 't',
      columns: [{ header: 'a' }, { header: 'b' }, { header: 'c' }],
      rows: [
        ['x,y', 'say "hi"', 'line\nbreak'],
        ['=HYPERLINK("http://e")', '-1+2', 42],
        [null, '', '@SUM(A1)'],
      ],
    });
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8')).toBe(
      'a,b,c\r\n"x,y","say ""hi""","line\nbreak"\r\n"\'=HYPERLINK(""http://e"")",\'-1+2,42\r\n,,\'@SUM(A1)\r\n',
    );
  });
});

describe('trend periods', () => {
  it('month ends in the range, then the last day when it ends a partial month', () => {
    expect(periodEnds('month', '2024-01-15', '2024-04-10')).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-10']);
    expect(periodEnds('month', '2025-02-01', '2025-02-28')).toEqual(['2025-02-28']);
  });
  it('Sundays, across a year boundary', () => {
    expect(periodEnds('week', '2025-12-24', '2026-01-11')).toEqual(['2025-12-28', '2026-01-04', '2026-01-11']);
    expect(periodEnds('week', '2026-01-05', '2026-01-07')).toEqual(['2026-01-07']);
  });
});
