import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PHONE, seedShanghaiOutlet } from './maintenance-fixtures.ts';
import { api, apiLogin, launchBrowser, shot, signIn, startServer, type RunningServer } from './server.ts';

/**
 * The monthly report in the console: the engineer generates September 2025 from the data, reads the
 * numbers and submits it (late: it was due on 21 October 2025); the authority's manager accepts it; the
 * list on a phone. September holds one fault answered in time and one answered late.
 */

const PASSWORD = 'Report-password-1';
const USERS = { manager: 'rp_manager', engineer: 'rp_engineer', clerk: 'rp_clerk' } as const;

async function seed(url: string): Promise<void> {
  const outlet = { id: (await seedShanghaiOutlet(url, USERS, PASSWORD, ['SOCIAL_SECURITY_CARD'])).outletId };
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
