import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { checkRange, checkRoundAnswers, inspectionDays, SEED_INSPECTION_ITEMS, sameAnswers, templateProblems } from './inspections-rules.ts';

describe('the inspection list', () => {
  it('seed 002’s list covers the server room, servers, storage, network, database, applications, backups', () => {
    expect(templateProblems(SEED_INSPECTION_ITEMS)).toEqual([]);
    const categories = new Set(SEED_INSPECTION_ITEMS.map((i) => i.category));
    for (const c of ['机房', '服务器', '存储', '网络', '数据库', '应用系统', '备份', '安全']) expect(categories).toContain(c);
  });

  it('refuses bad codes, repeated codes, empty texts and an empty list', () => {
    expect(templateProblems([])).toHaveLength(1);
    const item = { code: 'UPS', category: '机房', zh: 'UPS', en: 'UPS' };
    expect(templateProblems([item, item])).toEqual(['UPS appears twice']);
    expect(templateProblems([{ ...item, code: 'ups' }])).toHaveLength(1);
    expect(templateProblems([{ ...item, zh: ' ' }])).toHaveLength(1);
    expect(templateProblems([{ ...item, category: '一二三四五六七八九十一二三四五六七八九十一' }])).toHaveLength(1);
  });
});

describe('answers of a round', () => {
  const items = SEED_INSPECTION_ITEMS.slice(0, 3);

  it('keep checklist order and refuse an item answered twice, unknown items and a problem without a note', () => {
    const ok = checkRoundAnswers(items, [
      { code: items[2]!.code, result: 'NA' },
      { code: items[0]!.code, result: 'OK' },
    ]);
    expect(ok.map((a) => a.code)).toEqual([items[0]!.code, items[2]!.code]);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof AppError ? e.code : 'other';
      }
      return null;
    };
    expect(code(() => checkRoundAnswers(items, [{ code: items[0]!.code, result: 'OK' }, { code: items[0]!.code, result: 'NA' }]))).toBe('INSPECTION_ANSWER_INVALID');
    expect(code(() => checkRoundAnswers(items, [{ code: 'NOPE', result: 'OK' }]))).toBe('INSPECTION_ANSWER_INVALID');
    expect(code(() => checkRoundAnswers(items, [{ code: items[1]!.code, result: 'PROBLEM', note: '  ' }]))).toBe('INSPECTION_ANSWER_INVALID');
  });

  it('are the same regardless of order and note padding, and differ on any result or note', () => {
    const a = [
      { code: 'A', result: 'OK' as const },
      { code: 'B', result: 'PROBLEM' as const, note: '风扇告警' },
    ];
    expect(sameAnswers(a, [a[1]!, { ...a[0]!, note: ' ' }])).toBe(true);
    expect(sameAnswers(a, [a[0]!, { ...a[1]!, note: '风扇故障' }])).toBe(false);
    expect(sameAnswers(a, [a[0]!, { ...a[1]!, result: 'OK' }])).toBe(false);
    expect(sameAnswers(a, [a[0]!])).toBe(false);
  });
});

describe('days owed a round', () => {
  const base = { termStart: '2026-05-29', termEnd: '2027-05-28', today: '2026-06-03' };

  it('start with the contract, stop at today, and mark past days without a round as missing, today as due', () => {
    const days = inspectionDays({ ...base, from: '2026-05-27', to: '2026-06-10', rounds: new Map([['2026-05-30', 'SIGNED'], ['2026-06-02', 'OPEN']]) });
    expect(days).toEqual([
      { day: '2026-05-29', state: 'MISSING' },
      { day: '2026-05-30', state: 'SIGNED' },
      { day: '2026-05-31', state: 'MISSING' },
      { day: '2026-06-01', state: 'MISSING' },
      { day: '2026-06-02', state: 'OPEN' },
      { day: '2026-06-03', state: 'DUE' },
    ]);
  });

  it('stop at the end of the term, across a year boundary', () => {
    const days = inspectionDays({ termStart: '2026-12-30', termEnd: '2027-01-01', today: '2027-03-01', from: '2026-12-01', to: '2027-01-31', rounds: new Map() });
    expect(days.map((d) => d.day)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01']);
  });

  it('refuse a range that is reversed, not a date, or too long', () => {
    expect(() => checkRange('2026-06-02', '2026-06-01')).toThrow(AppError);
    expect(() => checkRange('2026-02-30', '2026-03-01')).toThrow(AppError);
    expect(() => checkRange('2026-01-01', '2026-04-03')).toThrow(AppError);
    expect(() => checkRange('2026-01-01', '2026-04-02')).not.toThrow();
  });
});
