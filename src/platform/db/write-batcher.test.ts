import { describe, expect, it } from 'vitest';
import { WriteBatcher } from './write-batcher.ts';

function recorder(opts: { fail?: (items: number[]) => boolean; holdMs?: number } = {}) {
  const batches: number[][] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const write = async (items: number[]) => {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    await new Promise((r) => setTimeout(r, opts.holdMs ?? 1));
    concurrent--;
    if (opts.fail?.(items)) throw new Error(`batch ${items.join(',')} failed`);
    batches.push(items);
  };
  return { batches, write, maxConcurrent: () => maxConcurrent };
}

describe('WriteBatcher', () => {
  it('writes a full batch at once, without waiting for the delay', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 3, maxDelayMs: 60_000 });
    const done: number[] = [];
    await Promise.all([1, 2, 3].map((i) => b.add(i).then(() => done.push(i))));
    expect(r.batches).toEqual([[1, 2, 3]]);
    expect(done).toEqual([1, 2, 3]);
  });

  it('writes a batch that is not full once the delay after its first item has passed', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 100, maxDelayMs: 30 });
    let written = false;
    const pending = b.add(1).then(() => (written = true));
    await new Promise((res) => setTimeout(res, 10));
    expect(written).toBe(false);
    expect(r.batches).toEqual([]);
    await pending;
    expect(r.batches).toEqual([[1]]);
  });

  it('writes one batch at a time and gathers what arrives meanwhile into the next', async () => {
    const r = recorder({ holdMs: 15 });
    const b = new WriteBatcher(r.write, { maxItems: 100, maxDelayMs: 1 });
    const first = b.add(1);
    await new Promise((res) => setTimeout(res, 5));
    const later = [2, 3, 4].map((i) => b.add(i));
    await Promise.all([first, ...later]);
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
    expect(r.maxConcurrent()).toBe(1);
  });

  it('rejects every item of a failed batch and only those; a retry goes in a later batch', async () => {
    let failOnce = true;
    const r = recorder({
      fail: (items) => {
        const fail = failOnce && items.includes(2);
        if (fail) failOnce = false;
        return fail;
      },
    });
    const b = new WriteBatcher(r.write, { maxItems: 2, maxDelayMs: 1 });
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => b.add(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(r.batches).toEqual([[3]]);
    await b.add(2);
    expect(r.batches).toEqual([[3], [2]]);
  });

  it('flush writes what is waiting without the delay', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 100, maxDelayMs: 60_000 });
    const pending = [b.add(7), b.add(8)];
    await b.flush();
    expect(r.batches).toEqual([[7, 8]]);
    await Promise.all(pending);
  });
});
