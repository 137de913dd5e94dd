import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/platform/errors/messages.ts';

describe('docs/api.md', () => {
  it('lists every error code with its HTTP status', () => {
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const [code, m] of Object.entries(messages)) expect(doc).toContain(`| \`${code}\` | ${m.status} |`);
  });
});
