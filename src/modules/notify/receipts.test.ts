import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { canonicalMessageId, matchesMessageId, parseDeliveryReceipt, statusFromStat } from './receipts.ts';
import { codeOf } from './test-support.ts';

describe('parseDeliveryReceipt', () => {
  it('reads the SMPP 3.4 Appendix B format', () => {
    const r = parseDeliveryReceipt('id:0123456789 sub:001 dlvrd:001 submit date:2611220540 done date:2611220541 stat:DELIVRD err:000 text:【人社局】您的社保卡');
    expect(r).toEqual({
      messageId: '0123456789',
      messageIdSource: 'text',
      stat: 'DELIVRD',
      status: 'DELIVERED',
      err: '000',
      submitted: 1,
      delivered: 1,
      // 05:40 Beijing time is 21:40 UTC the day before.
      submitDate: new Date('2026-11-21T21:40:00Z'),
      doneDate: new Date('2026-11-21T21:41:00Z'),
      text: '【人社局】您的社保卡',
    });
  });

  it('tolerates vendor variants: submit_date, case, seconds, missing fields, extra spaces', () => {
    const r = parseDeliveryReceipt('ID:7F3A2B  SUBMIT_DATE:261122054012 Done_Date:2611220541  Stat:undeliv Err:0B1');
    expect(r).toMatchObject({
      messageId: '7F3A2B',
      stat: 'UNDELIV',
      status: 'FAILED',
      err: '0B1',
      submitted: null,
      delivered: null,
      submitDate: new Date('2026-11-21T21:40:12Z'),
      doneDate: new Date('2026-11-21T21:41:00Z'),
      text: null,
    });
  });

  it('keeps everything after text: even when it looks like fields', () => {
    const r = parseDeliveryReceipt('id:42 stat:DELIVRD text:stat:UNDELIV id:99');
    expect(r).toMatchObject({ messageId: '42', stat: 'DELIVRD', text: 'stat:UNDELIV id:99' });
  });

  it('does not read a key inside a value (stat:ID:0076 is a CMPP-style vendor code)', () => {
    const r = parseDeliveryReceipt('id:42 sub:001 dlvrd:000 stat:ID:0076 err:076');
    expect(r).toMatchObject({ messageId: '42', stat: 'ID:0076', status: 'FAILED' });
  });

  it('prefers the receipted_message_id TLV, which is never cut to 10 characters', () => {
    const r = parseDeliveryReceipt('id:1234567890 stat:DELIVRD', { receiptedMessageId: '12345678901234567890\0' });
    expect(r.messageId).toBe('12345678901234567890');
    expect(r.messageIdSource).toBe('tlv');
    expect(parseDeliveryReceipt('id:1234567890 stat:DELIVRD', { receiptedMessageId: '' }).messageIdSource).toBe('text');
  });

  it('falls back to message_state and network_error_code when the text lacks them', () => {
    const r = parseDeliveryReceipt('', { receiptedMessageId: 'abc', messageState: 3, networkErrorCode: Uint8Array.of(3, 0x00, 0x0b) });
    expect(r).toMatchObject({ messageId: 'abc', stat: 'EXPIRED', status: 'EXPIRED', err: '011' });
  });

  it('turns impossible dates into null instead of losing the receipt', () => {
    const r = parseDeliveryReceipt('id:1 submit date:2613320540 done date:26112205 stat:DELIVRD');
    expect(r.submitDate).toBeNull();
    expect(r.doneDate).toBeNull();
    expect(r.status).toBe('DELIVERED');
  });

  it('reads dates at another offset when the SMSC is elsewhere', () => {
    expect(parseDeliveryReceipt('id:1 done date:2611220540 stat:DELIVRD', {}, 0).doneDate).toEqual(new Date('2026-11-22T05:40:00Z'));
  });

  it('refuses receipts without an id or a stat', () => {
    expect(codeOf(() => parseDeliveryReceipt('sub:001 stat:DELIVRD'))).toBe('SMS_RECEIPT_INVALID');
    expect(codeOf(() => parseDeliveryReceipt('id: stat:DELIVRD'))).toBe('SMS_RECEIPT_INVALID');
    expect(codeOf(() => parseDeliveryReceipt('id:42 err:000'))).toBe('SMS_RECEIPT_INVALID');
    expect(codeOf(() => parseDeliveryReceipt('hello, are you there?'))).toBe('SMS_RECEIPT_INVALID');
  });

  it('never throws anything but an AppError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const r = parseDeliveryReceipt(s);
          expect(r.messageId.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
        }
      }),
    );
  });
});

describe('statusFromStat', () => {
  it.each([
    ['DELIVRD', 'DELIVERED'],
    ['delivrd', 'DELIVERED'],
    ['EXPIRED', 'EXPIRED'],
    ['UNDELIV', 'FAILED'],
    ['REJECTD', 'FAILED'],
    ['DELETED', 'FAILED'],
    ['UNKNOWN', 'FAILED'],
    ['MBBLACK', 'FAILED'],
    ['MK:0001', 'FAILED'],
    ['ENROUTE', null],
    ['ACCEPTD', null],
    ['BUFFRED', null],
  ])('%s → %s', (stat, status) => {
    expect(statusFromStat(stat)).toBe(status);
  });
});

describe('message id matching', () => {
  it('matches the hex submit_sm_resp id to the decimal receipt id and the reverse', () => {
    expect(matchesMessageId('7F3A2B', '8337963')).toBe(true);
    expect(matchesMessageId('8337963', '7f3a2b')).toBe(true);
    expect(matchesMessageId('7F3A2B', '8337964')).toBe(false);
  });

  it('ignores case and leading zeros, and an empty id matches nothing', () => {
    expect(matchesMessageId('00a1b2', 'A1B2')).toBe(true);
    expect(matchesMessageId('0000000042', '42')).toBe(true);
    expect(matchesMessageId('', '')).toBe(false);
    expect(matchesMessageId('', '0')).toBe(false);
  });

  it('compares ids that are not numbers as text only', () => {
    expect(matchesMessageId('b5d1-44ef', 'B5D1-44EF')).toBe(true);
    expect(matchesMessageId('b5d1-44ef', 'b5d1-44ee')).toBe(false);
  });

  it('with configured radixes, only that reading counts', () => {
    // Automatic matching cannot tell "10" hex from "16" decimal; a configured gateway can.
    expect(matchesMessageId('10', '16')).toBe(true);
    expect(matchesMessageId('10', '16', { submit: 'dec', receipt: 'dec' })).toBe(false);
    expect(matchesMessageId('10', '16', { submit: 'hex', receipt: 'dec' })).toBe(true);
    expect(matchesMessageId('7F3A2B', '8337963', { submit: 'dec', receipt: 'dec' })).toBe(false);
  });

  it('canonical ids make the match an equality lookup', () => {
    expect(canonicalMessageId('7F3A2B', 'hex')).toBe('8337963');
    expect(canonicalMessageId('0008337963', 'dec')).toBe('8337963');
    expect(codeOf(() => canonicalMessageId('7F3A2B', 'dec'))).toBe('SMS_MESSAGE_ID_INVALID');
  });

  it('a hex id and its decimal form always match, in either order', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.boolean(), (v, upper) => {
        const hex = upper ? v.toString(16).toUpperCase() : v.toString(16);
        expect(matchesMessageId(hex, v.toString())).toBe(true);
        expect(matchesMessageId(v.toString(), hex)).toBe(true);
        expect(matchesMessageId(hex, v.toString(), { submit: 'hex', receipt: 'dec' })).toBe(true);
      }),
    );
  });
});
