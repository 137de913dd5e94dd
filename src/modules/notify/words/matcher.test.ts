import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildWordScreen, wordScreenFor } from './matcher.ts';

const LIST = { version: 'v1', words: ['法轮功', '代开发票', 'VX加我', '办证', '发票'] };

describe('sensitive-word screen', () => {
  const screen = buildWordScreen(LIST);

  it('finds words hidden by noise, case and full-width forms, with their original positions', () => {
    const text = '您好，法*轮 功；请ＶＸ加我';
    const hits = screen.screen(text);
    expect(hits.map((h) => h.word)).toEqual(['法轮功', 'VX加我']);
    expect(text.slice(hits[0]!.start, hits[0]!.end)).toBe('法*轮 功');
    expect(text.slice(hits[1]!.start, hits[1]!.end)).toBe('ＶＸ加我');
  });

  it('reports overlapping words', () => {
    const hits = screen.screen('代·开·发·票');
    expect(hits.map((h) => h.word).sort()).toEqual(['代开发票', '发票']);
  });

  it('does not hit an ordinary notice', () => {
    expect(screen.screen('【常州公安】您的居住证已制作完成，请于工作日携带身份证原件到受理点领取。')).toEqual([]);
  });

  it('refuses a word that is only noise, and folds words with the same normalised form', () => {
    expect(() => buildWordScreen({ version: 'x', words: ['ok', '***'] })).toThrow(expect.objectContaining({ code: 'SMS_WORD_INVALID', params: { word: '***', index: 1 } }));
    const folded = buildWordScreen({ version: 'y', words: ['VX加我', 'vx 加 我'] });
    expect(folded.size).toBe(1);
    expect(folded.screen('vx加我').map((h) => h.word)).toEqual(['VX加我']);
  });

  it('builds one screen per list version', () => {
    const a = wordScreenFor({ version: 'cache-1', words: ['办证'] });
    expect(wordScreenFor({ version: 'cache-1', words: ['办证'] })).toBe(a);
    const b = wordScreenFor({ version: 'cache-2', words: ['发票'] });
    expect(b).not.toBe(a);
    expect(b.screen('办证')).toEqual([]);
  });

  const noise = fc.constantFrom(' ', '*', '.', '，', '。', '-', '_', '\u200b', '\u200c', '\ufeff', '★', '｜', '/');
  const wordChars = fc.constantFrom(...'法轮功代开发票办证赌博枪支贷款abcxyz0189');
  const safeChars = fc.constantFrom(...'您的居住证已制作完成请于工作日携带身份原件到受理点领取，。 1234');

  it('still matches a word with random noise inserted between its characters (property)', () => {
    fc.assert(
      fc.property(fc.array(wordChars, { minLength: 2, maxLength: 6 }), fc.array(fc.array(noise, { maxLength: 3 }), { minLength: 6, maxLength: 6 }), fc.string({ maxLength: 10 }), (chars, gaps, prefix) => {
        const word = chars.join('');
        const disguised = chars.map((c, i) => (i === 0 ? c : gaps[i]!.join('') + c)).join('');
        const text = `${prefix}${disguised}`;
        const hits = buildWordScreen({ version: 'p', words: [word] }).screen(text);
        // The prefix may hold the word too: look for the hit on the disguised copy at the end.
        expect(hits).toContainEqual({ word, start: prefix.length, end: text.length });
      }),
      { numRuns: 300 },
    );
  });

  it('never hits a text made without any listed word (property)', () => {
    const list = buildWordScreen({ version: 'safe', words: ['法轮功', '代开发票', '赌博', '枪支', 'vx加我'] });
    fc.assert(
      fc.property(fc.array(safeChars, { maxLength: 80 }), (chars) => {
        expect(list.screen(chars.join(''))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
