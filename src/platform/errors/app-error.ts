import { messages, type ErrorCode } from './messages.ts';

export type Locale = 'zh-CN' | 'en-US';

/**
 * The one error type the platform throws on purpose. The HTTP layer turns it into
 * {"error":{"code","message","details"}}; `params` fill the {placeholders} of the message.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: Record<string, string | number>;
  readonly details: unknown;

  constructor(code: ErrorCode, opts: { params?: Record<string, string | number>; details?: unknown; cause?: unknown } = {}) {
    super(renderMessage(code, 'en-US', opts.params ?? {}), { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = messages[code].status;
    this.params = opts.params ?? {};
    this.details = opts.details;
  }

  messageIn(locale: Locale): string {
    return renderMessage(this.code, locale, this.params);
  }
}

export function renderMessage(code: ErrorCode, locale: Locale, params: Record<string, string | number>): string {
  const template = messages[code][locale === 'en-US' ? 'en' : 'zh'];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/** Accept-Language → one of our two locales; Chinese unless English is preferred. */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}
