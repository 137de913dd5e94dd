import { describe, expect, it } from 'vitest';
import { crossSiteRequest } from './csrf.ts';

describe('crossSiteRequest', () => {
  it.each<[Record<string, string>, string, boolean]>([
    [{}, 'cardflow.example:443', false],
    [{ origin: 'https://cardflow.example' }, 'cardflow.example', false],
    [{ origin: 'https://cardflow.example' }, 'cardflow.example:443', false],
    [{ origin: 'http://localhost:3000' }, 'localhost:3000', false],
    [{ origin: 'http://localhost:3000' }, 'localhost:3001', true],
    [{ origin: 'https://evil.example' }, 'cardflow.example', true],
    [{ origin: 'https://cardflow.example.evil.example' }, 'cardflow.example', true],
    [{ origin: 'null' }, 'cardflow.example', true],
    [{ origin: 'not a url' }, 'cardflow.example', true],
    [{ 'sec-fetch-site': 'cross-site' }, 'cardflow.example', true],
    [{ 'sec-fetch-site': 'same-site' }, 'cardflow.example', false],
  ])('%j to %s → %s', (headers, host, expected) => {
    expect(crossSiteRequest(headers, host)).toBe(expected);
  });
});
