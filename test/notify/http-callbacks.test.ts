import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpGateway } from '../../src/modules/notify/http/gateway.ts';
import { RECEIPT_PATH } from '../../src/modules/notify/http/callback.ts';
import { signedHeaders } from '../../src/modules/notify/http/signature.ts';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { providerIdentity } from '../../src/modules/notify/providers.ts';
import { smsBlocklist, smsMessages, smsReceipts } from '../../src/modules/notify/schema.ts';
import { startSimulator, type Simulator } from '../../src/modules/notify/simulator/index.ts';
import { HTTP_SUBMIT_PATH } from '../../src/modules/notify/simulator/http-provider.ts';
import { useHarness } from '../helpers/app.ts';
import { mobile, notice, senderOrg } from './fixtures.ts';
import { dispatcherFor, untilAll } from './harness.ts';

const SECRET = 'provider-shared-secret';
const h = useHarness({ smsProtocol: 'http', smsHttpUrl: 'https://sms.example.cn/v1/send', smsAccount: 'cz-gov', smsPassword: SECRET });
let sim: Simulator;

beforeAll(async () => {
  // The provider: receipts are not posted by the simulator here, the test posts them as the provider would.
  sim = await startSimulator({ protocol: 'http', accounts: [{ id: 'cz-gov', secret: SECRET }], receipts: false });
});
afterAll(() => sim.stop());

function callback(body: unknown, secret = SECRET, at = Date.now()) {
  const raw = JSON.stringify(body);
  return h().app.inject({ method: 'POST', url: RECEIPT_PATH, headers: { 'content-type': 'application/json', ...signedHeaders(secret, raw, at) }, payload: raw });
}

/** A message submitted through the HTTP gateway under the configured provider's name; returns its id and the provider's id. */
async function submitted(n: number): Promise<{ id: string; smscId: string; phone: string }> {
  const { name } = providerIdentity(h().ctx.config);
  const gateway = createHttpGateway({ name, url: `http://127.0.0.1:${sim.port}${HTTP_SUBMIT_PATH}`, account: 'cz-gov', secret: SECRET });
  const dispatcher = dispatcherFor(h().ctx, gateway, { provider: name });
  await gateway.start();
  const phone = mobile(7000 + n);
  const [m] = await enqueueSms(h().ctx, h().ctx.db.orm, [notice(await senderOrg(h().ctx), phone)]);
  await dispatcher.dispatchOnce();
  await dispatcher.drain();
  await gateway.stop({ graceMs: 0 });
  await untilAll(h().ctx, [m!.id], 'SUBMITTED');
  return { id: m!.id, smscId: sim.stats().parts.find((p) => p.to === phone)!.messageId, phone };
}

describe('HTTP provider callbacks through the application', () => {
  it('is public and documented in OpenAPI', async () => {
    const doc = (await h().app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    expect(doc.paths[RECEIPT_PATH]?.post?.security).toEqual([]);
  });

  it('stores a signed receipt once, delivering the message; a replay of the same callback changes nothing', async () => {
    const m = await submitted(1);
    const body = { receipts: [{ messageId: m.smscId, stat: 'DELIVRD' }] };
    const res = await callback(body);
    expect(res.statusCode, res.body).toBe(204);
    await untilAll(h().ctx, [m.id], 'DELIVERED');
    const raw = JSON.stringify(body);
    const at = Date.now();
    const headers = { 'content-type': 'application/json', ...signedHeaders(SECRET, raw, at) };
    expect((await h().app.inject({ method: 'POST', url: RECEIPT_PATH, headers, payload: raw })).statusCode).toBe(204);
    expect((await h().app.inject({ method: 'POST', url: RECEIPT_PATH, headers, payload: raw })).statusCode).toBe(204);
    expect(await h().ctx.db.orm.select().from(smsReceipts).where(eq(smsReceipts.smscMessageId, m.smscId))).toHaveLength(2);
  });

  it('refuses a wrong signature, a stale timestamp and a body that is not the signed one, storing nothing', async () => {
    const m = await submitted(2);
    const body = { receipts: [{ messageId: m.smscId, stat: 'UNDELIV', err: '001' }] };
    expect((await callback(body, 'not-the-secret')).json()).toMatchObject({ error: { code: 'SMS_CALLBACK_SIGNATURE_INVALID' } });
    const stale = await callback(body, SECRET, Date.now() - 10 * 60_000);
    expect(stale.statusCode).toBe(401);
    expect(stale.json()).toMatchObject({ error: { code: 'SMS_CALLBACK_EXPIRED' } });
    const raw = JSON.stringify(body);
    const tampered = await h().app.inject({
      method: 'POST',
      url: RECEIPT_PATH,
      headers: { 'content-type': 'application/json', ...signedHeaders(SECRET, raw, Date.now()) },
      payload: raw.replace('UNDELIV', 'DELIVRD'),
    });
    expect(tampered.statusCode).toBe(401);
    expect(await h().ctx.db.orm.select().from(smsReceipts).where(eq(smsReceipts.smscMessageId, m.smscId))).toHaveLength(0);
    const [row] = await h().ctx.db.orm.select().from(smsMessages).where(eq(smsMessages.id, m.id));
    expect(row!.status).toBe('SUBMITTED');
  });

  it('stores a reply and an opt-out blocks the number for the signature', async () => {
    const m = await submitted(3);
    const res = await callback({ inbound: [{ from: m.phone, to: '10690000', text: '退订' }] });
    expect(res.statusCode, res.body).toBe(204);
    const blocks = await h().ctx.db.orm.select().from(smsBlocklist).where(eq(smsBlocklist.source, 'REPLY'));
    expect(blocks.map((b) => b.signature)).toEqual(['常州公安']);
  });
});
