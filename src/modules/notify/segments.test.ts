import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { milliFenToFen, parseYuanPrice } from './pricing.ts';
import { countSegments, decodeUserData, LIMITS, segmentText, signedText, type SegmentedSms } from './segments.ts';
import { codeOf } from './test-support.ts';

const CONTRACT_PRICE = 3500; // 0.035 CNY in milli-fen
const split = (text: string, reference = 0x2a) => segmentText(text, { reference, priceMilliFen: CONTRACT_PRICE });
const unitsOf = (s: SegmentedSms) => s.parts.map((p) => p.units);

describe('UCS-2 boundaries (any Chinese character forces UCS-2)', () => {
  it.each([
    [70, [70]],
    [71, [67, 4]],
    [134, [67, 67]],
    [135, [67, 67, 1]],
  ])('%i Chinese characters → parts of %j units', (n, parts) => {
    const s = split('证'.repeat(n));
    expect(s.encoding).toBe('UCS2');
    expect(s.dataCoding).toBe(8);
    expect(unitsOf(s)).toEqual(parts);
    expect(s.segments).toBe(parts.length);
    expect(s.costMilliFen).toBe(parts.length * CONTRACT_PRICE);
  });

  it('one Latin letter among Chinese is still UCS-2 and costs a unit like any character', () => {
    expect(countSegments(`A${'证'.repeat(69)}`)).toEqual({ encoding: 'UCS2', segments: 1, units: 70 });
  });

  it('counts the 【signature】 toward the length', () => {
    const sig = '常州市公安局'; // 【】 + 6 characters = 8 units
    expect(countSegments(signedText(sig, '您'.repeat(62))).segments).toBe(1);
    expect(countSegments(signedText(sig, '您'.repeat(63))).segments).toBe(2);
  });

  it('writes UTF-16BE after the 05 00 03 ref total seq header', () => {
    const s = split(`你好${'证'.repeat(69)}`, 0x7f);
    expect(s.parts).toHaveLength(2);
    expect(Buffer.from(s.parts[0]!.udh!).toString('hex')).toBe('0500037f0201');
    expect(Buffer.from(s.parts[1]!.udh!).toString('hex')).toBe('0500037f0202');
    expect(Buffer.from(s.parts[0]!.body.subarray(0, 4)).toString('hex')).toBe('4f60597d');
    expect(Buffer.from(s.parts[0]!.userData.subarray(0, 10)).toString('hex')).toBe('0500037f02014f60597d');
    expect(s.parts[0]!.userData).toHaveLength(6 + 134);
  });

  it('a single message has no header', () => {
    const s = split('【人社局】您的社保卡已制好');
    expect(s.parts).toHaveLength(1);
    expect(s.parts[0]!.udh).toBeNull();
    expect(s.parts[0]!.userData).toEqual(s.parts[0]!.body);
  });
});

describe('characters outside the BMP (surrogate pairs)', () => {
  it('cost two units and fit exactly at the single-message limit', () => {
    expect(countSegments(`${'证'.repeat(68)}😀`)).toEqual({ encoding: 'UCS2', segments: 1, units: 70 });
    expect(countSegments(`${'证'.repeat(69)}😀`)).toEqual({ encoding: 'UCS2', segments: 2, units: 71 });
  });

  it('are never split across parts: the part ends one unit short instead', () => {
    const s = split(`${'证'.repeat(66)}😀${'证'.repeat(10)}`);
    expect(unitsOf(s)).toEqual([66, 12]);
    expect(Buffer.from(s.parts[1]!.body.subarray(0, 4)).toString('hex')).toBe('d83dde00');
  });

  it('refuses a lone surrogate, which has no valid encoding', () => {
    expect(codeOf(() => split('卡\ud83d好'))).toBe('SMS_TEXT_INVALID');
    expect(codeOf(() => split('\ude00'))).toBe('SMS_TEXT_INVALID');
  });
});

describe('GSM-7 boundaries', () => {
  it.each([
    [160, [160]],
    [161, [153, 8]],
    [306, [153, 153]],
    [307, [153, 153, 1]],
  ])('%i letters → parts of %j septets', (n, parts) => {
    const s = split('a'.repeat(n));
    expect(s.encoding).toBe('GSM7');
    expect(s.dataCoding).toBe(0);
    expect(unitsOf(s)).toEqual(parts);
  });

  it('extension characters ^{}\\[~]| and € cost two septets', () => {
    for (const ch of ['^', '{', '}', '\\', '[', '~', ']', '|', '€']) {
      expect(countSegments(ch)).toEqual({ encoding: 'GSM7', segments: 1, units: 2 });
    }
    expect(countSegments(`${'a'.repeat(158)}€`).segments).toBe(1);
    expect(countSegments(`${'a'.repeat(159)}€`).segments).toBe(2);
  });

  it('keeps ESC and its code in the same part at a border', () => {
    const s = split(`${'a'.repeat(152)}€${'a'.repeat(10)}`);
    expect(unitsOf(s)).toEqual([152, 12]);
    expect(s.parts[0]!.body.at(-1)).toBe(0x61);
    expect(Buffer.from(s.parts[1]!.body.subarray(0, 2)).toString('hex')).toBe('1b65');
  });

  it('uses the GSM code points, not ASCII', () => {
    const s = split('@$_£');
    expect(Buffer.from(s.parts[0]!.body).toString('hex')).toBe('00021101');
  });

  it('characters outside both GSM tables (` and Chinese punctuation) switch to UCS-2', () => {
    expect(countSegments('a`b').encoding).toBe('UCS2');
    expect(countSegments('Card ready，thanks').encoding).toBe('UCS2');
  });
});

describe('limits and input errors', () => {
  it('255 parts at most, because the header counts parts in one byte', () => {
    expect(countSegments('证'.repeat(67 * 255)).segments).toBe(255);
    expect(codeOf(() => countSegments('证'.repeat(67 * 255 + 1)))).toBe('SMS_TEXT_TOO_LONG');
    expect(countSegments('a'.repeat(153 * 255)).segments).toBe(255);
    expect(codeOf(() => countSegments('a'.repeat(153 * 255 + 1)))).toBe('SMS_TEXT_TOO_LONG');
    expect(codeOf(() => countSegments('a'.repeat(10_000_000)))).toBe('SMS_TEXT_TOO_LONG');
  });

  it('refuses an empty text, a bad reference and a bad signature', () => {
    expect(codeOf(() => split(''))).toBe('SMS_TEXT_EMPTY');
    expect(codeOf(() => split('hi', 256))).toBe('SMS_CONCAT_REFERENCE_INVALID');
    expect(codeOf(() => split('hi', -1))).toBe('SMS_CONCAT_REFERENCE_INVALID');
    expect(codeOf(() => signedText('局', '正文'))).toBe('SMS_SIGNATURE_INVALID');
    expect(codeOf(() => signedText('【人社局】', '正文'))).toBe('SMS_SIGNATURE_INVALID');
    expect(codeOf(() => signedText('一二三四五六七八九十一二三四五六七', '正文'))).toBe('SMS_SIGNATURE_INVALID');
    expect(signedText(' 人社局 ', '正文')).toBe('【人社局】正文');
  });
});

describe('cost', () => {
  it('holds 0.035 CNY exactly and rounds to fen only on totals', () => {
    expect(parseYuanPrice('0.035')).toBe(3500);
    expect(parseYuanPrice('0.0325')).toBe(3250);
    expect(parseYuanPrice('1')).toBe(100_000);
    expect(split('证'.repeat(135)).costMilliFen).toBe(10_500);
    expect(milliFenToFen(3500)).toBe(4);
    expect(milliFenToFen(3499)).toBe(3);
    // The contract arithmetic of sms.md: 3.6 million one-segment messages ≈ 126,000 CNY.
    expect(milliFenToFen(3_600_000 * 3500)).toBe(12_600_000);
  });

  it('refuses prices it cannot hold exactly', () => {
    for (const price of ['0.000001', '-0.035', '0,035', '', '¥0.035']) expect(codeOf(() => parseYuanPrice(price))).toBe('SMS_PRICE_INVALID');
    expect(codeOf(() => segmentText('hi', { reference: 0, priceMilliFen: 3.5 }))).toBe('SMS_PRICE_INVALID');
  });
});

describe('decodeUserData', () => {
  it('reads 8-bit and 16-bit concatenation references and skips other elements', () => {
    const body = Buffer.from('597d', 'hex');
    expect(decodeUserData('UCS2', Buffer.concat([Buffer.from('0500030a0302', 'hex'), body]), true)).toEqual({
      concat: { reference: 10, total: 3, sequence: 2 },
      text: '好',
    });
    // UDHL 6: IEI 08 (16-bit reference 0x1234), 2 parts, part 1.
    expect(decodeUserData('UCS2', Buffer.concat([Buffer.from('06080412340201', 'hex'), body]), true).concat).toEqual({ reference: 0x1234, total: 2, sequence: 1 });
    // A port-addressing element (IEI 05) before the concatenation element.
    expect(decodeUserData('UCS2', Buffer.concat([Buffer.from('0b050400000000' + '0003090201', 'hex'), body]), true).concat).toEqual({ reference: 9, total: 2, sequence: 1 });
  });

  it('refuses headers that overrun, odd UCS-2 and dangling escapes', () => {
    expect(codeOf(() => decodeUserData('UCS2', Buffer.from('0900030a0302', 'hex'), true))).toBe('SMS_USER_DATA_INVALID');
    expect(codeOf(() => decodeUserData('UCS2', Buffer.from('05000304', 'hex'), true))).toBe('SMS_USER_DATA_INVALID');
    expect(codeOf(() => decodeUserData('UCS2', Buffer.from('0500030a0304', 'hex'), true))).toBe('SMS_USER_DATA_INVALID');
    expect(codeOf(() => decodeUserData('UCS2', Buffer.from('597d00', 'hex'), false))).toBe('SMS_USER_DATA_INVALID');
    expect(codeOf(() => decodeUserData('GSM7', Buffer.from('611b', 'hex'), false))).toBe('SMS_USER_DATA_INVALID');
    expect(codeOf(() => decodeUserData('GSM7', Buffer.from('80', 'hex'), false))).toBe('SMS_USER_DATA_INVALID');
  });

  it('shows the basic character for an escape the extension table lacks', () => {
    expect(decodeUserData('GSM7', Buffer.from('1b41', 'hex'), false).text).toBe('A');
  });
});

describe('segmentation properties', () => {
  const gsmChar = fc.constantFrom(...'@£$¥èéÇ\nØ\rÅΔ_ΦΓΛΩΠΨΣΘΞÆßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà^{}\\[~]|€\f');
  const anyChar = fc.oneof(gsmChar, fc.constantFrom('证', '【', '】', '，', '😀', '𠀋', 'é', '`'));
  const texts = fc.oneof(fc.array(gsmChar, { minLength: 1, maxLength: 500 }), fc.array(anyChar, { minLength: 1, maxLength: 400 })).map((cs) => cs.join(''));

  it('decoding the parts in order gives back the text, and every part is within its limit', () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 0, max: 255 }), (text, reference) => {
        const s = segmentText(text, { reference, priceMilliFen: CONTRACT_PRICE });
        const limits = LIMITS[s.encoding];
        const decoded = s.parts.map((p) => decodeUserData(s.encoding, p.userData, s.segments > 1));
        expect(decoded.map((d) => d.text).join('')).toBe(text);
        expect(s.parts.reduce((n, p) => n + p.units, 0)).toBe(s.units);
        if (s.segments === 1) {
          expect(s.units).toBeLessThanOrEqual(limits.single);
          expect(decoded[0]!.concat).toBeNull();
        } else {
          expect(s.units).toBeGreaterThan(limits.single);
          decoded.forEach((d, i) => expect(d.concat).toEqual({ reference, total: s.segments, sequence: i + 1 }));
          for (const p of s.parts) {
            expect(p.units).toBeLessThanOrEqual(limits.part);
            expect(p.units).toBeGreaterThanOrEqual(limits.part - 1 - (p === s.parts.at(-1) ? limits.part : 0));
          }
        }
        // Each part's payload fits a 140-octet TP-UD: UCS-2 bytes, or septets packed 7 bits each.
        for (const p of s.parts) {
          const octets = s.encoding === 'UCS2' ? p.userData.length : Math.ceil(((p.udh ? 7 : 0) + p.units) * 7 / 8);
          expect(octets).toBeLessThanOrEqual(140);
        }
        expect(countSegments(text)).toEqual({ encoding: s.encoding, segments: s.segments, units: s.units });
        expect(s.costMilliFen).toBe(s.segments * CONTRACT_PRICE);
      }),
    );
  });
});
