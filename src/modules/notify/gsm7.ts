import { AppError } from '../../platform/errors/app-error.ts';

/**
 * The GSM 03.38 default alphabet, indexed by septet value. SMPP and most gateways carry it unpacked,
 * one septet per byte, so that is the byte form used here.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: reached with ESC (0x1B) and so costing two septets each. */
const EXTENSION: ReadonlyArray<readonly [string, number]> = [
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
];

export const ESCAPE = 0x1b;

const BASIC_CODE = new Map<string, number>([...BASIC].map((ch, i) => [ch, i]));
BASIC_CODE.delete('\u001b');
const EXTENSION_CODE = new Map<string, number>(EXTENSION);
const EXTENSION_CHAR = new Map<number, string>(EXTENSION.map(([ch, code]) => [code, ch]));

/**
 * The unpacked septets of one character: one for the basic table, ESC and the code for the extension
 * table (so its length is what the character costs), or null when the character has no GSM-7 form.
 */
export function gsm7Septets(ch: string): number[] | null {
  const basic = BASIC_CODE.get(ch);
  if (basic !== undefined) return [basic];
  const ext = EXTENSION_CODE.get(ch);
  return ext === undefined ? null : [ESCAPE, ext];
}

/**
 * Unpacked septets back to text. An escape followed by a code the extension table lacks shows the
 * basic-table character, as GSM 03.38 tells receivers to do.
 */
export function decodeGsm7(septets: Uint8Array): string {
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i]!;
    if (s > 0x7f) throw invalid(`byte 0x${s.toString(16)} at ${i} is not a septet`);
    if (s !== ESCAPE) {
      out += BASIC[s];
      continue;
    }
    const next = septets[++i];
    if (next === undefined) throw invalid('the text ends with an escape');
    if (next > 0x7f) throw invalid(`byte 0x${next.toString(16)} at ${i} is not a septet`);
    out += EXTENSION_CHAR.get(next) ?? BASIC[next];
  }
  return out;
}

function invalid(reason: string): AppError {
  return new AppError('SMS_USER_DATA_INVALID', { params: { reason } });
}
