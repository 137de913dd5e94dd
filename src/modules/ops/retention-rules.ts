/**
 * The data rules a retention run enforces, as plain functions: which closed applications are due for
 * minimisation, what of an application is kept afterwards, and which files on disk are stale.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Statuses an application never leaves: from the last change on, its retention clock runs. */
export const CLOSED_STATUSES = ['REJECTED', 'BANK_REJECTED', 'ENDORSED', 'ISSUED', 'CANCELLED'] as const;

/** Applications closed at or before this instant have passed a retention of `days` days. */
export function closedRetentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * The masked citizen ID kept after minimisation: the six-digit region code (statistics by region),
 * nothing that points at a person. Anything not shaped like a masked ID keeps nothing.
 */
export function minimisedCitizenIdMasked(masked: string): string {
  return /^\d{6}/.test(masked) ? `${masked.slice(0, 6)}${'*'.repeat(12)}` : '';
}

/** The birth date kept: the first of January of the birth year (statistics by age band, not a birthday). */
export function minimisedBirthDate(birthDate: string): string {
  return `${birthDate.slice(0, 4)}-01-01`;
}

/** Whether a run is due: never ran, or the last real run started at least an interval ago; 0 turns it off. */
export function retentionDue(intervalHours: number, lastAt: Date | null, now: Date): boolean {
  if (intervalHours <= 0) return false;
  return lastAt === null || now.getTime() - lastAt.getTime() >= intervalHours * HOUR_MS;
}

export interface FileEntry {
  name: string;
  mtimeMs: number;
  isDirectory: boolean;
}

/** What cardflow leaves on disk that no one will read again once it is old enough. */
export interface StaleFileRules {
  /** Hours after which a half-written backup (`*.partial`, left by a crash or a kill) is deleted. */
  partialBackupHours: number;
  /** Days after which a restore's temporary directory (`cardflow-restore-*`, left by a crash) is deleted. */
  restoreTempDays: number;
}

export const STALE_FILE_RULES: StaleFileRules = { partialBackupHours: 24, restoreTempDays: 1 };

/** Backup-directory entries to delete: half-written backups older than the rule; finished ones are pruned by count elsewhere. */
export function staleBackupFiles(entries: FileEntry[], now: Date, rules: StaleFileRules = STALE_FILE_RULES): string[] {
  const cutoff = now.getTime() - rules.partialBackupHours * HOUR_MS;
  return entries.filter((e) => !e.isDirectory && /^cardflow-.+\.partial$/.test(e.name) && e.mtimeMs <= cutoff).map((e) => e.name).sort();
}

/** Temporary-directory entries to delete: restore work directories older than the rule. */
export function staleRestoreDirs(entries: FileEntry[], now: Date, rules: StaleFileRules = STALE_FILE_RULES): string[] {
  const cutoff = now.getTime() - rules.restoreTempDays * DAY_MS;
  return entries.filter((e) => e.isDirectory && /^cardflow-restore-/.test(e.name) && e.mtimeMs <= cutoff).map((e) => e.name).sort();
}

/** Rate-limit and sign-in counter windows that started before this instant can no longer refuse anything. */
export function counterCutoff(now: Date, longestWindowSeconds: number): Date {
  return new Date(now.getTime() - Math.max(longestWindowSeconds * 1000, DAY_MS));
}
