import { asc, count, desc, eq, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { smsWordLists, smsWords } from './words-schema.ts';
import { buildWordScreen, type WordScreen } from './words/matcher.ts';
import { normaliseWord } from './words/normalise.ts';

/** Longest word an administrator may list: longer lines are pasted sentences, not words. */
export const MAX_WORD_LENGTH = 50;
export const MAX_WORDS = 50_000;
const CONTROL = /\p{Cc}/u;

export interface BadWordLine {
  /** 1-based line of the file, or 1-based position in a JSON list. */
  line: number;
  text: string;
  reason: 'TOO_LONG' | 'CONTROL_CHARACTER' | 'NO_LETTER_OR_DIGIT';
}

interface ActiveScreen {
  listId: string;
  screen: WordScreen;
}

/**
 * The screen of the active list. The list id is a uuid, so a screen built for one database never
 * answers for another; a new version replaces it on the next enqueue.
 */
let cached: ActiveScreen | null = null;

/** The screen of the active word list, or null when no list was ever saved. */
export async function activeWordScreen(q: Queryable): Promise<WordScreen | null> {
  const [active] = await q.select({ id: smsWordLists.id, version: smsWordLists.version }).from(smsWordLists).where(eq(smsWordLists.active, true));
  if (!active) return null;
  if (cached?.listId === active.id) return cached.screen;
  const words = await q.select({ word: smsWords.word }).from(smsWords).where(eq(smsWords.listId, active.id)).orderBy(asc(smsWords.word));
  const screen = buildWordScreen({ version: String(active.version), words: words.map((w) => w.word) });
  cached = { listId: active.id, screen };
  return screen;
}

function badReason(text: string): BadWordLine['reason'] | null {
  if (CONTROL.test(text)) return 'CONTROL_CHARACTER';
  if (text.length > MAX_WORD_LENGTH) return 'TOO_LONG';
  if (normaliseWord(text) === '') return 'NO_LETTER_OR_DIGIT';
  return null;
}

/** Trims each entry and checks it; every bad entry is reported, so one upload shows all of them. */
function checkWords(entries: Array<{ line: number; text: string }>): Array<{ word: string; normalised: string }> {
  const bad: BadWordLine[] = [];
  const byForm = new Map<string, string>();
  for (const { line, text } of entries) {
    const reason = badReason(text);
    if (reason) {
      bad.push({ line, text: text.slice(0, 100), reason });
      continue;
    }
    const form = normaliseWord(text);
    if (!byForm.has(form)) byForm.set(form, text);
  }
  if (bad.length > 0) throw new AppError('SMS_WORD_LIST_INVALID', { params: { count: bad.length }, details: { lines: bad } });
  if (byForm.size > MAX_WORDS) throw new AppError('SMS_WORD_LIST_TOO_LARGE', { params: { max: MAX_WORDS } });
  return [...byForm].map(([normalised, word]) => ({ word, normalised }));
}

/** Words of an uploaded UTF-8 text file, one per line; blank lines are skipped. */
export function wordFileEntries(file: string): Array<{ line: number; text: string }> {
  return file
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, text: raw.replace(/^[ \t]+|[ \t]+$/g, '') }))
    .filter((e) => e.text !== '');
}

/** Words of a JSON list, numbered by position; empty entries are skipped like blank lines. */
export function wordArrayEntries(words: readonly string[]): Array<{ line: number; text: string }> {
  return words.map((w, i) => ({ line: i + 1, text: w.trim() })).filter((e) => e.text !== '');
}

export interface WordListView {
  version: number;
  note: string | null;
  active: boolean;
  words: number;
  createdBy: string;
  createdAt: string;
}

/**
 * Saves the words as the next version and makes it the active one, in the caller's transaction.
 * Words with the same normalised form are one entry, kept as first written.
 */
export async function createWordList(q: Queryable, input: { entries: Array<{ line: number; text: string }>; note: string | null; createdBy: string }): Promise<WordListView> {
  const words = checkWords(input.entries);
  // Two saves at once would both read the same last version; the second waits for the first instead.
  await q.execute(sql`select pg_advisory_xact_lock(hashtext('sms_word_lists'))`);
  const [last] = await q.select({ version: smsWordLists.version }).from(smsWordLists).orderBy(desc(smsWordLists.version)).limit(1);
  await q.update(smsWordLists).set({ active: false }).where(eq(smsWordLists.active, true));
  const [list] = await q
    .insert(smsWordLists)
    .values({ version: (last?.version ?? 0) + 1, note: input.note, active: true, createdBy: input.createdBy })
    .returning();
  const CHUNK = 1000;
  for (let i = 0; i < words.length; i += CHUNK) {
    await q.insert(smsWords).values(words.slice(i, i + CHUNK).map((w) => ({ listId: list!.id, ...w })));
  }
  return { ...listView(list!), words: words.length };
}

function listView(l: typeof smsWordLists.$inferSelect) {
  return { version: l.version, note: l.note, active: l.active, createdBy: l.createdBy, createdAt: l.createdAt.toISOString() };
}

/** Every version, newest first, with its word count. */
export async function listWordLists(q: Queryable): Promise<WordListView[]> {
  const lists = await q.select().from(smsWordLists).orderBy(desc(smsWordLists.version));
  const counts = await q.select({ listId: smsWords.listId, n: count() }).from(smsWords).groupBy(smsWords.listId);
  const byList = new Map(counts.map((c) => [c.listId, Number(c.n)]));
  return lists.map((l) => ({ ...listView(l), words: byList.get(l.id) ?? 0 }));
}

/** One version with its words and what changed against the version before it (by normalised form). */
export async function getWordList(q: Queryable, version: number) {
  const [list] = await q.select().from(smsWordLists).where(eq(smsWordLists.version, version));
  if (!list) throw new AppError('SMS_WORD_LIST_NOT_FOUND', { params: { version } });
  const [previous] = await q.select().from(smsWordLists).where(lt(smsWordLists.version, version)).orderBy(desc(smsWordLists.version)).limit(1);
  const words = await wordsOf(q, list.id);
  const before = previous ? await wordsOf(q, previous.id) : [];
  const beforeForms = new Set(before.map((w) => w.normalised));
  const nowForms = new Set(words.map((w) => w.normalised));
  return {
    ...listView(list),
    words: words.map((w) => w.word),
    diff: {
      previousVersion: previous?.version ?? null,
      added: words.filter((w) => !beforeForms.has(w.normalised)).map((w) => w.word),
      removed: before.filter((w) => !nowForms.has(w.normalised)).map((w) => w.word),
    },
  };
}

async function wordsOf(q: Queryable, listId: string) {
  return q.select({ word: smsWords.word, normalised: smsWords.normalised }).from(smsWords).where(eq(smsWords.listId, listId)).orderBy(asc(smsWords.word));
}
