import { expect, it } from 'vitest';
import { NAMES, USERS, type City, type Lifecycle, type OrderedCard } from './lifecycle.ts';

// 320412199003071238: a man born 1990-03-07 in Wujin (a valid check digit).
const HOLDER = { name: '陈建国', citizenId: '320412199003071238', phone: '13912345678' };
const CARD_NO = 'A32041201';
const CHIP_UID = '04A1B2C3D4E5F6';

/**
 * The residence permit from the counter to the holder, one `it` per party's step, against whatever
 * server layout `world` runs on (one embedded process, or API and worker processes on PostgreSQL).
 */
export function residencePermitSteps(world: { city: City; flow: Lifecycle }): void {
  let applicationNo = '';
  let applicationId = '';
  let photo: Buffer = Buffer.alloc(0);
  let batchNo = '';
  let secret: Buffer = Buffer.alloc(0);
  let card: OrderedCard;
  let shipmentId = '';

  it('the outlet clerk takes the application with a photo', async () => {
    ({ applicationNo, photo } = await world.flow.intake(NAMES.rp, HOLDER, { basis: 'EMPLOYMENT' }));
    expect(applicationNo).toMatch(/^RP-/);
  });

  it('the authority reviewer approves it', async () => {
    applicationId = await world.flow.approve(applicationNo);
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the authority manager orders a production batch from the producer', async () => {
    batchNo = await world.flow.createBatch(world.city.rpId, applicationNo);
    expect(batchNo).not.toBe('');
  });

  it('the producer creates its package key and downloads the encrypted package through the browser', async () => {
    secret = await world.flow.createPackageKey();
    const { manifest, cards } = await world.flow.downloadPackage(batchNo, secret, photo);
    expect(manifest.programme.kind).toBe('RESIDENCE_PERMIT');
    expect(cards).toHaveLength(1);
    card = cards[0]!;
    // The record carries what the card face and chip need, in full: the producer prints it.
    expect(card.applicationNo).toBe(applicationNo);
    expect(card.record).toMatchObject({ name: HOLDER.name, citizenId: HOLDER.citizenId, sex: 'M', birthDate: '1990-03-07', deliverTo: NAMES.outlet });
  });

  it('the producer reports the card produced with the SM3 of the chip data (a wrong digest is refused)', async () => {
    await world.flow.reportProduced(batchNo, card, CARD_NO, CHIP_UID, true);
  });

  it('the producer ships it to the outlet', async () => {
    shipmentId = await world.flow.ship(world.city.outletId, NAMES.outlet, world.city.rpId, CARD_NO);
  });

  it('the outlet clerk scans the parcel, the card matches, and confirms receipt', async () => {
    await world.flow.receive(USERS.clerk, shipmentId, CARD_NO);
  });

  it('the clerk checks the holder’s identity and hands the card over', async () => {
    await world.flow.issue(USERS.clerk, applicationNo, card.cardId, CARD_NO, false);
  });

  it('the holder’s lookup shows the permit issued', async () => {
    await world.flow.track(HOLDER, applicationNo, ['SUBMITTED', 'APPROVED', 'IN_PRODUCTION', 'READY', 'ISSUED']);
  });
}
