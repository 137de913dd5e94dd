import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, api, apiLogin, choose, launchBrowser, makeApplicantPhoto, shot, signIn, startServer, type RunningServer } from './server.ts';

const PASSWORD = 'Stage-password-1';
// 11010519491231002X is the standard's example: a woman born 1949-12-31.
const APPLICANT = { name: '李秀英', citizenId: '11010519491231002X', phone: '13812348000' };

describe('console: a residence permit application from the counter to the reviewer', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let applicationNo = '';

  beforeAll(async () => {
    server = await startServer();
    const admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
    const orgs = await api<{ items: { id: string; parentId: string | null }[] }>(server.url, admin, 'GET', '/api/v1/orgs');
    const root = orgs.items.find((o) => o.parentId === null)!;
    const city = await api<{ id: string }>(server.url, admin, 'POST', '/api/v1/orgs', { name: '常州市公安局', kind: 'AUTHORITY', parentId: root.id, regionCode: '320400' });
    const outlet = await api<{ id: string }>(server.url, admin, 'POST', '/api/v1/orgs', { name: '湖塘派出所受理点', kind: 'OUTLET', parentId: city.id, regionCode: '320412' });
    await api(server.url, admin, 'POST', '/api/v1/orgs', { name: '江苏制卡中心', kind: 'PRODUCER', parentId: city.id, regionCode: '320100' });
    await api(server.url, admin, 'POST', '/api/v1/users', { username: 'clerk1', displayName: '王受理', orgId: outlet.id, roles: ['OUTLET_CLERK'], password: PASSWORD });
    await api(server.url, admin, 'POST', '/api/v1/users', { username: 'reviewer1', displayName: '赵审核', orgId: city.id, roles: ['AUTHORITY_REVIEWER'], password: PASSWORD });
    await api(server.url, admin, 'POST', '/api/v1/users', { username: 'manager1', displayName: '钱主管', orgId: city.id, roles: ['AUTHORITY_MANAGER'], password: PASSWORD });
    await api(server.url, admin, 'POST', '/api/v1/programmes', {
      kind: 'RESIDENCE_PERMIT',
      name: '常州市居住证制作配送',
      authorityOrgId: city.id,
      receiverOrgIds: [outlet.id],
    });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the programme with its contract deadlines to the authority manager', async () => {
    await signIn(page, server.url, 'manager1', PASSWORD);
    await page.getByTestId('menu-programmes').click();
    await expect.poll(() => page.getByTestId('programme-table').innerText()).toContain('常州市居住证制作配送');
    const text = await page.getByTestId('programme-table').innerText();
    expect(text).toContain('5');
    expect(text).toContain('10');
    await shot(page, 'rp-01-programmes');
  });

  it('lets the clerk take an application: the ID fills sex and birth date, the photo is checked', async () => {
    await context.clearCookies();
    await signIn(page, server.url, 'clerk1', PASSWORD);
    await page.getByTestId('menu-application-new').click();
    await page.getByTestId('page-application-new').waitFor();
    await choose(page, 'app-new-programme', '常州市居住证制作配送');
    await page.getByTestId('app-new-kind-NEW').click();
    await page.getByTestId('app-new-basis-EMPLOYMENT').click();
    await page.getByTestId('app-new-citizenId').fill(APPLICANT.citizenId);
    await expect.poll(() => page.getByTestId('app-new-id-parsed').innerText()).toContain('1949');
    await page.getByTestId('app-new-name').fill(APPLICANT.name);
    await choose(page, 'app-new-ethnicity', '汉族');
    await page.getByTestId('app-new-phone').fill(APPLICANT.phone);
    await page.getByTestId('app-new-hukouAddress').fill('北京市朝阳区某街道1号');
    await page.getByTestId('app-new-residenceAddress').fill('江苏省常州市武进区湖塘镇2号');
    const photo = await makeApplicantPhoto(page);
    expect(photo.length).toBeGreaterThan(15 * 1024);
    expect(photo.length).toBeLessThan(100 * 1024);
    await page.locator('input[type=file]').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('app-new-photo-preview').waitFor();
    await shot(page, 'rp-02-intake-form');
    await page.getByTestId('app-new-submit').click();
    const number = page.getByTestId('app-new-result-number');
    await number.waitFor();
    applicationNo = (await number.getAttribute('data-number')) ?? '';
    expect(applicationNo).toMatch(/^RP-/);
    await shot(page, 'rp-03-intake-done');
  });

  it('refuses a second open application of the same person with a clear message', async () => {
    await page.getByTestId('app-new-another').click();
    await choose(page, 'app-new-programme', '常州市居住证制作配送');
    await page.getByTestId('app-new-kind-NEW').click();
    await page.getByTestId('app-new-basis-RESIDENCE').click();
    await page.getByTestId('app-new-citizenId').fill(APPLICANT.citizenId);
    await page.getByTestId('app-new-name').fill(APPLICANT.name);
    await choose(page, 'app-new-ethnicity', '汉族');
    await page.getByTestId('app-new-phone').fill(APPLICANT.phone);
    await page.getByTestId('app-new-residenceAddress').fill('江苏省常州市武进区湖塘镇2号');
    await page.locator('input[type=file]').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await makeApplicantPhoto(page) });
    await page.getByTestId('app-new-photo-preview').waitFor();
    await page.getByTestId('app-new-submit').click();
    const error = page.getByTestId('app-new-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('APPLICATION_DUPLICATE');
    await shot(page, 'rp-04-duplicate');
  });

  it('lets the reviewer reject with several reasons at once, and the clerk sees them', async () => {
    await context.clearCookies();
    await signIn(page, server.url, 'reviewer1', PASSWORD);
    await page.getByTestId('menu-review').click();
    await expect.poll(() => page.getByTestId('review-table').innerText()).toContain(applicationNo);
    const row = page.locator('[data-testid^="review-row-"]').filter({ hasText: applicationNo });
    await row.locator('[data-testid^="review-reject-"]').click();
    await page.getByTestId('review-reason-PHOTO_UNSUITABLE').click();
    await page.getByTestId('review-reason-EMPLOYMENT_PROOF_INCOMPLETE').click();
    await page.getByTestId('review-note').fill('请补交劳动合同');
    await shot(page, 'rp-05-reject-reasons');
    await page.getByTestId('review-reject-submit').click();
    await expect.poll(() => page.getByTestId('review-table').innerText()).not.toContain(applicationNo);

    await context.clearCookies();
    await signIn(page, server.url, 'clerk1', PASSWORD);
    await page.getByTestId('menu-applications').click();
    await expect.poll(() => page.getByTestId('apps-table').innerText()).toContain(applicationNo);
    const tableText = await page.getByTestId('apps-table').innerText();
    expect(tableText).not.toContain(APPLICANT.citizenId);
    expect(tableText).toContain('110105********002X');
    await page.locator('[data-testid^="app-row-view-"]').first().click();
    await page.getByTestId('app-drawer-open-page').click();
    await expect.poll(() => page.getByTestId('app-status-tag').getAttribute('data-status')).toBe('REJECTED');
    // Reason names arrive with the catalogue, which may load after the application itself.
    await expect.poll(() => page.getByTestId('app-rejection').innerText()).toContain('照片不合格');
    expect(await page.getByTestId('app-rejection').innerText()).toContain('就业证明不全');
    await shot(page, 'rp-06-rejected-detail');
  });

  it('lets the holder track the application from the sign-in page, with the masked name only', async () => {
    await context.clearCookies();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-track-link').click();
    await page.getByTestId('track-number').fill(applicationNo);
    await page.getByTestId('track-id6').fill('00000x');
    await page.getByTestId('track-submit').click();
    await page.getByTestId('track-error').waitFor();
    expect(await page.getByTestId('track-error').getAttribute('data-code')).toBe('TRACK_NOT_FOUND');
    await page.getByTestId('track-id6').fill(APPLICANT.citizenId.slice(-6).toLowerCase());
    await page.getByTestId('track-submit').click();
    const result = page.getByTestId('track-result');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('REJECTED');
    const text = await result.innerText();
    expect(text).toContain('已驳回');
    expect(text).toContain('照片不合格');
    expect(text).not.toContain(APPLICANT.name);
    expect(text).not.toContain('请补交劳动合同');
    expect(text).not.toContain('赵审核');
    await shot(page, 'rp-07-holder-track');
  });
});
