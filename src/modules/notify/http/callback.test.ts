import { describe, expect, it } from 'vitest';
import { caught } from '../test-support.ts';
import { verifyCallback } from './callback.ts';
import { signBody, signedHeaders } from './signature.ts';

const SECRET = 'callback-secret';
const NOW = Date.parse('2026-12-01T08:00:00Z');
const body = JSON.stringify({
  receipts: [
    { messageId: '536870912', stat: 'DELIVRD', err: '000', doneAt: '2026-12-01T07:59:58Z' },
    { messageId: '536870913', stat: 'ENROUTE' },
    { messageId: '536870914', stat: 'undeliv' },
  ],
  inbound: [{ from: '13800138000', to: '10657000', text: 'TD' }],
});

describe('verifyCallback', () => {
  it('reads signed receipts and replies, leaving out intermediate ones', () => {
    const content = verifyCallback(signedHeaders(SECRET, body, NOW - 1_000), body, SECRET, NOW);
    expect(content.receipts).toEqual([
      { messageId: '536870912', status: 'DELIVERED', stat: 'DELIVRD', errorCode: '000', doneAt: new Date('2026-12-01T07:59:58Z') },
      { messageId: '536870914', status: 'FAILED', stat: 'UNDELIV', errorCode: 'UNDELIV', doneAt: null },
    ]);
    expect(content.inbound).toMatchObject([{ from: '13800138000', to: '10657000', text: 'TD', concat: null }]);
  });

  it('refuses a wrong secret, a changed body and missing headers', () => {
    expect(caught(() => verifyCallback(signedHeaders('other', body, NOW), body, SECRET, NOW)).code).toBe('SMS_CALLBACK_SIGNATURE_INVALID');
    expect(caught(() => verifyCallback(signedHeaders(SECRET, body, NOW), body.replace('DELIVRD', 'UNDELIV'), SECRET, NOW)).code).toBe('SMS_CALLBACK_SIGNATURE_INVALID');
    expect(caught(() => verifyCallback({}, body, SECRET, NOW)).code).toBe('SMS_CALLBACK_SIGNATURE_INVALID');
  });

  it('refuses a timestamp outside the replay window, also when re-signed with a newer timestamp by someone without the key', () => {
    const old = NOW - 5 * 60_000 - 1;
    const e = caught(() => verifyCallback(signedHeaders(SECRET, body, old), body, SECRET, NOW));
    expect(e.code).toBe('SMS_CALLBACK_EXPIRED');
    expect(e.status).toBe(401);
    expect(caught(() => verifyCallback({ 'x-sms-timestamp': String(NOW), 'x-sms-signature': signBody(SECRET, old, body) }, body, SECRET, NOW)).code).toBe('SMS_CALLBACK_SIGNATURE_INVALID');
    expect(verifyCallback(signedHeaders(SECRET, body, NOW + 5 * 60_000), body, SECRET, NOW).receipts).toHaveLength(2);
  });

  it('refuses a signed body that is not a valid callback', () => {
    for (const bad of ['not json', '[]', '{"receipts":{}}', '{"receipts":[{"stat":"DELIVRD"}]}', '{"receipts":[{"messageId":"1","stat":"DELIVRD","doneAt":"yesterday"}]}', '{"inbound":[{"from":"1"}]}']) {
      const e = caught(() => verifyCallback(signedHeaders(SECRET, bad, NOW), bad, SECRET, NOW));
      expect(e.code, bad).toBe('SMS_CALLBACK_INVALID');
      expect(e.status).toBe(400);
    }
  });
});
