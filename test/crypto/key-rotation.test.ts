import { beforeAll, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { useTestContext } from '../helpers/context.ts';
import { addKey, generateKeyFile, Keyring, type KeyFile } from '../../src/platform/crypto/keyring.ts';
import { decryptField, tokenKeyId } from '../../src/platform/crypto/field-cipher.ts';
import { keyUsage, reencryptAll, type RotationProgress } from '../../src/platform/crypto/rotation.ts';
import { bootstrapAdmin, createUser, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { users } from '../../src/modules/orgs/schema.ts';

const ctx = useTestContext();

const PHONES = ['13800000001', '13900000002', '15000000003', '18600000004', '19900000005'];
let keyFile: KeyFile;

const stored = () => ctx().db.orm.select({ username: users.username, enc: users.phoneEnc, idx: users.phoneIdx, masked: users.phoneMasked }).from(users).orderBy(asc(users.username));
const withPhones = async () => (await stored()).filter((u): u is { username: string; enc: string; idx: string; masked: string } => u.enc !== null);

/** Adds a key to the file and swaps the keyring in, as `cardflow keys rotate` does. */
function rotateKeyFile(): string {
  keyFile = addKey(keyFile);
  ctx().keyring = Keyring.fromKeyFile(keyFile);
  return keyFile.active;
}

/** Every stored phone decrypts to its original with the current keyring. */
async function expectAllReadable() {
  const rows = await withPhones();
  expect(rows.map((u) => decryptField(ctx().keyring, u.enc))).toEqual(PHONES);
}

beforeAll(async () => {
  keyFile = generateKeyFile();
  ctx().keyring = Keyring.fromKeyFile(keyFile);
  await bootstrapAdmin(ctx(), 'Admin-password-1');
  const root = await ensureRootOrg(ctx());
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'cli', roles: ['ADMIN'] }, root, 'CLI');
  for (const [i, phone] of PHONES.entries()) {
    await createUser(ctx(), cli, { username: `holder_${i}`, displayName: `持卡人${i}`, orgId: root.id, roles: ['AUDITOR'], password: 'Holder-password-1', phone });
  }
});

describe('key rotation', () => {
  it('re-encrypts every field to the new key, keeping values and blind indexes', async () => {
    const oldKey = keyFile.active;
    const before = await withPhones();
    expect(before).toHaveLength(PHONES.length);
    expect(await keyUsage(ctx())).toEqual({ [oldKey]: PHONES.length });

    const newKey = rotateKeyFile();
    expect(newKey).not.toBe(oldKey);
    const progress: RotationProgress[] = [];
    expect(await reencryptAll(ctx(), 2, (p) => progress.push(p))).toBe(PHONES.length);
    expect(progress.map((p) => [p.done, p.remaining])).toEqual([[2, 3], [4, 1], [5, 0]]);

    const after = await withPhones();
    for (const u of after) expect(u.enc.startsWith(`v1.${newKey}.`)).toBe(true);
    expect(after.map((u) => u.idx)).toEqual(before.map((u) => u.idx));
    expect(after.map((u) => u.masked)).toEqual(before.map((u) => u.masked));
    expect(after.map((u) => u.enc)).not.toEqual(before.map((u) => u.enc));
    await expectAllReadable();
    expect(await keyUsage(ctx())).toEqual({ [newKey]: PHONES.length });
    // the admin without a phone is left alone
    expect((await stored()).filter((u) => u.enc === null).map((u) => u.username)).toEqual(['admin']);
    // a second run finds nothing to do
    expect(await reencryptAll(ctx(), 2)).toBe(0);
  });

  it('resumes an interrupted run where it stopped', async () => {
    const oldKey = keyFile.active;
    const newKey = rotateKeyFile();
    let calls = 0;
    const crashAfterFirstBatch = () => {
      calls += 1;
      throw new Error('killed after the first batch');
    };
    await expect(reencryptAll(ctx(), 2, crashAfterFirstBatch)).rejects.toThrow('killed after the first batch');
    expect(calls).toBe(1);

    // half-way: the first batch is committed on the new key, the rest still on the old one, all readable
    expect(await keyUsage(ctx())).toEqual({ [newKey]: 2, [oldKey]: PHONES.length - 2 });
    expect((await withPhones()).map((u) => tokenKeyId(u.enc)).sort()).toEqual([newKey, newKey, oldKey, oldKey, oldKey].sort());
    await expectAllReadable();

    expect(await reencryptAll(ctx(), 2)).toBe(PHONES.length - 2);
    expect(await keyUsage(ctx())).toEqual({ [newKey]: PHONES.length });
    await expectAllReadable();
  });

  it('cannot read fields whose key was dropped from the keyring too early', async () => {
    const { active, keys, ...rest } = keyFile;
    const onlyOld = Object.fromEntries(Object.entries(keys).filter(([id]) => id !== active));
    const [enc] = (await withPhones()).map((u) => u.enc);
    const withoutActive = Keyring.fromKeyFile({ ...rest, active: Object.keys(onlyOld)[0]!, keys: onlyOld });
    expect(() => decryptField(withoutActive, enc!)).toThrow(expect.objectContaining({ code: 'KEY_NOT_FOUND' }) as Error);
  });
});
