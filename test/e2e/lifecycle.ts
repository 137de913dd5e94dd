import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { luhnValid } from '../../src/platform/validators/bank-account.ts';
import { decryptPackage, secretFingerprint, type Manifest } from '../../src/modules/production/package.ts';
import { ADMIN_PASSWORD, api, apiLogin, choose, launchBrowser, makeApplicantPhoto, shot, signIn, startServer, type RunningServer } from './server.ts';

/**
 * The card lifecycle driven through the console, step by step, as each party does it at their own
 * desk. The two programme tests (lifecycle-rp / lifecycle-ssc) call these steps in order; every step
 * asserts what the person at the screen sees and takes a screenshot.
 */

export const PASSWORD = 'Stage-password-1';
export const NAMES = {
  city: '常州市公安局',
  outlet: '湖塘派出所受理点',
  producer: '江苏制卡中心',
  bank: '合作银行常州分行',
  branch: '合作银行武进支行',
  rp: '常州市居住证制作配送',
  ssc: '常州市社会保障卡',
} as const;

/** One user per party of the lifecycle (all with PASSWORD). */
export const USERS = { clerk: 'clerk1', reviewer: 'reviewer1', manager: 'manager1', producer: 'producer1', bank: 'bank1' } as const;

export interface City {
  cityId: string;
  outletId: string;
  producerId: string;
  bankId: string;
  branchId: string;
  rpId: string;
  sscId: string;
}

/**
 * The organisations, users and both programmes, set up through the API (what a browser test is not
 * about): authority 320400 with an outlet, a producer in Nanjing (320100, inside Jiangsu), a partner
 * bank with a branch; permits go to the outlet, social security cards to the outlet or the branch.
 */
export async function seedCity(url: string): Promise<City> {
  const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
  const orgs = await api<{ items: { id: string; parentId: string | null }[] }>(url, admin, 'GET', '/api/v1/orgs');
  const root = orgs.items.find((o) => o.parentId === null)!;
  const org = (body: Record<string, string>) => api<{ id: string }>(url, admin, 'POST', '/api/v1/orgs', body);
  const city = await org({ name: NAMES.city, kind: 'AUTHORITY', parentId: root.id, regionCode: '320400' });
  const outlet = await org({ name: NAMES.outlet, kind: 'OUTLET', parentId: city.id, regionCode: '320412' });
  const producer = await org({ name: NAMES.producer, kind: 'PRODUCER', parentId: city.id, regionCode: '320100' });
  const bank = await org({ name: NAMES.bank, kind: 'BANK', parentId: city.id });
  const branch = await org({ name: NAMES.branch, kind: 'BANK', parentId: bank.id });
  const user = (username: string, displayName: string, orgId: string, role: string) =>
    api(url, admin, 'POST', '/api/v1/users', { username, displayName, orgId, roles: [role], password: PASSWORD });
  await user(USERS.clerk, '王受理', outlet.id, 'OUTLET_CLERK');
  await user(USERS.reviewer, '赵审核', city.id, 'AUTHORITY_REVIEWER');
  await user(USERS.manager, '钱主管', city.id, 'AUTHORITY_MANAGER');
  await user(USERS.producer, '孙制卡', producer.id, 'PRODUCER_OPERATOR');
  await user(USERS.bank, '周柜员', branch.id, 'BANK_OPERATOR');
  const rp = await api<{ id: string }>(url, admin, 'POST', '/api/v1/programmes', {
    kind: 'RESIDENCE_PERMIT',
    name: NAMES.rp,
    authorityOrgId: city.id,
    producerOrgIds: [producer.id],
    receiverOrgIds: [outlet.id],
  });
  const ssc = await api<{ id: string }>(url, admin, 'POST', '/api/v1/programmes', {
    kind: 'SOCIAL_SECURITY_CARD',
    name: NAMES.ssc,
    authorityOrgId: city.id,
    producerOrgIds: [producer.id],
    receiverOrgIds: [outlet.id, branch.id],
  });
  return { cityId: city.id, outletId: outlet.id, producerId: producer.id, bankId: bank.id, branchId: branch.id, rpId: rp.id, sscId: ssc.id };
}

export interface Applicant {
  name: string;
  citizenId: string;
  phone: string;
}

/** What the producer's own system reads out of the decrypted package for one card. */
export interface OrderedCard {
  cardId: string;
  applicationNo: string;
  /** SM3 of the record line exactly as it stands in records.jsonl (what the producer writes to the chip). */
  sm3: string;
  record: Record<string, unknown>;
}

export function sm3Hex(data: Buffer | string): string {
  return createHash('sm3').update(data).digest('hex');
}

export class Lifecycle {
  private step = 0;

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly url: string,
    /** Screenshot names start with this, e.g. `lc-rp` → lc-rp-01-intake-form.png. */
    readonly prefix: string,
  ) {}

  /** A full-page screenshot numbered in the order of the flow. */
  async shot(name: string): Promise<void> {
    // Modals, drawers and toasts fade in and out; wait until none is mid-motion so the picture shows the page as the user sees it.
    // (An expression, not a function: waitForFunction compiles its predicate with eval, which the console's CSP forbids.)
    // Hidden elements are skipped (a motion inside a closed modal never ends), and so are buttons' loading
    // spinners, whose leave motion is not always ended when the button turns disabled in the same render.
    const moving = `Array.from(document.querySelectorAll('[class]')).filter((e) => e.getClientRects().length > 0).map((e) => typeof e.className === 'string' ? e.className : '').filter((c) => /(^|\\s)ant-[a-z-]+-(appear|enter|leave)(\\s|$)/.test(c) && !c.includes('ant-btn-loading-icon'))`;
    await expect.poll(() => this.page.evaluate<string[]>(moving)).toEqual([]);
    this.step += 1;
    await shot(this.page, `${this.prefix}-${String(this.step).padStart(2, '0')}-${name}`);
  }

  async signInAs(username: string): Promise<void> {
    await this.context.clearCookies();
    await signIn(this.page, this.url, username, PASSWORD);
  }

  async menu(key: string, pageTestId: string): Promise<void> {
    await this.page.getByTestId(`menu-${key}`).click();
    await this.page.getByTestId(pageTestId).waitFor();
  }

  /** The clerk's counter: the applicant with a photo; answers the application number and the photo sent. */
  async intake(programmeName: string, a: Applicant, choice: { basis: string } | { bank: string }): Promise<{ applicationNo: string; photo: Buffer }> {
    const page = this.page;
    await this.signInAs(USERS.clerk);
    await this.menu('application-new', 'page-application-new');
    await choose(page, 'app-new-programme', programmeName);
    await page.getByTestId('app-new-kind-NEW').click();
    if ('basis' in choice) await page.getByTestId(`app-new-basis-${choice.basis}`).click();
    else await choose(page, 'app-new-bank', choice.bank);
    await page.getByTestId('app-new-citizenId').fill(a.citizenId);
    await expect.poll(() => page.getByTestId('app-new-id-parsed').innerText()).toContain(a.citizenId.slice(6, 10));
    await page.getByTestId('app-new-name').fill(a.name);
    await choose(page, 'app-new-ethnicity', '汉族');
    await page.getByTestId('app-new-phone').fill(a.phone);
    await page.getByTestId('app-new-hukouAddress').fill('江苏省常州市武进区湖塘镇人民路1号');
    await page.getByTestId('app-new-residenceAddress').fill('江苏省常州市武进区湖塘镇花园街2号');
    const photo = await makeApplicantPhoto(page);
    await page.locator('input[type=file]').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('app-new-photo-preview').waitFor();
    await this.shot('intake-form');
    await page.getByTestId('app-new-submit').click();
    const number = page.getByTestId('app-new-result-number');
    await number.waitFor();
    const applicationNo = (await number.getAttribute('data-number')) ?? '';
    await this.shot('intake-done');
    return { applicationNo, photo };
  }

  /** The authority's reviewer approves it; answers the application id (from the queue row). */
  async approve(applicationNo: string): Promise<string> {
    const page = this.page;
    await this.signInAs(USERS.reviewer);
    await this.menu('review', 'page-review');
    await expect.poll(() => page.getByTestId('review-table').innerText()).toContain(applicationNo);
    const row = page.locator('[data-testid^="review-row-"]').filter({ hasText: applicationNo });
    const applicationId = ((await row.getAttribute('data-testid')) ?? '').replace('review-row-', '');
    await this.shot('review-queue');
    await page.getByTestId(`review-approve-${applicationId}`).click();
    await page.getByTestId('review-approve-confirm').click();
    await expect.poll(() => page.getByTestId('review-table').innerText()).not.toContain(applicationNo);
    await this.shot('review-approved');
    return applicationId;
  }

  /** The partner bank confirms the holder's account; a number failing the Luhn check is refused first. */
  async bankMatch(applicationId: string, applicationNo: string, account: string): Promise<void> {
    const page = this.page;
    await this.signInAs(USERS.bank);
    await this.menu('bank-matching', 'page-bank-matching');
    await expect.poll(() => page.getByTestId(`bank-row-${applicationId}`).innerText()).toContain(applicationNo);
    await this.shot('bank-queue');
    await page.getByTestId(`bank-match-${applicationId}`).click();
    const wrong = account.slice(0, -1) + String((Number(account.slice(-1)) + 1) % 10);
    expect(luhnValid(wrong)).toBe(false);
    await page.getByTestId('bank-match-account').fill(wrong);
    await page.getByTestId('bank-match-submit').click();
    await page.locator('.ant-modal:visible .ant-form-item-explain-error').waitFor();
    await page.getByTestId('bank-match-account').fill(account);
    await this.shot('bank-match-form');
    await page.getByTestId('bank-match-submit').click();
    // The answer names the account masked: its last 4 digits, never the whole number.
    await expect.poll(() => page.locator('.ant-message-success').filter({ hasText: account.slice(-4) }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId(`bank-row-${applicationId}`).count()).toBe(0);
    await this.shot('bank-matched');
  }

  /** The authority manager orders a batch for the producer; answers its batch number. */
  async createBatch(programmeId: string, applicationNo: string): Promise<string> {
    const page = this.page;
    await this.signInAs(USERS.manager);
    await this.menu('batches', 'page-batches');
    const waiting = page.getByTestId(`waiting-${programmeId}`).locator('.ant-statistic-content-value');
    await expect.poll(() => waiting.innerText()).toBe('1');
    await page.getByTestId(`batch-create-${programmeId}`).click();
    await choose(page, 'batch-create-producer', NAMES.producer);
    await this.shot('batch-order');
    await page.getByTestId('batch-create-submit').click();
    await expect.poll(() => waiting.innerText()).toBe('0');
    const open = page.locator('[data-testid^="batch-open-"]');
    await expect.poll(() => open.count()).toBe(1);
    const batchNo = ((await open.getAttribute('data-testid')) ?? '').replace('batch-open-', '');
    const row = page.getByTestId('batches-table').locator('tr').filter({ hasText: batchNo });
    expect(await row.innerText()).toContain(NAMES.producer);
    await open.click();
    await expect.poll(() => page.getByTestId('batch-detail-counts').innerText()).toContain('待制卡 1');
    await expect.poll(() => page.getByTestId('batch-cards').innerText()).toContain(applicationNo);
    await this.shot('batch-created');
    await page.keyboard.press('Escape');
    return batchNo;
  }

  /** The producer creates its SM4 package key; the secret is shown once and the list keeps only its fingerprint. */
  async createPackageKey(): Promise<Buffer> {
    const page = this.page;
    await this.signInAs(USERS.producer);
    await this.menu('package-keys', 'page-package-keys');
    await page.getByTestId('key-create-sm4').click();
    const hex = (await page.getByTestId('key-secret').innerText()).trim();
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const secret = Buffer.from(hex, 'hex');
    await this.shot('package-key-secret');
    await page.getByTestId('key-secret-done').click();
    await expect.poll(() => page.getByTestId('keys-table').innerText()).toContain(secretFingerprint(secret));
    expect(await page.getByTestId('keys-table').innerText()).not.toContain(hex);
    await this.shot('package-keys');
    return secret;
  }

  /**
   * The producer makes a download link and the browser saves the package; then the producer's own
   * system opens it with the secret (HMAC-SM3 checked, every entry against manifest.json) and reads
   * the ordered cards out of records.jsonl.
   */
  async downloadPackage(batchNo: string, secret: Buffer, expectPhoto: Buffer): Promise<{ manifest: Manifest; cards: OrderedCard[] }> {
    const page = this.page;
    await this.menu('production-tasks', 'page-producer-tasks');
    await expect.poll(() => page.getByTestId('tasks-table').innerText()).toContain(batchNo);
    await page.getByTestId(`task-link-${batchNo}`).click();
    await page.getByTestId('task-link-submit').click();
    await page.getByTestId('task-download').waitFor();
    await this.shot('package-link');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('task-download').click()]);
    expect(download.suggestedFilename()).toBe(`${batchNo}.cfpkg`);
    const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-e2e-package-'));
    try {
      const file = path.join(dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(readFileSync(file).subarray(0, 8).toString('latin1')).toBe('CFPKG01\n');
      const out = path.join(dir, 'out');
      const { header, manifest } = await decryptPackage(file, { secret }, out);
      expect(header.batchNo).toBe(batchNo);
      expect(header.keyFingerprint).toBe(secretFingerprint(secret));
      expect(manifest.counts).toEqual({ records: 1, photos: 1 });
      const lines = readFileSync(path.join(out, 'records.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
      const cards = lines.map((line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        return { cardId: String(record.cardId), applicationNo: String(record.applicationNo), sm3: sm3Hex(Buffer.from(line, 'utf8')), record };
      });
      for (const c of cards) {
        // The photo in the package is the one the clerk took at the counter, byte for byte.
        const photo = readFileSync(path.join(out, 'photos', `${c.cardId}.jpg`));
        expect(photo.equals(expectPhoto)).toBe(true);
        expect(c.record.photoSm3).toBe(sm3Hex(photo));
      }
      await page.getByTestId('task-link-close').click();
      // The first download is recorded on the batch (settlement counts the producer's days from it).
      await page.getByTestId('tasks-reload').click();
      const row = page.getByTestId('tasks-table').locator('tr').filter({ hasText: batchNo });
      await expect.poll(() => row.innerText()).toMatch(/\d{4}-\d{2}-\d{2}[\s\S]*\d{4}-\d{2}-\d{2}/);
      return { manifest, cards };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * The producer reports the card PRODUCED with the SM3 of what it wrote to the chip; with `tryMismatch`
   * a wrong digest is refused first (card face and chip must agree).
   */
  async reportProduced(batchNo: string, card: OrderedCard, cardNo: string, chipUid: string, tryMismatch: boolean): Promise<void> {
    const page = this.page;
    await this.menu('production-results', 'page-production-results');
    await choose(page, 'results-batch', batchNo);
    await expect.poll(() => page.getByTestId(`results-row-${card.cardId}`).innerText()).toContain(card.applicationNo);
    await page.getByTestId(`results-produce-${card.cardId}`).click();
    await page.getByTestId('results-produce-cardno').fill(cardNo);
    await page.getByTestId('results-produce-chipuid').fill(chipUid);
    if (tryMismatch) {
      await page.getByTestId('results-produce-sm3').fill(sm3Hex('not the ordered record'));
      await page.getByTestId('results-produce-submit').click();
      await expect.poll(() => page.locator('.ant-message-error').filter({ hasText: '制卡结果有 1 处错误' }).count()).toBeGreaterThan(0);
      await this.shot('results-sm3-mismatch');
      expect(await page.getByTestId(`results-row-${card.cardId}`).count()).toBe(1);
    }
    await page.getByTestId('results-produce-sm3').fill(card.sm3);
    await this.shot('results-produce-form');
    await page.getByTestId('results-produce-submit').click();
    await expect.poll(() => page.getByTestId('results-completed').innerText()).toContain(batchNo);
    await expect.poll(() => page.getByTestId(`results-row-${card.cardId}`).count()).toBe(0);
    await this.shot('results-completed');
  }

  /** The producer ships the produced card to its receiver; answers the shipment id. */
  async ship(receiverOrgId: string, receiverName: string, programmeId: string, cardNo: string): Promise<string> {
    const page = this.page;
    await this.menu('shipping', 'page-shipping');
    const ready = page.getByTestId(`ship-ready-row-${receiverOrgId}-${programmeId}`);
    await expect.poll(() => ready.innerText()).toContain(cardNo);
    expect(await ready.innerText()).toContain(receiverName);
    await page.getByTestId(`ship-create-${receiverOrgId}-${programmeId}`).click();
    await page.getByTestId('ship-carrier').fill('中国邮政EMS');
    await page.getByTestId('ship-tracking').fill('EA123456789CN');
    await this.shot('ship-form');
    await page.getByTestId('ship-submit').click();
    await expect.poll(() => ready.count()).toBe(0);
    const sent = page.locator('[data-testid^="ship-sent-row-"]');
    await expect.poll(() => sent.count()).toBe(1);
    expect(await sent.innerText()).toContain(receiverName);
    expect(await sent.getByTestId('shipment-status-tag').getAttribute('data-status')).toBe('SHIPPED');
    await this.shot('shipped');
    return ((await sent.getAttribute('data-testid')) ?? '').replace('ship-sent-row-', '');
  }

  /** The receiving clerk opens the parcel, scans the card number, sees it matched and confirms receipt. */
  async receive(username: string, shipmentId: string, cardNo: string): Promise<void> {
    const page = this.page;
    await this.signInAs(username);
    await this.menu('receipt', 'page-receipt');
    await expect.poll(() => page.getByTestId(`receipt-row-${shipmentId}`).innerText()).toContain(NAMES.producer);
    await this.shot('receipt-list');
    await page.getByTestId(`receipt-open-${shipmentId}`).click();
    await page.getByTestId('page-receipt-scan').waitFor();
    const item = page.getByTestId(`receipt-item-${cardNo}`);
    await expect.poll(() => item.getAttribute('data-scanned')).toBe('no');
    // The scan field has the focus, as a barcode scanner needs: it types the number and presses Enter.
    const input = page.getByTestId('receipt-scan-input');
    await expect.poll(() => page.evaluate<string | null>('document.activeElement && document.activeElement.getAttribute("data-testid")')).toBe('receipt-scan-input');
    await page.keyboard.type(cardNo);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('receipt-last-result').getAttribute('data-result')).toBe('MATCHED');
    await expect.poll(() => item.getAttribute('data-scanned')).toBe('yes');
    expect(await input.inputValue()).toBe('');
    await this.shot('receipt-scanned');
    await page.getByTestId('receipt-confirm').click();
    const summary = page.getByTestId('receipt-confirm-summary');
    await summary.waitFor();
    await this.shot('receipt-confirm');
    await page.getByTestId('receipt-confirm-ok').click();
    await page.getByTestId('receipt-done').waitFor();
    await expect.poll(() => page.getByTestId('page-receipt-scan').getByTestId('shipment-status-tag').getAttribute('data-status')).toBe('RECEIVED');
    expect(await page.getByTestId('receipt-scan-input').count()).toBe(0);
    await this.shot('receipt-done');
  }

  /**
   * The counter finds the card by application number, checks the holder's identity and hands it over
   * (handing over without ticking the identity check is refused first); social security cards are
   * then activated for social and financial use.
   */
  async issue(username: string, applicationNo: string, cardId: string, cardNo: string, activate: boolean): Promise<void> {
    const page = this.page;
    await this.signInAs(username);
    await this.menu('issuance', 'page-issuance');
    await page.getByTestId('issue-query').fill(applicationNo);
    await page.getByTestId('issue-find').click();
    const panel = page.getByTestId(`issue-card-${cardId}`);
    await panel.waitFor();
    const status = panel.getByTestId('card-status-tag');
    expect(await status.getAttribute('data-status')).toBe('RECEIVED');
    expect(await panel.innerText()).toContain(cardNo);
    await this.shot('issue-found');
    await page.getByTestId(`issue-handover-${cardId}`).click();
    await page.getByTestId('issue-collected-holder').click();
    await page.getByTestId('issue-handover-submit').click();
    await page.locator('.ant-modal:visible .ant-form-item-explain-error').waitFor();
    await page.getByTestId('issue-identity-checked').click();
    await this.shot('issue-handover');
    await page.getByTestId('issue-handover-submit').click();
    await expect.poll(() => status.getAttribute('data-status')).toBe('ISSUED');
    if (activate) {
      const social = page.getByTestId(`issue-activate-social-${cardId}`);
      const financial = page.getByTestId(`issue-activate-financial-${cardId}`);
      await social.click();
      await expect.poll(() => social.isDisabled()).toBe(true);
      expect(await social.innerText()).toContain('✓');
      await financial.click();
      await expect.poll(() => financial.isDisabled()).toBe(true);
      expect(await financial.innerText()).toContain('✓');
    }
    await page.getByTestId(`issue-timeline-${cardId}`).click();
    const events = page.getByTestId(`issue-events-${cardId}`);
    await expect.poll(() => events.locator('.ant-timeline-item').count()).toBeGreaterThanOrEqual(activate ? 7 : 5);
    await this.shot('issued');
  }

  /** The holder's public lookup: number plus the last 6 of the ID shows the card issued, masked name only. */
  async track(a: Applicant, applicationNo: string, expectedEvents: string[]): Promise<void> {
    const page = this.page;
    await this.context.clearCookies();
    await page.goto(`${this.url}/login`);
    await page.getByTestId('login-track-link').click();
    await page.getByTestId('track-number').fill(applicationNo);
    await page.getByTestId('track-id6').fill(a.citizenId.slice(-6));
    await page.getByTestId('track-submit').click();
    const result = page.getByTestId('track-result');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('ISSUED');
    const text = await result.innerText();
    expect(text).toContain(applicationNo);
    expect(text).toContain('已领取');
    expect(text).not.toContain(a.name);
    const types: (string | null)[] = [];
    for (const e of await result.locator('[data-event-type]').all()) types.push(await e.getAttribute('data-event-type'));
    expect(types).toEqual(expectedEvents);
    // Every step is named in words the holder reads, not as a status code.
    for (const code of expectedEvents) expect(text).not.toContain(code);
    await this.shot('holder-track');
  }
}

/**
 * One lifecycle test file's world: a server on a fresh embedded database with the test city, and a
 * browser page (downloads allowed) driven by a Lifecycle that numbers screenshots under `prefix`.
 * `start` runs the server some other way (e.g. several processes on PostgreSQL, test/e2e/cluster.ts).
 */
export function useLifecycle(prefix: string, start: () => Promise<Pick<RunningServer, 'url' | 'stop'>> = startServer, startTimeoutMs?: number): { city: City; flow: Lifecycle } {
  const world = {} as { city: City; flow: Lifecycle };
  let server: Pick<RunningServer, 'url' | 'stop'> | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await start();
    world.city = await seedCity(server.url);
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    world.flow = new Lifecycle(await context.newPage(), context, server.url, prefix);
  }, startTimeoutMs);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return world;
}
