import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { ADMIN_PASSWORD, choose, launchBrowser, shot, signIn, startServer, type RunningServer } from './server.ts';

const CLERK = { username: 'hutang_clerk', password: 'Clerk-password-1', name: '王受理' };
const OUTLET = '湖塘派出所受理点';

describe('console: administrator sets up an outlet and a clerk', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const offMachine: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 860 } });
    page = await context.newPage();
    page.on('request', (r: Request) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offMachine.push(r.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a clear message for a wrong password', async () => {
    await signIn(page, server.url, 'admin', 'not-the-password-1');
    const error = page.getByTestId('login-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.getAttribute('data-code')).toBe('AUTH_INVALID_CREDENTIALS');
    expect(await error.innerText()).toContain('用户名或密码错误');
    await shot(page, '01-login-wrong-password');
  });

  it('lets the administrator create an outlet', async () => {
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('menu-orgs').click();
    await page.getByTestId('page-orgs').waitFor();
    await page.getByTestId('org-create').click();
    await page.getByTestId('org-name').fill(OUTLET);
    await choose(page, 'org-kind', '受理网点');
    await choose(page, 'org-parentId', 'cardflow 平台管理');
    await page.getByTestId('org-regionCode').fill('320412');
    await shot(page, '02-org-create-form');
    await page.getByTestId('org-submit').click();
    await expect.poll(() => page.getByTestId('org-table').innerText()).toContain(OUTLET);
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);
    await shot(page, '03-orgs-with-outlet');
  });

  it('lets the administrator create a clerk of that outlet', async () => {
    await page.getByTestId('menu-users').click();
    await page.getByTestId('page-users').waitFor();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-username').fill(CLERK.username);
    await page.getByTestId('user-displayName').fill(CLERK.name);
    await choose(page, 'user-orgId', OUTLET);
    await choose(page, 'user-roles', '受理员');
    await page.locator('.ant-modal-title:visible').click();
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    await page.getByTestId('user-password').fill(CLERK.password);
    await shot(page, '04-user-create-form');
    await page.getByTestId('user-submit').click();
    await expect.poll(() => page.getByTestId('user-table').innerText()).toContain(CLERK.username);
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);
    await shot(page, '05-users-with-clerk');
  });

  it("shows the administrator's actions in the audit trail, with an intact chain", async () => {
    await page.getByTestId('menu-audit').click();
    await expect.poll(() => page.getByTestId('audit-table').innerText()).toContain('user.create');
    expect(await page.getByTestId('audit-table').innerText()).toContain('org.create');
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').getAttribute('data-ok')).toBe('true');
    await shot(page, '05a-audit-trail');
  });

  it("shows the official calendar with 2026's make-up working days", async () => {
    await page.getByTestId('menu-calendar').click();
    await page.getByTestId('page-calendar').waitFor();
    await expect.poll(() => page.getByTestId('calendar-days-table').innerText()).toContain('2026-02-14');
    await shot(page, '05b-calendar');
  });

  it('shows the clerk only the clerk menu', async () => {
    await context.clearCookies();
    await signIn(page, server.url, CLERK.username, CLERK.password);
    await page.getByTestId('home-welcome').waitFor();
    const menu = await page.getByTestId('side-menu').innerText();
    expect(menu).toContain('工作台');
    for (const hidden of ['menu-orgs', 'menu-users', 'menu-api-keys', 'menu-audit', 'menu-calendar']) {
      expect(await page.getByTestId(hidden).count()).toBe(0);
    }
    expect(await page.getByTestId('home-org').innerText()).toContain(OUTLET);
    await shot(page, '06-clerk-home');
    await page.goto(`${server.url}/orgs`);
    await page.getByTestId('page-forbidden').waitFor();
    await shot(page, '07-clerk-forbidden');
  });

  it('switches the console to English', async () => {
    await page.goto(`${server.url}/`);
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en-US').click();
    await expect.poll(() => page.getByTestId('side-menu').innerText()).toContain('Workbench');
    await shot(page, '08-clerk-home-en');
  });

  it('loaded nothing from outside the server', () => {
    expect(offMachine).toEqual([]);
  });
});
