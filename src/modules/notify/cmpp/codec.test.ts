import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors/app-error.ts';
import { authenticatorIsmg, authenticatorMatches, authenticatorSource, cmppTimestamp, timestampText } from './auth.ts';
import { decodePdu, encodePdu, statusReportLength } from './codec.ts';
import type { CmppDeliver, CmppPdu, CmppSubmit } from './pdu.ts';
import { ascii, bytes, codeOf, zeros } from '../test-support.ts';

/** Both directions: our encoder writes exactly these bytes, and our decoder reads them back to the value. */
function expectWire(version: 0x20 | 0x30, pdu: CmppPdu, wire: Buffer) {
  expect(encodePdu(version, pdu).toString('hex')).toBe(wire.toString('hex'));
  expect(decodePdu(version, wire)).toEqual(pdu);
}

// MD5('901234' + 9 × 00 + 'Secret-1' + '0106000405'), computed outside this code base (Python hashlib).
const AUTH_SOURCE = '5e10c5d2d0eb914c4651eabeb354f8e2';

describe('CONNECT authentication', () => {
  it('formats the Timestamp in Beijing time whatever the process time zone', () => {
    // 16:04:05 UTC on 5 January is 00:04:05 on 6 January in Beijing; tests run in America/New_York.
    expect(cmppTimestamp(new Date('2026-01-05T16:04:05Z'))).toEqual({ text: '0106000405', value: 106000405 });
    expect(timestampText(106000405)).toBe('0106000405');
    expect(() => timestampText(1232000000)).toThrow(AppError);
  });

  it('computes AuthenticatorSource with nine zero bytes and the MMDDHHMMSS string', () => {
    expect(authenticatorSource('901234', 'Secret-1', '0106000405').toString('hex')).toBe(AUTH_SOURCE);
    expect(authenticatorSource('901234', 'Secret-2', '0106000405').toString('hex')).not.toBe(AUTH_SOURCE);
  });

  it('computes AuthenticatorISMG over the status in its wire width (1 byte in 2.0, 4 in 3.0)', () => {
    const source = Buffer.from(AUTH_SOURCE, 'hex');
    expect(authenticatorIsmg(0x20, 0, source, 'Secret-1').toString('hex')).toBe('7326d0ac6ff5c3eb667f3bb47eb20cbd');
    expect(authenticatorIsmg(0x30, 0, source, 'Secret-1').toString('hex')).toBe('0b889aef54b38162402899fb62398662');
    expect(codeOf(() => authenticatorIsmg(0x20, 256, source, 'Secret-1'))).toBe('CMPP_FIELD_INVALID');
  });

  it('compares authenticators by content', () => {
    const a = Buffer.from(AUTH_SOURCE, 'hex');
    expect(authenticatorMatches(a, Buffer.from(a))).toBe(true);
    expect(authenticatorMatches(a, Buffer.alloc(16))).toBe(false);
    expect(authenticatorMatches(a, a.subarray(0, 15))).toBe(false);
  });
});

describe('CMPP frames, field by field from the specification tables', () => {
  it('CONNECT (same layout in 2.0 and 3.0)', () => {
    const wire = bytes(
      '00000027', // Total_Length = 39
      '00000001', // Command_Id = CMPP_CONNECT
      '00000001', // Sequence_Id
      ascii('901234', 6), // Source_Addr
      AUTH_SOURCE, // AuthenticatorSource
      '30', // Version 3.0
      '06517015', // Timestamp 0106000405 as an integer
    );
    const pdu: CmppPdu = {
      command: 'CONNECT',
      sequenceId: 1,
      sourceAddr: '901234',
      authenticatorSource: Buffer.from(AUTH_SOURCE, 'hex'),
      version: 0x30,
      timestamp: 106000405,
    };
    expectWire(0x30, pdu, wire);
    expectWire(
      0x20,
      { ...pdu, version: 0x20 },
      bytes(
        '00000027', // Total_Length = 39
        '00000001', // Command_Id = CMPP_CONNECT
        '00000001', // Sequence_Id
        ascii('901234', 6), // Source_Addr
        AUTH_SOURCE, // AuthenticatorSource
        '20', // Version 2.0
        '06517015', // Timestamp
      ),
    );
  });

  it('CONNECT_RESP: 1-byte Status in 2.0, 4-byte Status in 3.0', () => {
    const ismg = '7326d0ac6ff5c3eb667f3bb47eb20cbd';
    expectWire(
      0x20,
      { command: 'CONNECT_RESP', sequenceId: 1, status: 0, authenticatorIsmg: Buffer.from(ismg, 'hex'), version: 0x20 },
      bytes(
        '0000001e', // Total_Length = 30
        '80000001', // Command_Id = CMPP_CONNECT_RESP
        '00000001', // Sequence_Id
        '00', // Status (1 byte)
        ismg, // AuthenticatorISMG
        '20', // Version
      ),
    );
    expectWire(
      0x30,
      { command: 'CONNECT_RESP', sequenceId: 7, status: 3, authenticatorIsmg: Buffer.from(ismg, 'hex'), version: 0x30 },
      bytes(
        '00000021', // Total_Length = 33
        '80000001', // Command_Id = CMPP_CONNECT_RESP
        '00000007', // Sequence_Id
        '00000003', // Status (4 bytes): authentication failed
        ismg, // AuthenticatorISMG
        '30', // Version
      ),
    );
  });

  it('reads a 2.0 CONNECT_RESP refusing a 3.0 CONNECT (Status 4: version too high)', () => {
    const wire = bytes(
      '0000001e', // Total_Length = 30: the 2.0 layout
      '80000001', // Command_Id = CMPP_CONNECT_RESP
      '00000001', // Sequence_Id
      '04', // Status (1 byte): version too high
      zeros(16), // AuthenticatorISMG
      '20', // Version the ISMG speaks
    );
    expect(decodePdu(0x30, wire)).toMatchObject({ command: 'CONNECT_RESP', status: 4, version: 0x20 });
    expect(codeOf(() => decodePdu(0x30, bytes('0000001f', '80000001', '00000001', '00', zeros(16), '20', '00')))).toBe('CMPP_PDU_LENGTH_INVALID');
  });

  const submit2: CmppSubmit = {
    command: 'SUBMIT',
    sequenceId: 0x0102_0304,
    msgId: 0n,
    pkTotal: 2,
    pkNumber: 1,
    registeredDelivery: 1,
    msgLevel: 1,
    serviceId: 'CARDFLOW',
    feeUserType: 2,
    feeTerminalId: '',
    feeTerminalType: 0,
    tpPid: 0,
    tpUdhi: 1,
    msgFmt: 8,
    msgSrc: '901234',
    feeType: '01',
    feeCode: '000000',
    validTime: '',
    atTime: '',
    srcId: '1065712345',
    destTerminalIds: ['13800138000'],
    destTerminalType: 0,
    content: Buffer.from('0500037f0201' + '4f60' + '597d', 'hex'), // UDH part 1 of 2, then "你好"
    linkId: '',
  };

  it('SUBMIT in 2.0: 21-byte terminal ids, 8 reserved bytes at the end', () => {
    expectWire(
      0x20,
      submit2,
      bytes(
        '000000a9', // Total_Length = 12 + 126 + 21 + 10 = 169
        '00000004', // Command_Id = CMPP_SUBMIT
        '01020304', // Sequence_Id
        zeros(8), // Msg_Id (filled in by the ISMG)
        '02', // Pk_total
        '01', // Pk_number
        '01', // Registered_Delivery: status report wanted
        '01', // Msg_level
        ascii('CARDFLOW', 10), // Service_Id
        '02', // Fee_UserType
        ascii('', 21), // Fee_terminal_Id
        '00', // TP_pId
        '01', // TP_udhi: Msg_Content starts with a UDH
        '08', // Msg_Fmt: UCS-2
        ascii('901234', 6), // Msg_src
        ascii('01', 2), // FeeType
        ascii('000000', 6), // FeeCode
        ascii('', 17), // ValId_Time
        ascii('', 17), // At_Time
        ascii('1065712345', 21), // Src_Id
        '01', // DestUsr_tl
        ascii('13800138000', 21), // Dest_terminal_Id
        '0a', // Msg_Length = 10
        '0500037f0201 4f60 597d', // Msg_Content
        zeros(8), // Reserve
      ),
    );
  });

  it('SUBMIT in 3.0: 32-byte terminal ids, terminal types and LinkID', () => {
    const submit3: CmppSubmit = { ...submit2, feeTerminalType: 0, destTerminalIds: ['8613800138000', '13900139000'], destTerminalType: 1, linkId: 'LINK-42' };
    expectWire(
      0x30,
      submit3,
      bytes(
        '000000ed', // Total_Length = 12 + 151 + 2 × 32 + 10 = 237
        '00000004', // Command_Id = CMPP_SUBMIT
        '01020304', // Sequence_Id
        zeros(8), // Msg_Id
        '02', // Pk_total
        '01', // Pk_number
        '01', // Registered_Delivery
        '01', // Msg_level
        ascii('CARDFLOW', 10), // Service_Id
        '02', // Fee_UserType
        ascii('', 32), // Fee_terminal_Id
        '00', // Fee_terminal_type
        '00', // TP_pId
        '01', // TP_udhi
        '08', // Msg_Fmt
        ascii('901234', 6), // Msg_src
        ascii('01', 2), // FeeType
        ascii('000000', 6), // FeeCode
        ascii('', 17), // ValId_Time
        ascii('', 17), // At_Time
        ascii('1065712345', 21), // Src_Id
        '02', // DestUsr_tl
        ascii('8613800138000', 32), // Dest_terminal_Id[0]
        ascii('13900139000', 32), // Dest_terminal_Id[1]
        '01', // Dest_terminal_type: pseudo code
        '0a', // Msg_Length
        '0500037f0201 4f60 597d', // Msg_Content
        ascii('LINK-42', 20), // LinkID
      ),
    );
  });

  it('refuses 3.0-only fields and over-long values when encoding 2.0', () => {
    expect(codeOf(() => encodePdu(0x20, { ...submit2, linkId: 'X' }))).toBe('CMPP_FIELD_INVALID');
    expect(codeOf(() => encodePdu(0x20, { ...submit2, destTerminalType: 1 }))).toBe('CMPP_FIELD_INVALID');
    expect(codeOf(() => encodePdu(0x20, { ...submit2, destTerminalIds: ['1'.repeat(22)] }))).toBe('CMPP_FIELD_INVALID');
    expect(codeOf(() => encodePdu(0x20, { ...submit2, destTerminalIds: [] }))).toBe('CMPP_FIELD_INVALID');
    expect(codeOf(() => encodePdu(0x20, { ...submit2, serviceId: '短信' }))).toBe('CMPP_FIELD_INVALID');
    expect(codeOf(() => encodePdu(0x20, { ...submit2, content: Buffer.alloc(141) }))).toBe('CMPP_FIELD_INVALID');
    expect(encodePdu(0x20, { ...submit2, msgFmt: 0, tpUdhi: 0, content: Buffer.alloc(160, 0x41) }).length).toBe(12 + 126 + 21 + 160);
    expect(codeOf(() => encodePdu(0x20, { ...submit2, pkTotal: 256 }))).toBe('CMPP_FIELD_INVALID');
    expect(codeOf(() => encodePdu(0x21 as 0x20, submit2))).toBe('CMPP_VERSION_UNSUPPORTED');
  });

  it('SUBMIT_RESP and DELIVER_RESP: 1-byte Result in 2.0, 4-byte in 3.0', () => {
    const msgId = 0xbb16_8081_e240_0007n;
    expectWire(
      0x20,
      { command: 'SUBMIT_RESP', sequenceId: 9, msgId, result: 0 },
      bytes(
        '00000015', // Total_Length = 21
        '80000004', // Command_Id = CMPP_SUBMIT_RESP
        '00000009', // Sequence_Id
        'bb168081e2400007', // Msg_Id
        '00', // Result
      ),
    );
    expectWire(
      0x30,
      { command: 'SUBMIT_RESP', sequenceId: 9, msgId, result: 8 },
      bytes(
        '00000018', // Total_Length = 24
        '80000004', // Command_Id = CMPP_SUBMIT_RESP
        '00000009', // Sequence_Id
        'bb168081e2400007', // Msg_Id
        '00000008', // Result: flow control
      ),
    );
    expectWire(
      0x30,
      { command: 'DELIVER_RESP', sequenceId: 10, msgId, result: 0 },
      bytes(
        '00000018', // Total_Length = 24
        '80000005', // Command_Id = CMPP_DELIVER_RESP
        '0000000a', // Sequence_Id
        'bb168081e2400007', // Msg_Id
        '00000000', // Result
      ),
    );
  });

  it('DELIVER of a reply in 2.0', () => {
    const mo: CmppDeliver = {
      command: 'DELIVER',
      sequenceId: 77,
      msgId: 0x1234n,
      destId: '1065712345',
      serviceId: 'CARDFLOW',
      tpPid: 0,
      tpUdhi: 0,
      msgFmt: 0,
      srcTerminalId: '13800138000',
      srcTerminalType: 0,
      linkId: '',
      registeredDelivery: 0,
      content: Buffer.from('R', 'latin1'),
    };
    expectWire(
      0x20,
      mo,
      bytes(
        '00000056', // Total_Length = 12 + 73 + 1 = 86
        '00000005', // Command_Id = CMPP_DELIVER
        '0000004d', // Sequence_Id
        '0000000000001234', // Msg_Id
        ascii('1065712345', 21), // Dest_Id
        ascii('CARDFLOW', 10), // Service_Id
        '00', // TP_pid
        '00', // TP_udhi
        '00', // Msg_Fmt: ASCII
        ascii('13800138000', 21), // Src_terminal_Id
        '00', // Registered_Delivery: not a status report
        '01', // Msg_Length
        '52', // Msg_Content "R"
        zeros(8), // Reserved
      ),
    );
  });

  it('DELIVER carrying a status report in 3.0 (Msg_Content is the 71-byte report)', () => {
    expect(statusReportLength(0x20)).toBe(60);
    expect(statusReportLength(0x30)).toBe(71);
    const report: CmppDeliver = {
      command: 'DELIVER',
      sequenceId: 78,
      msgId: 0x99n,
      destId: '1065712345',
      serviceId: 'CARDFLOW',
      tpPid: 0,
      tpUdhi: 0,
      msgFmt: 0,
      srcTerminalId: '13800138000',
      srcTerminalType: 0,
      linkId: '',
      registeredDelivery: 1,
      report: {
        msgId: 0xbb16_8081_e240_0007n,
        stat: 'DELIVRD',
        submitTime: '2611220540',
        doneTime: '2611220541',
        destTerminalId: '13800138000',
        smscSequence: 4242,
      },
    };
    expectWire(
      0x30,
      report,
      bytes(
        '000000b4', // Total_Length = 12 + 97 + 71 = 180
        '00000005', // Command_Id = CMPP_DELIVER
        '0000004e', // Sequence_Id
        '0000000000000099', // Msg_Id (of this DELIVER)
        ascii('1065712345', 21), // Dest_Id
        ascii('CARDFLOW', 10), // Service_Id
        '00', // TP_pid
        '00', // TP_udhi
        '00', // Msg_Fmt
        ascii('13800138000', 32), // Src_terminal_Id
        '00', // Src_terminal_type
        '01', // Registered_Delivery: status report
        '47', // Msg_Length = 71
        'bb168081e2400007', //   report Msg_Id: the id SUBMIT_RESP gave
        ascii('DELIVRD', 7), //   Stat
        ascii('2611220540', 10), //   Submit_time
        ascii('2611220541', 10), //   Done_time
        ascii('13800138000', 32), //   Dest_terminal_Id
        '00001092', //   SMSC_sequence = 4242
        ascii('', 20), // LinkID
      ),
    );
  });

  it('ACTIVE_TEST, ACTIVE_TEST_RESP, TERMINATE, TERMINATE_RESP', () => {
    for (const version of [0x20, 0x30] as const) {
      expectWire(version, { command: 'ACTIVE_TEST', sequenceId: 5 }, bytes('0000000c', '00000008', '00000005'));
      expectWire(version, { command: 'ACTIVE_TEST_RESP', sequenceId: 5, reserved: 0 }, bytes('0000000d', '80000008', '00000005', '00'));
      expectWire(version, { command: 'TERMINATE', sequenceId: 6 }, bytes('0000000c', '00000002', '00000006'));
      expectWire(version, { command: 'TERMINATE_RESP', sequenceId: 6 }, bytes('0000000c', '80000002', '00000006'));
    }
  });
});

describe('malformed frames', () => {
  const activeTestResp = bytes('0000000d', '80000008', '00000005', '00');

  it('a truncated frame', () => {
    expect(codeOf(() => decodePdu(0x30, activeTestResp.subarray(0, 12)))).toBe('CMPP_PDU_TRUNCATED');
    expect(codeOf(() => decodePdu(0x30, activeTestResp.subarray(0, 7)))).toBe('CMPP_PDU_TRUNCATED');
  });

  it('an unknown command id', () => {
    // CMPP_QUERY exists in the specification but is not something we speak.
    expect(codeOf(() => decodePdu(0x30, bytes('0000000c', '00000006', '00000001')))).toBe('CMPP_COMMAND_UNKNOWN');
    expect(codeOf(() => decodePdu(0x30, bytes('0000000c', 'deadbeef', '00000001')))).toBe('CMPP_COMMAND_UNKNOWN');
  });

  it('a Total_Length shorter than the header', () => {
    expect(codeOf(() => decodePdu(0x30, bytes('0000000b', '00000008', '00000001')))).toBe('CMPP_FRAME_LENGTH_INVALID');
  });

  it('bodies longer or shorter than the layout', () => {
    // ACTIVE_TEST_RESP without its Reserved byte, and with one byte too many.
    expect(codeOf(() => decodePdu(0x30, bytes('0000000c', '80000008', '00000005')))).toBe('CMPP_PDU_LENGTH_INVALID');
    expect(codeOf(() => decodePdu(0x30, bytes('0000000e', '80000008', '00000005', '0000')))).toBe('CMPP_PDU_LENGTH_INVALID');
    // A 2.0 SUBMIT_RESP read as 3.0: the 4-byte Result is missing three bytes.
    expect(codeOf(() => decodePdu(0x30, bytes('00000015', '80000004', '00000009', 'bb168081e2400007', '00')))).toBe('CMPP_PDU_LENGTH_INVALID');
    // More bytes in the buffer than Total_Length claims.
    expect(codeOf(() => decodePdu(0x30, Buffer.concat([activeTestResp, Buffer.of(0)])))).toBe('CMPP_PDU_LENGTH_INVALID');
  });

  it('a SUBMIT whose DestUsr_tl promises more terminal ids than the frame holds', () => {
    const wire = encodePdu(0x20, {
      command: 'SUBMIT', sequenceId: 1, msgId: 0n, pkTotal: 1, pkNumber: 1, registeredDelivery: 0, msgLevel: 0, serviceId: '', feeUserType: 0,
      feeTerminalId: '', feeTerminalType: 0, tpPid: 0, tpUdhi: 0, msgFmt: 0, msgSrc: '', feeType: '', feeCode: '', validTime: '', atTime: '',
      srcId: '', destTerminalIds: ['13800138000'], destTerminalType: 0, content: Buffer.from('hi'), linkId: '',
    });
    const destCountOffset = 12 + 116;
    expect(wire[destCountOffset]).toBe(1);
    const twoDests = Buffer.from(wire);
    twoDests[destCountOffset] = 2;
    expect(codeOf(() => decodePdu(0x20, twoDests))).toBe('CMPP_PDU_LENGTH_INVALID');
    const noDests = Buffer.from(wire);
    noDests[destCountOffset] = 0;
    expect(codeOf(() => decodePdu(0x20, noDests))).toBe('CMPP_PDU_FIELD_INVALID');
  });

  it('a status report of the wrong size, and a Registered_Delivery that is neither 0 nor 1', () => {
    const deliver = (registeredDelivery: string, content: string) =>
      bytes(
        (12 + 73 + content.length / 2).toString(16).padStart(8, '0'),
        '00000005',
        '00000001',
        zeros(8),
        ascii('1065712345', 21),
        ascii('', 10),
        '00',
        '00',
        '00',
        ascii('13800138000', 21),
        registeredDelivery,
        (content.length / 2).toString(16).padStart(2, '0'),
        content,
        zeros(8),
      );
    expect(decodePdu(0x20, deliver('01', zeros(60)))).toMatchObject({ registeredDelivery: 1 });
    expect(codeOf(() => decodePdu(0x20, deliver('01', zeros(59))))).toBe('CMPP_STATUS_REPORT_INVALID');
    expect(codeOf(() => decodePdu(0x20, deliver('01', zeros(71))))).toBe('CMPP_STATUS_REPORT_INVALID');
    expect(codeOf(() => decodePdu(0x20, deliver('02', '52')))).toBe('CMPP_PDU_FIELD_INVALID');
  });

  it('carries the error in both languages', () => {
    try {
      decodePdu(0x30, bytes('0000000c', 'deadbeef', '00000001'));
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).messageIn('zh-CN')).toBe('未知的 CMPP 命令 0xdeadbeef');
      expect((e as AppError).messageIn('en-US')).toBe('Unknown CMPP Command_Id 0xdeadbeef');
    }
    expect.assertions(3);
  });
});
