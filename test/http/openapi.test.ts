import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/app.ts';
import { ACCESS } from '../../src/http/access.ts';

const h = useHarness();

describe('API description and headers', () => {
  it('documents every API route in /openapi.json (OpenAPI 3.1)', async () => {
    const res = await h().request('GET', '/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const key of Object.keys(ACCESS)) {
      const [method, url] = key.split(' ') as [string, string];
      const path = url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[method.toLowerCase()], key).toBeDefined();
    }
  });

  it('serves /docs from local files, with no outside host in its page or policy', async () => {
    const page = await h().request('GET', '/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
    expect(String(page.headers['content-security-policy'])).not.toMatch(/https:|swagger\.io/);
  });

  it('sends security headers and a request id on every answer, errors included', async () => {
    for (const url of ['/healthz', '/api/v1/orgs', '/api/v1/nope']) {
      const res = await h().request('GET', url);
      expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
