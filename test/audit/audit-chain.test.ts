import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { useHarness, type Session } from '../helpers/app.ts';

const h = useHarness();

const PHONE = '13812348000';
const PASSWORD = 'Audited-password-7';
const WRONG_PASSWORD = 'Wrong-password-9';
/** A clerk who types a phone number into the username field. */
const PHONE_AS_USERNAME = '13912345678';

type AuditRow = {
  seq: number;
  actor_type: string;
  actor_name: string | null;
  org_id: string | null;
  org_name: string | null;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  request_id: string | null;
  details: Record<string, unknown>;
};

const run = <T extends Record<string, unknown>>(q: string) => h().ctx.db.rows<T>(null, sql.raw(q));
const rowCount = async () => (await run<{ n: number }>('select count(*)::int as n from audit_log'))[0]!.n;
const newest = async () => (await run<AuditRow>('select * from audit_log order by seq desc limit 1'))[0]!;
const errorText = (e: unknown): string => (e instanceof Error ? `${e.message} ${errorText(e.cause)}` : '');

/** What a DBA with owner rights can do: switch the append-only trigger off for one transaction. */
async function asDba(statements: string[]) {
  await h().ctx.db.orm.transaction(async (tx) => {
    await tx.execute(sql.raw('alter table audit_log disable trigger audit_log_append_only'));
    for (const s of statements) await tx.execute(sql.raw(s));
    await tx.execute(sql.raw('alter table audit_log enable trigger audit_log_append_only'));
  });
}

let admin: Session;
let rootId: string;

async function verify() {
  const res = await h().request('POST', '/api/v1/audit/verify', { session: admin });
  expect(res.statusCode).toBe(200);
  return res.json() as { ok: boolean; checked: number; firstBrokenSeq: number | null; reason: string | null };
}

beforeAll(async () => {
  admin = await h().login('admin');
  rootId = ((await h().request('GET', '/api/v1/auth/me', { session: admin })).json() as { user: { orgId: string } }).user.orgId;
});

describe('audit trail', () => {
  let createdOrg = '';
  const adminEntry = { actor_type: 'USER', actor_name: 'admin', org_name: 'cardflow 平台管理', outcome: 'SUCCESS' };
  const anonymous = (name: string) => ({ actor_type: 'ANONYMOUS', actor_name: name, org_id: null, target_type: null, target_id: null, outcome: 'DENIED', action: 'auth.login' });
  const steps: [string, () => Promise<LightMyRequestResponse>, number, (created: { id?: string }) => Partial<AuditRow>][] = [
    [
      'create an organisation',
      () => h().request('POST', '/api/v1/orgs', { session: admin, body: { name: '审计测试分局', kind: 'AUTHORITY', parentId: rootId } }),
      201,
      (org) => ({ ...adminEntry, org_id: rootId, action: 'org.create', target_type: 'organisation', target_id: (createdOrg = org.id!) }),
    ],
    [
      'create a user with a phone and a password',
      () =>
        h().request('POST', '/api/v1/users', {
          session: admin,
          body: { username: 'audited_reviewer', displayName: '审计对象', orgId: createdOrg, roles: ['AUTHORITY_REVIEWER'], password: PASSWORD, phone: `+86 ${PHONE}` },
        }),
      201,
      (user) => ({ ...adminEntry, org_id: rootId, action: 'user.create', target_type: 'user', target_id: user.id! }),
    ],
    ['fail to sign in', () => h().request('POST', '/api/v1/auth/login', { body: { username: 'audited_reviewer', password: WRONG_PASSWORD } }), 401, () => anonymous('audited_reviewer')],
    [
      'fail to sign in with a phone number as the username',
      () => h().request('POST', '/api/v1/auth/login', { body: { username: PHONE_AS_USERNAME, password: WRONG_PASSWORD } }),
      401,
      () => anonymous('139****5678'),
    ],
  ];

  it.each(steps)('%s: exactly one entry with actor, org, IP, action, target, outcome and request id', async (_, send, status, expected) => {
    const before = await rowCount();
    const res = await send();
    expect(res.statusCode, res.body).toBe(status);
    expect(await rowCount()).toBe(before + 1);
    const row = await newest();
    expect(row).toMatchObject({ ...expected(res.json()), ip: '127.0.0.1', seq: before + 1 });
    expect(row.request_id).toBe(res.headers['x-request-id']);
    expect(row.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.details.status).toBe(status);
  });

  it.each(['/api/v1/orgs', '/api/v1/users', '/api/v1/audit?pageSize=5', '/api/v1/calendar/years'])('GET %s writes nothing', async (url) => {
    const before = await rowCount();
    expect((await h().request('GET', url, { session: admin })).statusCode).toBe(200);
    expect(await rowCount()).toBe(before);
  });

  it('never holds a full phone number or a password', async () => {
    const [{ text } = { text: '' }] = await run<{ text: string }>(`select string_agg(a::text, E'\\n' order by seq) as text from audit_log a`);
    // The dump does include the entries' details (so the search below is meaningful)…
    expect(text).toContain('audited_reviewer');
    expect(text).toContain('139****5678');
    // …but never the secrets or full numbers themselves.
    for (const secret of [PHONE, PHONE_AS_USERNAME, PASSWORD, WRONG_PASSWORD]) expect(text).not.toContain(secret);
  });

  it('verifies: every entry checked, none broken', async () => {
    const rows = await rowCount();
    expect(rows).toBeGreaterThanOrEqual(5);
    expect(await verify()).toEqual({ ok: true, checked: rows, firstBrokenSeq: null, reason: null });
    // verify is itself audited, after the check
    expect(await newest()).toMatchObject({ action: 'audit.verify', seq: rows + 1 });
  });

  it.each(['update audit_log set action = $$org.delete$$ where seq = 2', 'delete from audit_log where seq = 2', 'delete from audit_log'])(
    'the database refuses "%s" while the trigger is on',
    async (statement) => {
      const before = await rowCount();
      const failure = await run(statement).then(
        () => null,
        (e: unknown) => e,
      );
      expect(errorText(failure)).toContain('audit_log is append-only');
      expect(await rowCount()).toBe(before);
      expect((await verify()).ok).toBe(true);
    },
  );

  describe('after a DBA edits rows behind the trigger', () => {
    const tampering: [string, (mid: number, last: number) => string, (mid: number, last: number) => number, string][] = [
      ['an edited action', (mid) => `update audit_log set action = 'org.delete' where seq = ${mid}`, (mid) => mid, 'HASH_MISMATCH'],
      ['edited details', (mid) => `update audit_log set details = details || '{"x":1}'::jsonb where seq = ${mid}`, (mid) => mid, 'HASH_MISMATCH'],
      ['a changed IP', (mid) => `update audit_log set ip = '10.0.0.1' where seq = ${mid}`, (mid) => mid, 'HASH_MISMATCH'],
      ['a deleted middle row', (mid) => `delete from audit_log where seq = ${mid}`, (mid) => mid, 'SEQUENCE_GAP'],
      ['a deleted newest row', (_, last) => `delete from audit_log where seq = ${last}`, (_, last) => last, 'HEAD_MISMATCH'],
    ];

    it.each(tampering)('%s is reported at its seq, and the restored trail verifies again', async (_, tamper, brokenAt, reason) => {
      for (const t of ['log_copy', 'head_copy']) await run(`drop table if exists ${t}`);
      await run('create table log_copy as select * from audit_log');
      await run('create table head_copy as select * from audit_head');
      const last = await rowCount();
      const mid = Math.ceil(last / 2);
      await asDba([tamper(mid, last)]);
      const seq = brokenAt(mid, last);
      expect(await verify()).toEqual({ ok: false, checked: seq - 1, firstBrokenSeq: seq, reason });

      await asDba(['delete from audit_log', 'insert into audit_log select * from log_copy', 'delete from audit_head', 'insert into audit_head select * from head_copy']);
      expect(await verify()).toEqual({ ok: true, checked: last, firstBrokenSeq: null, reason: null });
    });
  });
});
