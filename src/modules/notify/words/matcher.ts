import AhoCorasick from 'modern-ahocorasick';
import { AppError } from '../../../platform/errors/app-error.ts';
import { normalise, normaliseWord } from './normalise.ts';

/** One version of the sensitive-word list, as administrators keep it. */
export interface WordList {
  /** Changes whenever the words change: a screen is built once per version. */
  version: string;
  words: readonly string[];
}

/** A listed word found in a message; start/end (exclusive) are UTF-16 offsets into the original text. */
export interface WordHit {
  /** The word as the list has it. */
  word: string;
  start: number;
  end: number;
}

export interface WordScreen {
  readonly version: string;
  /** Distinct normalised words in the automaton. */
  readonly size: number;
  /** Every listed word in the text, overlapping ones included, in order of position. */
  screen(text: string): WordHit[];
}

/**
 * Builds the Aho–Corasick automaton over the normalised words. A word with no letter or digit would
 * never match anything, so it is refused rather than silently ignored. Words that normalise to the
 * same form are one entry, reported as the first of them.
 */
export function buildWordScreen(list: WordList): WordScreen {
  const byForm = new Map<string, string>();
  list.words.forEach((word, index) => {
    const form = normaliseWord(word);
    if (form === '') throw new AppError('SMS_WORD_INVALID', { params: { word, index } });
    if (!byForm.has(form)) byForm.set(form, word);
  });
  const automaton = new AhoCorasick<string>([...byForm].map(([pattern, word]) => ({ pattern, data: word })));
  return {
    version: list.version,
    size: byForm.size,
    screen(text: string): WordHit[] {
      const n = normalise(text);
      if (n.text === '') return [];
      return automaton
        .search(n.text, { strategy: 'all' })
        .map((m) => ({ word: m.data!, start: n.starts[m.start]!, end: n.ends[m.end - 1]! }))
        .sort((a, b) => a.start - b.start || a.end - b.end);
    },
  };
}

/** Screens kept per list version; a handful is enough, since a process uses the current list. */
const CACHE_SIZE = 4;
const cache = new Map<string, WordScreen>();

/** The screen for this list version, built on first use and reused afterwards. */
export function wordScreenFor(list: WordList): WordScreen {
  const cached = cache.get(list.version);
  if (cached) return cached;
  const built = buildWordScreen(list);
  cache.set(list.version, built);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return built;
}
