import { beforeAll, describe, expect, it } from 'vitest';
import { useCliWorkspace } from '../helpers/cli.ts';
import { crashDuringImport, crashDuringKeyRotation, crashDuringPackageExport, seedCrashCity, seeded, withDatabase, type CrashCity, type CrashWorkspace } from './crash-support.ts';

// CI sizes; bench/crash.bench.ts runs the same scenarios at full size (100,000 rows).
const ROWS = 1_000;
const SEED = Number(process.env.CARDFLOW_CRASH_SEED ?? 20261202);

/**
 * kill -9 of the real `cardflow` process in the middle of its work, on the engine of this run (a PGlite
 * data directory, or a PostgreSQL database): after the restart nothing is half-written and the work
 * completes when run again. The kill points are drawn from SEED (set CARDFLOW_CRASH_SEED to vary them).
 */
describe(`kill -9 during long CLI work (seed ${SEED})`, () => {
  const { env, dir } = useCliWorkspace('cardflow-crash');
  const ws: CrashWorkspace = { env, dir };
  const random = seeded(SEED);
  let city: CrashCity;

  beforeAll(async () => {
    city = await withDatabase(ws, (ctx) => seedCrashCity(ctx, ROWS));
  }, 300_000);

  it(`a bulk import of ${ROWS} rows is all or nothing, and runs again whole`, async () => {
    const m = await crashDuringImport(ws, city, ROWS, random);
    expect(m.killedAt).toMatch(/% of the file read/);
  }, 600_000);

  it('a package export leaves no package file unless complete, the batch unchanged, and can be redone', async () => {
    const m = await crashDuringPackageExport(ws, city, random);
    expect(m.scenario).toBe(`package export ${ROWS} cards`);
  }, 600_000);

  it('a key rotation killed part-way loses nothing, and --resume finishes it without encrypting anything twice', async () => {
    const m = await crashDuringKeyRotation(ws, random, 250);
    expect(m.killedAt).toMatch(/ fields re-encrypted$/);
  }, 900_000);
});
