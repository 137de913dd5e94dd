/**
 * Antd form rules backed by the server's own validators (src/platform/validators, via the @shared
 * alias): the same code decides, and the message is the server's, in the console's language.
 */
import type { FormRule } from 'antd';
import { AppError, type Locale } from '@shared/errors/app-error.ts';
import { messages, type ErrorCode } from '@shared/errors/messages.ts';

/**
 * An error code as a sentence in the console's language when the server's catalogue has it and the text
 * needs no parameters (e.g. the per-row codes of an import report); otherwise the code itself.
 */
export function messageForCode(locale: Locale, code: string): string {
  if (!Object.prototype.hasOwnProperty.call(messages, code)) return code;
  const text = new AppError(code as ErrorCode).messageIn(locale);
  return /\{\w+\}/.test(text) ? code : text;
}

/** The server's message for an error code, e.g. ORG_REGION_REQUIRED. */
export function serverMessage(locale: Locale, code: ErrorCode, params?: Record<string, string | number>): string {
  return new AppError(code, { params }).messageIn(locale);
}

/**
 * A rule that runs a server validator on the trimmed value (empty values pass: pair it with `required`
 * where needed) and shows the AppError's message. Any other exception is a bug and is rethrown.
 */
export function serverRule(locale: Locale, check: (value: string) => unknown, opts: { trim?: boolean } = {}): FormRule {
  const trim = opts.trim ?? true;
  return {
    validator: async (_rule, value: unknown) => {
      if (typeof value !== 'string') return;
      const v = trim ? value.trim() : value;
      if (!v) return;
      try {
        check(v);
      } catch (err) {
        if (err instanceof AppError) throw new Error(err.messageIn(locale), { cause: err });
        throw err;
      }
    },
  };
}
