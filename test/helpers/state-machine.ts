import { expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors/app-error.ts';

/** The AppError code `fn` throws, 'no error' when it returns; anything else is rethrown. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

/**
 * The two checks every transition table gets: each allowed step lands where the table says, and every
 * other (state, event) pair is refused with the machine's error code.
 */
export function itFollowsTransitionTable<S extends string, E extends string>(machine: {
  states: readonly S[];
  events: readonly E[];
  allowed: [S, E, S][];
  next: (from: S, event: E) => S;
  refusedCode: string;
}): void {
  it.each(machine.allowed)('%s --%s--> %s', (from, event, to) => {
    expect(machine.next(from, event)).toBe(to);
  });

  it('refuses every other state and event pair', () => {
    const allowed = new Set(machine.allowed.map(([from, event]) => `${from} ${event}`));
    let refused = 0;
    for (const from of machine.states) {
      for (const event of machine.events) {
        if (allowed.has(`${from} ${event}`)) continue;
        expect(codeOf(() => machine.next(from, event)), `${from} ${event}`).toBe(machine.refusedCode);
        refused++;
      }
    }
    expect(refused).toBe(machine.states.length * machine.events.length - machine.allowed.length);
  });
}
