import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDaysToDate, shanghaiDate } from '../../src/modules/calendar/zone.ts';
import { PHONE, seedShanghaiOutlet } from './maintenance-fixtures.ts';
import { ADMIN_PASSWORD, api, apiLogin, launchBrowser, makeApplicantPhoto, shot, signIn, startServer, type RunningServer } from './server.ts';

/**
 * Engineers, staffing and the on-site roster in the console: the client's manager sees the contract below
 * its minimum staffing (an expired Kylin certificate does not count) and the hours nobody is rostered to;
 * the engineer checks in to the shift running now on a 390 px phone; an outlet clerk opens a ticket with a photo.
 * Check-in uses the server's clock, so the core-system contract runs around today.
 */

const PASSWORD = 'Staff-password-1';
const USERS = { manager: 'st_manager', engineer: 'st_engineer', clerk: 'st_clerk' } as const;
const CONTRACT = '居住证信息系统运维（驻场）';

interface Seeded {
  contractId: string;
}

async function seed(url: string): Promise<Seeded> {
  await seedShanghaiOutlet(url, USERS, PASSWORD, ['SOCIAL_SECURITY_CARD']);
  const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
  const orgs = await api<{ items: { id: string; name: string; kind: string }[] }>(url, admin, 'GET', '/api/v1/orgs');
  const authority = orgs.items.find((o) => o.name === '上海市社会保障卡服务中心')!;
  const maintainer = orgs.items.find((o) => o.kind === 'MAINTAINER' && o.name === '上海信达运维服务有限公司')!;
  const core = await api<{ id: string }>(url, admin, 'POST', '/api/v1/orgs', { name: '居住证信息系统中心机房', kind: 'AUTHORITY', parentId: authority.id, regionCode: '310000' });
  const manager = await apiLogin(url, USERS.manager, PASSWORD);
  const engineer = await apiLogin(url, USERS.engineer, PASSWORD);
  const today = shanghaiDate(new Date());
  const contract = await api<{ id: string }>(url, manager, 'POST', '/api/v1/maintenance/contracts', {
    name: CONTRACT,
    authorityOrgId: authority.id,
    maintainerOrgId: maintainer.id,
    termStart: addDaysToDate(today, -30),
    termEnd: addDaysToDate(today, 365),
    zoneTableId: null,
    clock: 'ROUND_THE_CLOCK',
    responseTarget: 'ON_SITE',
    responseMinutes: { URBAN: 120, SUBURBAN: 120 },
    fixMinutes: { URBAN: 240, SUBURBAN: 240 },
    breachTerminationCount: 5,
  });
  await api(url, manager, 'PUT', `/api/v1/maintenance/sites/${core.id}`, { contractId: contract.id, services: [], openingHours: '00:00-24:00', zoneOverride: null });
  await api(url, manager, 'PUT', `/api/v1/maintenance/contracts/${contract.id}/staffing`, { minEngineers: 20, certified: [{ kind: 'KYLIN_OS', count: 2 }] });
  const team: { engineers: { id: string }[] } = { engineers: [] };
  for (const [name, phone, username] of [
    ['李建国', '13912345678', USERS.engineer],
    ['王丽', '13887654321', null],
    ['赵强', null, null],
  ] as const) {
    Object.assign(team, await api(url, engineer, 'POST', '/api/v1/maintenance/engineers', { contractId: contract.id, name, phone, username }));
  }
  const [li, wang] = team.engineers;
  await api(url, engineer, 'POST', `/api/v1/maintenance/engineers/${li!.id}/certificates`, { kind: 'KYLIN_OS', number: 'KY-2024-0031', issuedOn: '2024-03-01', expiresOn: addDaysToDate(today, 700) });
  await api(url, engineer, 'POST', `/api/v1/maintenance/engineers/${wang!.id}/certificates`, { kind: 'KYLIN_OS', number: 'KY-2021-0007', issuedOn: '2021-05-01', expiresOn: addDaysToDate(today, -10) });
  await api(url, engineer, 'POST', `/api/v1/maintenance/engineers/${wang!.id}/certificates`, { kind: '信息系统运维工程师', number: 'RK-88120', issuedOn: '2022-06-01', expiresOn: null });
  const post = await api<{ id: string }>(url, manager, 'POST', '/api/v1/maintenance/posts', { contractId: contract.id, siteOrgId: core.id, name: '中心机房 7×24 值守', pattern: '7x24', dayStart: '08:00', shiftHours: 12 });
  const roster = await api<{ posts: { id: string; slots: { startsAt: string; endsAt: string }[] }[] }>(url, engineer, 'GET', `/api/v1/maintenance/roster?contractId=${contract.id}&from=${addDaysToDate(today, -1)}&to=${today}`);
  const now = Date.now();
  const current = roster.posts[0]!.slots.find((s) => Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt))!;
  await api(url, engineer, 'POST', '/api/v1/maintenance/shifts', { postId: post.id, engineerId: li!.id, startsAt: current.startsAt });
  return { contractId: contract.id };
}

async function still(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate<number>(`document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length`)).toBe(0);
}

describe('maintenance staff and roster in the console', () => {
  let server: RunningServer;
  let browser: Browser;
  let seeded: Seeded;

  beforeAll(async () => {
    server = await startServer();
    seeded = await seed(server.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the manager sees the staffing shortfall (expired certificate not counted) and the uncovered hours', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, USERS.manager, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(`${server.url}/maintenance/staff?contract=${seeded.contractId}`);
    const check = page.getByTestId('staff-check');
    await expect.poll(() => check.innerText()).toContain('今日未满足合同最低人员配置');
    const text = await check.innerText();
    expect(text).toContain('在岗工程师 3 / 要求 20 人');
    expect(text).toContain('中标麒麟操作系统 认证 1 / 要求 2 人');
    const engineers = await page.getByTestId('staff-engineers').innerText();
    expect(engineers).toContain('李**');
    expect(engineers).toContain('139****5678');
    expect(engineers).not.toContain('李建国');
    expect(await page.getByTestId('cert-KY-2021-0007').innerText()).toContain('已过期');
    await still(page);
    await shot(page, 'maint-staff-01-manager-engineers');
    await page.getByRole('tab', { name: '岗位与排班' }).click();
    await expect.poll(() => page.getByTestId('roster-uncovered').first().innerText()).toMatch(/无人排班 \d+ 小时/);
    await still(page);
    await shot(page, 'maint-staff-02-manager-roster');
    await context.close();
  });

  it('the engineer checks in to the shift running now on a phone', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await signIn(page, server.url, USERS.engineer, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(`${server.url}/maintenance/shifts`);
    const card = page.locator('[data-testid^="shift-"][data-state]').first();
    await expect.poll(() => card.getAttribute('data-state')).toBe('NOT_ARRIVED');
    await still(page);
    await shot(page, 'maint-staff-03-phone-shift-due');
    await page.getByTestId('shift-check-in').click();
    await expect.poll(() => card.getAttribute('data-state')).toBe('ON_DUTY');
    expect(await card.innerText()).toMatch(/签到 \d{2}:\d{2}/);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await still(page);
    await shot(page, 'maint-staff-04-phone-checked-in');
    await page.goto(`${server.url}/maintenance/staff?contract=${seeded.contractId}&tab=roster`);
    await expect.poll(() => page.locator('[data-testid^="roster-post-"]').first().innerText()).toContain('在岗');
    await still(page);
    await shot(page, 'maint-staff-05-phone-roster');
    await context.close();
  });

  it('the clerk opens a ticket with a photo on a phone, adds another later and shows one on demand', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await signIn(page, server.url, USERS.clerk, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    const photo = await makeApplicantPhoto(page);
    await page.goto(`${server.url}/maintenance/tickets`);
    await page.getByTestId('ticket-new').click();
    await page.getByTestId('ticket-category').locator('input').fill('制卡机故障');
    await page.getByTestId('ticket-description').fill('制卡机卡纸，指示灯红色');
    await page.getByTestId('ticket-opened-at').click();
    await page.getByTestId('ticket-opened-at').fill('2025-09-10 10:00');
    await page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await page.locator('.ant-modal-wrap:visible input[type=file]').setInputFiles({ name: 'fault.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => page.locator('.ant-modal-wrap:visible .ant-upload-list-item').count()).toBe(1);
    await still(page);
    await shot(page, 'maint-staff-06-phone-ticket-open-with-photo');
    await page.getByTestId('ticket-submit').click();
    await page.getByTestId('page-maint-ticket').waitFor();
    await expect.poll(() => page.getByTestId('ticket-photo-show').count()).toBe(1);
    await page.getByTestId('ticket-photos').locator('input[type=file]').setInputFiles({ name: 'later.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => page.getByTestId('ticket-photo-show').count()).toBe(2);
    await page.getByTestId('ticket-photo-show').first().click();
    // A string, not a function: this file is type-checked without the DOM library.
    await expect.poll(() => page.evaluate<number>(`document.querySelector('[data-testid="ticket-photos"] img')?.naturalWidth ?? 0`)).toBe(358);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await still(page);
    await shot(page, 'maint-staff-07-phone-ticket-photo');
    await context.close();
  });
});
