import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../setup/engine.ts';
import { useCliWorkspace } from '../helpers/cli.ts';

/*
 * The real `cardflow` command, one process per step, all steps on one data directory (or one fresh
 * PostgreSQL database) in order. Each spawn opens the database, so this file is slow by nature.
 */
const { dir, keyFilePath, cardflow, ok } = useCliWorkspace('cardflow-cli');

const readKeys = () => JSON.parse(readFileSync(keyFilePath, 'utf8')) as { active: string; keys: Record<string, unknown> };

describe('cardflow CLI', { timeout: 180_000 }, () => {
  let rootId = '';
  let originalKey = '';

  it('lists its commands', async () => {
    const help = await ok('--help');
    for (const command of ['serve', 'migrate', 'config', 'user', 'org', 'apikey', 'keys', 'audit', 'calendar', 'applications']) expect(help).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('migrates a fresh database and creates the key file', async () => {
    expect(await ok('migrate')).toBe(`migrations applied (${testEngine() === 'postgres' ? 'postgres' : 'pglite'})\n`);
    originalKey = readKeys().active;
    expect(Object.keys(readKeys().keys)).toEqual([originalKey]);
  });

  it('lists organisations with their ids', async () => {
    const match = /^([0-9a-f-]{36}) {2}cardflow 平台管理 \[AUTHORITY\]$/m.exec(await ok('org', 'list'));
    expect(match).not.toBeNull();
    rootId = match![1]!;
  });

  it('creates a user and resets the password', async () => {
    const created = await ok('user', 'create', '--username', 'cli_manager', '--org', rootId, '--roles', 'AUTHORITY_MANAGER', '--phone', '13800138000');
    expect(created).toMatch(/^created cli_manager \([0-9a-f-]{36}\) in cardflow 平台管理\npassword: (\S{16})\n$/);
    expect(created).not.toContain('13800138000');
    const reset = /^password of cli_manager reset: (\S{16})\n$/.exec(await ok('user', 'reset-password', 'cli_manager'));
    expect(reset?.[1]).not.toBe(/password: (\S+)/.exec(created)?.[1]);
  });

  it('creates, revokes and lists API keys without ever listing the secret', async () => {
    const created = /^created API key 制卡系统 \(prefix ([a-z0-9]{10})\)\nsecret \(shown once\): (cfk_\1_\S+)\n$/.exec(
      await ok('apikey', 'create', '--org', rootId, '--name', '制卡系统', '--roles', 'AUDITOR'),
    );
    expect(created).not.toBeNull();
    const [, prefix, secret] = created!;
    expect(await ok('apikey', 'revoke', prefix!)).toBe(`revoked 制卡系统 (prefix ${prefix})\n`);
    const list = await ok('apikey', 'list');
    expect(list).toMatch(new RegExp(`^${prefix} {2}制卡系统 {2}cardflow 平台管理 {2}AUDITOR {2}revoked \\d{4}-`, 'm'));
    expect(list).not.toContain(secret!.slice(prefix!.length + 5));
  });

  it('refuses a calendar file with a bad row and imports none of it', async () => {
    const file = path.join(dir, 'days-2027.csv');
    writeFileSync(file, 'date,kind,name,source\n2027-01-01,HOLIDAY,元旦,通知\n2027-02-30,HOLIDAY,春节,通知\n2027-01-06,MAKEUP_WORKDAY,调休,通知\n');
    const run = await cardflow('calendar', 'import', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('row 2 (2027-02-30): date must be a real YYYY-MM-DD date');
    expect(run.stderr).toContain('row 3 (2027-01-06): ');
    expect(run.stderr).toContain('error CALENDAR_IMPORT_INVALID');
    expect(run.stdout).toBe('');
  });

  it('refuses an application import for a programme that does not exist', async () => {
    const file = path.join(dir, 'applications.csv');
    writeFileSync(file, 'kind,name,citizenId,phone,sex,ethnicity,birthDate\nNEW,张三,110101199003070011,13800138000,M,01,1990-03-07\n');
    const run = await cardflow('applications', 'import', file, '--programme', '00000000-0000-4000-8000-000000000001', '--outlet', rootId);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error OUT_OF_SCOPE');
    expect(run.stderr).not.toContain('110101199003070011');
    expect(run.stdout).toBe('');
  });

  it('lists the calendar years, without 2027', async () => {
    expect(await ok('calendar', 'list')).toBe(
      '2025  published    28 holidays, 5 make-up working days\n2026  published    33 holidays, 6 make-up working days\n',
    );
  });

  it('rotates the data key and re-encrypts, and a resumed run finds nothing left', async () => {
    const rotated = await ok('keys', 'rotate', '--batch-size', '1');
    const keys = readKeys();
    expect(Object.keys(keys.keys).sort()).toEqual([originalKey, keys.active].sort());
    expect(keys.active).not.toBe(originalKey);
    expect(rotated).toContain(`new active key ${keys.active} written to ${keyFilePath}\n`);
    expect(rotated).toContain(`re-encrypted 1 fields to key ${keys.active}; fields per key now: {"${keys.active}":1}\n`);
    expect(await ok('keys', 'rotate', '--resume')).toBe(`re-encrypted 0 fields to key ${keys.active}; fields per key now: {"${keys.active}":1}\n`);
    expect(readKeys()).toEqual(keys);
  });

  it('verifies the audit trail the steps above wrote', async () => {
    // user.create, user.password.reset, apikey.create, apikey.revoke, keys.rotate twice
    expect(await ok('audit', 'verify')).toBe('audit trail intact: 6 entries checked\n');
  });
});
