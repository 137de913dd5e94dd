import { describe, expect, it } from 'vitest';
import type { Principal } from './principal.ts';
import { fixedWindow, requestBucket } from './rate-limit.ts';

const principal = (type: Principal['type'], id: string) => ({ type, id }) as Principal;
const limits = { perApiKey: 100, perUser: 10, perIp: 5 };

describe('requestBucket', () => {
  it('charges the API key, else the user, else the address', () => {
    expect(requestBucket(principal('API_KEY', 'k1'), '10.0.0.1', limits)).toEqual({ purpose: 'api_key', key: 'k1', limit: 100 });
    expect(requestBucket(principal('USER', 'u1'), '10.0.0.1', limits)).toEqual({ purpose: 'api_user', key: 'u1', limit: 10 });
    expect(requestBucket(null, '10.0.0.1', limits)).toEqual({ purpose: 'api_ip', key: '10.0.0.1', limit: 5 });
  });
  it('a limit of 0 means unlimited', () => {
    expect(requestBucket(null, '10.0.0.1', { ...limits, perIp: 0 })).toBeNull();
    expect(requestBucket(principal('USER', 'u1'), '10.0.0.1', { ...limits, perUser: 0 })).toBeNull();
  });
});

describe('fixedWindow', () => {
  it('aligns windows to multiples of their length and says how long until the next', () => {
    const at = Date.parse('2026-12-02T03:00:59.200Z');
    expect(fixedWindow(at, 60)).toEqual({ start: new Date('2026-12-02T03:00:00.000Z'), retryAfterSeconds: 1 });
    expect(fixedWindow(Date.parse('2026-12-02T03:00:00.000Z'), 60).retryAfterSeconds).toBe(60);
    expect(fixedWindow(at, 3600).start.toISOString()).toBe('2026-12-02T03:00:00.000Z');
  });
});
