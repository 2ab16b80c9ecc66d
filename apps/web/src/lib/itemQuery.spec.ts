import { filterPart, paramsFromQuery, queryFromApi, queryFromParams, withFilter } from './itemQuery';

const UNIT = '7fd39e0a-c79f-4f0c-8a7d-c49260115b55';

describe('item list filters and the address', () => {
  it('reads every filter from the query string', () => {
    const q = queryFromParams(
      new URLSearchParams(
        `state=assigned,in_progress&leadUnitId=${UNIT}&domain=air&overdue=true&dueWithinDays=7&q=扬尘&sort=-code&page=3&pageSize=100`,
      ),
    );
    expect(q).toEqual({
      state: ['assigned', 'in_progress'],
      leadUnitId: UNIT,
      domain: 'air',
      overdue: true,
      dueWithinDays: 7,
      q: '扬尘',
      sort: '-code',
      page: 3,
      pageSize: 100,
    });
  });

  it('drops what the api would refuse instead of failing the page', () => {
    const q = queryFromParams(
      new URLSearchParams('state=bogus,signed_off&leadUnitId=not-a-uuid&sort=drop&page=-1&pageSize=5000&overdue=yes&dueWithinDays=x'),
    );
    expect(q).toEqual({ state: ['signed_off'] });
  });

  it('writes the same address back (round trip) and leaves defaults out', () => {
    const text = `state=in_progress&countyUnitId=${UNIT}&overdue=true&sort=-deadline&page=2`;
    expect(paramsFromQuery(queryFromParams(new URLSearchParams(text))).toString()).toBe(text);
    expect(paramsFromQuery({ sort: 'open', page: 1, pageSize: 50 }).toString()).toBe('');
    expect(paramsFromQuery({ sort: 'deadline' }).toString()).toBe('sort=deadline');
  });

  it('starts at page 1 when a filter changes and forgets emptied filters', () => {
    const q = withFilter({ state: ['assigned'], q: '污水', page: 4, sort: '-code' }, { q: '', overdue: true, state: [] });
    expect(q).toEqual({ overdue: true, sort: '-code' });
  });

  it('saves and exports the filters alone, without page or order', () => {
    expect(filterPart({ domain: 'water', q: '黑臭', page: 3, pageSize: 100, sort: '-code' })).toEqual({ domain: 'water', q: '黑臭' });
  });
});

describe('queryFromApi', () => {
  it('reads a dashboard tile query (lists, flags, working days) into the list query and its address', () => {
    const unit = '0b7d3c2e-9a41-4c1b-8f7e-2d5a6b7c8d9e';
    const q = queryFromApi({ dispatcherUnitId: unit, state: ['assigned', 'in_progress'], extensionPending: true, dueWithinWorkingDays: 5 });
    expect(q).toEqual({ dispatcherUnitId: unit, state: ['assigned', 'in_progress'], extensionPending: true, dueWithinWorkingDays: 5 });
    expect(paramsFromQuery(q).toString()).toBe(
      `state=assigned%2Cin_progress&dispatcherUnitId=${unit}&extensionPending=true&dueWithinWorkingDays=5`,
    );
  });
});
