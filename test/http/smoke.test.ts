import { describe, expect, it } from 'vitest';
import { useHarness, seedCity } from '../helpers/app.ts';

const h = useHarness();

describe('smoke', () => {
  it('signs in and lists organisations in scope', async () => {
    const { usernames } = await seedCity(h().ctx);
    const admin = await h().login('admin');
    const all = await h().request('GET', '/api/v1/orgs', { session: admin });
    expect(all.statusCode).toBe(200);
    expect((all.json() as { items: unknown[] }).items.length).toBe(10);
    const clerk = await h().login(usernames.OUTLET_CLERK);
    const denied = await h().request('GET', '/api/v1/orgs', { session: clerk });
    expect(denied.statusCode).toBe(403);
    expect((denied.json() as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });
});
