/** Everything the console shows is Beijing time, whatever the browser's own zone is. */
export const TZ = 'Asia/Shanghai';
const SH_OFFSET = '+08:00'; // China has no daylight saving time

const fmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** ISO instant → 'YYYY-MM-DD HH:mm:ss' in Asia/Shanghai; '' for null/invalid. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(d)) parts[p.type] = p.value;
  const hour = parts.hour === '24' ? '00' : parts.hour;
  return `${parts.year}-${parts.month}-${parts.day} ${hour}:${parts.minute}:${parts.second}`;
}

/** 'YYYY-MM-DD' (a Beijing calendar day) → first / last instant of that day as ISO (UTC). */
export function shanghaiDayStart(day: string): string {
  return new Date(`${day}T00:00:00.000${SH_OFFSET}`).toISOString();
}
export function shanghaiDayEnd(day: string): string {
  return new Date(`${day}T23:59:59.999${SH_OFFSET}`).toISOString();
}

/** 'YYYY-MM-DDTHH:mm:ss' wall time in Beijing → ISO instant with +08:00 offset. */
export function shanghaiWallToIso(wall: string): string {
  return `${wall}${SH_OFFSET}`;
}

/** Weekday (0 = Sunday) of a calendar date 'YYYY-MM-DD'. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay();
}

/** Today's date and the current year in Beijing. */
export function shanghaiToday(): string {
  return formatDateTime(new Date().toISOString()).slice(0, 10);
}
export function shanghaiYear(): number {
  return Number(shanghaiToday().slice(0, 4));
}
