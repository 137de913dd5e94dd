import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../src/platform/validators/bank-account.ts';
import { NAMES, useLifecycle, USERS, type OrderedCard } from './lifecycle.ts';

// 440604198506152017: a man born 1985-06-15 (a valid check digit).
const HOLDER = { name: '黄志强', citizenId: '440604198506152017', phone: '13723456789' };
// A 19-digit debit card number that passes the Luhn check, as the bank's system prints it.
const ACCOUNT = '6222021234567890128';
const CARD_NO = 'S32040001';
const CHIP_UID = '3B8F1A2C';

describe('console: a social security card from the counter to the bank branch, with bank matching and activation', () => {
  const world = useLifecycle('lc-ssc');
  let applicationNo = '';
  let applicationId = '';
  let photo: Buffer = Buffer.alloc(0);
  let batchNo = '';
  let secret: Buffer = Buffer.alloc(0);
  let card: OrderedCard;
  let shipmentId = '';

  it('the outlet clerk takes the application with a photo, choosing the bank branch', async () => {
    ({ applicationNo, photo } = await world.flow.intake(NAMES.ssc, HOLDER, { bank: NAMES.branch }));
    expect(applicationNo).not.toBe('');
  });

  it('the authority reviewer approves it', async () => {
    applicationId = await world.flow.approve(applicationNo);
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the bank branch matches the holder’s account (a number failing the Luhn check is refused)', async () => {
    expect(luhnValid(ACCOUNT)).toBe(true);
    await world.flow.bankMatch(applicationId, applicationNo, ACCOUNT);
  });

  it('the authority manager orders a production batch from the producer', async () => {
    batchNo = await world.flow.createBatch(world.city.sscId, applicationNo);
    expect(batchNo).not.toBe('');
  });

  it('the producer creates its package key and downloads the encrypted package through the browser', async () => {
    secret = await world.flow.createPackageKey();
    const { manifest, cards } = await world.flow.downloadPackage(batchNo, secret, photo);
    expect(manifest.programme.kind).toBe('SOCIAL_SECURITY_CARD');
    expect(cards).toHaveLength(1);
    card = cards[0]!;
    // The chip needs the social security number and the matched account; the card goes to the branch.
    expect(card.applicationNo).toBe(applicationNo);
    expect(card.record).toMatchObject({ name: HOLDER.name, socialSecurityNumber: HOLDER.citizenId, bankAccount: ACCOUNT, deliverTo: NAMES.branch });
  });

  it('the producer reports the card produced with the SM3 of the chip data', async () => {
    await world.flow.reportProduced(batchNo, card, CARD_NO, CHIP_UID, false);
  });

  it('the producer ships it to the bank branch', async () => {
    shipmentId = await world.flow.ship(world.city.branchId, NAMES.branch, world.city.sscId, CARD_NO);
  });

  it('the bank operator scans the parcel, the card matches, and confirms receipt', async () => {
    await world.flow.receive(USERS.bank, shipmentId, CARD_NO);
  });

  it('the bank operator hands the card over and activates its social and financial functions', async () => {
    await world.flow.issue(USERS.bank, applicationNo, card.cardId, CARD_NO, true);
  });

  it('the holder’s lookup shows the card issued', async () => {
    await world.flow.track(HOLDER, applicationNo, ['SUBMITTED', 'APPROVED', 'MATCHED', 'IN_PRODUCTION', 'READY', 'ISSUED']);
  });
});
