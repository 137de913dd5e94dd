/**
 * Text normalisation for the sensitive-word screen. Senders dodge word lists by writing full-width
 * letters (ＶＸ), upper case, or noise between the characters ("法*轮 功", zero-width spaces), so both
 * the list and each message are reduced to letters and digits only: NFKC (which also maps full-width
 * forms to half-width), lower case, and everything that is not a letter or digit dropped.
 *
 * Each unit of the normalised text remembers which original characters it came from, so a hit can be
 * highlighted in the text the sender wrote.
 */
export interface NormalisedText {
  text: string;
  /** For each UTF-16 unit of `text`: where its source character starts in the original text. */
  starts: number[];
  /** For each UTF-16 unit of `text`: where its source character ends (exclusive) in the original text. */
  ends: number[];
}

const KEEP = /[\p{L}\p{N}]/u;
const COMBINING = /\p{M}/u;

/** A letter or digit that NFKC and lower-casing leave alone: the common case, handled without either. */
function plain(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x4e00 && code <= 0x9fff);
}

/** What one character (with its marks) normalises to; messages repeat the same punctuation, so it is memoised. */
const FORMS = new Map<string, string>();
const FORMS_KEPT = 10_000;

function keptForm(cluster: string): string {
  const known = FORMS.get(cluster);
  if (known !== undefined) return known;
  let kept = '';
  for (const ch of cluster.normalize('NFKC').toLowerCase()) if (KEEP.test(ch)) kept += ch;
  if (FORMS.size < FORMS_KEPT) FORMS.set(cluster, kept);
  return kept;
}

function markAt(input: string, at: number): boolean {
  if (at >= input.length) return false;
  const code = input.charCodeAt(at);
  // Below U+0300 and in the CJK ideographs there are no combining marks: skip the regular expression.
  if (code < 0x300 || (code >= 0x4e00 && code <= 0x9fff)) return false;
  return COMBINING.test(String.fromCodePoint(input.codePointAt(at)!));
}

export function normalise(input: string): NormalisedText {
  // Plain arrays: NFKC can turn one character into many (U+FDFA becomes 18), so no size is known up front.
  const starts: number[] = [];
  const ends: number[] = [];
  let out = '';
  let i = 0;
  while (i < input.length) {
    const code = input.codePointAt(i)!;
    let end = i + (code > 0xffff ? 2 : 1);
    if (plain(code) && !markAt(input, end)) {
      starts.push(i);
      ends.push(end);
      out += input[i];
      i = end;
      continue;
    }
    // A base character with its combining marks is one unit: "e" + U+0301 must match "é".
    while (markAt(input, end)) end += input.codePointAt(end)! > 0xffff ? 2 : 1;
    const kept = keptForm(input.slice(i, end));
    for (let k = 0; k < kept.length; k++) {
      starts.push(i);
      ends.push(end);
    }
    out += kept;
    i = end;
  }
  return { text: out, starts, ends };
}

/** The form a list word is matched in; empty when the word has no letter or digit at all. */
export function normaliseWord(word: string): string {
  return normalise(word).text;
}
