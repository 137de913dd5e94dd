import { describe, expect, it } from 'vitest';
import { closedRetentionCutoff, counterCutoff, minimisedBirthDate, minimisedCitizenIdMasked, retentionDue, staleBackupFiles, staleRestoreDirs } from './retention-rules.ts';

const now = new Date('2026-12-02T03:00:00Z');
const hoursAgo = (h: number) => now.getTime() - h * 3_600_000;

describe('retention rules', () => {
  it('the cutoff of closed applications is the retention in days before now', () => {
    expect(closedRetentionCutoff(now, 1095).toISOString()).toBe('2023-12-03T03:00:00.000Z');
  });

  it('keeps the region of a masked ID and nothing else', () => {
    expect(minimisedCitizenIdMasked('110105********002X')).toBe('110105************');
    expect(minimisedCitizenIdMasked('')).toBe('');
    expect(minimisedCitizenIdMasked('张*')).toBe('');
  });

  it('keeps the birth year only', () => {
    expect(minimisedBirthDate('1987-06-30')).toBe('1987-01-01');
  });

  it('is due when never run or an interval has passed; 0 turns it off', () => {
    expect(retentionDue(24, null, now)).toBe(true);
    expect(retentionDue(24, new Date(hoursAgo(23.9)), now)).toBe(false);
    expect(retentionDue(24, new Date(hoursAgo(24)), now)).toBe(true);
    expect(retentionDue(0, null, now)).toBe(false);
  });

  it('deletes only old half-written backups, never finished ones or other files', () => {
    const entries = [
      { name: 'cardflow-pglite-a.dump.sm4.partial', mtimeMs: hoursAgo(25), isDirectory: false },
      { name: 'cardflow-pglite-a.manifest.json.partial', mtimeMs: hoursAgo(24), isDirectory: false },
      { name: 'cardflow-pglite-b.dump.sm4.partial', mtimeMs: hoursAgo(1), isDirectory: false },
      { name: 'cardflow-pglite-c.dump.sm4', mtimeMs: hoursAgo(1000), isDirectory: false },
      { name: 'notes.partial', mtimeMs: hoursAgo(1000), isDirectory: false },
      { name: 'cardflow-dir.partial', mtimeMs: hoursAgo(1000), isDirectory: true },
    ];
    expect(staleBackupFiles(entries, now)).toEqual(['cardflow-pglite-a.dump.sm4.partial', 'cardflow-pglite-a.manifest.json.partial']);
  });

  it('deletes only old restore work directories', () => {
    const entries = [
      { name: 'cardflow-restore-abc', mtimeMs: hoursAgo(25), isDirectory: true },
      { name: 'cardflow-restore-new', mtimeMs: hoursAgo(2), isDirectory: true },
      { name: 'cardflow-restore-file', mtimeMs: hoursAgo(100), isDirectory: false },
      { name: 'other', mtimeMs: hoursAgo(100), isDirectory: true },
    ];
    expect(staleRestoreDirs(entries, now)).toEqual(['cardflow-restore-abc']);
  });

  it('keeps counter windows for at least a day and at least the longest window', () => {
    expect(counterCutoff(now, 300).toISOString()).toBe('2026-12-01T03:00:00.000Z');
    expect(counterCutoff(now, 2 * 86_400).toISOString()).toBe('2026-11-30T03:00:00.000Z');
  });
});
