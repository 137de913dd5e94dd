import { describe, expect, it } from 'vitest';
import { checkLinks, GENESIS_HASH, linkHash, type ChainedFields } from './chain.ts';

type Row = ChainedFields & { prevHash: string; hash: string };

const KEY = Buffer.alloc(32, 7);
const fresh = () => ({ expectedSeq: 1, prevHash: GENESIS_HASH });

function entry(seq: number): ChainedFields {
  return {
    seq,
    at: new Date(Date.UTC(2025, 0, 1, 0, seq)),
    actorType: 'USER',
    actorId: 'u1',
    actorName: 'alice',
    orgId: 'o1',
    orgName: '常州市公安局',
    ip: '127.0.0.1',
    action: `action.${seq}`,
    targetType: 'user',
    targetId: `t${seq}`,
    outcome: 'SUCCESS',
    requestId: `r${seq}`,
    details: { status: 200, nested: { b: seq, a: [1, 2] } },
  };
}

/** Links `fields` in order the way appendAudit does. */
function link(fields: ChainedFields[], key = KEY): Row[] {
  let prev = GENESIS_HASH;
  return fields.map((f) => {
    const hash = linkHash(key, prev, f);
    const row = { ...f, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

const chain = (n = 5) => link(Array.from({ length: n }, (_, i) => entry(i + 1)));

describe('checkLinks', () => {
  it('accepts an intact chain and leaves the state at its end', () => {
    const rows = chain();
    const state = fresh();
    expect(checkLinks(KEY, rows, state)).toBeNull();
    expect(state).toEqual({ expectedSeq: 6, prevHash: rows[4]!.hash });
  });

  it('carries the state across pages', () => {
    const rows = chain();
    const state = fresh();
    expect(checkLinks(KEY, rows.slice(0, 2), state)).toBeNull();
    expect(checkLinks(KEY, rows.slice(2), state)).toBeNull();
    expect(state.expectedSeq).toBe(6);
    const tampered = chain();
    tampered[3]!.outcome = 'DENIED';
    const paged = fresh();
    expect(checkLinks(KEY, tampered.slice(0, 2), paged)).toBeNull();
    expect(checkLinks(KEY, tampered.slice(2), paged)).toEqual({ seq: 4, reason: 'HASH_MISMATCH' });
  });

  it('ignores the key order of details (jsonb does not keep it)', () => {
    const rows = chain();
    rows[1]!.details = { nested: { a: [1, 2], b: 2 }, status: 200 };
    expect(checkLinks(KEY, rows, fresh())).toBeNull();
  });

  it.each<[string, (rows: Row[]) => Row[], { seq: number; reason: string }]>([
    ['an edited action', (r) => (r[2]!.action = 'org.delete', r), { seq: 3, reason: 'HASH_MISMATCH' }],
    ['edited details', (r) => (r[1]!.details = { status: 500, nested: { b: 2, a: [1, 2] } }, r), { seq: 2, reason: 'HASH_MISMATCH' }],
    ['a moved timestamp', (r) => (r[4]!.at = new Date(r[4]!.at.getTime() + 1), r), { seq: 5, reason: 'HASH_MISMATCH' }],
    ['a cleared actor', (r) => (r[0]!.actorName = null, r), { seq: 1, reason: 'HASH_MISMATCH' }],
    ['a deleted middle row', (r) => r.filter((x) => x.seq !== 3), { seq: 3, reason: 'SEQUENCE_GAP' }],
    ['a deleted first row', (r) => r.slice(1), { seq: 1, reason: 'SEQUENCE_GAP' }],
    ['two swapped rows', (r) => [r[0]!, r[2]!, r[1]!, r[3]!, r[4]!], { seq: 2, reason: 'SEQUENCE_GAP' }],
    // An editor without the chain key cannot produce a matching hash…
    ['a row re-hashed with another key', (r) => (r[1]!.action = 'x', r[1]!.hash = linkHash(Buffer.alloc(32, 1), r[1]!.prevHash, r[1]!), r), { seq: 2, reason: 'HASH_MISMATCH' }],
    // …and with it, the next row's link still gives the edit away.
    ['a row re-hashed with the right key', (r) => (r[1]!.action = 'x', r[1]!.hash = linkHash(KEY, r[1]!.prevHash, r[1]!), r), { seq: 3, reason: 'PREV_HASH_MISMATCH' }],
    ['renumbered rows after a deletion', (r) => r.filter((x) => x.seq !== 2).map((x, i) => ({ ...x, seq: i + 1 })), { seq: 2, reason: 'PREV_HASH_MISMATCH' }],
  ])('reports %s at the first broken link', (_, tamper, expected) => {
    expect(checkLinks(KEY, tamper(chain()), fresh())).toEqual(expected);
  });

  it('refuses a chain made with another key', () => {
    expect(checkLinks(KEY, link([entry(1), entry(2)], Buffer.alloc(32, 9)), fresh())).toEqual({ seq: 1, reason: 'HASH_MISMATCH' });
  });

  it('accepts no rows at all', () => {
    expect(checkLinks(KEY, [], fresh())).toBeNull();
  });
});
