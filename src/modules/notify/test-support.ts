import { AppError } from '../../platform/errors/app-error.ts';

/** Test helpers for the SMS codecs; not used by production code. */

/** The AppError `fn` throws; fails the test when it throws nothing or something else. */
export function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

export function codeOf(fn: () => unknown): string {
  return caught(fn).code;
}

/** A frame written by hand: every argument is one field, in hex. */
export function bytes(...fields: string[]): Buffer {
  return Buffer.concat(fields.map((f) => Buffer.from(f.replace(/\s+/g, ''), 'hex')));
}

/** An ASCII octet string padded with NUL bytes to its field size, as hex. */
export function ascii(text: string, size: number): string {
  return Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(size - text.length)]).toString('hex');
}

export function zeros(size: number): string {
  return '00'.repeat(size);
}
