import { describe, expect, it } from 'vitest';
import { createLogger, decodeUrlForLog } from './logger.ts';

const ID = '11010519491231002X';
const PHONE = '13812348000';

function capture(level: 'info' | 'warn' = 'info') {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line) => lines.push(line) });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, parsed, text: () => lines.join('') };
}

describe('createLogger', () => {
  it('writes one JSON line per entry at or above its level', () => {
    const { logger, parsed } = capture('warn');
    logger.info('dropped');
    logger.warn({ n: 1 }, 'kept');
    expect(parsed()).toEqual([expect.objectContaining({ level: 40, app: 'cardflow', n: 1, msg: 'kept', time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) })]);
  });

  it.each<[string, Record<string, unknown>, (line: Record<string, unknown>) => unknown, string]>([
    ['a top-level password', { password: 'Secret-pass-1' }, (l) => l.password, 'Secret-pass-1'],
    ['a nested password', { user: { password: 'Secret-pass-1' } }, (l) => (l.user as Record<string, unknown>).password, 'Secret-pass-1'],
    ['a top-level secret', { secret: 'cfk_abc_def' }, (l) => l.secret, 'cfk_abc_def'],
    ['a nested secret', { key: { secret: 'cfk_abc_def' } }, (l) => (l.key as Record<string, unknown>).secret, 'cfk_abc_def'],
    ['a top-level phone', { phone: PHONE }, (l) => l.phone, PHONE],
    ['a nested citizen ID', { person: { citizenId: ID } }, (l) => (l.person as Record<string, unknown>).citizenId, ID],
    ['a set-cookie answer', { res: { headers: { 'set-cookie': 'cf_session=abc123' } } }, (l) => (l.res as { headers: Record<string, unknown> }).headers['set-cookie'], 'abc123'],
  ])('removes %s outright', (_, fields, pick, secret) => {
    const { logger, parsed, text } = capture();
    logger.info(fields, 'entry');
    expect(pick(parsed()[0]!)).toBe('[redacted]');
    expect(text()).not.toContain(secret);
  });

  it('masks IDs and phones in messages, free-text fields and errors, keeping the rest', () => {
    const { logger, parsed, text } = capture();
    logger.info({ note: `id ${ID}`, contact: '+86 139-1234-5678' }, `msg 13912345678 order 202501010000123456789`);
    logger.error(new Error('bad id 440304198508151230'));
    const [info, error] = parsed() as [Record<string, unknown>, { err: { message: string; stack: string }; msg: string }];
    expect(info).toMatchObject({ note: 'id 110105********002X', contact: '+86 139-****-5678', msg: 'msg 139****5678 order 202501010000123456789' });
    expect(error.msg).toBe('bad id 440304********1230');
    expect(error.err.message).toBe('bad id 440304********1230');
    expect(error.err.stack).toContain('bad id 440304********1230');
    for (const full of [ID, '13912345678', '139-1234-5678', '440304198508151230']) expect(text()).not.toContain(full);
  });

  it('logs request URLs decoded, so encoded IDs and phones are masked too', () => {
    const { logger, parsed, text } = capture();
    const url = `/api/v1/users?q=%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7${ID}&p=138%201234%205678&m=139+1234+5678`;
    logger.info({ req: { method: 'GET', url, ip: '127.0.0.1', host: 'localhost', headers: {}, socket: { remotePort: 5 } } }, 'incoming request');
    expect(parsed()[0]!.req).toEqual({ method: 'GET', url: '/api/v1/users?q=身份证号110105********002X&p=138 **** 5678&m=139 **** 5678', host: 'localhost', remoteAddress: '127.0.0.1', remotePort: 5 });
    for (const full of [ID, '1234']) expect(text()).not.toContain(full);
    // headers (cookie, authorization, CSRF token) are not logged at all
    logger.info({ req: { method: 'GET', url: '/', headers: { cookie: 'cf_session=abc123', authorization: 'Bearer cfk_x_y', 'x-csrf-token': 'tok-42' } } }, 'incoming request');
    for (const secret of ['abc123', 'cfk_x_y', 'tok-42']) expect(text()).not.toContain(secret);
    expect(parsed()[1]!.req).toEqual({ method: 'GET', url: '/' });
  });
});

describe('decodeUrlForLog', () => {
  it.each([
    ['/a/b?x=1', '/a/b?x=1'],
    ['/a+b?x=a+b', '/a+b?x=a b'],
    ['/?q=%E5%8F%B7%20%22', '/?q=号 "'],
    ['/?q=%B7%ZZ%4', '/?q=\uFFFD%ZZ%4'],
    ['/?q=%0A', '/?q=\n'],
  ])('%s → %j', (url, expected) => {
    expect(decodeUrlForLog(url)).toBe(expected);
  });
});
