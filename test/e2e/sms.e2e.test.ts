import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../src/modules/notify/simulator/index.ts';
import { ADMIN_PASSWORD, SHOTS, api, apiLogin, choose, launchBrowser, shot, signIn, startServer, type RunningServer } from './server.ts';

/**
 * SMS from the console: an author writes a template with a live preview, a colleague approves it
 * (the author cannot), one message is sent, then a campaign from a CSV: a file with bad rows is
 * refused with every bad line listed, a good file is previewed (recipients, segments, cost) and sent.
 * Last, the SMSC leaves one submit unanswered: the message is in doubt, and an operator resends it.
 * The SMSC is a simulator in this process, so the test can make it drop a submit.
 */

const PASSWORD = 'Sms-password-1';
const BODY = '{name}您好，您的居住证已到网点，请于{date}前携带身份证领取。';

let server: RunningServer;
let smsc: Simulator;
let browser: Browser;
let page: Page;

async function seed(url: string) {
  const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
  const orgs = await api<{ items: { id: string; parentId: string | null }[] }>(url, admin, 'GET', '/api/v1/orgs');
  const root = orgs.items.find((o) => o.parentId === null)!;
  const city = await api<{ id: string }>(url, admin, 'POST', '/api/v1/orgs', { name: '常州市公安局', kind: 'AUTHORITY', parentId: root.id, regionCode: '320400' });
  for (const [username, displayName] of [
    ['sms_author', '赵编写'],
    ['sms_approver', '钱审批'],
  ]) {
    await api(url, admin, 'POST', '/api/v1/users', { username, displayName, orgId: city.id, roles: ['AUTHORITY_MANAGER'], password: PASSWORD });
  }
  const author = await apiLogin(url, 'sms_author', PASSWORD);
  await api(url, author, 'POST', '/api/v1/sms/signatures', { text: '常州市公安局' });
}

beforeAll(async () => {
  smsc = await startSimulator({ protocol: 'smpp', accounts: [{ id: 'e2e', secret: 'e2e-pw' }], receipts: { delayMs: 50 } });
  server = await startServer({
    CARDFLOW_SMS_HOST: '127.0.0.1',
    CARDFLOW_SMS_PORT: String(smsc.port),
    CARDFLOW_SMS_ACCOUNT: 'e2e',
    CARDFLOW_SMS_PASSWORD: 'e2e-pw',
    CARDFLOW_SMS_RECONCILE_SECONDS: '15',
  });
  await seed(server.url);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smsc?.stop();
});

async function signInAs(username: string) {
  await page.context().clearCookies();
  await signIn(page, server.url, username, PASSWORD);
  await page.waitForURL(`${server.url}/`);
}

describe('SMS in the console', () => {
  it('an author writes a template and sees its segments and cost while typing', async () => {
    await signInAs('sms_author');
    await page.goto(`${server.url}/sms/templates`);
    await page.getByTestId('sms-template-new').click();
    await page.getByTestId('sms-template-name').fill('pickup');
    await page.getByTestId('sms-template-body').fill(BODY);
    await expect.poll(() => page.getByTestId('sms-preview-text').textContent()).toBe('【常州市公安局】name您好，您的居住证已到网点，请于date前携带身份证领取。');
    await expect.poll(() => page.getByTestId('sms-preview-stats').getAttribute('data-segments')).toBe('1');
    await shot(page, 'sms-01-editor');
    await page.getByTestId('sms-template-save').click();
    const row = page.getByTestId('sms-template-row-pickup-v1');
    await row.waitFor();
    await page.locator('[data-testid^="sms-template-submit-"]').click();
    await expect.poll(() => page.locator('[data-status="PENDING_APPROVAL"]').count()).toBe(1);
    expect(await page.locator('[data-testid^="sms-template-approve-"]').isDisabled()).toBe(true);
  });

  it('a colleague approves it', async () => {
    await signInAs('sms_approver');
    await page.goto(`${server.url}/sms/templates`);
    await page.locator('[data-testid^="sms-template-approve-"]').click();
    await expect.poll(() => page.locator('[data-status="APPROVED"]').count()).toBe(1);
    await shot(page, 'sms-02-templates');
  });

  it('one message is sent with the filled text', async () => {
    await page.goto(`${server.url}/sms/send`);
    await choose(page, 'sms-send-template', 'pickup v1');
    await page.getByTestId('sms-send-phone').fill('13800138000');
    await page.getByTestId('sms-send-value-name').fill('张三');
    await page.getByTestId('sms-send-value-date').fill('6月30日');
    await page.getByTestId('sms-send-submit').click();
    await expect.poll(() => page.getByTestId('sms-preview-text').textContent()).toBe('【常州市公安局】张三您好，您的居住证已到网点，请于6月30日前携带身份证领取。');
    await shot(page, 'sms-03-send-one');
  });

  it('a campaign file with bad rows is refused with every bad line, a good one is previewed and sent', async () => {
    await page.getByRole('tab', { name: /批量发送/ }).click();
    await page.getByTestId('sms-campaign-name').fill('六月领证提醒');
    await choose(page, 'sms-campaign-template', 'pickup v1');
    const bad = path.join(SHOTS, 'sms-bad.csv');
    writeFileSync(bad, 'phone,name,date\n13800000001,张三,6月30日\n0519-88881234,李四,6月30日\n13800000003,,6月30日\n');
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.getByTestId('sms-campaign-preview').click();
    const errors = page.getByTestId('sms-campaign-errors');
    await errors.waitFor();
    expect(await errors.locator('tbody tr.ant-table-row').count()).toBe(2);
    await shot(page, 'sms-04-campaign-errors');

    const good = path.join(SHOTS, 'sms-good.csv');
    writeFileSync(good, `phone,name,date\n${Array.from({ length: 120 }, (_, i) => `1380000${String(i).padStart(4, '0')},用户${i},6月30日`).join('\n')}\n`);
    await page.locator('input[type=file]').setInputFiles(good);
    await page.getByTestId('sms-campaign-preview').click();
    const summary = page.getByTestId('sms-campaign-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('120 位收件人 · 计费 120 条 · 费用 4.20 元');
    await shot(page, 'sms-05-campaign-preview');
    await page.getByTestId('sms-campaign-confirm').click();
    await page.getByTestId('sms-campaign-confirm-ok').click();
    await expect.poll(() => page.getByTestId('sms-campaigns').locator('tbody tr.ant-table-row').filter({ hasText: '六月领证提醒' }).count()).toBe(1);
    // Live progress: the counts by status of the 120 messages, refreshed while they are sent.
    const progress = page.getByTestId('sms-campaigns').locator('[data-testid^="sms-campaign-progress-"]').first();
    await expect.poll(() => progress.textContent()).toMatch(/(待发|已提交|已送达) 1?\d+/);
    await shot(page, 'sms-06-campaign-sent');
  });

  it('the message list shows the queued messages with masked numbers, and finds one by its number', async () => {
    await page.goto(`${server.url}/sms/messages`);
    // 121 messages queued: the first page holds 50, every number masked.
    await expect.poll(() => page.locator('tbody tr.ant-table-row').filter({ hasText: /138\*{4}\d{4}/ }).count()).toBe(50);
    await expect.poll(() => page.getByTestId('sms-stat-total').textContent()).toContain('121');
    const search = page.getByPlaceholder('按手机号查询');
    await search.fill('13800138000');
    await search.press('Enter');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').filter({ hasText: '138****8000' }).count()).toBe(1);
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await page.locator('body').textContent()).not.toContain('13800138000');
    await shot(page, 'sms-07-messages');
  });

  it('a submit the SMSC never answers leaves its message in doubt; an operator resends it after checking, and it is delivered once', async () => {
    const author = await apiLogin(server.url, 'sms_author', PASSWORD);
    const templates = await api<{ items: { id: string; name: string; status: string }[] }>(server.url, author, 'GET', '/api/v1/sms/templates');
    const pickup = templates.items.find((tpl) => tpl.name === 'pickup' && tpl.status === 'APPROVED')!;
    smsc.dropResponses(1);
    const sent = await api<{ id: string }>(server.url, author, 'POST', '/api/v1/sms/send', {
      templateId: pickup.id,
      phone: '13900139001',
      values: { name: '李四', date: '7月1日' },
      idempotencyKey: 'e2e-in-doubt',
      quietHoursExempt: true,
    });
    // The 10 s response timeout (the attempt is UNKNOWN), then the 15 s reconcile window with no receipt either way.
    await expect
      .poll(async () => (await api<{ items: { id: string }[] }>(server.url, author, 'GET', '/api/v1/sms/messages?inDoubt=true')).items.map((m) => m.id), { timeout: 45_000 })
      .toEqual([sent.id]);

    // The operator starts from the status page, which counts it and links to the filtered list.
    await page.goto(`${server.url}/ops/status`);
    const count = page.getByTestId('ops-sms-in-doubt');
    await expect.poll(() => count.textContent()).toBe('1 条，去处理');
    await count.getByRole('link').click();
    await page.waitForURL(`${server.url}/sms/messages?inDoubt=1`);
    expect(await page.getByTestId('sms-messages-in-doubt').isChecked()).toBe(true);
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(1);
    await page.getByTestId(`sms-message-row-${sent.id}`).click();
    const panel = page.getByTestId('sms-in-doubt');
    await panel.waitFor();
    expect(await page.getByTestId('sms-in-doubt-resend').isDisabled()).toBe(true);
    await page.getByTestId('sms-in-doubt-reason').fill('服务商客服确认未收到该条');
    await expect.poll(() => page.getByTestId('sms-in-doubt-resend').isEnabled()).toBe(true);
    // The buttons fade from their disabled colour; the picture should show them as they end up.
    await page.waitForTimeout(400);
    await shot(page, 'sms-08-in-doubt');
    await page.getByTestId('sms-in-doubt-resend').click();
    await page.getByTestId('sms-in-doubt-resend-ok').click();
    await expect.poll(() => panel.count()).toBe(0);

    await expect
      .poll(async () => (await api<{ status: string }>(server.url, author, 'GET', `/api/v1/sms/messages/${sent.id}`)).status, { timeout: 30_000 })
      .toBe('DELIVERED');
    expect(smsc.stats().parts.filter((p) => p.to === '13900139001')).toHaveLength(1);
    await page.goto(`${server.url}/sms/messages`);
    await page.getByTestId(`sms-message-row-${sent.id}`).click();
    await expect.poll(() => page.getByTestId('sms-detail-status').locator('[data-status]').getAttribute('data-status')).toBe('DELIVERED');
    const outcomes = await page.getByTestId('sms-detail-attempts').locator('tbody tr.ant-table-row').allTextContents();
    expect(outcomes.some((row) => row.includes('已放弃'))).toBe(true);
    expect(outcomes.some((row) => row.includes('网关已受理'))).toBe(true);
    expect(await page.locator('.ant-drawer-body').textContent()).toContain('提交结果 · 已放弃 SMS_GATEWAY_TIMEOUT');
    await shot(page, 'sms-09-in-doubt-resent');
  });
});
