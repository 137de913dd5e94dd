import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedShanghaiOutlet } from './maintenance-fixtures.ts';
import { ADMIN_PASSWORD, api, apiLogin, launchBrowser, shot, signIn, startServer, type RunningServer } from './server.ts';

/**
 * A settlement statement in the console, drafted from the maintenance module's breach register: seed
 * 001's contract (1,663,800.00, half on signing, half after acceptance on 2025-10-31, 1 % per breach)
 * over the outlet contract of maintenance-fixtures. Two faults in September 2025 were answered late,
 * so the second period bills 50 % = 831,900.00 less 2 × 1 % × 1,663,800.00 = 33,276.00: 798,624.00.
 * One manager drafts and submits it, another approves it, opens the breaches behind the deduction and
 * downloads the PDF.
 */

const PASSWORD = 'Settle-password-1';
const USERS = { manager: 'st_manager', engineer: 'st_engineer', clerk: 'st_clerk' } as const;
const APPROVER = 'st_approver';
const CODE = '11N4252038312025801';
const PERIOD = '2025-02-01';

async function seed(url: string): Promise<string> {
  const outletId = (await seedShanghaiOutlet(url, USERS, PASSWORD, ['SOCIAL_SECURITY_CARD'])).outletId;
  const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
  const manager = await apiLogin(url, USERS.manager, PASSWORD);
  const clerk = await apiLogin(url, USERS.clerk, PASSWORD);
  const engineer = await apiLogin(url, USERS.engineer, PASSWORD);
  const maintenance = await api<{ items: { id: string; authorityOrgId: string; maintainerOrgId: string }[] }>(url, manager, 'GET', '/api/v1/maintenance/contracts');
  const m = maintenance.items[0]!;
  await api(url, admin, 'POST', '/api/v1/users', { username: APPROVER, displayName: '赵处长', orgId: m.authorityOrgId, roles: ['AUTHORITY_MANAGER'], password: PASSWORD });
  // Answered after 3 and 4 working hours against the 2 hours of an urban outlet: two LATE_RESPONSE breaches.
  for (const [opened, acknowledged] of [
    ['2025-09-11T09:00', '2025-09-11T12:00'],
    ['2025-09-12T09:00', '2025-09-12T13:00'],
  ] as const) {
    const t = await api<{ id: string }>(url, clerk, 'POST', '/api/v1/maintenance/tickets', { siteOrgId: outletId, category: '读卡机故障', description: '故障', openedAt: `${opened}:00+08:00` });
    await api(url, engineer, 'POST', `/api/v1/maintenance/tickets/${t.id}/acknowledge`, { at: `${acknowledged}:00+08:00` });
  }
  const contract = await api<{ id: string }>(url, manager, 'POST', '/api/v1/settlement/contracts', {
    code: CODE,
    name: '社会保障卡受理网点设备维护',
    authorityOrgId: m.authorityOrgId,
    supplierOrgId: m.maintainerOrgId,
    serviceKind: 'MAINTENANCE',
    term: { start: '2025-01-01', end: '2026-12-31', renewal: null },
    billingCycle: 'MILESTONE',
    value: { kind: 'FIXED_TOTAL', total: '1663800.00' },
    lots: [],
    prices: [
      { item: 'SIGNING', lot: null, label: '合同签订后支付 50%', unit: 'MILESTONE', price: { kind: 'SHARE_OF_TOTAL', share: '50%', dueOn: '2025-01-31' } },
      { item: 'ACCEPTANCE', lot: null, label: '验收合格后支付 50%', unit: 'MILESTONE', price: { kind: 'SHARE_OF_TOTAL', share: '50%', dueOn: '2025-10-31' } },
    ],
    penaltyRules: [{ id: 'breach', kind: 'PER_BREACH', perBreach: '1%', terminationAfter: 5, onTermination: '20%' }],
    source: { maintenanceContractId: m.id },
    paymentTermDays: 30,
    interestPerDay: null,
  });
  return contract.id;
}

/** Lets antd's drawer and message motions finish so that the screenshot shows what the user sees. */
async function still(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate<number>(`document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length`)).toBe(0);
}

describe('settlement in the console', () => {
  let server: RunningServer;
  let browser: Browser;
  let contractId: string;
  let statementUrl: string;
  const work = mkdtempSync(path.join(tmpdir(), 'settlement-e2e-'));

  beforeAll(async () => {
    server = await startServer();
    contractId = await seed(server.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('a manager opens the contract, drafts the period from the breach register and submits it; approving it himself is refused', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, USERS.manager, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.getByTestId('menu-settle-contracts').click();
    await expect.poll(() => page.getByTestId('settle-contracts-table').innerText()).toContain(CODE);
    await page.getByTestId('settle-contracts-table').getByText(CODE).click();
    await page.getByTestId('settle-periods').waitFor();
    expect(page.url()).toContain(`/settlement/contracts/${contractId}`);
    await still(page);
    await shot(page, 'settlement-01-contract-periods');

    await page.getByTestId(`period-draft-${PERIOD}`).click();
    await page.getByTestId('page-settle-statement').waitFor();
    statementUrl = page.url();
    const lines = page.getByTestId('statement-lines');
    await expect.poll(() => lines.innerText()).toContain('验收合格后支付 50%');
    expect(await lines.innerText()).toContain('831,900.00');
    expect(await page.getByTestId('statement-penalties').innerText()).toContain('33,276.00');
    expect(await page.getByTestId('statement-totals').innerText()).toContain('798,624.00');
    await still(page);
    await shot(page, 'settlement-02-statement-draft');

    await page.getByTestId('statement-submit').click();
    await expect.poll(() => page.getByTestId('page-settle-statement').getAttribute('data-status')).toBe('SUBMITTED');
    await page.getByTestId('statement-approve').click();
    await expect.poll(() => page.locator('.ant-message-error').innerText()).not.toBe('');
    expect(await page.getByTestId('page-settle-statement').getAttribute('data-status')).toBe('SUBMITTED');
    await context.close();
  });

  it('a second manager approves it, opens the breaches behind the deduction and downloads the PDF', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, APPROVER, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(statementUrl);
    await page.getByTestId('statement-approve').click();
    await expect.poll(() => page.getByTestId('page-settle-statement').getAttribute('data-status')).toBe('APPROVED');
    expect(await page.getByTestId('statement-facts').innerText()).toContain(APPROVER);
    await page.getByTestId('statement-submit').waitFor({ state: 'detached' });
    await page.getByTestId('settle-payments').waitFor();

    await page.getByTestId('evidence-penalty:breach').click();
    const evidence = page.getByTestId('settle-evidence-table');
    await expect.poll(() => evidence.locator('tbody tr.ant-table-row').count()).toBe(2);
    const text = await evidence.innerText();
    expect(text).toContain('响应超时');
    expect(text).toContain('2025-09-11');
    expect(text).toContain('2025-09-12');
    await still(page);
    await shot(page, 'settlement-03-evidence');
    await page.getByTestId('settle-evidence-drawer').locator('.ant-drawer-close').click();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-pdf').click()]);
    const file = path.join(work, 'statement.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('合同结算单');
    expect(pdfText).toContain(APPROVER);
    expect(pdfText).toContain('上海市社会保障卡服务中心');
    expect(pdfText).toContain('798,624.00');
    expect(pdfText).toMatch(/附件 \d：违约扣款（共 2 条）/);
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(process.cwd(), 'test-results', 'settlement-04-pdf-page1')]);
    await context.close();
  });

  it('shows the statement and the spend dashboard in English', async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.evaluate(`localStorage.setItem('cardflow.locale', 'en-US')`);
    await signIn(page, server.url, APPROVER, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(statementUrl);
    await expect.poll(() => page.getByTestId('statement-totals').innerText()).toContain('Net payable');
    await still(page);
    await shot(page, 'settlement-05-statement-en');
    await page.goto(`${server.url}/settlement/dashboard?year=2026`);
    await page.getByTestId(`dash-chart-${CODE}`).waitFor();
    // The approved second half, and the first half if the worker has drafted its ended period by now.
    expect(await page.getByTestId(`dash-contract-${CODE}`).innerText()).toMatch(/(831,900\.00|1,663,800\.00) CNY of 1,663,800\.00 CNY billed/);
    await still(page);
    await shot(page, 'settlement-06-dashboard-en');
    await context.close();
  });

  it('the contract editor shows the stored rules and, once a statement is approved, refuses to change them with a clerk-readable reason', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, USERS.manager, PASSWORD);
    await page.getByTestId('home-welcome').waitFor();
    await page.goto(`${server.url}/settlement/contracts/${contractId}`);
    await page.getByRole('tab', { name: '合同条款' }).click();
    const perBreach = page.getByTestId('rule-0-perBreach');
    await expect.poll(() => perBreach.inputValue()).toBe('1%');
    await perBreach.fill('2%');
    await page.getByTestId('settle-contract-save').click();
    await expect.poll(() => page.getByTestId('settle-contract-error').innerText()).toContain('已有审批通过的结算单');
    await still(page);
    await shot(page, 'settlement-07-contract-locked');
    const manager = await apiLogin(server.url, USERS.manager, PASSWORD);
    const stored = await api<{ penaltyRules: { perBreach?: string }[] }>(server.url, manager, 'GET', `/api/v1/settlement/contracts/${contractId}`);
    expect(stored.penaltyRules[0]!.perBreach).toBe('1%');
    await context.close();
  });
});
