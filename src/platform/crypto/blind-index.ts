import type { Keyring } from './keyring.ts';
import { hmacSm3 } from './sm.ts';

export type BlindIndexKind = 'citizen_id' | 'phone' | 'bank_account' | 'name';

/**
 * Equality lookup over encrypted columns. The kind is mixed in so that equal strings in different
 * columns (a phone that is also a bank account suffix, say) cannot be linked across columns.
 * Uses the dedicated blind-index key, never a data key: rotating data keys must not change indexes.
 * The caller normalises first (parseCitizenId, normaliseMobile, …); this function hashes verbatim.
 */
export function blindIndex(keyring: Keyring, kind: BlindIndexKind, normalisedValue: string): string {
  return hmacSm3(keyring.blindIndexKey, `${kind}:${normalisedValue}`).toString('hex');
}
