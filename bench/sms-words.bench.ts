import { pathToFileURL } from 'node:url';
import { buildWordScreen } from '../src/modules/notify/words/matcher.ts';
import { printTable, type BenchRow } from './support.ts';

const WORDS = 20_000;
const MESSAGES = 100_000;
/** The contract asks for at least 200 messages/s through the whole pipe; the screen is one step of it. */
const CONTRACT_FLOOR = 200;

/** A seeded generator (mulberry32) in 32-bit integer arithmetic: the same list and messages on every run. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HANZI_FROM = 0x4e00;
const HANZI_SPAN = 0x9fa5 - 0x4e00;

/** 20,000 words of 2–6 characters: mostly Chinese, some Latin letters, as real lists mix them. */
function wordList(): string[] {
  const random = sequence(20_000);
  const words = new Set<string>();
  while (words.size < WORDS) {
    const length = 2 + Math.floor(random() * 5);
    let word = '';
    for (let i = 0; i < length; i++) {
      word += random() < 0.85 ? String.fromCharCode(HANZI_FROM + Math.floor(random() * HANZI_SPAN)) : 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]!;
    }
    words.add(word);
  }
  return [...words];
}

/** Notices of about 45–70 characters; one in fifty carries a listed word behind noise characters. */
function messages(words: string[]): string[] {
  const random = sequence(7);
  const base = '【常州公安】您的居住证已制作完成，请于工作日携带身份证原件到受理点领取。';
  const out: string[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const cut = 30 + Math.floor(random() * (base.length - 30));
    if (i % 50 === 0) {
      const word = words[Math.floor(random() * words.length)]!;
      out.push(`${base.slice(0, cut)}${[...word].join('*')}${base.slice(cut)}`);
    } else out.push(`${base.slice(0, cut)} 编号${Math.floor(random() * 1e6)}`);
  }
  return out;
}

export function benchSmsWords(): BenchRow[] {
  const words = wordList();
  const texts = messages(words);
  const t0 = performance.now();
  const screen = buildWordScreen({ version: 'bench', words });
  const buildMs = performance.now() - t0;
  for (let i = 0; i < 2_000; i++) screen.screen(texts[i]!);

  let hits = 0;
  const t1 = performance.now();
  for (const text of texts) hits += screen.screen(text).length > 0 ? 1 : 0;
  const scanMs = performance.now() - t1;
  const perSecond = Math.round(MESSAGES / (scanMs / 1000));
  const scenario = 'SMS sensitive words (1 core)';
  return [
    { scenario, metric: `build the screen from ${WORDS.toLocaleString('en')} words`, value: Math.round(buildMs), unit: 'ms', target: '(info)', pass: true },
    { scenario, metric: `messages screened (${MESSAGES.toLocaleString('en')}, normalise + Aho–Corasick)`, value: perSecond, unit: 'msg/s', target: `≥ ${CONTRACT_FLOOR}`, pass: perSecond >= CONTRACT_FLOOR },
    { scenario, metric: 'per message', value: Math.round((scanMs * 1000) / MESSAGES), unit: 'µs', target: '(info)', pass: true },
    { scenario, metric: 'messages with a hit (1 in 50 planted)', value: hits, unit: 'messages', target: `≥ ${MESSAGES / 50}`, pass: hits >= MESSAGES / 50 },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTable('sms-words', benchSmsWords());
