import { AppError } from '../../platform/errors/app-error.ts';

/**
 * Outlet zones for SLA allowances (seed 001 §3.2): a contract names a versioned table from district
 * region code to zone, and an outlet may override its district's zone because a district can be split
 * (浦东新区 is urban except the former 南汇 area, which is suburban).
 */

export const ZONES = ['URBAN', 'SUBURBAN'] as const;
export type Zone = (typeof ZONES)[number];

export interface ZoneEntry {
  regionCode: string;
  district: string;
  zone: Zone;
}

const REGION_CODE = /^[0-9]{6}$/;

export function isZone(value: string): value is Zone {
  return (ZONES as readonly string[]).includes(value);
}

/** Checks a zone table: six-digit codes, known zones, each district once. Answers every problem found. */
export function zoneTableProblems(entries: readonly ZoneEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  if (entries.length === 0) problems.push('the table has no districts');
  entries.forEach((e, i) => {
    const where = `entry ${i + 1}`;
    if (!REGION_CODE.test(e.regionCode)) problems.push(`${where}: region code "${e.regionCode}" must have 6 digits`);
    if (!isZone(e.zone)) problems.push(`${where}: zone "${String(e.zone)}" must be URBAN or SUBURBAN`);
    if (e.district.trim() === '' || e.district.length > 50) problems.push(`${where}: district name must have 1 to 50 characters`);
    if (seen.has(e.regionCode)) problems.push(`${where}: region code ${e.regionCode} is listed twice`);
    seen.add(e.regionCode);
  });
  return problems;
}

/**
 * The zone an outlet's allowance is taken from: its own override when set, else its district's entry.
 * A district missing from the table is an error, never a silent default: the wrong zone changes the
 * allowance by an hour and decides breaches.
 */
export function zoneOf(entries: readonly ZoneEntry[], regionCode: string, override: Zone | null): Zone {
  if (override) return override;
  const entry = entries.find((e) => e.regionCode === regionCode);
  if (!entry) throw new AppError('MAINTENANCE_ZONE_UNKNOWN', { params: { regionCode } });
  return entry.zone;
}

/**
 * Seed 001, 第三条 二: 市内 2 working hours, 郊区 3. 浦东新区 is listed as urban; outlets in the former
 * 南汇 area carry a SUBURBAN override.
 */
export const SHANGHAI_ZONES_2025: readonly ZoneEntry[] = [
  { regionCode: '310101', district: '黄浦区', zone: 'URBAN' },
  { regionCode: '310104', district: '徐汇区', zone: 'URBAN' },
  { regionCode: '310105', district: '长宁区', zone: 'URBAN' },
  { regionCode: '310106', district: '静安区', zone: 'URBAN' },
  { regionCode: '310107', district: '普陀区', zone: 'URBAN' },
  { regionCode: '310109', district: '虹口区', zone: 'URBAN' },
  { regionCode: '310110', district: '杨浦区', zone: 'URBAN' },
  { regionCode: '310115', district: '浦东新区（除原南汇部分）', zone: 'URBAN' },
  { regionCode: '310112', district: '闵行区', zone: 'SUBURBAN' },
  { regionCode: '310113', district: '宝山区', zone: 'SUBURBAN' },
  { regionCode: '310114', district: '嘉定区', zone: 'SUBURBAN' },
  { regionCode: '310116', district: '金山区', zone: 'SUBURBAN' },
  { regionCode: '310117', district: '松江区', zone: 'SUBURBAN' },
  { regionCode: '310118', district: '青浦区', zone: 'SUBURBAN' },
  { regionCode: '310120', district: '奉贤区', zone: 'SUBURBAN' },
  { regionCode: '310151', district: '崇明区', zone: 'SUBURBAN' },
];
