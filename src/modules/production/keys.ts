import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { decryptBytes, encryptBytes } from '../../platform/crypto/field-cipher.ts';
import { packageKeys } from './schema.ts';
import { isSm2PublicKey, publicKeyFingerprint, secretFingerprint, type PackageKey } from './package.ts';

export type PackageKeyRow = typeof packageKeys.$inferSelect;

export function keyView(k: PackageKeyRow) {
  return {
    id: k.id,
    kind: k.kind,
    fingerprint: k.fingerprint,
    sm2PublicKey: k.sm2PublicKey,
    active: k.active,
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    retiredAt: k.retiredAt?.toISOString() ?? null,
  };
}

export type CreateKeyInput = { kind: 'SM4' } | { kind: 'SM2'; publicKey: string };

/**
 * Creates the producer's new package key and retires the one before it (one active key per
 * producer: rotation). An SM4 secret is returned once, in hex; only its sealed copy is kept.
 */
export async function createPackageKey(ctx: AppContext, principal: Principal, input: CreateKeyInput, now = new Date()) {
  let secret: Buffer | null = null;
  let values: { kind: 'SM4' | 'SM2'; secretEnc: Buffer | null; sm2PublicKey: string | null; fingerprint: string };
  if (input.kind === 'SM4') {
    secret = randomBytes(32);
    values = { kind: 'SM4', secretEnc: encryptBytes(ctx.keyring, secret), sm2PublicKey: null, fingerprint: secretFingerprint(secret) };
  } else {
    const pub = input.publicKey.toLowerCase();
    if (!isSm2PublicKey(pub)) throw new AppError('PACKAGE_KEY_SM2_INVALID');
    values = { kind: 'SM2', secretEnc: null, sm2PublicKey: pub, fingerprint: publicKeyFingerprint(pub) };
  }
  const row = await ctx.db.orm.transaction(async (tx) => {
    await tx
      .update(packageKeys)
      .set({ active: false, retiredAt: now })
      .where(and(eq(packageKeys.producerOrgId, principal.orgId), eq(packageKeys.active, true)));
    const [created] = await tx
      .insert(packageKeys)
      .values({ ...values, producerOrgId: principal.orgId, createdBy: principal.name, createdAt: now })
      .returning();
    return created!;
  });
  return { key: keyView(row), secretHex: secret ? secret.toString('hex') : null };
}

export async function listPackageKeys(ctx: AppContext, principal: Principal) {
  const rows = await ctx.db.orm.select().from(packageKeys).where(eq(packageKeys.producerOrgId, principal.orgId)).orderBy(desc(packageKeys.createdAt));
  return rows.map(keyView);
}

export async function retirePackageKey(ctx: AppContext, principal: Principal, id: string, now = new Date()) {
  const [row] = await ctx.db.orm.select().from(packageKeys).where(and(eq(packageKeys.id, id), eq(packageKeys.producerOrgId, principal.orgId)));
  if (!row) throw new AppError('OUT_OF_SCOPE');
  if (!row.active) throw new AppError('PACKAGE_KEY_RETIRED');
  const [updated] = await ctx.db.orm.update(packageKeys).set({ active: false, retiredAt: now }).where(eq(packageKeys.id, id)).returning();
  return keyView(updated!);
}

/** The producer's active key with its material (the SM4 secret unsealed), for writing a package. */
export async function activeKeyFor(ctx: AppContext, producerOrgId: string, q: Queryable = ctx.db.orm): Promise<PackageKey | null> {
  const [row] = await q.select().from(packageKeys).where(and(eq(packageKeys.producerOrgId, producerOrgId), eq(packageKeys.active, true)));
  if (!row) return null;
  if (row.kind === 'SM4') return { kind: 'SM4', id: row.id, fingerprint: row.fingerprint, secret: decryptBytes(ctx.keyring, row.secretEnc!) };
  return { kind: 'SM2', id: row.id, fingerprint: row.fingerprint, publicKey: row.sm2PublicKey! };
}
