import type { Browser } from 'playwright-core';
import { Factory, TEST_PASSWORD } from './factories.js';
import { TestApi } from './api.js';
import { assertWebBuilt, launchChromium } from './web.js';
import type { OrgUnitView, UserView } from '#org';
import type { BatchView } from '#items';
import type { Clock } from '#domain';

/** The api serving the built web app (as in production), Chromium, and a small org with a user per role. */
export interface WebWorld {
  api: TestApi;
  /** Where the app is: the api's own address (it serves dist/web at /). */
  url: string;
  browser: Browser;
  units: { city: OrgUnitView; office: OrgUnitView; bureau: OrgUnitView; county: OrgUnitView; otherCounty: OrgUnitView };
  users: Record<'dispatcher' | 'officer' | 'otherOfficer' | 'countyVerifier' | 'cityVerifier' | 'auditor' | 'admin', UserView>;
  batch: BatchView;
  password: string;
  token: (user: UserView) => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * `suffix` makes the unit names unique in the shared test database, for tests that pick units by
 * name in the screens; `clock` is the api's (a test may move it past a public notice).
 */
export async function startWebWorld(opts: { suffix?: string; clock?: Clock } = {}): Promise<WebWorld> {
  assertWebBuilt();
  const s = opts.suffix ?? '';
  const api = await TestApi.start({ clock: opts.clock });
  const f = api.factory;
  const city = await f.newUnit({ kind: 'city', name: `大同市-${Factory.tag()}` });
  const office = await f.newUnit({ parent: city, name: `督察整改办公室${s}` });
  const bureau = await f.newUnit({ parent: city, name: `市生态环境局${s}` });
  const county = await f.newUnit({ parent: city, kind: 'county', name: `天镇县${s}` });
  const otherCounty = await f.newUnit({ parent: city, kind: 'county', name: `阳高县${s}` });
  const users = {
    dispatcher: await f.newUser(office, ['dispatcher']),
    officer: await f.newUser(county, ['unit_officer']),
    otherOfficer: await f.newUser(otherCounty, ['unit_officer']),
    countyVerifier: await f.newUser(county, ['verifier']),
    cityVerifier: await f.newUser(bureau, ['verifier']),
    auditor: await f.newUser(city, ['auditor']),
    admin: await f.newUser(city, ['admin']),
  };
  const batch = await f.newBatch(Factory.actor(users.dispatcher, office), {
    chain: [{ level: 'county' }, { level: 'city', unitId: bureau.id }],
    noticeDays: 0,
  });
  const browser = await launchChromium();
  return {
    api,
    url: api.baseUrl,
    browser,
    units: { city, office, bureau, county, otherCounty },
    users,
    batch,
    password: TEST_PASSWORD,
    token: async (user) => (await api.login(user.email)).accessToken,
    stop: async () => {
      await browser.close();
      await api.stop();
    },
  };
}
