import { AppError } from '../errors/app-error.ts';
import data from './regions.json' with { type: 'json' };

export type RegionLevel = 'province' | 'prefecture' | 'county';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  /**
   * The nearest region above. Counties of municipalities (北京, 天津, 上海, 重庆) and counties
   * directly under a province (济源市, 仙桃市, 石河子市…) have the province as parent: the
   * statistics groupings 市辖区 / 县 / 省直辖县级行政区划 are not places and are not in the table.
   */
  parentCode: string | null;
  /** names from the province down, space-separated, e.g. "上海市 浦东新区" */
  fullName: string;
}

export interface RegionSource {
  source: string;
  asOf: string;
  trimmedBy: string;
  count: number;
}

const CODE = /^\d{6}$/;

function levelOf(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  return code.endsWith('00') ? 'prefecture' : 'county';
}

function buildIndex(): ReadonlyMap<string, Region> {
  const names = new Map<string, string>();
  for (const row of data.regions) {
    const [code, name] = row;
    if (row.length !== 2 || code === undefined || name === undefined || !CODE.test(code) || names.has(code)) {
      throw new Error(`regions.json is corrupt near ${JSON.stringify(row)}`);
    }
    names.set(code, name);
  }
  const index = new Map<string, Region>();
  for (const [code, name] of names) {
    const level = levelOf(code);
    const province = `${code.slice(0, 2)}0000`;
    const prefecture = `${code.slice(0, 4)}00`;
    const parentCode = level === 'province' ? null : level === 'county' && names.has(prefecture) ? prefecture : province;
    if (parentCode !== null && !names.has(parentCode)) throw new Error(`regions.json: ${code} has no parent ${parentCode}`);
    const chain = [province, prefecture, code].filter((c, i, all) => all.indexOf(c) === i && names.has(c));
    index.set(code, { code, name, level, parentCode, fullName: chain.map((c) => names.get(c)).join(' ') });
  }
  return index;
}

const REGIONS = buildIndex();

/** GB/T 2260 region down to county level, or null. Codes only found inside old ID numbers are absent. */
export function findRegion(code: string): Region | null {
  return REGIONS.get(code) ?? null;
}

/** @throws AppError REGION_CODE_INVALID {code} */
export function assertRegionCode(code: string): Region {
  const region = findRegion(code);
  if (!region) throw new AppError('REGION_CODE_INVALID', { params: { code } });
  return region;
}

/**
 * Every region strictly inside the given one, in code order. Takes a six-digit code (310000, 320400)
 * or its significant prefix (31, 3204); a county has nothing inside it.
 * @throws AppError REGION_CODE_INVALID when the argument is neither
 */
export function regionsUnder(codeOrPrefix: string): Region[] {
  const prefix = CODE.test(codeOrPrefix) ? codeOrPrefix.replace(/(00)+$/, '') : codeOrPrefix;
  if (!/^(\d{2}|\d{4}|\d{6})$/.test(prefix)) throw new AppError('REGION_CODE_INVALID', { params: { code: codeOrPrefix } });
  const under: Region[] = [];
  for (const region of REGIONS.values()) {
    if (region.code.startsWith(prefix) && region.code.replace(/(00)+$/, '') !== prefix) under.push(region);
  }
  return under.sort((a, b) => a.code.localeCompare(b.code));
}

export function regionSource(): RegionSource {
  return { source: data.source, asOf: data.asOf, trimmedBy: data.trimmedBy, count: REGIONS.size };
}
