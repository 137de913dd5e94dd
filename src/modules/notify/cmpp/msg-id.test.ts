import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu } from './codec.ts';
import { canonicalMsgId, decodeMsgId, encodeMsgId, msgIdToString, parseMsgId, type MsgIdParts } from './msg-id.ts';
import { codeOf } from '../test-support.ts';

// 22 Nov 05:40:02, gateway 123456, sequence 7. Bits: 1011 10110 00101 101000 000010 (22 bits of 123456) (16 bits of 7).
const NOV_ID = 0xbb16_8081_e240_0007n;
const NOV_PARTS: MsgIdParts = { month: 11, day: 22, hour: 5, minute: 40, second: 2, gatewayId: 123456, sequence: 7 };

describe('Msg_Id', () => {
  it('splits into month, day, hour, minute, second, gateway and sequence', () => {
    expect(decodeMsgId(NOV_ID)).toEqual(NOV_PARTS);
    expect(encodeMsgId(NOV_PARTS)).toBe(NOV_ID);
  });

  it('round-trips every valid set of parts', () => {
    const parts = fc.record({
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      gatewayId: fc.integer({ min: 0, max: 0x3f_ffff }),
      sequence: fc.integer({ min: 0, max: 0xffff }),
    });
    fc.assert(
      fc.property(parts, (p) => {
        expect(decodeMsgId(encodeMsgId(p))).toEqual(p);
      }),
    );
  });

  it('refuses parts that do not fit', () => {
    expect(codeOf(() => encodeMsgId({ ...NOV_PARTS, month: 13 }))).toBe('CMPP_MSG_ID_INVALID');
    expect(codeOf(() => encodeMsgId({ ...NOV_PARTS, gatewayId: 0x40_0000 }))).toBe('CMPP_MSG_ID_INVALID');
    expect(codeOf(() => encodeMsgId({ ...NOV_PARTS, sequence: 1.5 }))).toBe('CMPP_MSG_ID_INVALID');
  });

  it('has one canonical string, whichever way another system printed it', () => {
    const canonical = '13481103829915140103';
    expect(msgIdToString(NOV_ID)).toBe(canonical);
    // A Java long prints the same 8 bytes negative from August on, because the month sets the top bit.
    expect(canonicalMsgId('-4965640243794411513')).toBe(canonical);
    expect(canonicalMsgId('0xBB168081E2400007')).toBe(canonical);
    expect(canonicalMsgId(' 13481103829915140103 ')).toBe(canonical);
    expect(codeOf(() => parseMsgId('18446744073709551616'))).toBe('CMPP_MSG_ID_INVALID');
    expect(codeOf(() => parseMsgId('-9223372036854775809'))).toBe('CMPP_MSG_ID_INVALID');
    expect(codeOf(() => parseMsgId('BB168081E2400007'))).toBe('CMPP_MSG_ID_INVALID');
  });

  it('the id in SUBMIT_RESP and the id in the status report give the same string', () => {
    const resp = decodePdu(0x30, encodePdu(0x30, { command: 'SUBMIT_RESP', sequenceId: 1, msgId: NOV_ID, result: 0 }));
    const deliver = decodePdu(
      0x30,
      encodePdu(0x30, {
        command: 'DELIVER',
        sequenceId: 2,
        msgId: 1n,
        destId: '1065712345',
        serviceId: '',
        tpPid: 0,
        tpUdhi: 0,
        msgFmt: 0,
        srcTerminalId: '13800138000',
        srcTerminalType: 0,
        linkId: '',
        registeredDelivery: 1,
        report: { msgId: NOV_ID, stat: 'DELIVRD', submitTime: '2611220540', doneTime: '2611220541', destTerminalId: '13800138000', smscSequence: 1 },
      }),
    );
    if (resp.command !== 'SUBMIT_RESP' || deliver.command !== 'DELIVER' || deliver.registeredDelivery !== 1) throw new Error('unexpected pdu');
    expect(msgIdToString(deliver.report.msgId)).toBe(msgIdToString(resp.msgId));
    expect(msgIdToString(resp.msgId)).toBe('13481103829915140103');
  });

  it('parse(toString(id)) is the id for every 64-bit value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn }), (id) => {
        expect(parseMsgId(msgIdToString(id))).toBe(id);
      }),
    );
  });
});
