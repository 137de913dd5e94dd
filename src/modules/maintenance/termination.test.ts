import { describe, expect, it } from 'vitest';
import { levelsReached } from './termination.ts';

describe('termination-threshold levels', () => {
  it('raises APPROACHING one breach before the threshold, REACHED at it, and both on a jump', () => {
    expect(levelsReached(3, 5)).toEqual([]);
    expect(levelsReached(4, 5)).toEqual(['APPROACHING']);
    expect(levelsReached(5, 5)).toEqual(['APPROACHING', 'REACHED']);
    expect(levelsReached(9, 5)).toEqual(['APPROACHING', 'REACHED']);
    expect(levelsReached(1, 1)).toEqual(['REACHED']);
    expect(levelsReached(50, null)).toEqual([]);
  });
});
