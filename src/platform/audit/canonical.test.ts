import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';

describe('canonicalJson', () => {
  it('does not depend on key order at any depth', () => {
    const a = { b: 1, a: { d: [{ y: 2, x: 1 }], c: null }, 'é': 'x', A: true };
    const b = { A: true, 'é': 'x', a: { c: null, d: [{ x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"A":true,"a":{"c":null,"d":[{"x":1,"y":2}]},"b":1,"é":"x"}');
  });

  it.each([
    ['array order is kept', [3, 1, 2], '[3,1,2]'],
    ['undefined members are dropped, as JSON does', { a: undefined, b: 1 }, '{"b":1}'],
    ['undefined alone is null', undefined, 'null'],
    ['null', null, 'null'],
    ['strings are escaped', 'say "hi"\n', '"say \\"hi\\"\\n"'],
    ['numbers and booleans', [1.5, -0, true], '[1.5,0,true]'],
  ])('%s', (_, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('survives a jsonb round trip (which reorders keys) unchanged', () => {
    const value = { zeta: [1, { b: 'x', a: 'y' }], alpha: { status: 201 } };
    const reordered = JSON.parse(JSON.stringify({ alpha: { status: 201 }, zeta: [1, { a: 'y', b: 'x' }] })) as unknown;
    expect(canonicalJson(reordered)).toBe(canonicalJson(value));
  });

  it.each([
    [{ a: 1 }, { a: '1' }],
    [[1, 2], [2, 1]],
    [{ a: null }, {}],
    [{ a: { b: 1 } }, { 'a.b': 1 }],
  ])('tells %j from %j', (x, y) => {
    expect(canonicalJson(x)).not.toBe(canonicalJson(y));
  });
});
