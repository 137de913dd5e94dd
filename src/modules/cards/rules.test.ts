import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkBankDecision,
  checkResultRow,
  compareResult,
  csvRecords,
  luhnCheckDigit,
  luhnValid,
  maskAccountLast4,
  normaliseBankAccount,
  normaliseCardNo,
  normaliseChipUid,
  normaliseSm3,
  RESULT_COLUMNS,
  sameResult,
  type ResultItem,
} from './rules.ts';

const CARD = '0b5f7c3e-1d2a-4c8b-9e6f-1234567890ab';
const SM3 = 'a'.repeat(64);

describe('Luhn and bank accounts', () => {
  it('accepts known valid numbers and refuses a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a4')).toBe(false);
  });

  it('every body gets exactly one check digit, and changing any single digit breaks it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{15,18}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const full = body + luhnCheckDigit(body);
        expect(luhnValid(full)).toBe(true);
        const i = pos % full.length;
        const changed = full.slice(0, i) + String((Number(full[i]) + delta) % 10) + full.slice(i + 1);
        expect(luhnValid(changed)).toBe(false);
      }),
    );
  });

  it('normalises spaces and dashes and checks the length 16–19', () => {
    const body = '622202123456789012';
    const account = body + luhnCheckDigit(body);
    expect(normaliseBankAccount(`${account.slice(0, 4)} ${account.slice(4, 8)}-${account.slice(8)}`)).toEqual({ value: account });
    // Luhn-valid but 15 and 20 digits long.
    const short = '41111111111111';
    expect(normaliseBankAccount(short + luhnCheckDigit(short))).toEqual({ code: 'BANK_ACCOUNT_INVALID' });
    const long = '6222021234567890123';
    expect(normaliseBankAccount(long + luhnCheckDigit(long))).toEqual({ code: 'BANK_ACCOUNT_INVALID' });
    expect(normaliseBankAccount('4111111111111112')).toEqual({ code: 'BANK_ACCOUNT_INVALID' });
    expect(normaliseBankAccount('4111111111111111')).toEqual({ value: '4111111111111111' });
  });

  it('masks all but the last four digits', () => {
    expect(maskAccountLast4('4111111111111111')).toBe('************1111');
    expect(maskAccountLast4('123')).toBe('123');
  });

  it('checks bank decisions', () => {
    expect(checkBankDecision({ decision: 'matched', bankAccount: '4111 1111 1111 1111' })).toEqual({ value: { decision: 'MATCHED', bankAccount: '4111111111111111' }, problems: [] });
    expect(checkBankDecision({ decision: 'MATCHED', bankAccount: '4111111111111112' }).problems).toEqual([{ field: 'bankAccount', code: 'BANK_ACCOUNT_INVALID' }]);
    expect(checkBankDecision({ decision: 'REJECTED', reason: ' 证件过期 ' })).toEqual({ value: { decision: 'REJECTED', reason: '证件过期' }, problems: [] });
    expect(checkBankDecision({ decision: 'REJECTED', reason: ' ' }).problems).toEqual([{ field: 'reason', code: 'BANK_REJECT_REASON_REQUIRED' }]);
    expect(checkBankDecision({ decision: 'MAYBE' }).problems).toEqual([{ field: 'decision', code: 'BANK_DECISION_INVALID' }]);
  });
});

describe('card data formats', () => {
  it('card numbers, chip UIDs and SM3 digests', () => {
    expect(normaliseCardNo(' a12345678 ')).toBe('A12345678');
    expect(normaliseCardNo('A1234')).toBeNull();
    expect(normaliseCardNo('A1234-5678')).toBeNull();
    expect(normaliseChipUid('04:a2:3b:4c')).toBe('04A23B4C');
    expect(normaliseChipUid('04A23B4')).toBeNull();
    expect(normaliseChipUid('XYZ12345')).toBeNull();
    expect(normaliseSm3(SM3.toUpperCase())).toBe(SM3);
    expect(normaliseSm3('a'.repeat(63))).toBeNull();
  });
});

describe('result rows', () => {
  it('accepts a produced row by card id and a wasted row by packing position', () => {
    expect(checkResultRow({ cardId: CARD.toUpperCase(), outcome: 'produced', cardNo: 'a12345678', chipUid: '04a23b4c', chipDataSm3: SM3 })).toEqual({
      item: { ref: { cardId: CARD }, outcome: 'PRODUCED', cardNo: 'A12345678', chipUid: '04A23B4C', chipDataSm3: SM3 },
      problems: [],
    });
    expect(checkResultRow({ cardId: '', packingSeq: '7', outcome: 'WASTED', wasteReason: '芯片损坏', wasteCause: 'producer' })).toEqual({
      item: { ref: { packingSeq: 7 }, outcome: 'WASTED', wasteReason: '芯片损坏', wasteCause: 'PRODUCER' },
      problems: [],
    });
  });

  it('lists every problem of a bad row', () => {
    expect(checkResultRow({ cardId: '', outcome: 'PRODUCED', cardNo: 'x', chipUid: '', chipDataSm3: 'abc' }).problems).toEqual([
      { field: 'cardId', code: 'RESULT_CARD_REQUIRED' },
      { field: 'cardNo', code: 'CARD_NO_INVALID' },
      { field: 'chipUid', code: 'CHIP_UID_INVALID' },
      { field: 'chipDataSm3', code: 'CHIP_DATA_INVALID' },
    ]);
    expect(checkResultRow({ cardId: 'not-a-card', outcome: 'WASTED', wasteReason: '', wasteCause: 'NOBODY' }).problems).toEqual([
      { field: 'cardId', code: 'RESULT_CARD_NOT_IN_BATCH' },
      { field: 'wasteReason', code: 'WASTE_REASON_REQUIRED' },
      { field: 'wasteCause', code: 'WASTE_CAUSE_INVALID' },
    ]);
    expect(checkResultRow({ cardId: CARD, outcome: 'LOST' }).problems).toEqual([{ field: 'outcome', code: 'RESULT_OUTCOME_INVALID' }]);
  });

  const produced: ResultItem = { ref: { cardId: CARD }, outcome: 'PRODUCED', cardNo: 'A12345678', chipUid: '04A23B4C', chipDataSm3: SM3 };
  const wasted: ResultItem = { ref: { cardId: CARD }, outcome: 'WASTED', wasteReason: '芯片损坏', wasteCause: 'PRODUCER' };
  const ordered = { status: 'ORDERED', cardNo: null, chipUid: null, wasteCause: null, wasteReason: null };

  it('tells a first report, a repeat and a contradiction apart', () => {
    expect(compareResult(ordered, produced)).toBe('apply');
    const made = { status: 'PRODUCED', cardNo: 'A12345678', chipUid: '04A23B4C', wasteCause: null, wasteReason: null };
    expect(compareResult(made, produced)).toBe('unchanged');
    expect(compareResult({ ...made, status: 'SHIPPED' }, produced)).toBe('unchanged');
    expect(compareResult(made, { ...produced, cardNo: 'A12345679' })).toBe('conflict');
    expect(compareResult(made, wasted)).toBe('conflict');
    const spoiled = { status: 'WASTED', cardNo: null, chipUid: null, wasteCause: 'PRODUCER', wasteReason: '芯片损坏' };
    expect(compareResult(spoiled, wasted)).toBe('unchanged');
    expect(compareResult(spoiled, { ...wasted, wasteCause: 'AUTHORITY_DATA' })).toBe('conflict');
    expect(compareResult(spoiled, produced)).toBe('conflict');
  });

  it('sameResult compares what was reported', () => {
    expect(sameResult(produced, { ...produced })).toBe(true);
    expect(sameResult(produced, { ...produced, chipUid: '04A23B4D' })).toBe(false);
    expect(sameResult(wasted, { ...wasted })).toBe(true);
    expect(sameResult(produced, wasted)).toBe(false);
  });
});

describe('csvRecords', () => {
  it('keys rows by the header and keeps their lines', () => {
    const text = `${RESULT_COLUMNS.join(',')}\r\n${CARD},WASTED,,,,"坏了, 重做",PRODUCER\r\n`;
    expect(csvRecords(text, RESULT_COLUMNS, ['outcome'])).toEqual({
      rows: [{ row: 2, record: { cardId: CARD, outcome: 'WASTED', cardNo: '', chipUid: '', chipDataSm3: '', wasteReason: '坏了, 重做', wasteCause: 'PRODUCER' } }],
      problems: [],
    });
  });

  it('reports a missing or unknown column on the header row', () => {
    expect(csvRecords('cardNo,colour\nA1,red\n', RESULT_COLUMNS, ['outcome'], ['cardId', 'packingSeq']).problems).toEqual([
      { row: 1, field: 'outcome', code: 'CSV_HEADER_INVALID' },
      { row: 1, field: 'colour', code: 'CSV_HEADER_INVALID' },
      { row: 1, field: 'cardId|packingSeq', code: 'CSV_HEADER_INVALID' },
    ]);
    expect(csvRecords('', RESULT_COLUMNS, ['outcome'])).toEqual({ rows: [], problems: [] });
  });
});
