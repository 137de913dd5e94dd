import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OUTLET, PHONE, seedShanghaiOutlet } from './maintenance-fixtures.ts';
import { api, apiLogin, choose, launchBrowser, shot, signIn, startServer, type RunningServer } from './server.ts';

/**
 * Outlet maintenance on a phone (issue: "an outlet clerk opens a ticket, an engineer acknowledges it,
 * the deadline shown is right across a holiday and a make-up Saturday, the breach appears when it is
 * late"). The contract is seed 001's: 2 working hours for an urban outlet open 09:00–17:00.
 * Reported Tue 2025-09-30 16:00 (entered afterwards, as the form allows): one hour that day, then the
 * National Day holiday 1–8 October, which the make-up Saturday 11 October does not reach back into, so
 * the answer is due Thu 2025-10-09 10:00 (reference/sla-calendar-maintenance.md, worked example 1).
 */

const PASSWORD = 'Maint-password-1';
const USERS = { manager: 'sh_manager', engineer: 'sh_engineer', clerk: 'sh_clerk' } as const;

interface Seeded {
  outletId: string;
  assetSerial: string;
  lateTicketNo: string;
}

async function seed(url: string): Promise<Seeded> {
  const outlet = { id: (await seedShanghaiOutlet(url, USERS, PASSWORD, ['SOCIAL_SECURITY_CARD', 'RESIDENCE_PERMIT'])).outletId };
  const engineer = await apiLogin(url, USERS.engineer, PASSWORD);
  const assetSerial = 'CR-20240501';
  await api(url, engineer, 'POST', '/api/v1/maintenance/assets', {
    siteOrgId: outlet.id,
    type: 'CARD_READER',
    serial: assetSerial,
    model: 'DC-T10',
    status: 'IN_SERVICE',
    samCardNo: 'SAM0001',
    purchaseDate: '2024-05-01',
    warrantyUntil: '2027-04-30',
  });
  // A fault phoned in on Monday 13 October 2025 at 09:00 that nobody ever answered: late from 11:00.
  const clerk = await apiLogin(url, USERS.clerk, PASSWORD);
  const late = await api<{ ticketNo: string }>(url, clerk, 'POST', '/api/v1/maintenance/tickets', {
    siteOrgId: outlet.id,
    category: '网络故障',
    description: '网点专线中断，无法上传申请',
    openedAt: '2025-10-13T09:00:00+08:00',
  });
  return { outletId: outlet.id, assetSerial, lateTicketNo: late.ticketNo };
}

/** Types a date and time into an antd DatePicker and confirms it with the picker's OK button. */
async function pickDateTime(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByTestId(testId).fill(value);
  await page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
  await expect.poll(() => page.getByTestId(testId).inputValue()).toBe(value);
}

/** Types a date into an antd DatePicker (no time) and closes the picker with Enter. */
async function pickDate(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByTestId(testId).fill(value);
  await page.getByTestId(testId).press('Enter');
  await expect.poll(() => page.getByTestId(testId).inputValue()).toBe(value);
}

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function expectFitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.viewport.width);
}

/** Waits until no antd motion (modal, drawer, toast) is half-way and nothing is loading, so the screenshot shows what the user sees. */
async function settled(page: Page): Promise<void> {
  const moving = `Array.from(document.querySelectorAll('[class]')).filter((e) => e.getClientRects().length > 0).map((e) => typeof e.className === 'string' ? e.className : '').filter((c) => /(^|\\s)ant-[a-z-]+-(appear|enter|leave)(\\s|$)/.test(c) && !c.includes('ant-btn-loading-icon'))`;
  await expect.poll(() => page.evaluate<string[]>(moving)).toEqual([]);
  await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
  // The spinner's fade-out and other CSS transitions (endless ones, like a spinner's turn, never settle).
  const transitions = `document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length`;
  await expect.poll(() => page.evaluate<number>(transitions)).toBe(0);
}

async function openMenu(page: Page, key: string): Promise<void> {
  await page.getByTestId('menu-drawer-open').click();
  await page.getByTestId(`menu-${key}`).click();
  await expect.poll(() => page.locator('.ant-drawer-content-wrapper:visible').count()).toBe(0);
}

describe('maintenance on a phone: a fault reported, answered across the holiday, and a late one registered', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seeded: Seeded;
  let ticketUrl: string;

  beforeAll(async () => {
    server = await startServer();
    seeded = await seed(server.url);
    browser = await launchBrowser();
    // The console shows and takes times in the user's zone; the outlets are in Shanghai.
    context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...PHONE });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the clerk reports a card reader fault from the phone; the deadline skips the National Day holiday', async () => {
    await signIn(page, server.url, USERS.clerk, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await expectFitsPhone(page);
    await settled(page);
    await shot(page, 'maint-01-clerk-home-phone');
    await openMenu(page, 'maint-tickets');
    await page.getByTestId('page-maint-tickets').waitFor();
    await page.getByTestId('ticket-new').click();
    // A clerk serves one outlet: it is already chosen.
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').getByTestId('ticket-site').innerText()).toContain(OUTLET);
    await choose(page, 'ticket-asset', seeded.assetSerial);
    await page.getByTestId('ticket-category').locator('input').fill('读卡机故障');
    await page.getByTestId('ticket-description').fill('读卡机无法识别社保卡，已重启两次');
    await pickDateTime(page, 'ticket-opened-at', '2025-09-30 16:00');
    await settled(page);
    await shot(page, 'maint-02-clerk-report-form');
    await page.getByTestId('ticket-submit').click();
    await page.getByTestId('page-maint-ticket').waitFor();
    ticketUrl = page.url();
    await expect.poll(() => page.getByTestId('clock-RESPONSE-deadline').innerText()).toBe('截止 2025-10-09 10:00');
    expect(await page.getByTestId('ticket-status-tag').getAttribute('data-status')).toBe('NEW');
    expect(await page.getByTestId('ticket-history').innerText()).toContain('2025-09-30 16:00');
    // The clerk reports; answering is the engineer's.
    expect(await page.getByTestId('ticket-actions').count()).toBe(0);
    await expectFitsPhone(page);
    await settled(page);
    await shot(page, 'maint-03-clerk-ticket-deadline');
  });

  it('the engineer acknowledges it on 9 October at 09:30: on time, 90 working minutes used', async () => {
    await context.clearCookies();
    await signIn(page, server.url, USERS.engineer, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await openMenu(page, 'maint-tickets');
    const list = page.getByTestId('ticket-list');
    await expect.poll(() => list.innerText()).toContain('截止 2025-10-09 10:00');
    await expectFitsPhone(page);
    await settled(page);
    await shot(page, 'maint-04-engineer-ticket-list');
    await page.goto(ticketUrl);
    await page.getByTestId('ticket-action-ACKNOWLEDGE').click();
    await pickDateTime(page, 'ticket-action-at', '2025-10-09 09:30');
    await page.getByTestId('ticket-action-note').fill('电话联系网点，已远程指导');
    await settled(page);
    await shot(page, 'maint-05-engineer-acknowledge');
    await page.getByTestId('ticket-action-submit').click();
    await expect.poll(() => page.getByTestId('ticket-status-tag').getAttribute('data-status')).toBe('ACKNOWLEDGED');
    await expect.poll(() => page.getByTestId('clock-RESPONSE').getAttribute('data-state')).toBe('MET');
    expect(await page.getByTestId('clock-RESPONSE-deadline').innerText()).toBe('截止 2025-10-09 10:00');
    expect(await page.getByTestId('clock-RESPONSE-used').innerText()).toBe('已用 1 小时 30 分');
    expect(await page.getByTestId('clock-RESPONSE-left').innerText()).toBe('剩余 0 小时 30 分');
    const history = await page.getByTestId('ticket-history').innerText();
    expect(history).toContain('2025-10-09 09:30');
    expect(history).toContain(USERS.engineer);
    await expectFitsPhone(page);
    await settled(page);
    await shot(page, 'maint-06-engineer-acknowledged');
  });

  it('the engineer records a replaced reader at 12,800.00 on the ticket; the manager confirms it, borne by the authority (over 10,000.00)', async () => {
    await context.clearCookies();
    await signIn(page, server.url, USERS.engineer, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(ticketUrl);
    await page.getByTestId('ticket-repair-add').click();
    const form = page.getByTestId('ticket-repair-form');
    await form.getByLabel('更换的配件/设备（名称、型号）').fill('身份证阅读器 CVR-100UC');
    await form.getByLabel('费用（元）').fill('12800.00');
    await page.getByTestId('ticket-repair-save').click();
    const repair = page.getByTestId('ticket-repairs').locator('[data-status]');
    await expect.poll(() => repair.getAttribute('data-status')).toBe('RECORDED');
    expect(await repair.getByTestId('ticket-repair-share').innerText()).toBe('甲方承担 12800.00 元');
    await expect.poll(() => page.getByTestId('ticket-repair-confirm').count()).toBe(0);
    await expectFitsPhone(page);
    await settled(page);
    await shot(page, 'maint-06b-engineer-repair');

    await context.clearCookies();
    await signIn(page, server.url, USERS.manager, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(ticketUrl);
    await page.getByTestId('ticket-repair-confirm').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => repair.getAttribute('data-status')).toBe('CONFIRMED');
    await settled(page);
    await shot(page, 'maint-06c-manager-confirmed-repair');
  });

  it('the unanswered fault of 13 October is in the breach register, late from 11:00', async () => {
    await context.clearCookies();
    await signIn(page, server.url, USERS.manager, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await openMenu(page, 'maint-breaches');
    const table = page.getByTestId('breach-table');
    await expect.poll(() => table.innerText()).toContain(seeded.lateTicketNo);
    const row = table.locator('tr', { hasText: seeded.lateTicketNo });
    expect(await row.innerText()).toContain('2025-10-13 11:00');
    expect(await row.innerText()).toContain('响应超时');
    // The ticket answered in time is not a breach.
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await page.locator('[data-testid^="breach-contract-"]').innerText()).toContain('1/5');
    await expectFitsPhone(page);
    await settled(page);
    await shot(page, 'maint-07-breach-register-phone');
  });

  it('the manager sets up a 7×24 contract and changes the opening hours of the outlet on the setup page', async () => {
    await openMenu(page, 'maint-setup');
    await page.getByTestId('page-maint-setup').waitFor();
    await expect.poll(() => page.getByTestId('contract-list').innerText()).toContain('受理网点设备维护 2025–2026');
    await expect.poll(() => page.getByTestId('site-list').innerText()).toContain(OUTLET);
    await expectFitsPhone(page);
    await settled(page);
    await shot(page, 'maint-08-setup-phone');

    await page.getByTestId('contract-new').click();
    await page.getByTestId('contract-name').fill('核心系统运维 2026');
    await choose(page, 'contract-maintainer', '上海信达运维服务有限公司');
    await pickDate(page, 'contract-term-start', '2026-01-01');
    await pickDate(page, 'contract-term-end', '2026-12-31');
    await page.getByTestId('contract-clock').getByText('7×24 小时').click();
    await page.getByTestId('contract-target').getByText('以到达现场为准').click();
    await page.getByTestId('contract-responseMinutes-SUBURBAN').fill('120');
    await page.getByTestId('contract-with-fix').check();
    await page.getByTestId('contract-fixMinutes-URBAN').fill('240');
    await page.getByTestId('contract-fixMinutes-SUBURBAN').fill('240');
    await page.getByTestId('contract-termination').fill('');
    await choose(page, 'contract-zone-table', '不分区域');
    await settled(page);
    await shot(page, 'maint-09-setup-contract-form');
    await page.getByTestId('contract-submit').click();
    const card = page.locator('[data-testid^="contract-card-"]', { hasText: '核心系统运维 2026' });
    await expect.poll(() => card.count()).toBe(1);
    const text = await card.innerText();
    for (const shown of ['7×24 小时', '以到达现场为准', '市区 2 小时 0 分 · 郊区 2 小时 0 分', '市区 4 小时 0 分 · 郊区 4 小时 0 分', '2026-01-01 ~ 2026-12-31', '不分区域']) expect(text).toContain(shown);

    await page.getByTestId(`site-edit-${seeded.outletId}`).click();
    await page.getByTestId('site-hours').fill('13:00-17:00, 09:00-12:00');
    await page.getByTestId('site-submit').click();
    // The server keeps opening hours in normal form.
    await expect.poll(() => page.getByTestId(`site-card-${seeded.outletId}`).innerText()).toContain('09:00-12:00,13:00-17:00');
    await expectFitsPhone(page);
    await settled(page);
    await shot(page, 'maint-10-setup-saved');
  });
});
