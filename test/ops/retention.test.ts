import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationPhotos, applications } from '../../src/modules/applications/schema.ts';
import { opsRetentionRuns } from '../../src/modules/ops/schema.ts';
import { retentionIfDue, runRetention } from '../../src/modules/ops/retention-jobs.ts';
import { systemStatus } from '../../src/modules/ops/status.ts';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { decryptField } from '../../src/platform/crypto/field-cipher.ts';
import { countRequest } from '../../src/platform/auth/rate-limit.ts';
import { useHarness } from '../helpers/app.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { applicant, photoBase64 } from '../applications/fixtures.ts';
import { approvedApplications, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';

const DAY = 86_400_000;
const work = mkdtempSync(path.join(tmpdir(), 'cardflow-retention-test-'));
const backupDir = path.join(work, 'backups');
const tempDir = path.join(work, 'tmp');
mkdirSync(backupDir);
mkdirSync(tempDir);
const h = useHarness({ backupDir, retentionIntervalHours: 24 });
let lc: Lifecycle;
let rejected: string[];
let open: string[];

afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  lc = await seedLifecycle(h());
  open = await approvedApplications(h(), lc, 'rp', 1, 1);
  // Two closed ones: rejected by the reviewer.
  rejected = [];
  for (const n of [2, 3]) {
    const res = await h().request('POST', '/api/v1/applications', { session: lc.sessions.clerkA, body: { programmeId: lc.rp.id, ...applicant(n), photoJpegBase64: photoBase64(fakeJpeg(358, 441, 20 * 1024)) } });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { id: string }).id;
    const no = await h().request('POST', `/api/v1/applications/${id}/reject`, { session: lc.sessions.reviewer, body: { reasonCodes: ['PHOTO_UNSUITABLE'] } });
    expect(no.statusCode, no.body).toBe(200);
    rejected.push(id);
  }
}, 180_000);

/** Sets a file's time to `days` before `base` (the run's simulated now; may be in the future). */
function aged(file: string, days: number, base = Date.now()) {
  const at = new Date(base - days * DAY);
  utimesSync(file, at, at);
}

async function rows(ids: string[]) {
  return h().ctx.db.orm.select().from(applications).where(inArray(applications.id, ids));
}

describe('retention run', () => {
  it('a dry run counts what is due and changes nothing', async () => {
    const later = new Date(Date.now() + 1096 * DAY);
    writeFileSync(path.join(backupDir, 'cardflow-pglite-x.dump.sm4.partial'), 'half');
    aged(path.join(backupDir, 'cardflow-pglite-x.dump.sm4.partial'), 2);
    const report = await runRetention(h().ctx, 'CLI', { dryRun: true, now: later, tempDir });
    expect(report.counts).toMatchObject({ applicationsMinimised: 2, applicationPhotosDeleted: 2, partialBackupFiles: 1, fileBytes: 4 });
    expect((await rows(rejected)).every((r) => r.minimisedAt === null)).toBe(true);
    expect(existsSync(path.join(backupDir, 'cardflow-pglite-x.dump.sm4.partial'))).toBe(true);
    const [run] = await h().ctx.db.orm.select().from(opsRetentionRuns).where(eq(opsRetentionRuns.id, report.id));
    expect(run).toMatchObject({ dryRun: true, status: 'SUCCEEDED', trigger: 'CLI' });
  });

  it('leaves closed applications alone until the programme retention has passed', async () => {
    const report = await runRetention(h().ctx, 'CLI', { now: new Date(Date.now() + 1094 * DAY), tempDir });
    expect(report.counts.applicationsMinimised).toBe(0);
  });

  it('minimises closed applications past the retention, deletes stale files and old counter windows, audits counts', async () => {
    const later = new Date(Date.now() + 1096 * DAY);
    const base = later.getTime();
    // An old half-written backup, and a fresh one a backup may still be writing.
    writeFileSync(path.join(backupDir, 'cardflow-pglite-x.dump.sm4.partial'), 'half');
    aged(path.join(backupDir, 'cardflow-pglite-x.dump.sm4.partial'), 2, base);
    writeFileSync(path.join(backupDir, 'cardflow-pglite-fresh.manifest.json.partial'), 'x');
    aged(path.join(backupDir, 'cardflow-pglite-fresh.manifest.json.partial'), 0.1, base);
    mkdirSync(path.join(tempDir, 'cardflow-restore-old'));
    writeFileSync(path.join(tempDir, 'cardflow-restore-old', 'dump'), 'plain');
    aged(path.join(tempDir, 'cardflow-restore-old'), 3, base);
    mkdirSync(path.join(tempDir, 'cardflow-restore-new'));
    aged(path.join(tempDir, 'cardflow-restore-new'), 0.1, base);
    mkdirSync(path.join(tempDir, 'someone-elses-dir'));
    aged(path.join(tempDir, 'someone-elses-dir'), 30, base);
    await countRequest(h().ctx, { purpose: 'api_ip', key: '192.0.2.7', limit: 10 }, base - 3 * DAY);
    const before = await rows(rejected);
    const report = await runRetention(h().ctx, 'SCHEDULED', { now: later, tempDir });
    expect(report.counts).toMatchObject({ applicationsMinimised: 2, applicationPhotosDeleted: 2, partialBackupFiles: 1, restoreTempDirs: 1 });
    expect(report.counts.counterWindows).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(backupDir, 'cardflow-pglite-x.dump.sm4.partial'))).toBe(false);
    expect(existsSync(path.join(backupDir, 'cardflow-pglite-fresh.manifest.json.partial'))).toBe(true);
    expect(existsSync(path.join(tempDir, 'cardflow-restore-old'))).toBe(false);
    expect(existsSync(path.join(tempDir, 'cardflow-restore-new'))).toBe(true);
    expect(existsSync(path.join(tempDir, 'someone-elses-dir'))).toBe(true);

    const after = await rows(rejected);
    for (const r of after) {
      const was = before.find((b) => b.id === r.id)!;
      expect(r.minimisedAt).not.toBeNull();
      expect(decryptField(h().ctx.keyring, r.nameEnc)).toBe('');
      expect(decryptField(h().ctx.keyring, r.citizenIdEnc)).toBe('');
      expect(decryptField(h().ctx.keyring, r.phoneEnc)).toBe('');
      expect([r.nameMasked, r.phoneMasked, r.citizenIdIdx, r.phoneIdx]).toEqual(['', '', '', '']);
      expect(r.citizenIdMasked).toBe(`${was.citizenIdMasked.slice(0, 6)}************`);
      expect(r.birthDate).toBe(`${was.birthDate.slice(0, 4)}-01-01`);
      expect([r.hukouAddressEnc, r.residenceAddressEnc, r.hasPhoto]).toEqual([null, null, false]);
      // Kept: what statistics and the records need.
      expect([r.applicationNo, r.status, r.sex, r.ethnicity, r.programmeId, r.outletOrgId]).toEqual([was.applicationNo, was.status, was.sex, was.ethnicity, was.programmeId, was.outletOrgId]);
    }
    expect(await h().ctx.db.orm.select().from(applicationPhotos).where(inArray(applicationPhotos.applicationId, rejected))).toEqual([]);
    // The open application keeps everything.
    const [kept] = await rows(open);
    expect(kept!.minimisedAt).toBeNull();
    expect(decryptField(h().ctx.keyring, kept!.nameEnc)).not.toBe('');
    expect(await h().ctx.db.orm.select().from(applicationPhotos).where(inArray(applicationPhotos.applicationId, open))).toHaveLength(1);

    const audit = await h().ctx.db.orm.select().from(auditLog).where(sql`${auditLog.action} in ('ops.retention', 'application.data.minimise')`);
    const run = audit.find((a) => a.action === 'ops.retention' && a.targetId === report.id)!;
    expect(run.details).toMatchObject({ dryRun: false, applicationsMinimised: 2, partialBackupFiles: 1 });
    const minimise = audit.filter((a) => a.action === 'application.data.minimise');
    expect(minimise).toHaveLength(1);
    expect(minimise[0]!.details).toMatchObject({ applications: 2, photos: 2 });
  });

  it('is idempotent: a second run finds nothing left to do', async () => {
    const report = await runRetention(h().ctx, 'CLI', { now: new Date(Date.now() + 1096 * DAY + 3_600_000), tempDir });
    expect(report.counts).toMatchObject({ applicationsMinimised: 0, applicationPhotosDeleted: 0, partialBackupFiles: 0, restoreTempDirs: 0 });
  });

  it('the schedule runs once per interval and the status page shows the last run', async () => {
    const now = new Date();
    expect(await retentionIfDue(h().ctx, now)).toBeNull();
    expect(await retentionIfDue(h().ctx, new Date(now.getTime() + 25 * 3_600_000))).not.toBeNull();
    const status = await systemStatus(h().ctx);
    expect(status.retention.intervalHours).toBe(24);
    expect(status.retention.lastRunAt).not.toBeNull();
    expect(status.retention.lastRunCounts).toMatchObject({ applicationsMinimised: 0 });
    const res = await h().request('GET', '/api/v1/ops/status', { session: lc.sessions.auditor });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { retention: { lastRunAt: string } }).retention.lastRunAt).toBe(status.retention.lastRunAt);
  });
});
