import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, api, apiLogin, launchBrowser, shot, signIn, startServer, type RunningServer } from './server.ts';

/**
 * The monthly report in the console: the engineer generates September 2025 from the data, reads the
 * numbers and submits it (late: it was due on 21 October 2025); the authority's manager accepts it; the
 * list on a phone. September holds one fault answered in time and one answered late.
 */

const PASSWORD = 'Report-password-1';
const USERS = { manager: 'rp_manager', engineer: 'rp_engineer', clerk: 'rp_clerk' } as const;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;

async function seed(url: string): Promise<void> {
  const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
  const orgs = await api<{ items: { id: string; parentId: string | null }[] }>(url, admin, 'GET', '/api/v1/orgs');
  const root = orgs.items.find((o) => o.parentId === null)!;
  const org = (body: Record<string, string>) => api<{ id: string }>(url, admin, 'POST', '/api/v1/orgs', body);
  const authority = await org({ name: '上海市社会保障卡服务中心', kind: 'AUTHORITY', parentId: root.id, regionCode: '310000' });
  const maintainer = await org({ name: '上海信达运维服务有限公司', kind: 'MAINTAINER', parentId: authority.id, regionCode: '310000' });
  const outlet = await org({ name: '徐汇区漕河泾受理点', kind: 'OUTLET', parentId: authority.id, regionCode: '310104' });
  const user = (username: string, displayName: string, orgId: string, role: string) => api(url, admin, 'POST', '/api/v1/users', { username, displayName, orgId, roles: [role], password: PASSWORD });
  await user(USERS.manager, '钱主管', authority.id, 'AUTHORITY_MANAGER');
  await user(USERS.engineer, '李工程师', maintainer.id, 'MAINTAINER_ENGINEER');
  await user(USERS.clerk, '王受理', outlet.id, 'OUTLET_CLERK');
  const manager = await apiLogin(url, USERS.manager, PASSWORD);
  const zones = await api<{ id: string }>(url, manager, 'POST', '/api/v1/maintenance/zone-tables', { name: '上海市网点区域', preset: 'SHANGHAI_2025' });
  const contract = await api<{ id: string }>(url, manager, 'POST', '/api/v1/maintenance/contracts', {
    name: '受理网点设备维护 2025–2026',
    authorityOrgId: authority.id,
    maintainerOrgId: maintainer.id,
    termStart: '2025-01-01',
    termEnd: '2026-12-31',
    zoneTableId: zones.id,
    clock: 'WORKING',
    responseTarget: 'ACKNOWLEDGED',
    responseMinutes: { URBAN: 120, SUBURBAN: 180 },
    fixMinutes: null,
    warnPercent: 75,
    breachTerminationCount: 5,
  });
  await api(url, manager, 'PUT', `/api/v1/maintenance/sites/${outlet.id}`, { contractId: contract.id, services: ['SOCIAL_SECURITY_CARD'], openingHours: '09:00-17:00', zoneOverride: null });
  const clerk = await apiLogin(url, USERS.clerk, PASSWORD);
  const engineer = await apiLogin(url, USERS.engineer, PASSWORD);
  for (const [opened, acknowledged, category] of [
    ['2025-09-10T09:00', '2025-09-10T10:00', '读卡机故障'],
    ['2025-09-11T09:00', '2025-09-11T12:00', '网络故障'],
  ] as const) {
    const t = await api<{ id: string }>(url, clerk, 'POST', '/api/v1/maintenance/tickets', { siteOrgId: outlet.id, category, description: '故障', openedAt: `${opened}:00+08:00` });
    await api(url, engineer, 'POST', `/api/v1/maintenance/tickets/${t.id}/acknowledge`, { at: `${acknowledged}:00+08:00` });
  }
}

/** Lets antd's drawer and message motions finish so that the screenshot shows what the user sees. */
async function still(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate<number>(`document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length`)).toBe(0);
}

describe('maintenance reports in the console', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    await seed(server.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the engineer generates the September report, reads its numbers and submits it late; the manager accepts it', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, USERS.engineer, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(`${server.url}/maintenance/reports`);
    await page.getByTestId('page-maint-reports').waitFor();
    await page.getByTestId('reports-period').click();
    await page.getByTestId('reports-period').fill('2025-09');
    await page.getByTestId('reports-period').press('Enter');
    await page.getByTestId('reports-generate').click();
    const numbers = page.getByTestId('report-numbers');
    await expect.poll(() => numbers.innerText()).toContain('达标 1，超时 1，未完成 0；中位 60 分钟，90% 180 分钟');
    const text = await numbers.innerText();
    expect(text).toContain('2025-10-21');
    expect(text).toContain('报修 2，已修复 0');
    expect(text).toContain('响应超时 1');
    expect(await page.getByTestId('report-drawer').innerText()).toContain('提交期限 2025-10-21 已过');
    await still(page);
    await shot(page, 'maint-report-01-engineer-draft');
    await page.getByTestId('report-submit').click();
    await expect.poll(() => page.getByTestId('reports-table').innerText()).toContain('逾期提交');
    await page.getByTestId('report-drawer').locator('.ant-drawer-close').click();
    await still(page);
    await shot(page, 'maint-report-02-engineer-list');

    await context.clearCookies();
    await signIn(page, server.url, USERS.manager, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(`${server.url}/maintenance/reports`);
    await expect.poll(() => page.getByTestId('reports-table').innerText()).toContain('已提交');
    await page.getByTestId('reports-table').locator('tbody tr').first().click();
    await page.getByTestId('report-accept').click();
    await expect.poll(() => page.getByTestId('reports-table').innerText()).toContain('已验收');
    await still(page);
    await shot(page, 'maint-report-03-manager-accepted');
    await context.close();
  });

  it('the list and the numbers fit a phone', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...PHONE });
    const page = await context.newPage();
    await signIn(page, server.url, USERS.manager, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(`${server.url}/maintenance/reports`);
    await expect.poll(() => page.getByTestId('reports-table').innerText()).toContain('2025-09-01 ~ 2025-09-30');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.viewport.width);
    await still(page);
    await shot(page, 'maint-report-04-phone-list');
    await page.getByTestId('reports-table').locator('tbody tr').first().click();
    await page.getByTestId('report-numbers').waitFor();
    await still(page);
    await shot(page, 'maint-report-05-phone-numbers');
    await context.close();
  });
});
