import { describe, expect, it } from 'vitest';
import type { ResultItem } from '../cards/rules.ts';
import { planResults, type BatchCard, type ResultRowProblem } from './results.ts';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const cardId = (n: number) => `00000000-0000-4000-8000-${hex(n, 12)}`;

function batch(n: number): BatchCard[] {
  return Array.from({ length: n }, (_, i) => ({
    id: cardId(i + 1),
    applicationId: `10000000-0000-4000-8000-${hex(i + 1, 12)}`,
    packingSeq: i + 1,
    status: 'ORDERED',
    cardNo: null,
    chipUid: null,
    wasteCause: null,
    wasteReason: null,
    recordSm3: hex(i + 1, 64),
  }));
}

type Produced = Extract<ResultItem, { outcome: 'PRODUCED' }>;
const produced = (c: BatchCard, no: number): Produced => ({ ref: { cardId: c.id }, outcome: 'PRODUCED', cardNo: `A${String(no).padStart(8, '0')}`, chipUid: hex(no, 8).toUpperCase(), chipDataSm3: c.recordSm3! });

describe('planResults', () => {
  it('plans a 10,000-card report in memory, every card once', () => {
    const cards = batch(10_000);
    const parsed = cards.map((c, i) => ({ row: i + 2, item: i % 10 === 0 ? ({ ref: { packingSeq: c.packingSeq! }, outcome: 'WASTED', wasteReason: '芯片损坏', wasteCause: 'PRODUCER' } as const) : produced(c, i) }));
    const problems: ResultRowProblem[] = [];
    const plan = planResults(cards, parsed, problems);
    expect(problems).toEqual([]);
    expect(plan.unchanged).toBe(0);
    expect(plan.toApply).toHaveLength(10_000);
    expect(new Set(plan.toApply.map((t) => t.card.id)).size).toBe(10_000);
    expect(plan.toApply.filter((t) => t.item.outcome === 'WASTED')).toHaveLength(1_000);
  });

  it('reports every bad row: unknown card, wrong digest, a number twice, a contradiction in the file', () => {
    const cards = batch(5);
    const problems: ResultRowProblem[] = [];
    const plan = planResults(
      cards,
      [
        { row: 2, item: produced(cards[0]!, 1) },
        { row: 3, item: { ...produced(cards[1]!, 2), ref: { cardId: cardId(99) } } },
        { row: 4, item: { ...produced(cards[2]!, 3), chipDataSm3: cards[3]!.recordSm3! } },
        { row: 5, item: produced(cards[3]!, 1) },
        { row: 6, item: produced(cards[0]!, 1) },
        { row: 7, item: { ref: { cardId: cards[0]!.id }, outcome: 'WASTED', wasteReason: '损坏', wasteCause: 'PRODUCER' } },
        { row: 8, item: { ref: { packingSeq: 6 }, outcome: 'WASTED', wasteReason: '损坏', wasteCause: 'PRODUCER' } },
      ],
      problems,
    );
    expect(problems).toEqual([
      { row: 3, field: 'cardId', code: 'RESULT_CARD_NOT_IN_BATCH' },
      { row: 4, field: 'chipDataSm3', code: 'CHIP_DATA_MISMATCH' },
      { row: 5, field: 'cardNo', code: 'CARD_NO_DUPLICATE' },
      { row: 7, field: 'outcome', code: 'RESULT_CONFLICT' },
      { row: 8, field: 'packingSeq', code: 'RESULT_CARD_NOT_IN_BATCH' },
    ]);
    // Row 6 repeats row 2 exactly: one report, counted once as unchanged.
    expect(plan.toApply.map((t) => t.row)).toEqual([2]);
    expect(plan.unchanged).toBe(1);
  });

  it('a retried report is unchanged, a different one for a reported card a conflict', () => {
    const [card] = batch(1);
    const done: BatchCard = { ...card!, status: 'SHIPPED', cardNo: 'A00000007', chipUid: '00000007' };
    const problems: ResultRowProblem[] = [];
    expect(planResults([done], [{ row: 2, item: produced(card!, 7) }], problems)).toEqual({ toApply: [], unchanged: 1 });
    planResults([done], [{ row: 2, item: produced(card!, 8) }], problems);
    expect(problems).toEqual([{ row: 2, field: 'outcome', code: 'RESULT_CONFLICT' }]);
  });
});
