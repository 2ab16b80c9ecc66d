import { parseHolidayNotice } from './holiday-notice.js';
import { statutoryEntries } from './work-calendar.js';

/** The notices as published by the General Office of the State Council (their operative sections). */
const NOTICE_2024 = `国务院办公厅关于2024年部分节假日安排的通知
国办发明电〔2023〕7号
经国务院批准，现将2024年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。`;

const NOTICE_2025 = `国务院办公厅关于2025年部分节假日安排的通知
经国务院批准，现将2025年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。`;

// Pasted on one line, as a copy from a web page often is.
const NOTICE_2026 =
  '国务院办公厅关于2026年部分节假日安排的通知 经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。' +
  '一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。' +
  '二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。' +
  '三、清明节：4月4日（周六）至6日（周一）放假，共3天。' +
  '四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。' +
  '五、端午节：6月19日（周五）至21日（周日）放假，共3天。' +
  '六、中秋节：9月25日（周五）至27日（周日）放假，共3天。' +
  '七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。';

describe('the State Council holiday notice, parsed', () => {
  it.each([
    [2024, NOTICE_2024],
    [2025, NOTICE_2025],
    [2026, NOTICE_2026],
  ])('%i: exactly the shipped statutory schedule (days, kinds and names), with nothing left unexplained', (year, text) => {
    const parsed = parseHolidayNotice(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.year).toBe(year);
    const shipped = statutoryEntries()
      .filter((e) => e.date.startsWith(`${year}-`))
      .map((e) => `${e.date} ${e.kind} ${e.name}`)
      .sort();
    expect(parsed.days.map((d) => `${d.date} ${d.kind} ${d.name}`)).toEqual(shipped);
  });

  it('2024: the Spring Festival section as read, and the eve the notice only encourages is not a holiday', () => {
    const parsed = parseHolidayNotice(NOTICE_2024);
    expect(parsed.sections.find((s) => s.name === '春节')).toEqual({
      name: '春节',
      off: ['2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14', '2024-02-15', '2024-02-16', '2024-02-17'],
      work: ['2024-02-04', '2024-02-18'],
      statedDays: 8,
    });
    expect(parsed.days.find((d) => d.date === '2024-02-09')).toBeUndefined();
  });

  it('says what does not add up', () => {
    const wrong = parseHolidayNotice('一、春节：2月10日至17日放假调休，共9天。2月5日（星期一）上班。', 2024);
    expect(wrong.problems).toEqual([
      '春节: the notice says 9 days, the dates give 8',
      '春节: the working day 2024-02-05 is not a weekend day',
    ]);
    expect(parseHolidayNotice('一、元旦：1月1日放假。', undefined).problems).toEqual([
      'the year is not named (give it, or paste the title 关于20XX年部分节假日安排的通知)',
    ]);
    expect(parseHolidayNotice('no notice here', 2027).problems).toEqual(['no sections found (一、元旦：… 二、春节：…)']);
    expect(parseHolidayNotice(NOTICE_2025, 2026).problems).toContain('the notice is for 2025, not 2026');
    expect(parseHolidayNotice('一、春节：2月30日放假。', 2027).problems).toEqual([
      '2月30日 is not a date in 2027',
      '春节: no days off found',
    ]);
  });
});
