import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness, type Session } from '../helpers/app.ts';

const h = useHarness();

const ID = '11010519491231002X';
const ID_MASKED = '110105********002X';
const ID2 = '440304198508151230';
const ID2_MASKED = '440304********1230';
const PHONE = '13812348000';
const PHONE_MASKED = '138****8000';
const PHONE2 = '13912345678';
const PHONE2_MASKED = '139****5678';
/** 身份证号 percent-encoded: its last byte (%B7) ends in a digit, which hid the ID from the redaction before URLs were decoded. */
const ID_LABEL = '%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7';

let admin: Session;
let orgId: string;

beforeAll(async () => {
  admin = await h().login('admin');
  orgId = ((await h().request('GET', '/api/v1/auth/me', { session: admin })).json() as { user: { orgId: string } }).user.orgId;
});

/** A user-creation body, built when sent (the organisation id is known only then). */
const user = (overrides: Record<string, unknown>) => () => ({ username: 'logged_user', displayName: '日志', orgId, roles: ['AUDITOR'], password: 'Logged-password-1', ...overrides });

describe('log redaction through the real app', () => {
  // [what, method, url, body, expected status, what the logged URL must read]
  const requests: [string, string, string, unknown, number, string | null][] = [
    ['an ID in a query string', 'GET', `/api/v1/users?orgId=${ID}`, undefined, 400, `/api/v1/users?orgId=${ID_MASKED}`],
    ['a phone in a query string', 'GET', `/api/v1/users?orgId=${PHONE}`, undefined, 400, `/api/v1/users?orgId=${PHONE_MASKED}`],
    ['an encoded labelled ID in a query string', 'GET', `/api/v1/users?orgId=${ID_LABEL}${ID2}`, undefined, 400, `/api/v1/users?orgId=身份证号${ID2_MASKED}`],
    ['an encoded spaced phone in a query string', 'GET', `/api/v1/users?orgId=%2B86%20138%201234%205678`, undefined, 400, '/api/v1/users?orgId=+86 138 **** 5678'],
    ['a phone in a form-encoded query string', 'GET', `/api/v1/calendar/days?year=2025&q=139+1234+5678`, undefined, 400, '/api/v1/calendar/days?year=2025&q=139 **** 5678'],
    ['an ID in an unknown path', 'GET', `/api/v1/people/${ID}`, undefined, 404, `/api/v1/people/${ID_MASKED}`],
    ['an ID and a phone in a failing body', 'POST', '/api/v1/users', user({ displayName: `证件${ID}`, phone: PHONE, orgId: ID }), 400, null],
    ['an ID to validate', 'POST', '/api/v1/validate', { kind: 'citizen_id', value: ID }, 200, null],
    ['an ID with a wrong check digit to validate', 'POST', '/api/v1/validate', { kind: 'citizen_id', value: `${ID.slice(0, 17)}1` }, 400, null],
    ['a phone to validate', 'POST', '/api/v1/validate', { kind: 'mobile', value: `+86 ${PHONE2}` }, 200, null],
    ['a user created with a phone', 'POST', '/api/v1/users', user({ phone: PHONE }), 201, null],
    ['a sign-in with a phone as the username', 'POST', '/api/v1/auth/login', { username: PHONE2, password: 'Whatever-pass-1' }, 401, null],
  ];

  it.each(requests)('%s is answered and its URL logged masked', async (_, method, url, body, status, loggedUrl) => {
    const payload = typeof body === 'function' ? (body as () => unknown)() : body;
    const res = await h().request(method, url, { session: url.endsWith('/login') ? null : admin, body: payload });
    expect(res.statusCode, res.body).toBe(status);
    const logged = h()
      .ctx.logs.lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { url: string }; res?: { statusCode: number } })
      .filter((l) => l.reqId === res.headers['x-request-id']);
    // the request was logged when it came in and when it was answered
    expect(logged.map((l) => l.req?.url ?? l.res?.statusCode)).toEqual([loggedUrl ?? url, status]);
  });

  it('masks what code logs directly: fields, messages and errors', () => {
    h().ctx.logger.info({ phone: PHONE, note: `id ${ID}` }, `msg ${PHONE2}`);
    h().ctx.logger.error(new Error(`bad id ${ID2}`));
    const [info, error] = h().ctx.logs.lines.slice(-2).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(info).toMatchObject({ phone: '[redacted]', note: `id ${ID_MASKED}`, msg: `msg ${PHONE2_MASKED}` });
    expect(error).toMatchObject({ msg: `bad id ${ID2_MASKED}`, err: { message: `bad id ${ID2_MASKED}` } });
  });

  it('leaves no full ID or phone anywhere in the log', () => {
    const text = h().ctx.logs.text;
    expect(h().ctx.logs.lines.length).toBeGreaterThan(2 * requests.length);
    for (const line of h().ctx.logs.lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    for (const masked of [ID_MASKED, ID2_MASKED, PHONE_MASKED, PHONE2_MASKED, '[redacted]']) expect(text).toContain(masked);
    for (const full of [ID, ID2, PHONE, PHONE2, '1234 5678', '1234%205678', '1234+5678', `${ID.slice(0, 17)}1`]) expect(text).not.toContain(full);
  });
});
