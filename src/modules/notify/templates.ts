import { AppError } from '../../platform/errors/app-error.ts';
import { segmentCostMilliFen } from './pricing.ts';
import { countSegments, signedText, type SmsEncoding } from './segments.ts';
import type { SmsCategory } from './states.ts';

export const TEMPLATE_STATUSES = ['DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'SUPERSEDED'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export const CAMPAIGN_SOURCES = ['CSV', 'CARD_QUERY'] as const;
export type CampaignSource = (typeof CAMPAIGN_SOURCES)[number];

/**
 * Longest text we accept, signature and opt-out line included: Tencent caps a message at 500
 * characters (reference/sms.md §8), and a longer notice is a letter, not an SMS.
 */
export const MAX_TEXT_CHARS = 500;
export const MAX_VALUE_CHARS = 100;

/**
 * The unsubscribe instruction every marketing message carries. "回T退订" is the marker the carriers'
 * block lists recognise longest; the reply handler also accepts TD, R and 退订.
 */
export const OPT_OUT_LINE = '回T退订';

const PLACEHOLDER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

/**
 * The placeholder names of a template body, in order of first use. Placeholders are `{name}`; a brace
 * that does not open or close a well-formed placeholder is refused, so a typo such as `{name` cannot
 * reach a holder's phone verbatim.
 */
export function parsePlaceholders(body: string): string[] {
  const names: string[] = [];
  const pattern = /\{([^{}]*)\}|[{}]/g;
  for (let m = pattern.exec(body); m; m = pattern.exec(body)) {
    const name = m[1];
    if (name === undefined || !PLACEHOLDER_NAME.test(name)) {
      throw new AppError('SMS_TEMPLATE_BODY_INVALID', { params: { reason: `"${m[0]}" at ${m.index} is not a placeholder like {name}` } });
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

export interface TemplateText {
  signature: string;
  body: string;
  category: SmsCategory;
}

/** The channel of a send: a notification channel refuses marketing templates (carriers treat it as a severe violation). */
export function assertCategoryAllowed(category: SmsCategory, channel: SmsCategory): void {
  if (channel === 'NOTIFICATION' && category === 'MARKETING') throw new AppError('SMS_MARKETING_IN_NOTIFICATION');
}

/** `【signature】body`, with the opt-out line for marketing; the text the holder reads. */
export function composeText(t: TemplateText, body: string): string {
  if (t.category !== 'MARKETING') return signedText(t.signature, body);
  const joiner = /[。！？.!?]$/.test(body) ? '' : '。';
  return signedText(t.signature, `${body}${joiner}${OPT_OUT_LINE}`);
}

/**
 * Fills the placeholders. Every placeholder needs a non-blank value and every value must belong to
 * a placeholder: an unknown column in a CSV is as likely a misspelt one as a spare one.
 */
export function renderTemplate(t: TemplateText, values: Record<string, string>): string {
  const names = parsePlaceholders(t.body);
  const missing = names.filter((n) => (values[n] ?? '').trim() === '');
  if (missing.length) throw new AppError('SMS_PLACEHOLDER_MISSING', { params: { names: missing.join(', ') }, details: { names: missing } });
  const unknown = Object.keys(values).filter((k) => !names.includes(k));
  if (unknown.length) throw new AppError('SMS_PLACEHOLDER_UNKNOWN', { params: { names: unknown.join(', ') }, details: { names: unknown } });
  for (const n of names) {
    const v = values[n]!.trim();
    if ([...v].length > MAX_VALUE_CHARS || /[\r\n{}【】]/.test(v)) {
      throw new AppError('SMS_PLACEHOLDER_VALUE_INVALID', { params: { name: n, max: MAX_VALUE_CHARS } });
    }
  }
  const body = t.body.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (_, n: string) => values[n]!.trim());
  return checkedText(composeText(t, body));
}

/** A complete text within MAX_TEXT_CHARS (every character counts, as carriers count them). */
export function checkedText(text: string): string {
  const length = [...text].length;
  if (length > MAX_TEXT_CHARS) throw new AppError('SMS_TEXT_OVER_LIMIT', { params: { length, max: MAX_TEXT_CHARS } });
  return text;
}

/** A template body as written must fit too, its placeholders counted as written; checked on save. */
export function checkTemplate(t: TemplateText): string[] {
  const names = parsePlaceholders(t.body);
  checkedText(composeText(t, t.body));
  return names;
}

export interface TextPreview {
  text: string;
  encoding: SmsEncoding;
  /** Characters as carriers count them (a surrogate pair is one). */
  chars: number;
  segments: number;
  costMilliFen: number;
}

export interface Tariff {
  priceMilliFen: number;
  /** CMPP sends every message as UCS-2 (its Msg_Fmt 0 is ASCII), so a Latin text has fewer characters per segment. */
  ucs2Only: boolean;
}

/** What the holder reads and what it costs, counted as the outbox will count it. */
export function previewText(text: string, tariff: Tariff): TextPreview {
  const { encoding, segments } = countSegments(text, { ucs2Only: tariff.ucs2Only });
  return { text, encoding, chars: [...text].length, segments, costMilliFen: segmentCostMilliFen(segments, tariff.priceMilliFen) };
}

/** Sample values for a live preview: the given value, else the placeholder's own name, so the layout shows. */
export function sampleValues(names: string[], given: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, (given[n] ?? '').trim() || n]));
}
