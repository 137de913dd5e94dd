import { existsSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../setup/engine.ts';
import { useCliWorkspace } from '../helpers/cli.ts';

/* `cardflow backup`, `backup verify` and `restore`, as an operator runs them, on one workspace in order. */
const { dir, env, cardflow, ok } = useCliWorkspace('cardflow-backup-cli');
const backups = path.join(dir, 'backups');

describe('cardflow backup and restore', { timeout: 180_000 }, () => {
  let manifest = '';

  it('writes a backup and names its manifest and key', async () => {
    // The first command on the workspace creates the database and the first administrator.
    const out = await ok('backup', '--dir', backups);
    const m = /manifest: (\S+)\n/.exec(out);
    expect(m, out).not.toBeNull();
    manifest = m![1]!;
    expect(path.dirname(manifest)).toBe(backups);
    expect(readdirSync(backups).sort()).toEqual([path.basename(manifest).replace('.manifest.json', '.dump.sm4'), path.basename(manifest)].sort());
    expect(out).toMatch(/key: \S+ \(not in the backup/);
    expect(await ok('backup', 'verify', manifest)).toMatch(/^backup intact: (pglite|postgres), taken \d{4}-\d{2}-\d{2}T/);
  });

  it('restores it after the database is gone, and the restored trail verifies', async () => {
    if (testEngine() === 'pglite') {
      // The operator keeps the broken directory aside; the restore writes only into an empty one.
      renameSync(env.CARDFLOW_DATA_DIR!, `${env.CARDFLOW_DATA_DIR!}.broken`);
      expect(existsSync(env.CARDFLOW_DATA_DIR!)).toBe(false);
    } else {
      const refused = await cardflow('restore', manifest);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('--yes');
    }
    const out = await ok('restore', manifest, ...(testEngine() === 'postgres' ? ['--yes'] : []));
    expect(out).toMatch(/^restored the backup of \S+: \d+ tables, every row count and checksum matches the manifest\n$/);
    // Only ops.restore: the ops.backup entry was written after the dump, so it is not in the backup.
    expect(await ok('audit', 'verify')).toBe('audit trail intact: 1 entries checked\n');
    expect(await ok('user', 'reset-password', 'admin')).toMatch(/^password of admin reset: \S+\n$/);
  });

  it('refuses a second restore over the data it just restored (embedded) and a manifest that does not exist', async () => {
    if (testEngine() === 'pglite') {
      const again = await cardflow('restore', manifest);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('error BACKUP_TARGET_NOT_EMPTY');
    }
    const missing = await cardflow('backup', 'verify', path.join(backups, 'nope.manifest.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error BACKUP_MANIFEST_INVALID');
  });
});
