import { AppError } from '../../platform/errors/app-error.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import { parseCsv } from '../applications/csv.ts';
import { parsePlaceholders, renderTemplate, type TemplateText } from './templates.ts';

/** Most recipients one campaign takes: a city's largest mailing is a few tens of thousands. */
export const MAX_CAMPAIGN_RECIPIENTS = 100_000;

const LANDLINE = /^(?:\+86|0086|86)?0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;

/**
 * A mainland mobile number, or the reason it is not one. A landline (area code, 7–8 digits, optional
 * extension) gets its own error: it is a correct number that simply cannot receive an SMS.
 */
export function recipientPhone(input: string): string {
  if (LANDLINE.test(input.replace(/[\s()（）]/g, ''))) throw new AppError('SMS_PHONE_LANDLINE');
  return normaliseMobile(input);
}

export interface Recipient {
  /** 1-based line of the CSV (the header is line 1), or the position in a card query. */
  row: number;
  phone: string;
  text: string;
}

export interface RowError {
  row: number;
  code: string;
  message: string;
}

/**
 * The rows of an uploaded recipient list `phone,<placeholder>,…` rendered through the template. All or
 * nothing: every bad row is listed (up to the first 1,000), so the operator fixes the file once.
 * The header must name exactly the template's placeholders; the same number twice is an error too,
 * since the second message would be a duplicate the holder pays attention to twice.
 */
export function recipientsFromCsv(csv: string, template: TemplateText): Recipient[] {
  const records = parseCsv(csv).filter((r) => r.fields.some((f) => f.trim() !== ''));
  const [header, ...rows] = records;
  const names = parsePlaceholders(template.body);
  const columns = header?.fields.map((f) => f.trim()) ?? [];
  const expected = ['phone', ...names];
  if (columns[0] !== 'phone' || columns.length !== expected.length || !expected.every((c) => columns.includes(c))) {
    throw new AppError('SMS_CSV_HEADER_INVALID', { params: { expected: expected.join(','), found: columns.join(',') || '—' } });
  }
  if (rows.length === 0) throw new AppError('SMS_CSV_EMPTY');
  if (rows.length > MAX_CAMPAIGN_RECIPIENTS) throw new AppError('SMS_CSV_TOO_MANY', { params: { count: rows.length, max: MAX_CAMPAIGN_RECIPIENTS } });
  const out: Recipient[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    try {
      if (r.fields.length !== columns.length) throw new AppError('SMS_CSV_ROW_WIDTH', { params: { expected: columns.length, found: r.fields.length } });
      const phone = recipientPhone(r.fields[0]!);
      const first = seen.get(phone);
      if (first !== undefined) throw new AppError('SMS_CSV_DUPLICATE_PHONE', { params: { row: first } });
      seen.set(phone, r.line);
      const values = Object.fromEntries(columns.slice(1).map((c, i) => [c, r.fields[i + 1]!]));
      out.push({ row: r.line, phone, text: renderTemplate(template, values) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors.push({ row: r.line, code: err.code, message: err.messageIn('zh-CN') });
    }
  }
  if (errors.length) {
    throw new AppError('SMS_CSV_ROWS_INVALID', { params: { count: errors.length }, details: { errors: errors.slice(0, 1000) } });
  }
  return out;
}
