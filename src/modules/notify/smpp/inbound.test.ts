import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayInbound } from '../gateway.ts';
import { segmentText } from '../segments.ts';
import { collectReceipts, until } from '../simulator/testing.ts';
import { createSmppGateway } from './session.ts';
import { ESM_CLASS, SMPP_STATUS, SmppPdu, createSmppServer, type SmppServerSession } from './wrapper.ts';

type Pdu = InstanceType<typeof SmppPdu>;

/*
 * Messages from handsets (deliver_sm without the receipt flag), sent by a bare SMSC on the `smpp`
 * package's server so that each deliver_sm and its answer can be seen.
 */
const cleanup: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function smsc(): Promise<{ port: number; bound: () => SmppServerSession | null }> {
  let session: SmppServerSession | null = null;
  const server = createSmppServer({}, (s) => {
    s.on('error', () => undefined);
    s.on('bind_transceiver', (pdu: Pdu) => {
      s.send(pdu.response());
      session = s;
    });
    s.on('enquire_link', (pdu: Pdu) => s.send(pdu.response()));
    s.on('unbind', (pdu: Pdu) => {
      s.send(pdu.response());
      s.close();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    for (const s of [...server.sessions]) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, bound: () => session };
}

async function gatewayTo(port: number) {
  const gw = createSmppGateway({ name: 'mo', host: '127.0.0.1', port, systemId: 'a', password: 'b', sourceAddr: '10657000', link: { responseTimeoutMs: 2_000 } });
  cleanup.push(() => gw.stop({ graceMs: 100 }));
  return gw;
}

/** Sends a deliver_sm and resolves with the command_status of the client's deliver_sm_resp. */
function deliver(session: SmppServerSession, fields: Record<string, unknown>): Promise<number> {
  return new Promise((resolve) => session.send(new SmppPdu('deliver_sm', { source_addr: '13800138000', destination_addr: '10657000', ...fields }), (resp: Pdu) => resolve(resp.command_status)));
}

describe('SMPP messages from handsets', () => {
  it('passes replies to onInbound, long ones per part, and does not read a lone receipted_message_id as a receipt', async () => {
    const peer = await smsc();
    const gw = await gatewayTo(peer.port);
    const inbound: GatewayInbound[] = [];
    gw.onInbound((sms) => {
      inbound.push(sms);
    });
    const receipts = collectReceipts(gw);
    await gw.start();
    await until(() => peer.bound() !== null);
    const session = peer.bound()!;

    expect(await deliver(session, { data_coding: 8, short_message: Buffer.from('退订', 'utf16le').swap16() })).toBe(SMPP_STATUS.ROK);
    expect(await deliver(session, { esm_class: 0, short_message: Buffer.from('T'), receipted_message_id: 'receipted_message_id' })).toBe(SMPP_STATUS.ROK);
    const long = segmentText('回复'.repeat(40), { reference: 9, priceMilliFen: 0 });
    for (const part of long.parts) {
      expect(await deliver(session, { esm_class: ESM_CLASS.UDHI, data_coding: 8, short_message: Buffer.from(part.userData) })).toBe(SMPP_STATUS.ROK);
    }

    expect(inbound.map((m) => m.text)).toEqual(['退订', 'T', '回复'.repeat(33) + '回', '复' + '回复'.repeat(6)]);
    expect(inbound[0]).toMatchObject({ from: '13800138000', to: '10657000', concat: null });
    expect(inbound[2]!.concat).toEqual({ reference: 9, total: 2, sequence: 1 });
    expect(receipts).toEqual([]);
    expect(gw.metrics().receiptErrors).toBe(0);
  });

  it('refuses a reply the listener could not store, so the SMSC sends it again; with no listener it is acknowledged', async () => {
    const peer = await smsc();
    const gw = await gatewayTo(peer.port);
    await gw.start();
    await until(() => peer.bound() !== null);
    const session = peer.bound()!;
    expect(await deliver(session, { short_message: Buffer.from('TD') })).toBe(SMPP_STATUS.ROK);

    const stored: string[] = [];
    let failures = 1;
    gw.onInbound((sms) => {
      if (failures-- > 0) throw new Error('database down');
      stored.push(sms.text);
    });
    expect(await deliver(session, { short_message: Buffer.from('R') })).toBe(SMPP_STATUS.RX_T_APPN);
    expect(await deliver(session, { short_message: Buffer.from('R') })).toBe(SMPP_STATUS.ROK);
    expect(stored).toEqual(['R']);
  });
});
