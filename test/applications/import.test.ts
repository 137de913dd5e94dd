import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications } from '../../src/modules/applications/schema.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, countRows, expectError } from '../helpers/http.ts';
import { applicant, seedProgrammes, sessionsFor, type City } from './fixtures.ts';

const h = useHarness();
let city: City;
let rpId: string;
let sscId: string;
let s: Awaited<ReturnType<typeof sessionsFor>>;

const COLUMNS = ['kind', 'name', 'citizenId', 'phone', 'sex', 'ethnicity', 'birthDate', 'hukouAddress', 'residenceAddress', 'basis'] as const;
const csvLine = (a: Record<string, unknown>) => COLUMNS.map((c) => String(a[c] ?? '')).map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
const csv = (rows: Record<string, unknown>[]) => [COLUMNS.join(','), ...rows.map(csvLine)].join('\r\n') + '\r\n';

const importAs = (body: string, type = 'text/csv', session = s.clerkA, programmeId = rpId) =>
  h().app.inject({
    method: 'POST',
    url: `/api/v1/applications/import?programmeId=${programmeId}`,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': type },
    payload: body,
  });

beforeAll(async () => {
  const seeded = await seedProgrammes(h());
  city = seeded.city;
  rpId = seeded.rp.id;
  sscId = seeded.ssc.id;
  s = await sessionsFor(h(), city);
});

describe('bulk import', () => {
  it('a file with bad rows in the middle: 400 listing every bad row, nothing imported, report downloadable', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => applicant(1000 + i));
    rows[10] = { ...rows[10]!, citizenId: '110101199003070012' };
    rows[20] = { ...rows[20]!, phone: '12345', sex: 'F' };
    rows[30] = { ...rows[30]!, citizenId: rows[29]!.citizenId, birthDate: rows[29]!.birthDate };
    rows[40] = { ...rows[40]!, basis: '' };
    const res = await importAs(csv(rows));
    const error = expectError(res, 400, 'APPLICATION_IMPORT_INVALID');
    const details = error.details as { rows: { row: number; field: string; error: string }[]; reportId: string };
    expect(details.rows).toEqual([
      { row: 12, field: 'citizenId', error: 'ID_CHECKSUM_INVALID' },
      { row: 22, field: 'phone', error: 'PHONE_INVALID' },
      { row: 22, field: 'sex', error: 'APPLICANT_SEX_MISMATCH' },
      { row: 32, field: 'citizenId', error: 'APPLICATION_DUPLICATE' },
      { row: 42, field: 'basis', error: 'APPLICATION_INVALID' },
    ]);
    expect(error.message).toContain('5');
    expect(await countRows(h().ctx, applications)).toBe(0);
    expect(await countRows(h().ctx, applicationEvents)).toBe(0);

    const report = await h().request('GET', `/api/v1/import-reports/${details.reportId}`, { session: s.clerkA });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.headers['content-disposition']).toContain('attachment');
    expect(report.body.split('\r\n')).toEqual(['row,field,error', '12,citizenId,ID_CHECKSUM_INVALID', '22,phone,PHONE_INVALID', '22,sex,APPLICANT_SEX_MISMATCH', '32,citizenId,APPLICATION_DUPLICATE', '42,basis,APPLICATION_INVALID', '']);
    expect(report.body).not.toContain(rows[29]!.citizenId as string);
    expectError(await h().request('GET', `/api/v1/import-reports/${details.reportId}`, { session: s.clerkB }), 404, 'OUT_OF_SCOPE');
    expect((await auditEntryFor(h().ctx, res)).outcome).toBe('FAILED');
  });

  it('a file larger than the 1 MiB JSON limit is streamed and every bad row listed in the report', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => applicant(10_000 + i, { phone: '12345', hukouAddress: '安'.repeat(100), residenceAddress: '常'.repeat(100) }));
    const body = csv(rows);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    const error = expectError(await importAs(body), 400, 'APPLICATION_IMPORT_INVALID');
    // The answer shows the first 1,000 bad rows; the downloadable report has all of them.
    const details = error.details as { rows: unknown[]; truncated: boolean; reportId: string };
    expect(details.rows).toHaveLength(1000);
    expect(details.truncated).toBe(true);
    const report = await h().request('GET', `/api/v1/import-reports/${details.reportId}`, { session: s.clerkA });
    expect(report.body.trim().split('\r\n')).toHaveLength(2001);
    expect(await countRows(h().ctx, applications)).toBe(0);
  });

  it('a bad row after chunks were already written rolls the whole file back', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => applicant(30_000 + i));
    rows[1100] = { ...rows[1100]!, phone: '12345' };
    const error = expectError(await importAs(csv(rows)), 400, 'APPLICATION_IMPORT_INVALID');
    expect((error.details as { rows: { row: number; field: string }[] }).rows).toEqual([{ row: 1102, field: 'phone', error: 'PHONE_INVALID' }]);
    expect(await countRows(h().ctx, applications)).toBe(0);
  });

  it('a missing column is named', async () => {
    const error = expectError(await importAs('kind,name\r\nNEW,张三\r\n'), 400, 'APPLICATION_IMPORT_INVALID');
    expect((error.details as { rows: { field: string; error: string }[] }).rows.map((r) => r.field)).toEqual(['birthDate', 'citizenId', 'ethnicity', 'phone', 'sex']);
  });

  it('a good file of 200 rows imports in one go', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => applicant(2000 + i));
    const res = await importAs(csv(rows));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 200 });
    expect(await countRows(h().ctx, applications)).toBe(200);
    expect(await countRows(h().ctx, applicationEvents)).toBe(200);
    const stored = await h().ctx.db.orm.select().from(applications).where(eq(applications.outletOrgId, city.outletA.id));
    expect(new Set(stored.map((a) => a.applicationNo)).size).toBe(200);
    expect(stored.every((a) => a.source === 'IMPORT' && a.status === 'SUBMITTED' && a.citizenIdEnc.startsWith('v1.'))).toBe(true);
    expect((await auditEntryFor(h().ctx, res)).details).toMatchObject({ imported: 200 });
    const list = await h().request('GET', `/api/v1/applications?programmeId=${rpId}&limit=10&offset=190`, { session: s.clerkA });
    expect(list.json()).toMatchObject({ total: 200 });
    expect((list.json() as { items: unknown[] }).items).toHaveLength(10);
  });

  it('importing the same people again: every row is a duplicate of an open application', async () => {
    const rows = Array.from({ length: 3 }, (_, i) => applicant(2000 + i));
    const error = expectError(await importAs(csv(rows)), 400, 'APPLICATION_IMPORT_INVALID');
    expect((error.details as { rows: { error: string }[] }).rows.map((r) => r.error)).toEqual(['APPLICATION_DUPLICATE', 'APPLICATION_DUPLICATE', 'APPLICATION_DUPLICATE']);
    expect(await countRows(h().ctx, applications)).toBe(200);
  });

  it('NDJSON works too, and malformed lines are listed', async () => {
    const good = [applicant(3000), applicant(3001)].map((a) => JSON.stringify(a)).join('\n');
    const res = await importAs(good, 'application/x-ndjson');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2 });
    const bad = await importAs(`${JSON.stringify(applicant(3002))}\n{oops\n[1]\n`, 'application/x-ndjson');
    const error = expectError(bad, 400, 'APPLICATION_IMPORT_INVALID');
    expect((error.details as { rows: unknown[] }).rows).toEqual([
      { row: 2, field: 'line', error: 'MALFORMED_JSON' },
      { row: 3, field: 'line', error: 'MALFORMED_JSON' },
    ]);
  });

  it('other content types are refused; an outlet not in the programme cannot import into it', async () => {
    expectError(await importAs('{}', 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const before = await countRows(h().ctx, applications);
    expectError(await importAs(csv([applicant(4000)]), 'text/csv', s.clerkB, sscId), 404, 'OUT_OF_SCOPE');
    expect(await countRows(h().ctx, applications)).toBe(before);
  });

  it('a large import leaves the table analysed, so the review queue is not planned for a handful of rows', async () => {
    const plannerRows = async () => {
      const [row] = await h().ctx.db.rows<{ n: number }>(null, sql`select reltuples::int as n from pg_class where relname = 'applications'`);
      return row!.n;
    };
    const before = await countRows(h().ctx, applications);
    expect(await plannerRows()).toBeLessThan(before + 1_000);
    const res = await importAs(csv(Array.from({ length: 1_000 }, (_, i) => applicant(50_000 + i))));
    expect(res.json()).toEqual({ imported: 1_000 });
    expect(await plannerRows()).toBe(before + 1_000);
  });
});
