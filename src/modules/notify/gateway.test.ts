import { describe, expect, it } from 'vitest';
import { backoffDelay } from './gateway.ts';

describe('backoffDelay', () => {
  it('doubles from the minimum up to the maximum, scaled by a jitter of 0.5–1', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 1_000, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 1_000, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });

  it('stays finite for very many attempts', () => {
    expect(backoffDelay(10_000, 1_000, 60_000, () => 0.5)).toBe(45_000);
  });
});
