import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { recipientPhone, recipientsFromCsv } from './recipients.ts';
import type { TemplateText } from './templates.ts';

const template: TemplateText = { signature: '常州市公安局', body: '{name}您好，请于{date}前到网点领取。', category: 'NOTIFICATION' };

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('recipientPhone', () => {
  it('accepts mobile numbers in the usual spellings', () => {
    expect(recipientPhone('+86 138-0000-0001')).toBe('13800000001');
    expect(recipientPhone('13800000001')).toBe('13800000001');
  });

  it.each(['0519-88881234', '051988881234', '010-12345678', '+86 0519 8888 1234', '0519-88881234-802'])('refuses the landline %s as a landline', (n) => {
    expect(errorOf(() => recipientPhone(n)).code).toBe('SMS_PHONE_LANDLINE');
  });

  it.each(['12800000001', '1380000000', 'abc', ''])('refuses %j as not a mobile number', (n) => {
    expect(errorOf(() => recipientPhone(n)).code).toBe('PHONE_INVALID');
  });
});

describe('recipientsFromCsv', () => {
  it('renders one text per row, columns in any order after phone', () => {
    const out = recipientsFromCsv('phone,date,name\n13800000001,6月1日,张三\n"139 0000 0002","6月2日",李四\n', template);
    expect(out).toEqual([
      { row: 2, phone: '13800000001', text: '【常州市公安局】张三您好，请于6月1日前到网点领取。' },
      { row: 3, phone: '13900000002', text: '【常州市公安局】李四您好，请于6月2日前到网点领取。' },
    ]);
  });

  it('lists every bad row and returns nothing when any row is bad', () => {
    const csv = ['phone,name,date', '13800000001,张三,6月1日', '0519-88881234,李四,6月1日', '13800000001,王五,6月1日', '13800000003,,6月1日', '13800000004,赵六'].join('\n');
    const err = errorOf(() => recipientsFromCsv(csv, template));
    expect(err.code).toBe('SMS_CSV_ROWS_INVALID');
    expect(err.params).toEqual({ count: 4 });
    expect((err.details as { errors: { row: number; code: string }[] }).errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'SMS_PHONE_LANDLINE'],
      [4, 'SMS_CSV_DUPLICATE_PHONE'],
      [5, 'SMS_PLACEHOLDER_MISSING'],
      [6, 'SMS_CSV_ROW_WIDTH'],
    ]);
  });

  it('refuses a header that does not name exactly phone and the placeholders', () => {
    for (const header of ['name,date,phone', 'phone,name', 'phone,name,date,extra', 'mobile,name,date']) {
      expect(errorOf(() => recipientsFromCsv(`${header}\n13800000001,a,b`, template)).code).toBe('SMS_CSV_HEADER_INVALID');
    }
  });

  it('refuses a file with a header and no rows', () => {
    expect(errorOf(() => recipientsFromCsv('phone,name,date\n\n', template)).code).toBe('SMS_CSV_EMPTY');
  });
});
