import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { signaturePng } from '../../../test/maintenance/visits-png.ts';
import { checkAnswers, checklistFor, checkMonth, checkSignature, missedVisits, monthDays, planMonth, signatureBytes, unansweredItems, type VisitState } from './visits-rules.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return null;
};

describe('the checklists of seed 001', () => {
  it('has 13 items for a social security card outlet and 13 for a residence permit outlet', () => {
    const ssc = checklistFor('PREVENTIVE', ['SOCIAL_SECURITY_CARD']).map((i) => i.code);
    const rp = checklistFor('PREVENTIVE', ['RESIDENCE_PERMIT']).map((i) => i.code);
    expect(ssc).toHaveLength(13);
    expect(rp).toHaveLength(13);
    expect(ssc).toContain('IMAGE_CAPTURE');
    expect(ssc).not.toContain('REWRITABLE_DEVICE');
    expect(rp).toContain('REWRITABLE_DEVICE');
    expect(rp).not.toContain('IMAGE_CAPTURE');
    expect(ssc.at(-1)).toBe('SIGN_OFF');
  });

  it('gives an outlet offering both services the union once, in the seed order', () => {
    const both = checklistFor('PREVENTIVE', ['SOCIAL_SECURITY_CARD', 'RESIDENCE_PERMIT']).map((i) => i.code);
    expect(both).toHaveLength(14);
    expect(new Set(both).size).toBe(14);
    expect(both.indexOf('CARD_PRINTER')).toBeLessThan(both.indexOf('REWRITABLE_DEVICE'));
    expect(both[0]).toBe('HW_SW_CHECK');
  });

  it('labels every item in Chinese and English; photo visits have their own short list', () => {
    for (const item of checklistFor('PREVENTIVE', [])) {
      expect(item.zh).toMatch(/\p{Script=Han}/u);
      expect(item.en).toMatch(/[a-z]/);
    }
    expect(checklistFor('PHOTO_AT_HOME', ['RESIDENCE_PERMIT']).map((i) => i.code)).toEqual(['PHOTO_TAKEN', 'PHOTO_QUALITY', 'PHOTO_UPLOADED', 'SIGN_OFF']);
  });
});

describe('answers', () => {
  const items = checklistFor('PREVENTIVE', ['SOCIAL_SECURITY_CARD']);

  it('keeps valid answers in checklist order and lists what is still open', () => {
    const saved = checkAnswers(items, [
      { code: 'BACKUP', result: 'NA' },
      { code: 'HW_SW_CHECK', result: 'PROBLEM', note: '  打印机卡纸  ' },
    ]);
    expect(saved.map((a) => [a.code, a.result, a.note])).toEqual([
      ['HW_SW_CHECK', 'PROBLEM', '打印机卡纸'],
      ['BACKUP', 'NA', null],
    ]);
    expect(unansweredItems(items, saved)).toHaveLength(11);
    expect(unansweredItems(items, items.map((i) => ({ code: i.code, result: 'OK' as const })))).toEqual([]);
  });

  it('refuses a problem without a note, an unknown or repeated item, a ticket on an OK answer', () => {
    expect(codeOf(() => checkAnswers(items, [{ code: 'BACKUP', result: 'PROBLEM', note: ' ' }]))).toBe('VISIT_ANSWER_INVALID');
    expect(codeOf(() => checkAnswers(items, [{ code: 'REWRITABLE_DEVICE', result: 'OK' }]))).toBe('VISIT_ANSWER_INVALID');
    expect(codeOf(() => checkAnswers(items, [{ code: 'BACKUP', result: 'OK' }, { code: 'BACKUP', result: 'NA' }]))).toBe('VISIT_ANSWER_INVALID');
    expect(codeOf(() => checkAnswers(items, [{ code: 'BACKUP', result: 'OK', ticketId: '00000000-0000-0000-0000-000000000001' }]))).toBe('VISIT_ANSWER_INVALID');
  });
});

describe('the drawn signature', () => {
  it('accepts a PNG with a stroke on it and counts the ink', () => {
    const sig = checkSignature(signaturePng({ strokePixels: 400 }));
    expect(sig).toMatchObject({ width: 300, height: 120, inkPixels: 400 });
  });

  it('reads a data URL as a canvas sends it', () => {
    const png = signaturePng();
    expect(signatureBytes(`data:image/png;base64,${png.toString('base64')}`).equals(png)).toBe(true);
    expect(codeOf(() => signatureBytes('data:image/jpeg;base64,/9j/'))).toBe('VISIT_SIGNATURE_INVALID');
  });

  it('calls a blank canvas empty, transparent or white, and a speck too', () => {
    expect(codeOf(() => checkSignature(signaturePng({ strokePixels: 0 })))).toBe('VISIT_SIGNATURE_EMPTY');
    expect(codeOf(() => checkSignature(signaturePng({ strokePixels: 0, white: true })))).toBe('VISIT_SIGNATURE_EMPTY');
    expect(codeOf(() => checkSignature(signaturePng({ strokePixels: 5 })))).toBe('VISIT_SIGNATURE_EMPTY');
    expect(checkSignature(signaturePng({ strokePixels: 200, white: true })).inkPixels).toBe(200);
  });

  it('refuses what is not a PNG, a truncated one, and absurd sizes', () => {
    const png = signaturePng();
    expect(codeOf(() => checkSignature(Buffer.from('GIF89a not a png at all, just some bytes here')))).toBe('VISIT_SIGNATURE_INVALID');
    expect(codeOf(() => checkSignature(png.subarray(0, png.length - 20)))).toBe('VISIT_SIGNATURE_INVALID');
    expect(codeOf(() => checkSignature(signaturePng({ width: 20, height: 20, strokePixels: 0 })))).toBe('VISIT_SIGNATURE_INVALID');
    const noIhdr = Buffer.from(png);
    noIhdr.write('XXXX', 12, 'latin1');
    expect(codeOf(() => checkSignature(noIhdr))).toBe('VISIT_SIGNATURE_INVALID');
  });
});

describe('the month', () => {
  it('checks the format and knows the last day', () => {
    expect(checkMonth('2026-02')).toBe('2026-02');
    expect(codeOf(() => checkMonth('2026-13'))).toBe('VISIT_MONTH_INVALID');
    expect(monthDays('2024-02')).toEqual({ first: '2024-02-01', last: '2024-02-29', next: '2024-03-01' });
    expect(monthDays('2025-12')).toEqual({ first: '2025-12-01', last: '2025-12-31', next: '2026-01-01' });
  });

  it('plans one visit per unplanned outlet, dealing engineers in turn, a given assignment winning', () => {
    const plan = planMonth({ outlets: ['o3', 'o1', 'o2', 'o4'], alreadyPlanned: new Set(['o4']), engineers: ['e2', 'e1'], assignments: new Map([['o2', 'e9']]) });
    expect(plan).toEqual([
      { siteOrgId: 'o1', engineerId: 'e2' },
      { siteOrgId: 'o2', engineerId: 'e9' },
      { siteOrgId: 'o3', engineerId: 'e1' },
    ]);
    expect(planMonth({ outlets: ['o1'], alreadyPlanned: new Set(), engineers: [] })).toEqual([{ siteOrgId: 'o1', engineerId: null }]);
  });

  it('counts a visit missed once the month is over unless it was signed within the month', () => {
    const end = new Date('2025-09-30T16:00:00Z'); // 1 October 00:00 in Shanghai
    const v = (id: string, status: VisitState['status'], signedAt: string | null): VisitState => ({ id, siteOrgId: id, status, signedAt: signedAt ? new Date(signedAt) : null });
    const visits = [v('a', 'SIGNED', '2025-09-30T15:59:00Z'), v('b', 'IN_PROGRESS', null), v('c', 'PLANNED', null), v('d', 'SIGNED', '2025-09-30T16:30:00Z')];
    expect(missedVisits(visits, end, new Date('2025-09-30T15:00:00Z'))).toEqual([]);
    expect(missedVisits(visits, end, new Date('2025-09-30T16:01:00Z')).map((x) => x.id)).toEqual(['b', 'c', 'd']);
  });
});
