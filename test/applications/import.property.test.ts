import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../../src/modules/applications/schema.ts';
import { useHarness } from '../helpers/app.ts';
import { countRows } from '../helpers/http.ts';
import { applicant, seedProgrammes, sessionsFor, type City } from './fixtures.ts';

const h = useHarness();
let city: City;
let rpId: string;
let s: Awaited<ReturnType<typeof sessionsFor>>;

const COLUMNS = ['kind', 'name', 'citizenId', 'phone', 'sex', 'ethnicity', 'birthDate', 'hukouAddress', 'residenceAddress', 'basis'] as const;
const csvLine = (a: Record<string, unknown>) => COLUMNS.map((c) => String(a[c] ?? '')).map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');

beforeAll(async () => {
  const seeded = await seedProgrammes(h());
  city = seeded.city;
  rpId = seeded.rp.id;
  s = await sessionsFor(h(), city);
});

type Fault = 'none' | 'checksum' | 'phone' | 'duplicate' | 'basis';
// Every run takes people no earlier run used, so only the faults it plants can refuse it.
let nextPerson = 5000;

describe('bulk import (property): all rows imported exactly, or refused listing every bad row and nothing imported', () => {
  it('holds for random files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<Fault>('none', 'none', 'none', 'checksum', 'phone', 'duplicate', 'basis'), { minLength: 1, maxLength: 8 }), async (faults) => {
        const rows = faults.map((_, i) => applicant(nextPerson + i) as Record<string, unknown>);
        nextPerson += faults.length;
        // The model: a row is bad for its own fault, or as a second valid row of a person already in the file
        // (a copy of a row refused for its phone or basis is that person's first valid row).
        const bad = new Set<number>();
        const seen = new Set<string>();
        faults.forEach((fault, i) => {
          const row = rows[i]!;
          if (fault === 'checksum') rows[i] = { ...row, citizenId: `${String(row.citizenId).slice(0, 17)}${String(row.citizenId)[17] === '0' ? '1' : '0'}` };
          else if (fault === 'phone') rows[i] = { ...row, phone: '12345' };
          else if (fault === 'basis') rows[i] = { ...row, basis: '' };
          else if (fault === 'duplicate' && i > 0) rows[i] = { ...row, citizenId: rows[0]!.citizenId, birthDate: rows[0]!.birthDate, sex: rows[0]!.sex };
          const id = String(rows[i]!.citizenId);
          const copiesBadId = fault === 'duplicate' && i > 0 && faults[0] === 'checksum';
          if (fault === 'checksum' || fault === 'phone' || fault === 'basis' || copiesBadId || seen.has(id)) bad.add(i + 2); // the header is line 1
          else seen.add(id);
        });
        const before = await countRows(h().ctx, applications);
        const res = await h().app.inject({
          method: 'POST',
          url: `/api/v1/applications/import?programmeId=${rpId}`,
          headers: { cookie: s.clerkA.cookie, 'x-csrf-token': s.clerkA.csrf, 'content-type': 'text/csv' },
          payload: [COLUMNS.join(','), ...rows.map(csvLine)].join('\r\n') + '\r\n',
        });
        const after = await countRows(h().ctx, applications);
        if (bad.size === 0) {
          expect(res.statusCode, res.body).toBe(200);
          expect(after - before).toBe(rows.length);
        } else {
          expect(res.statusCode, res.body).toBe(400);
          const listed = new Set((res.json() as { error: { details: { rows: { row: number }[] } } }).error.details.rows.map((r) => r.row));
          expect([...listed].sort()).toEqual([...bad].sort());
          expect(after).toBe(before);
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
