import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './server.ts';
import { Lifecycle, NAMES, seedCity, USERS, type City, type OrderedCard } from './lifecycle.ts';

// 320412199003071238: a man born 1990-03-07 in Wujin (a valid check digit).
const HOLDER = { name: '陈建国', citizenId: '320412199003071238', phone: '13912345678' };
const CARD_NO = 'A32041201';
const CHIP_UID = '04A1B2C3D4E5F6';

describe('console: a residence permit from the counter to the holder, through production and delivery', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let city: City;
  let flow: Lifecycle;
  let applicationNo = '';
  let applicationId = '';
  let photo: Buffer = Buffer.alloc(0);
  let batchNo = '';
  let secret: Buffer = Buffer.alloc(0);
  let card: OrderedCard;
  let shipmentId = '';

  beforeAll(async () => {
    server = await startServer();
    city = await seedCity(server.url);
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    flow = new Lifecycle(page, context, server.url, 'lc-rp');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the outlet clerk takes the application with a photo', async () => {
    ({ applicationNo, photo } = await flow.intake(NAMES.rp, HOLDER, { basis: 'EMPLOYMENT' }));
    expect(applicationNo).toMatch(/^RP-/);
  });

  it('the authority reviewer approves it', async () => {
    applicationId = await flow.approve(applicationNo);
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the authority manager orders a production batch from the producer', async () => {
    batchNo = await flow.createBatch(city.rpId, applicationNo);
    expect(batchNo).not.toBe('');
  });

  it('the producer creates its package key and downloads the encrypted package through the browser', async () => {
    secret = await flow.createPackageKey();
    const { manifest, cards } = await flow.downloadPackage(batchNo, secret, photo);
    expect(manifest.programme.kind).toBe('RESIDENCE_PERMIT');
    expect(cards).toHaveLength(1);
    card = cards[0]!;
    // The record carries what the card face and chip need, in full: the producer prints it.
    expect(card.applicationNo).toBe(applicationNo);
    expect(card.record).toMatchObject({ name: HOLDER.name, citizenId: HOLDER.citizenId, sex: 'M', birthDate: '1990-03-07', deliverTo: NAMES.outlet });
  });

  it('the producer reports the card produced with the SM3 of the chip data (a wrong digest is refused)', async () => {
    await flow.reportProduced(batchNo, card, CARD_NO, CHIP_UID, true);
  });

  it('the producer ships it to the outlet', async () => {
    shipmentId = await flow.ship(city.outletId, NAMES.outlet, city.rpId, CARD_NO);
  });

  it('the outlet clerk scans the parcel, the card matches, and confirms receipt', async () => {
    await flow.receive(USERS.clerk, shipmentId, CARD_NO);
  });

  it('the clerk checks the holder’s identity and hands the card over', async () => {
    await flow.issue(USERS.clerk, applicationNo, card.cardId, CARD_NO, false);
  });

  it('the holder’s lookup shows the permit issued', async () => {
    await flow.track(HOLDER, applicationNo, ['SUBMITTED', 'APPROVED', 'IN_PRODUCTION', 'READY', 'ISSUED']);
  });
});
