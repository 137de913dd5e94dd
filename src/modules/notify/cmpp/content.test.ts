import { describe, expect, it } from 'vitest';
import { segmentText } from '../segments.ts';
import { decodePdu, encodePdu } from './codec.ts';
import { decodeMsgContent, submitSegments } from './content.ts';
import type { CmppSubmit } from './pdu.ts';
import { codeOf } from '../test-support.ts';

const base: Omit<CmppSubmit, 'pkTotal' | 'pkNumber' | 'tpUdhi' | 'msgFmt' | 'content'> = {
  command: 'SUBMIT', sequenceId: 1, msgId: 0n, registeredDelivery: 1, msgLevel: 0, serviceId: 'CARDFLOW', feeUserType: 2, feeTerminalId: '',
  feeTerminalType: 0, msgSrc: '901234', feeType: '01', feeCode: '000000', validTime: '', atTime: '', srcId: '1065712345',
  destTerminalIds: ['13800138000'], destTerminalType: 0, tpPid: 0, linkId: '',
};

describe('submitSegments', () => {
  it('turns a long notice into SUBMITs with Pk_total, Pk_number, TP_udhi and UCS-2', () => {
    const text = `【常州市公安局】${'您的居住证已制作完成，请携带受理回执到原受理点领取。'.repeat(3)}`;
    const sms = segmentText(text, { reference: 3, priceMilliFen: 3500, ucs2Only: true });
    const fields = submitSegments(sms);
    expect(fields.map((f) => [f.pkTotal, f.pkNumber, f.tpUdhi, f.msgFmt])).toEqual([
      [2, 1, 1, 8],
      [2, 2, 1, 8],
    ]);
    const texts = fields.map((f) => {
      const decoded = decodePdu(0x30, encodePdu(0x30, { ...base, ...f }));
      if (decoded.command !== 'SUBMIT') throw new Error('not a SUBMIT');
      return decodeMsgContent(decoded);
    });
    expect(texts.map((t) => t.concat)).toEqual([
      { reference: 3, total: 2, sequence: 1 },
      { reference: 3, total: 2, sequence: 2 },
    ]);
    expect(texts.map((t) => t.text).join('')).toBe(text);
  });

  it('sends even plain ASCII as UCS-2 when asked, and refuses GSM-7 segments', () => {
    expect(submitSegments(segmentText('Card ready', { reference: 0, priceMilliFen: 0, ucs2Only: true }))[0]).toMatchObject({ msgFmt: 8, tpUdhi: 0 });
    expect(codeOf(() => submitSegments(segmentText('Card ready', { reference: 0, priceMilliFen: 0 })))).toBe('CMPP_MSG_FMT_UNSUPPORTED');
  });
});

describe('decodeMsgContent', () => {
  it('reads ASCII, UCS-2 and GBK replies', () => {
    expect(decodeMsgContent({ msgFmt: 0, tpUdhi: 0, content: Buffer.from('TD') }).text).toBe('TD');
    expect(decodeMsgContent({ msgFmt: 8, tpUdhi: 0, content: Buffer.from('90008ba2', 'hex') }).text).toBe('退订');
    expect(decodeMsgContent({ msgFmt: 15, tpUdhi: 0, content: Buffer.from('cdcbb6a9', 'hex') }).text).toBe('退订');
  });

  it('refuses broken GBK and formats it does not know', () => {
    expect(codeOf(() => decodeMsgContent({ msgFmt: 15, tpUdhi: 0, content: Buffer.from('cd', 'hex') }))).toBe('SMS_USER_DATA_INVALID');
    expect(codeOf(() => decodeMsgContent({ msgFmt: 4, tpUdhi: 0, content: Buffer.from('00', 'hex') }))).toBe('CMPP_MSG_FMT_UNSUPPORTED');
  });
});
