import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors/app-error.ts';
import { decodePdu, encodePdu } from './codec.ts';
import { terminalIdSize, type CmppVersion } from './commands.ts';
import { CmppFrameSplitter } from './frames.ts';
import type { CmppPdu } from './pdu.ts';

const u8 = fc.integer({ min: 0, max: 0xff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const u64 = fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn });
const text = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
const buf = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength }).map((b) => Buffer.from(b));
const content = fc.oneof(
  fc.record({ msgFmt: fc.constant(0), content: buf(0, 160) }),
  fc.record({ msgFmt: fc.constantFrom(4, 8, 15), content: buf(0, 140) }),
);

/** Any PDU the version can carry; 3.0-only fields hold their empty value in 2.0. */
function pduArb(version: CmppVersion): fc.Arbitrary<CmppPdu> {
  const tid = text(terminalIdSize(version));
  const only30 = <T>(arb: fc.Arbitrary<T>, empty: T) => (version === 0x30 ? arb : fc.constant(empty));
  const status = version === 0x20 ? u8 : u32;
  return fc.oneof(
    fc.record({ command: fc.constant('CONNECT' as const), sequenceId: u32, sourceAddr: text(6), authenticatorSource: buf(16, 16), version: u8, timestamp: u32 }),
    fc.record({ command: fc.constant('CONNECT_RESP' as const), sequenceId: u32, status, authenticatorIsmg: buf(16, 16), version: u8 }),
    fc
      .record({
        command: fc.constant('SUBMIT' as const),
        sequenceId: u32,
        msgId: u64,
        pkTotal: u8,
        pkNumber: u8,
        registeredDelivery: u8,
        msgLevel: u8,
        serviceId: text(10),
        feeUserType: u8,
        feeTerminalId: tid,
        feeTerminalType: only30(u8, 0),
        tpPid: u8,
        tpUdhi: u8,
        msgSrc: text(6),
        feeType: text(2),
        feeCode: text(6),
        validTime: text(17),
        atTime: text(17),
        srcId: text(21),
        destTerminalIds: fc.array(tid, { minLength: 1, maxLength: 100 }),
        destTerminalType: only30(u8, 0),
        linkId: only30(text(20), ''),
        body: content,
      })
      .map(({ body, ...rest }) => ({ ...rest, ...body })),
    fc.record({ command: fc.constantFrom('SUBMIT_RESP' as const, 'DELIVER_RESP' as const), sequenceId: u32, msgId: u64, result: status }),
    fc
      .record({
        command: fc.constant('DELIVER' as const),
        sequenceId: u32,
        msgId: u64,
        destId: text(21),
        serviceId: text(10),
        tpPid: u8,
        tpUdhi: u8,
        srcTerminalId: tid,
        srcTerminalType: only30(u8, 0),
        linkId: only30(text(20), ''),
        payload: fc.oneof(
          content.map((c) => ({ registeredDelivery: 0 as const, ...c })),
          fc.record({
            registeredDelivery: fc.constant(1 as const),
            msgFmt: u8,
            report: fc.record({ msgId: u64, stat: text(7), submitTime: text(10), doneTime: text(10), destTerminalId: tid, smscSequence: u32 }),
          }),
        ),
      })
      .map(({ payload, ...rest }) => ({ ...rest, ...payload })),
    fc.record({ command: fc.constantFrom('ACTIVE_TEST' as const, 'TERMINATE' as const, 'TERMINATE_RESP' as const), sequenceId: u32 }),
    fc.record({ command: fc.constant('ACTIVE_TEST_RESP' as const), sequenceId: u32, reserved: u8 }),
  );
}

describe.each([
  { version: 0x20, name: '2.0' },
  { version: 0x30, name: '3.0' },
] as const)('CMPP $name round trip', ({ version }) => {
  it('decode(encode(pdu)) gives the pdu back, and Total_Length is the frame size', () => {
    fc.assert(
      fc.property(pduArb(version), (pdu) => {
        const frame = encodePdu(version, pdu);
        expect(frame.readUInt32BE(0)).toBe(frame.length);
        expect(decodePdu(version, frame)).toEqual(pdu);
      }),
    );
  });

  it('frames survive any chunking of the stream: split, coalesced, byte by byte', () => {
    fc.assert(
      fc.property(fc.array(pduArb(version), { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (pdus, cuts) => {
        const frames = pdus.map((p) => encodePdu(version, p));
        const stream = Buffer.concat(frames);
        const splitter = new CmppFrameSplitter();
        const out: Buffer[] = [];
        for (let offset = 0, i = 0; offset < stream.length; i++) {
          const size = cuts[i % cuts.length]!;
          out.push(...splitter.push(stream.subarray(offset, offset + size)));
          offset += size;
        }
        expect(out).toEqual(frames);
        expect(splitter.buffered).toBe(0);
        expect(out.map((f) => decodePdu(version, f))).toEqual(pdus);
      }),
    );
  });

  it('every strict prefix of a frame is refused as truncated, never misread', () => {
    fc.assert(
      fc.property(pduArb(version), fc.nat(), (pdu, n) => {
        const frame = encodePdu(version, pdu);
        const cut = n % frame.length;
        try {
          decodePdu(version, frame.subarray(0, cut));
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('CMPP_PDU_TRUNCATED');
        }
      }),
    );
  });

  it('random bytes raise AppErrors, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
        try {
          decodePdu(version, junk);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
        }
      }),
    );
  });
});
