import { presentUnitNames } from '#domain';
import { UnitDirectory } from './unit-directory.js';

const units = [
  '大同市生态环境局',
  '大同市自然资源和规划局',
  '大同市农业农村局',
  '大同市应急管理局',
  '大同市住房和城乡建设局',
  '天镇县生态环境局',
].map((name, i) => ({ id: `u${i}`, name, code: `C${i}`, aliases: i === 3 ? ['市应急局'] : [] }));
const directory = new UnitDirectory(units);
const top = (name: string): string | undefined => directory.suggest(name)[0]?.name;

describe('unit suggestions for names that match no unit', () => {
  it('offers today’s department for a name from before the 2018 reform', () => {
    expect(top('大同市环保局')).toBe('大同市生态环境局');
    expect(top('大同市环境保护局')).toBe('大同市生态环境局');
    expect(top('大同市国土资源局')).toBe('大同市自然资源和规划局');
    expect(top('大同市农委')).toBe('大同市农业农村局');
    expect(top('大同市安监局')).toBe('大同市应急管理局');
    // The county's bureau for the county's former name, not the city's.
    expect(top('天镇县环保局')).toBe('天镇县生态环境局');
  });

  it('still offers abbreviations and names contained in others, and nothing for an unrelated name', () => {
    expect(top('大同市住建局')).toBe('大同市住房和城乡建设局');
    expect(top('生态环境局')).toBe('大同市生态环境局');
    expect(directory.suggest('阳高县教育局').map((s) => s.name)).not.toContain('大同市应急管理局');
    expect(directory.suggest('某某公司')).toEqual([]);
  });

  it('never resolves a former name by itself: the dispatcher chooses, or saves it as an alias', () => {
    expect(directory.resolve('大同市环保局')).toBeNull();
    expect(directory.resolve('市应急局')).toEqual({ id: 'u3', name: '大同市应急管理局' });
  });

  it('names today’s forms of a former name, each former part replaced', () => {
    expect(presentUnitNames('市环保局')).toEqual(['市生态环境局']);
    expect(presentUnitNames('县规划局')).toEqual(['县自然资源和规划局', '县规划和自然资源局']);
    expect(presentUnitNames('市生态环境局')).toEqual([]);
    expect(presentUnitNames('市自然资源和规划局')).toEqual([]);
  });
});
