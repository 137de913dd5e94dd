import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardAttempts, cardEvents } from '../../src/modules/cards/schema.ts';
import type { CardRow } from '../../src/modules/cards/service.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { applicant, photoBase64 } from '../applications/fixtures.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { batchAll, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { applicationStatus, cardById, prefabricatedApplication, produceCards, producedCards, receiveAll, ship } from './fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let rp: CardRow[];
let ssc: CardRow[];
let shippedOnly: CardRow;

type CardBody = { id: string; status: string; applicationNo: string; nameMasked: string; citizenIdMasked: string; lostTempUntil: string | null; events: { type: string; toStatus: string }[] };

beforeAll(async () => {
  lc = await seedLifecycle(h());
  rp = await producedCards(h(), lc, 'rp', 1, 4);
  ssc = await producedCards(h(), lc, 'ssc', 11, 1);
  await receiveAll(
    h(),
    lc.sessions.clerkA,
    await ship(
      h(),
      lc.sessions.producer,
      lc.city.outletA.id,
      rp.slice(0, 3).map((c) => c.id),
    ),
    rp.slice(0, 3).map((c) => c.cardNo!),
  );
  await ship(h(), lc.sessions.producer, lc.city.outletA.id, [rp[3]!.id]);
  shippedOnly = rp[3]!;
  await receiveAll(h(), lc.sessions.bank, await ship(h(), lc.sessions.producer, lc.city.branch.id, [ssc[0]!.id]), [ssc[0]!.cardNo!]);
});

const issue = (session: typeof lc.sessions.clerkA, id: string, body: Record<string, unknown>) => h().request('POST', `/api/v1/cards/${id}/issue`, { session, body });

describe('finding a card at the counter', () => {
  it('lists the cards waiting at my counter, oldest first, masked; another counter sees none of them', async () => {
    const res = await h().request('GET', '/api/v1/cards/waiting', { session: lc.sessions.clerkA });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: CardBody[]; total: number };
    expect(body.total).toBe(3);
    expect(body.items.map((c) => c.id).sort()).toEqual(rp.slice(0, 3).map((c) => c.id).sort());
    expect(body.items.every((c) => c.status === 'RECEIVED' && c.nameMasked.includes('*'))).toBe(true);
    expect(res.body).not.toContain(applicant(1).citizenId);
    const other = await h().request('GET', '/api/v1/cards/waiting', { session: lc.sessions.clerkB });
    expect((other.json() as { total: number }).total).toBe(0);
    const bank = await h().request('GET', '/api/v1/cards/waiting', { session: lc.sessions.bank });
    expect((bank.json() as { items: CardBody[] }).items.map((c) => c.id)).toEqual([ssc[0]!.id]);
    expectError(await h().request('GET', '/api/v1/cards/waiting', { session: lc.sessions.producer }), 403, 'FORBIDDEN');
  });

  it('by application number: masked holder data and the card status', async () => {
    const detail = (await h().request('GET', `/api/v1/applications/${rp[0]!.applicationId}`, { session: lc.sessions.clerkA })).json() as { applicationNo: string };
    const res = await h().request('GET', `/api/v1/cards/find?applicationNo=${detail.applicationNo.toLowerCase()}`, { session: lc.sessions.clerkA });
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: CardBody[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: rp[0]!.id, status: 'RECEIVED', applicationNo: detail.applicationNo });
    expect(items[0]!.nameMasked).toContain('*');
    expect(res.body).not.toContain(applicant(1).citizenId);
    expect(res.body).not.toContain(applicant(1).name);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('card.find');
    // Outlet B is not where the card is.
    const other = await h().request('GET', `/api/v1/cards/find?applicationNo=${detail.applicationNo}`, { session: lc.sessions.clerkB });
    expect((other.json() as { items: unknown[] }).items).toEqual([]);
  });

  it('by ID number through the blind index', async () => {
    const res = await h().request('POST', '/api/v1/cards/find', { session: lc.sessions.clerkA, body: { citizenId: ` ${applicant(2).citizenId.toLowerCase()} ` } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { items: CardBody[] }).items.map((c) => c.id)).toEqual([rp[1]!.id]);
    expect(res.body).not.toContain(applicant(2).citizenId);
    expectError(await h().request('POST', '/api/v1/cards/find', { session: lc.sessions.clerkA, body: { citizenId: '12345' } }), 400, 'ID_FORMAT_INVALID');
  });
});

describe('issuing a residence permit', () => {
  it('refuses without the identity check, or an agent without a name', async () => {
    expectError(await issue(lc.sessions.clerkA, rp[0]!.id, { identityChecked: false, collectedBy: 'HOLDER' }), 400, 'IDENTITY_CHECK_REQUIRED');
    expectError(await issue(lc.sessions.clerkA, rp[0]!.id, { identityChecked: true, collectedBy: 'AGENT' }), 400, 'AGENT_NAME_REQUIRED');
    expectError(await issue(lc.sessions.clerkA, rp[0]!.id, { collectedBy: 'HOLDER' }), 400, 'VALIDATION_FAILED');
    expect((await cardById(h(), rp[0]!.id)).status).toBe('RECEIVED');
  });

  it('refuses a card that is not RECEIVED, and a card at another counter', async () => {
    const err = expectError(await issue(lc.sessions.clerkA, shippedOnly.id, { identityChecked: true, collectedBy: 'HOLDER' }), 409, 'CARD_NOT_RECEIVED');
    expect(err.message).toContain('SHIPPED');
    expectError(await issue(lc.sessions.clerkB, rp[0]!.id, { identityChecked: true, collectedBy: 'HOLDER' }), 404, 'OUT_OF_SCOPE');
  });

  it('hands it over: card and application ISSUED, the agent kept masked', async () => {
    const res = await issue(lc.sessions.clerkA, rp[0]!.id, { identityChecked: true, collectedBy: 'AGENT', agentName: '王小明' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as CardBody;
    expect(body.status).toBe('ISSUED');
    expect(body.events.map((e) => e.toStatus)).toEqual(['ORDERED', 'PRODUCED', 'SHIPPED', 'RECEIVED', 'ISSUED']);
    expect(res.body).not.toContain('王小明');
    expect(await applicationStatus(h(), rp[0]!.applicationId)).toBe('ISSUED');
    expect((await cardById(h(), rp[0]!.id)).issuedAt).not.toBeNull();
    expectError(await issue(lc.sessions.clerkA, rp[0]!.id, { identityChecked: true, collectedBy: 'HOLDER' }), 409, 'CARD_NOT_RECEIVED');
    expectError(await h().request('POST', `/api/v1/cards/${rp[0]!.id}/activate`, { session: lc.sessions.clerkA, body: { function: 'SOCIAL' } }), 409, 'CARD_NOT_SOCIAL_SECURITY');
  });
});

describe('loss', () => {
  const loss = (id: string, body: Record<string, unknown>) => h().request('POST', `/api/v1/cards/${id}/loss`, { session: lc.sessions.clerkA, body });
  const lift = (id: string) => h().request('POST', `/api/v1/cards/${id}/lift-loss`, { session: lc.sessions.clerkA, body: {} });

  it('only for issued cards', async () => {
    expectError(await loss(rp[2]!.id, { kind: 'TEMP' }), 409, 'CARD_NOT_ISSUED');
    expectError(await lift(rp[0]!.id), 409, 'CARD_NOT_LOST');
  });

  it('temporary loss holds 15 days and can be lifted', async () => {
    const before = Date.now();
    const res = await loss(rp[0]!.id, { kind: 'TEMP' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as CardBody;
    expect(body.status).toBe('LOST_TEMP');
    const days = (Date.parse(body.lostTempUntil!) - before) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(15);
    expect(days).toBeLessThan(15.01);
    expectError(await loss(rp[0]!.id, { kind: 'TEMP' }), 409, 'CARD_LOSS_ALREADY_REPORTED');
    const lifted = await lift(rp[0]!.id);
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect((lifted.json() as CardBody).status).toBe('ISSUED');
    expect((lifted.json() as CardBody).lostTempUntil).toBeNull();
    // Lost again later: a second happening, a second event.
    expect((await loss(rp[0]!.id, { kind: 'TEMP', days: 30 })).statusCode).toBe(200);
    const events = await h().ctx.db.orm.select().from(cardEvents).where(and(eq(cardEvents.cardId, rp[0]!.id), eq(cardEvents.type, 'REPORT_LOSS_TEMP')));
    expect(events).toHaveLength(2);
  });

  it('formal loss is final: it cannot be lifted', async () => {
    const res = await loss(rp[0]!.id, { kind: 'FORMAL' });
    expect((res.json() as CardBody).status).toBe('LOST_FORMAL');
    expectError(await lift(rp[0]!.id), 409, 'LOSS_FORMAL_NOT_LIFTABLE');
    expectError(await loss(rp[0]!.id, { kind: 'TEMP' }), 409, 'CARD_LOSS_ALREADY_REPORTED');
    expectError(await h().request('POST', `/api/v1/cards/${rp[0]!.id}/loss`, { session: lc.sessions.producer, body: { kind: 'TEMP' } }), 403, 'FORBIDDEN');
  });
});

describe('a replacement card cancels the previous one', () => {
  it('issues the new card and cancels the formally lost old card of the same holder', async () => {
    // The holder of rp[0] (formally lost) applies for a replacement.
    const created = await h().request('POST', '/api/v1/applications', { session: lc.sessions.clerkA, body: { programmeId: lc.rp.id, ...applicant(1, { kind: 'REPLACEMENT' }), photoJpegBase64: photoBase64(fakeJpeg(358, 441, 20 * 1024)) } });
    expect(created.statusCode, created.body).toBe(201);
    const appId = (created.json() as { id: string }).id;
    expect((await h().request('POST', `/api/v1/applications/${appId}/approve`, { session: lc.sessions.reviewer, body: {} })).statusCode).toBe(200);
    await batchAll(h(), lc, lc.rp.id);
    const [fresh] = await produceCards(h(), [appId]);
    await receiveAll(h(), lc.sessions.clerkA, await ship(h(), lc.sessions.producer, lc.city.outletA.id, [fresh!.id]), [fresh!.cardNo!]);
    const res = await issue(lc.sessions.clerkA, fresh!.id, { identityChecked: true, collectedBy: 'HOLDER' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await cardById(h(), rp[0]!.id)).status).toBe('CANCELLED');
    expect((await cardById(h(), fresh!.id)).replacesCardId).toBe(rp[0]!.id);
    // Another holder's card is untouched.
    expect((await cardById(h(), rp[1]!.id)).status).toBe('RECEIVED');
  });
});

describe('a social security card at the bank branch', () => {
  it('is issued, then activated for social and financial use (a repeat changes nothing)', async () => {
    const found = await h().request('POST', '/api/v1/cards/find', { session: lc.sessions.bank, body: { citizenId: applicant(11).citizenId } });
    expect((found.json() as { items: CardBody[] }).items.map((c) => c.id)).toEqual([ssc[0]!.id]);
    // Outlet A took the application but the card went to the bank: not at outlet A's counter.
    const atOutlet = await h().request('POST', '/api/v1/cards/find', { session: lc.sessions.clerkA, body: { citizenId: applicant(11).citizenId } });
    expect((atOutlet.json() as { items: unknown[] }).items).toEqual([]);

    expectError(await h().request('POST', `/api/v1/cards/${ssc[0]!.id}/activate`, { session: lc.sessions.bank, body: { function: 'SOCIAL' } }), 409, 'CARD_NOT_ISSUED');
    expect((await issue(lc.sessions.bank, ssc[0]!.id, { identityChecked: true, collectedBy: 'HOLDER' })).statusCode).toBe(200);
    expect(await applicationStatus(h(), ssc[0]!.applicationId)).toBe('ISSUED');
    for (const fn of ['SOCIAL', 'SOCIAL', 'FINANCIAL']) {
      const res = await h().request('POST', `/api/v1/cards/${ssc[0]!.id}/activate`, { session: lc.sessions.bank, body: { function: fn } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const card = await cardById(h(), ssc[0]!.id);
    expect(card.socialActivatedAt).not.toBeNull();
    expect(card.financialActivatedAt).not.toBeNull();
    expect(card.status).toBe('ISSUED');
    const detail = (await h().request('GET', `/api/v1/cards/${ssc[0]!.id}`, { session: lc.sessions.manager })).json() as CardBody;
    expect(detail.events.map((e) => e.type)).toEqual(['ORDER', 'PRODUCE', 'SHIP', 'RECEIVE', 'ISSUE', 'ACTIVATE_SOCIAL', 'ACTIVATE_FINANCIAL']);
    expectError(await h().request('GET', `/api/v1/cards/${ssc[0]!.id}`, { session: lc.sessions.clerkB }), 404, 'OUT_OF_SCOPE');
  });
});

describe('prefabricated social security cards (预制卡)', () => {
  it('are refused for an application that is not prefabricated', async () => {
    const [other] = await producedCards(h(), lc, 'ssc', 31, 1);
    expectError(
      await h().request('POST', `/api/v1/applications/${other!.applicationId}/issue-prefabricated`, { session: lc.sessions.bank, body: { cardNo: 'P00000001', chipUid: '04AABBCCDD' } }),
      409,
      'APPLICATION_NOT_PREFABRICATED',
    );
  });

  it('are issued at the counter in one step: an INSTANT card ISSUED, the application ISSUED', async () => {
    const appId = await prefabricatedApplication(h(), lc, 41);
    expectError(await h().request('POST', `/api/v1/applications/${appId}/issue-prefabricated`, { session: lc.sessions.clerkB, body: { cardNo: 'P00000001', chipUid: '04AABBCCDD' } }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('POST', `/api/v1/applications/${appId}/issue-prefabricated`, { session: lc.sessions.bank, body: { cardNo: 'P00000001', chipUid: 'xyz' } }), 400, 'PREFAB_CHIP_UID_INVALID');
    const res = await h().request('POST', `/api/v1/applications/${appId}/issue-prefabricated`, { session: lc.sessions.bank, body: { cardNo: 'p00000001', chipUid: '04:aa:bb:cc:dd' } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as CardBody & { mode: string; cardNo: string };
    expect(body).toMatchObject({ status: 'ISSUED', mode: 'INSTANT', cardNo: 'P00000001' });
    const [card] = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.applicationId, appId));
    expect(card).toMatchObject({ batchId: null, producerOrgId: null, receiverOrgId: lc.city.branch.id, chipUid: '04AABBCCDD' });
    expect(card!.issuedAt).not.toBeNull();
    expect(await applicationStatus(h(), appId)).toBe('ISSUED');
    expectError(await h().request('POST', `/api/v1/applications/${appId}/issue-prefabricated`, { session: lc.sessions.bank, body: { cardNo: 'P00000002', chipUid: '04AABBCCDD' } }), 409, 'APPLICATION_NOT_MATCHED');
    const second = await prefabricatedApplication(h(), lc, 42);
    expectError(await h().request('POST', `/api/v1/applications/${second}/issue-prefabricated`, { session: lc.sessions.bank, body: { cardNo: 'P00000001', chipUid: '04AABBCCEE' } }), 409, 'PREFAB_CARD_NO_TAKEN');
    // Activation works on a prefabricated card too.
    expect((await h().request('POST', `/api/v1/cards/${body.id}/activate`, { session: lc.sessions.bank, body: { function: 'FINANCIAL' } })).statusCode).toBe(200);
  });
});
