import type { CalendarDay, DayKind } from '../../api/types.ts';

export interface ParsedImport {
  days: CalendarDay[];
  /** problems found before sending, per file line (1-based) */
  problems: { row: number; error: string }[];
}

/** Splits one CSV line, honouring "quoted, fields" and "" escapes. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

function toDay(raw: Record<string, unknown>): CalendarDay {
  return {
    date: String(raw.date ?? '').trim(),
    kind: String(raw.kind ?? '').trim().toUpperCase() as DayKind,
    name: String(raw.name ?? '').trim(),
    source: String(raw.source ?? '').trim(),
  };
}

/**
 * JSON ([...] or {days:[...]}) or CSV (`date,kind,name,source`, header line optional).
 * The server checks every field; here we only make the shape right. Throws on unreadable JSON.
 */
export function parseCalendarFile(fileName: string, text: string, msg: { badJson: string; badColumns: (line: number) => string }): ParsedImport {
  const body = text.replace(/^\uFEFF/, '').trim();
  const looksJson = /\.json$/i.test(fileName) || body.startsWith('{') || body.startsWith('[');
  if (looksJson) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      throw new Error(msg.badJson);
    }
    const list = Array.isArray(data) ? data : (data as { days?: unknown } | null)?.days;
    if (!Array.isArray(list)) throw new Error(msg.badJson);
    return { days: list.map((d) => toDay((d ?? {}) as Record<string, unknown>)), problems: [] };
  }
  const days: CalendarDay[] = [];
  const problems: ParsedImport['problems'] = [];
  const lines = body.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    const cells = splitCsvLine(line);
    if (i === 0 && cells[0]?.toLowerCase() === 'date') return; // header
    if (cells.length < 3 || cells.length > 4) {
      problems.push({ row: i + 1, error: msg.badColumns(i + 1) });
      return;
    }
    days.push(toDay({ date: cells[0], kind: cells[1], name: cells[2], source: cells[3] ?? '' }));
  });
  return { days, problems };
}
