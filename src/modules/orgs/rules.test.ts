import { describe, expect, it } from 'vitest';
import { childPath, parentAllowed, regionRequired } from './rules.ts';

describe('organisation tree rules', () => {
  it('puts outlets, producers and suppliers under an authority only', () => {
    expect(parentAllowed('OUTLET', 'AUTHORITY')).toBe(true);
    expect(parentAllowed('OUTLET', 'OUTLET')).toBe(false);
    expect(parentAllowed('OUTLET', 'BANK')).toBe(false);
    expect(parentAllowed('PRODUCER', 'AUTHORITY')).toBe(true);
    expect(parentAllowed('SMS_PROVIDER', 'PRODUCER')).toBe(false);
  });
  it('lets bank branches sit under their bank', () => {
    expect(parentAllowed('BANK', 'BANK')).toBe(true);
    expect(parentAllowed('AUTHORITY', 'BANK')).toBe(false);
  });
  it('requires a region code for outlets and producers', () => {
    expect(regionRequired('OUTLET')).toBe(true);
    expect(regionRequired('PRODUCER')).toBe(true);
    expect(regionRequired('BANK')).toBe(false);
  });
  it('builds paths whose prefix is the parent path', () => {
    const p = childPath('/a/', 'b');
    expect(p).toBe('/a/b/');
    expect(p.startsWith('/a/')).toBe(true);
  });
});
