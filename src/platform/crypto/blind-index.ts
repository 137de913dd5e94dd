import type { Keyring } from './keyring.ts';
import { HmacSm3Key } from './sm3-fast.ts';

export type BlindIndexKind = 'citizen_id' | 'phone' | 'bank_account' | 'name';

// The blind-index key's HMAC states, computed once per Keyring (whose blindIndexKey never changes).
const macKeys = new WeakMap<Keyring, HmacSm3Key>();

function macKeyOf(keyring: Keyring): HmacSm3Key {
  let key = macKeys.get(keyring);
  if (!key) {
    key = new HmacSm3Key(keyring.blindIndexKey);
    macKeys.set(keyring, key);
  }
  return key;
}

/**
 * Equality lookup over encrypted columns. The kind is mixed in so that equal strings in different
 * columns (a phone that is also a bank account suffix, say) cannot be linked across columns.
 * Uses the dedicated blind-index key, never a data key: rotating data keys must not change indexes.
 * The caller normalises first (parseCitizenId, normaliseMobile, …); this function hashes verbatim.
 * HMAC-SM3 via sm3-fast.ts (same bytes as hmacSm3 in sm.ts, without OpenSSL's per-call cost).
 */
export function blindIndex(keyring: Keyring, kind: BlindIndexKind, normalisedValue: string): string {
  const mac = Buffer.allocUnsafe(32);
  macKeyOf(keyring).macInto(Buffer.from(`${kind}:${normalisedValue}`, 'utf8'), mac, 0);
  return mac.toString('hex');
}
