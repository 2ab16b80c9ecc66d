import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { TestApi } from './support/api.js';
import { TEST_PASSWORD } from './support/factories.js';

/** Sign-in limits with their shipped defaults: an office behind one address, and an attacker. */
describe('sign-in that an office behind one address can use (e2e)', () => {
  let api: TestApi;
  const warnings: string[] = [];

  beforeAll(async () => {
    api = await TestApi.start({ env: { LOGIN_MAX_ATTEMPTS_PER_IP: '', LOGIN_MAX_FAILURES: '', LOGIN_MAX_FAILURES_PER_IP: '' } });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await api.stop();
  });

  // Redis keeps counters across runs for the window: each run speaks from addresses of its own.
  const run = 1 + Math.floor(Math.random() * 250);
  const login = (email: string, password: string, ip: string) => api.request('POST', '/api/auth/login', { body: { email, password }, ip });
  const refusals = () => warnings.filter((m) => m.includes('sign-in refused (429)')).length;

  it('60 people sign in from one address within minutes, a few after a typo: every one gets in', async () => {
    const unit = await api.factory.newUnit();
    const staff = [];
    for (let i = 0; i < 60; i++) staff.push(await api.factory.newUser(unit, ['unit_officer']));
    const ip = `10.60.${run}.1`;
    const statuses: number[] = [];
    for (const [i, user] of staff.entries()) {
      if (i % 6 === 0) expect((await login(user.email, 'Typo-password-1', ip)).status).toBe(401);
      statuses.push((await login(user.email, TEST_PASSWORD, ip)).status);
    }
    expect(statuses).toEqual(Array(60).fill(200));
    // and again after lunch: 120 successes in the window
    for (const user of staff) expect((await login(user.email, TEST_PASSWORD, ip)).status).toBe(200);
  }, 240_000);

  it('guessing one account from one address stops after 5 failures, and the 429 is logged', async () => {
    const user = await api.factory.newUser(await api.factory.newUnit(), ['unit_officer']);
    const before = refusals();
    const ip = `10.61.${run}.1`;
    for (let i = 0; i < 5; i++) expect((await login(user.email, `Guess-${i}-password`, ip)).status).toBe(401);
    const blocked = await login(user.email, TEST_PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(refusals()).toBe(before + 1);
  });

  it('guessing one account from many addresses stops after 20 failures in all', async () => {
    const user = await api.factory.newUser(await api.factory.newUnit(), ['unit_officer']);
    for (let i = 0; i < 20; i++) expect((await login(user.email, `Guess-${i}-password`, `10.${run}.${i}.62`)).status).toBe(401);
    expect((await login(user.email, TEST_PASSWORD, `10.${run}.99.62`)).status).toBe(429);
  });

  it('trying many accounts from one address stops after 50 failures', async () => {
    const ip = `10.63.${run}.1`;
    for (let i = 0; i < 50; i++) expect((await login(`nobody-${run}-${i}-${Date.now()}@t.cn`, 'Guess-password-1', ip)).status).toBe(401);
    const user = await api.factory.newUser(await api.factory.newUnit(), ['unit_officer']);
    expect((await login(user.email, TEST_PASSWORD, ip)).status).toBe(429);
    // another address is not affected
    expect((await login(user.email, TEST_PASSWORD, `10.63.${run}.2`)).status).toBe(200);
  });
});
