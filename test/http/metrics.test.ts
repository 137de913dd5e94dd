import { describe, expect, it } from 'vitest';
import { createHarness, seedCity, useHarness } from '../helpers/app.ts';
import { recordJobRun } from '../../src/platform/metrics.ts';
import { shanghaiToday } from '../../src/platform/validators/citizen-id.ts';

const h = useHarness();

describe('/metrics', () => {
  it('counts requests per route template, with the database figures and job runs', async () => {
    await seedCity(h().ctx);
    const admin = await h().login('admin');
    const orgs = (await h().request('GET', '/api/v1/orgs', { session: admin })).json() as { items: { id: string }[] };
    await h().request('GET', `/api/v1/orgs/${orgs.items[0]!.id}`, { session: admin });
    recordJobRun('test job', false);
    const res = await h().app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toMatch(/cardflow_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/orgs",status="200"\} 1\n/);
    // The id is not a label: a request for one organisation counts under its template.
    expect(text).toMatch(/cardflow_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/orgs\/:id",status="200"\} 1\n/);
    expect(text).toContain('cardflow_card_sla{deadline="production",standing="overdue"} 0');
    expect(text).toContain('cardflow_notice_outbox_pending 0');
    expect(text).toContain('cardflow_backup_last_success_timestamp_seconds 0');
    // The bundled calendar covers 2025 and 2026 only: next year shows up unpublished.
    const year = Number(shanghaiToday().slice(0, 4));
    expect(text).toContain(`cardflow_calendar_published{year="${year + 1}"} ${year + 1 <= 2026 ? 1 : 0}`);
    expect(text).toMatch(/cardflow_job_failures_total\{job="test job"\} [1-9]/);
    expect(text).toContain('cardflow_process_resident_memory_bytes');
    if (h().ctx.db.engine === 'postgres') expect(text).toMatch(/cardflow_db_pool_connections\{state="total"\} \d+/);
  });

  it('answers only this machine when no token is set', async () => {
    const res = await h().app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(403);
    expect((res.json() as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('asks for the bearer token when one is configured, from anywhere', async () => {
    const token = 'metrics-token-0123456789';
    const other = await createHarness({ metricsToken: token });
    try {
      expect((await other.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(403);
      expect((await other.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(403);
      const ok = await other.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${token}` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('cardflow_card_sla');
    } finally {
      await other.app.close();
      await other.ctx.cleanup();
    }
  });
});
