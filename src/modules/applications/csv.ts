export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 CSV, fed in pieces: quoted fields may hold commas, quotes ("") and line breaks; a leading
 * BOM is dropped. Each record comes with the (1-based) line it starts on, so errors can name it. Only
 * the record being read is held, so a file of any size streams through in flat memory.
 */
export class CsvParser {
  private carry = '';
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private line = 1;
  private start = 1;
  private any = false;
  private first = true;

  /** Records completed by this piece of text. */
  push(text: string): CsvRecord[] {
    return this.consume(this.carry + text, false);
  }

  /** Records left at the end of the input. */
  end(): CsvRecord[] {
    const out = this.consume(this.carry, true);
    if (this.field !== '' || this.fields.length || this.any) this.endRecord(out);
    return out;
  }

  private endRecord(out: CsvRecord[]): void {
    this.fields.push(this.field);
    if (this.any || this.fields.length > 1 || this.field !== '') out.push({ line: this.start, fields: this.fields });
    this.fields = [];
    this.field = '';
    this.any = false;
  }

  private consume(input: string, final: boolean): CsvRecord[] {
    let s = input;
    if (this.first && s.length > 0) {
      s = s.replace(/^\uFEFF/, '');
      this.first = false;
    }
    const out: CsvRecord[] = [];
    this.carry = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      // A quote or a carriage return at the end of a piece needs the next character to be understood.
      if (!final && i === s.length - 1 && ((this.quoted && c === '"') || c === '\r')) {
        this.carry = c;
        break;
      }
      if (this.quoted) {
        if (c === '"') {
          if (s[i + 1] === '"') {
            this.field += '"';
            i++;
          } else this.quoted = false;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
        }
        continue;
      }
      if (c === '"' && this.field === '') {
        this.quoted = true;
        this.any = true;
      } else if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
        this.any = true;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && s[i + 1] === '\n') i++;
        this.endRecord(out);
        this.line++;
        this.start = this.line;
      } else this.field += c;
    }
    return out;
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const p = new CsvParser();
  return [...p.push(text), ...p.end()];
}

/** Text pieces of a byte stream, decoded as UTF-8 without splitting a character across pieces. */
export async function* utf8Pieces(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

export async function* csvRecords(source: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord> {
  const p = new CsvParser();
  for await (const piece of utf8Pieces(source)) yield* p.push(piece);
  yield* p.end();
}

/** Lines of newline-delimited JSON with their 1-based line numbers; blank lines are skipped. */
export async function* ndjsonLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<{ line: number; text: string }> {
  let rest = '';
  let line = 0;
  for await (const piece of utf8Pieces(source)) {
    rest += piece;
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      line++;
      const text = rest.slice(0, nl).replace(/\r$/, '');
      rest = rest.slice(nl + 1);
      if (text.trim() !== '') yield { line, text };
      nl = rest.indexOf('\n');
    }
  }
  if (rest.trim() !== '') yield { line: line + 1, text: rest.replace(/\r$/, '') };
}

/** One CSV field: quoted when it holds a comma, quote or line break; formula starts neutralised for spreadsheets. */
export function csvField(value: string | number): string {
  let v = String(value);
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
