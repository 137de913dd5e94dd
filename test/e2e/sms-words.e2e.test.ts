import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, SHOTS, api, apiLogin, launchBrowser, shot, signIn, startServer, type RunningServer } from './server.ts';

/**
 * Sensitive words in the console: two messages are held for a listed word (one with noise in it),
 * a reviewer sees the words marked, releases one and rejects the other, and the statistics count
 * them; a word file with bad lines is refused with every bad line listed.
 */

const PASSWORD = 'Words-password-1';

let server: RunningServer;
let browser: Browser;
let page: Page;

async function seed(url: string) {
  const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
  const orgs = await api<{ items: { id: string; parentId: string | null }[] }>(url, admin, 'GET', '/api/v1/orgs');
  const root = orgs.items.find((o) => o.parentId === null)!;
  const city = await api<{ id: string }>(url, admin, 'POST', '/api/v1/orgs', { name: '常州市公安局', kind: 'AUTHORITY', parentId: root.id, regionCode: '320400' });
  for (const [username, displayName] of [
    ['words_author', '赵编写'],
    ['words_reviewer', '钱审核'],
  ]) {
    await api(url, admin, 'POST', '/api/v1/users', { username, displayName, orgId: city.id, roles: ['AUTHORITY_MANAGER'], password: PASSWORD });
  }
  const author = await apiLogin(url, 'words_author', PASSWORD);
  const reviewer = await apiLogin(url, 'words_reviewer', PASSWORD);
  const signature = await api<{ id: string }>(url, author, 'POST', '/api/v1/sms/signatures', { text: '常州市公安局' });
  const template = await api<{ id: string }>(url, author, 'POST', '/api/v1/sms/templates', { name: 'free', signatureId: signature.id, category: 'NOTIFICATION', body: '{content}' });
  await api(url, author, 'POST', `/api/v1/sms/templates/${template.id}/submit`);
  await api(url, reviewer, 'POST', `/api/v1/sms/templates/${template.id}/approve`);
  await api(url, reviewer, 'POST', '/api/v1/sms/word-lists', { words: ['代开发票', '刷单返利'], note: '首批' });
  const send = (n: number, content: string) =>
    api<{ status: string }>(url, author, 'POST', '/api/v1/sms/send', { templateId: template.id, phone: `1380013800${n}`, values: { content }, idempotencyKey: `words-${n}`, quietHoursExempt: true });
  expect((await send(1, '本店可代*开 发票，欢迎咨询')).status).toBe('HELD');
  expect((await send(2, '兼职刷单返利日结')).status).toBe('HELD');
  expect((await send(3, '您的居住证已制作完成')).status).toBe('QUEUED');
}

beforeAll(async () => {
  server = await startServer();
  await seed(server.url);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(page, server.url, 'words_reviewer', PASSWORD);
  await page.waitForURL(`${server.url}/`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('sensitive words in the console', () => {
  it('held messages show with the words marked and a warning; one is released, one rejected', async () => {
    await page.goto(`${server.url}/sms/holds`);
    await expect.poll(() => page.getByTestId('sms-held-alert').textContent()).toContain('有 2 条短信');
    const rows = page.getByTestId('sms-holds-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(async () => (await page.locator('mark').allTextContents()).sort()).toEqual(['代*开 发票', '刷单返利'].sort());
    expect(await page.locator('body').textContent()).not.toContain('13800138001');
    await shot(page, 'sms-words-01-holds');

    await page.locator('[data-testid^="sms-hold-release-"]').first().click();
    await expect.poll(() => rows.count()).toBe(1);
    await page.locator('[data-testid^="sms-hold-reject-"]').first().click();
    await expect.poll(() => page.locator('mark').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByTestId('sms-hold-stat-held').textContent()).toContain('2');
    await expect.poll(() => page.getByTestId('sms-hold-stat-rejected').textContent()).toContain('1');
    await expect.poll(() => page.getByTestId('sms-hold-by-word').textContent()).toContain('代开发票');
    await shot(page, 'sms-words-02-decided');
  });

  it('a word file with bad lines is refused with every bad line; a good one becomes version 2', async () => {
    await page.goto(`${server.url}/sms/word-lists`);
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(1);
    const bad = path.join(SHOTS, 'sms-words-bad.txt');
    writeFileSync(bad, `代开发票\n\n${'长'.repeat(51)}\n***\n刷单返利\n`);
    await page.locator('input[type=file]').setInputFiles(bad);
    await expect.poll(() => page.getByTestId('sms-words-text').inputValue()).toContain('刷单返利');
    await page.getByTestId('sms-words-save').click();
    await expect.poll(() => page.getByTestId('sms-words-bad').locator('li').count()).toBe(2);
    await shot(page, 'sms-words-03-bad-file');

    await page.getByTestId('sms-words-text').fill('代开发票\n刷单返利\nVX加我');
    await page.getByTestId('sms-words-save').click();
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(2);
    await page.getByRole('button', { name: /查\s*看/ }).first().click();
    await expect.poll(() => page.getByTestId('sms-words-detail').textContent()).toContain('VX加我');
    await shot(page, 'sms-words-04-versions');
  });
});
