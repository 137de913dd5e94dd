import { describe, expect, it } from 'vitest';
import { normalise, normaliseWord } from './normalise.ts';

describe('normalise', () => {
  it('keeps only letters and digits, lower-cased, with full-width forms made half-width', () => {
    expect(normaliseWord('法*轮 功')).toBe('法轮功');
    expect(normaliseWord('ＶＸ加我')).toBe('vx加我');
    expect(normaliseWord('代\u200b开\u200d发\ufeff票')).toBe('代开发票');
    expect(normaliseWord('Ｑ Ｑ：１２３')).toBe('qq123');
    expect(normaliseWord('【常州公安】')).toBe('常州公安');
  });

  it('treats a letter with combining marks like its precomposed form', () => {
    expect(normaliseWord('cafe\u0301')).toBe(normaliseWord('café'));
    expect(normaliseWord('café')).toBe('café');
  });

  it('expands compatibility characters (NFKC) and maps every unit back to its source character', () => {
    const n = normalise('a①㍻b');
    expect(n.text).toBe('a1平成b');
    expect(n.starts).toEqual([0, 1, 2, 2, 3]);
    expect(n.ends).toEqual([1, 2, 3, 3, 4]);
  });

  it('maps astral characters to both of their UTF-16 units', () => {
    const n = normalise('x 𠀀y');
    expect(n.text).toBe('x𠀀y');
    expect(n.starts).toEqual([0, 2, 2, 4]);
    expect(n.ends).toEqual([1, 4, 4, 5]);
  });

  it('is empty for noise only', () => {
    expect(normalise(' *，。!\u200b').text).toBe('');
  });
});
