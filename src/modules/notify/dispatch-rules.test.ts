import { describe, expect, it } from 'vitest';
import { GatewayError } from './gateway.ts';
import { decideFailure, parseQuietHours, RateLimiter, reconcileAttempts, reconcileDecision, RETRY, sendableAt } from './dispatch-rules.ts';

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  const window = parseQuietHours('08:00-21:00');

  it('parses HH:MM-HH:MM and refuses empty or reversed windows', () => {
    expect(window).toEqual({ startMinute: 480, endMinute: 1260 });
    expect(parseQuietHours('00:00-24:00')).toEqual({ startMinute: 0, endMinute: 1440 });
    expect(() => parseQuietHours('21:00-08:00')).toThrow();
    expect(() => parseQuietHours('8-21')).toThrow();
  });

  it('lets a message go inside the window, Shanghai time', () => {
    // 10:00 in Shanghai is 02:00 UTC.
    expect(sendableAt(at('2026-03-02T02:00:00Z'), window, false)).toEqual(at('2026-03-02T02:00:00Z'));
  });

  it('defers before the window to its opening the same day, after it to the next morning', () => {
    // 06:30 Shanghai → 08:00 Shanghai (00:00 UTC).
    expect(sendableAt(at('2026-03-01T22:30:00Z'), window, false)).toEqual(at('2026-03-02T00:00:00Z'));
    // 21:00 Shanghai sharp is outside → 08:00 next day.
    expect(sendableAt(at('2026-03-02T13:00:00Z'), window, false)).toEqual(at('2026-03-03T00:00:00Z'));
    // 23:59 on the last day of a month rolls over the month.
    expect(sendableAt(at('2026-03-31T15:59:00Z'), window, false)).toEqual(at('2026-04-01T00:00:00Z'));
  });

  it('does not hold exempt messages', () => {
    expect(sendableAt(at('2026-03-01T18:00:00Z'), window, true)).toEqual(at('2026-03-01T18:00:00Z'));
  });
});

describe('rate limiter', () => {
  it('allows a burst of one second, then one message per 1/rate seconds', () => {
    const limiter = new RateLimiter(200, 0);
    for (let i = 0; i < 200; i++) expect(limiter.take(0)).toBe(0);
    expect(limiter.take(0)).toBe(5);
    expect(limiter.take(5)).toBe(0);
    expect(limiter.take(5)).toBe(5);
  });

  it('sustains the configured rate over time', () => {
    const limiter = new RateLimiter(200, 0);
    let sent = 0;
    for (let now = 0; now <= 10_000; now++) while (limiter.take(now) === 0) sent++;
    // One second of burst plus ten seconds at 200/s.
    expect(sent).toBe(200 + 2_000);
  });
});

function gatewayError(kind: 'TEMPORARY' | 'PERMANENT', outcome: 'NOT_SENT' | 'UNKNOWN' | 'REFUSED') {
  return new GatewayError('SMS_GATEWAY_BUSY', { kind, outcome, params: { gateway: 'g', status: 1 } });
}

describe('decideFailure', () => {
  it('never retries an unknown outcome directly: it waits for the reconcile window', () => {
    expect(decideFailure(gatewayError('TEMPORARY', 'UNKNOWN'), 1, 5, 600_000)).toEqual({ action: 'reconcile', delayMs: 600_000 });
  });

  it('fails permanent refusals at once and temporary ones when the attempts run out', () => {
    expect(decideFailure(gatewayError('PERMANENT', 'REFUSED'), 1, 5, 1)).toEqual({ action: 'fail' });
    expect(decideFailure(gatewayError('TEMPORARY', 'NOT_SENT'), 5, 5, 1)).toEqual({ action: 'fail' });
  });

  it('backs off exponentially on temporary failures, with jitter within [half, full]', () => {
    const delays = [1, 2, 3, 10].map((n) => decideFailure(gatewayError('TEMPORARY', 'REFUSED'), n, 20, 1, RETRY, () => 1));
    expect(delays).toEqual([
      { action: 'retry', delayMs: 5_000 },
      { action: 'retry', delayMs: 10_000 },
      { action: 'retry', delayMs: 20_000 },
      { action: 'retry', delayMs: 600_000 },
    ]);
    expect(decideFailure(gatewayError('TEMPORARY', 'NOT_SENT'), 1, 5, 1, RETRY, () => 0)).toEqual({ action: 'retry', delayMs: 2_500 });
  });
});

describe('reconcileDecision', () => {
  it('resends everything when no unclaimed receipt came back', () => {
    expect(reconcileDecision([{ segments: 1, knownIds: 0 }, { segments: 3, knownIds: 1 }], [])).toEqual([{ kind: 'abandon' }, { kind: 'abandon' }]);
  });

  it('gives a lone attempt the receipts of its missing segments', () => {
    expect(reconcileDecision([{ segments: 3, knownIds: 1 }], ['11', '12'])).toEqual([{ kind: 'accepted', ids: ['11', '12'] }]);
  });

  it('attributes exactly as many receipts as missing segments in submit order, ids in numeric order', () => {
    expect(reconcileDecision([{ segments: 1, knownIds: 0 }, { segments: 2, knownIds: 0 }], ['10', '9', '11'])).toEqual([
      { kind: 'accepted', ids: ['9'] },
      { kind: 'accepted', ids: ['10', '11'] },
    ]);
  });

  it('counts attempts as submitted without guessing when more receipts came than segments are missing', () => {
    expect(reconcileDecision([{ segments: 1, knownIds: 0 }, { segments: 1, knownIds: 0 }], ['1', '2', '3'])).toEqual([
      { kind: 'accepted', ids: [] },
      { kind: 'accepted', ids: [] },
    ]);
  });

  it('resends when the receipts cover only part of the missing segments', () => {
    expect(reconcileDecision([{ segments: 1, knownIds: 0 }, { segments: 2, knownIds: 0 }], ['1'])).toEqual([{ kind: 'abandon' }, { kind: 'abandon' }]);
  });

  it('accepts an attempt whose ids are all known', () => {
    expect(reconcileDecision([{ segments: 2, knownIds: 2 }, { segments: 1, knownIds: 0 }], [])).toEqual([{ kind: 'accepted', ids: [] }, { kind: 'abandon' }]);
  });
});

describe('reconcileAttempts', () => {
  const T = 1_000_000;
  const open = (phoneIdx: string, startedAt: number, segments = 1, expiresAt = T + 86_400_000) => ({ phoneIdx, startedAt, segments, knownIds: 0, expiresAt });

  it('gives each attempt the receipts naming its handset, whatever their order or number', () => {
    const verdicts = reconcileAttempts([open('a', T), open('b', T + 1, 2), open('c', T + 2)], [
      { id: '7', phoneIdx: 'b' },
      { id: '5', phoneIdx: 'a' },
      { id: '8', phoneIdx: 'b' },
      { id: '99', phoneIdx: 'z' },
    ], { now: T + 10_000, latestReceiptedStart: null });
    expect(verdicts).toEqual([{ kind: 'accepted', ids: ['5'] }, { kind: 'accepted', ids: ['7', '8'] }, { kind: 'wait' }]);
  });

  it('resends only when the SMSC has since reported on later submits', () => {
    const verdicts = reconcileAttempts([open('a', T), open('b', T + 5)], [], { now: T + 10_000, latestReceiptedStart: T + 3 });
    expect(verdicts).toEqual([{ kind: 'abandon' }, { kind: 'wait' }]);
  });

  it('never resends without that proof: waits, then ends unconfirmed when validity is over', () => {
    expect(reconcileAttempts([open('a', T, 1, T + 5_000)], [], { now: T + 4_999, latestReceiptedStart: null })).toEqual([{ kind: 'wait' }]);
    expect(reconcileAttempts([open('a', T, 1, T + 5_000)], [], { now: T + 5_000, latestReceiptedStart: null })).toEqual([{ kind: 'unconfirmed' }]);
  });

  it('falls back to counting receipts that name no handset', () => {
    expect(reconcileAttempts([open('a', T), open('b', T + 1)], [{ id: '2', phoneIdx: null }, { id: '1', phoneIdx: null }], { now: T + 10_000, latestReceiptedStart: null })).toEqual([
      { kind: 'accepted', ids: ['1'] },
      { kind: 'accepted', ids: ['2'] },
    ]);
  });
});
