import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { SHANGHAI_ZONES_2025, zoneOf, zoneTableProblems } from './zones.ts';

describe('Shanghai zone table (seed 001)', () => {
  it('has the 16 districts: 8 urban and 8 suburban, and passes its own checks', () => {
    expect(SHANGHAI_ZONES_2025).toHaveLength(16);
    expect(SHANGHAI_ZONES_2025.filter((e) => e.zone === 'URBAN')).toHaveLength(8);
    expect(zoneTableProblems(SHANGHAI_ZONES_2025)).toEqual([]);
  });

  it.each([
    ['310101', 'URBAN', '黄浦区'],
    ['310115', 'URBAN', '浦东新区'],
    ['310112', 'SUBURBAN', '闵行区'],
    ['310151', 'SUBURBAN', '崇明区'],
  ])('%s is %s (%s)', (code, zone) => {
    expect(zoneOf(SHANGHAI_ZONES_2025, code, null)).toBe(zone);
  });

  it('lets an outlet in the former 南汇 part of 浦东 override its district', () => {
    expect(zoneOf(SHANGHAI_ZONES_2025, '310115', 'SUBURBAN')).toBe('SUBURBAN');
  });

  it('refuses a district that is not in the table instead of guessing', () => {
    let error: unknown;
    try {
      zoneOf(SHANGHAI_ZONES_2025, '320412', null);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'MAINTENANCE_ZONE_UNKNOWN', params: { regionCode: '320412' } });
  });
});

describe('zone table checks', () => {
  it('lists every problem', () => {
    expect(
      zoneTableProblems([
        { regionCode: '31010', district: '黄浦区', zone: 'URBAN' },
        { regionCode: '310104', district: '', zone: 'URBAN' },
        { regionCode: '310104', district: '徐汇区', zone: 'CENTRAL' as 'URBAN' },
      ]),
    ).toEqual([
      'entry 1: region code "31010" must have 6 digits',
      'entry 2: district name must have 1 to 50 characters',
      'entry 3: zone "CENTRAL" must be URBAN or SUBURBAN',
      'entry 3: region code 310104 is listed twice',
    ]);
    expect(zoneTableProblems([])).toEqual(['the table has no districts']);
  });
});
