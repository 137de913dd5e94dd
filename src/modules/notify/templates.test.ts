import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  assertCategoryAllowed,
  checkTemplate,
  composeText,
  MAX_TEXT_CHARS,
  OPT_OUT_LINE,
  parsePlaceholders,
  previewText,
  renderTemplate,
  sampleValues,
  type TemplateText,
} from './templates.ts';

const tariff = { priceMilliFen: 3500, ucs2Only: false };
const ready: TemplateText = { signature: '常州市公安局', body: '您的居住证（受理号{applicationNo}）已到{outletName}，请携带身份证领取。', category: 'NOTIFICATION' };
const promo: TemplateText = { signature: '常州市公安局', body: '居住证网上预约服务已开通', category: 'MARKETING' };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  throw new Error('no error');
}

describe('parsePlaceholders', () => {
  it('lists each placeholder once, in order of first use', () => {
    expect(parsePlaceholders('{a}和{b_2}，再次{a}')).toEqual(['a', 'b_2']);
    expect(parsePlaceholders('没有变量')).toEqual([]);
  });

  it.each(['{', '}', '{name', 'name}', '{}', '{1abc}', '{a b}', '{{a}}', '{名字}'])('refuses the malformed brace in %j', (body) => {
    expect(codeOf(() => parsePlaceholders(body))).toBe('SMS_TEMPLATE_BODY_INVALID');
  });
});

describe('renderTemplate', () => {
  it('fills every placeholder and puts the signature in front', () => {
    expect(renderTemplate(ready, { applicationNo: 'RP2026000123', outletName: '湖塘派出所受理点' })).toBe(
      '【常州市公安局】您的居住证（受理号RP2026000123）已到湖塘派出所受理点，请携带身份证领取。',
    );
  });

  it('names every missing placeholder, blank values included', () => {
    try {
      renderTemplate(ready, { applicationNo: '  ' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('SMS_PLACEHOLDER_MISSING');
      expect((err as AppError).details).toEqual({ names: ['applicationNo', 'outletName'] });
    }
  });

  it('refuses a value for a placeholder the template does not have', () => {
    expect(codeOf(() => renderTemplate(ready, { applicationNo: '1', outletName: '甲', outletname: '乙' }))).toBe('SMS_PLACEHOLDER_UNKNOWN');
  });

  it('refuses values that would break the text (line breaks, braces, a second signature, too long)', () => {
    for (const bad of ['a\nb', '{x}', '【假冒】', 'x'.repeat(101)]) {
      expect(codeOf(() => renderTemplate(ready, { applicationNo: bad, outletName: '甲' }))).toBe('SMS_PLACEHOLDER_VALUE_INVALID');
    }
  });

  it('appends the opt-out line to marketing texts only', () => {
    expect(renderTemplate(promo, {})).toBe(`【常州市公安局】居住证网上预约服务已开通。${OPT_OUT_LINE}`);
    expect(composeText({ ...promo, body: '欢迎预约！' }, '欢迎预约！')).toBe(`【常州市公安局】欢迎预约！${OPT_OUT_LINE}`);
    expect(renderTemplate(ready, { applicationNo: '1', outletName: '甲' })).not.toContain(OPT_OUT_LINE);
  });

  it('refuses a text over the maximum length, signature and opt-out line counted', () => {
    const long: TemplateText = { signature: '常州市公安局', body: `${'字'.repeat(MAX_TEXT_CHARS - 8)}{x}`, category: 'NOTIFICATION' };
    // 8 characters of 【常州市公安局】 + 492 + one value character = 501.
    expect(codeOf(() => renderTemplate(long, { x: '甲' }))).toBe('SMS_TEXT_OVER_LIMIT');
    expect(renderTemplate({ ...long, body: '字'.repeat(MAX_TEXT_CHARS - 8) }, {})).toHaveLength(MAX_TEXT_CHARS);
  });
});

describe('checkTemplate', () => {
  it('checks the signature rule and the length as written', () => {
    expect(checkTemplate(ready)).toEqual(['applicationNo', 'outletName']);
    expect(codeOf(() => checkTemplate({ ...ready, signature: '局' }))).toBe('SMS_SIGNATURE_INVALID');
    expect(codeOf(() => checkTemplate({ ...ready, body: '字'.repeat(MAX_TEXT_CHARS) }))).toBe('SMS_TEXT_OVER_LIMIT');
  });
});

describe('assertCategoryAllowed', () => {
  it('refuses marketing through the notification channel and allows the rest', () => {
    expect(codeOf(() => assertCategoryAllowed('MARKETING', 'NOTIFICATION'))).toBe('SMS_MARKETING_IN_NOTIFICATION');
    expect(() => assertCategoryAllowed('MARKETING', 'MARKETING')).not.toThrow();
    expect(() => assertCategoryAllowed('NOTIFICATION', 'NOTIFICATION')).not.toThrow();
  });
});

describe('previewText', () => {
  it('counts a Chinese text of 70 characters as one UCS-2 segment and 71 as two', () => {
    const seventy = `【常州市公安局】${'字'.repeat(62)}`;
    expect(previewText(seventy, tariff)).toMatchObject({ encoding: 'UCS2', chars: 70, segments: 1, costMilliFen: 3500 });
    expect(previewText(`${seventy}字`, tariff)).toMatchObject({ chars: 71, segments: 2, costMilliFen: 7000 });
  });

  it('counts a Latin text as GSM-7, except over CMPP where everything is UCS-2', () => {
    const text = `【AB】${'a'.repeat(100)}`;
    expect(previewText(text, tariff)).toMatchObject({ encoding: 'UCS2' });
    const latin = 'a'.repeat(100);
    expect(previewText(latin, tariff)).toMatchObject({ encoding: 'GSM7', segments: 1 });
    expect(previewText(latin, { ...tariff, ucs2Only: true })).toMatchObject({ encoding: 'UCS2', segments: 2, costMilliFen: 7000 });
  });
});

describe('sampleValues', () => {
  it('fills placeholders without a value with their own name', () => {
    expect(sampleValues(['a', 'b'], { a: ' 甲 ', c: '丙' })).toEqual({ a: '甲', b: 'b' });
  });
});
