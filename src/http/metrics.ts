import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../platform/context.ts';
import { processRegistry } from '../platform/metrics.ts';
import { AppError } from '../platform/errors/app-error.ts';
import { shanghaiToday } from '../platform/validators/citizen-id.ts';
import { pendingNoticeCount } from '../modules/applications/outbox-stats.ts';
import { cardSlaCounts } from '../modules/cards/sla-counts.ts';
import { maintenanceCounts } from '../modules/maintenance/monitoring.ts';
import { lastSuccessfulBackup } from '../modules/ops/backup-jobs.ts';
import { smsStatusCounts } from '../modules/notify/messages-query.ts';
import { inDoubtSmsCount } from '../modules/notify/queue-age.ts';
import { listYears } from '../modules/calendar/service.ts';

// Database-backed figures are read at most this often, however often Prometheus scrapes.
const DB_FIGURES_TTL_MS = 15_000;

/** Caches an async read for a while; concurrent callers share one read. */
function cached<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let value: { at: number; p: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (!value || now - value.at > ttlMs) {
      const p = read();
      value = { at: now, p };
      p.catch(() => {
        value = null;
      });
    }
    return value.p;
  };
}

function databaseFigures(ctx: AppContext) {
  return cached(async () => {
    const [sla, notices, maintenance, backup, sms, smsInDoubt, years] = await Promise.all([
      cardSlaCounts(ctx),
      pendingNoticeCount(ctx),
      maintenanceCounts(ctx),
      lastSuccessfulBackup(ctx),
      smsStatusCounts(ctx),
      inDoubtSmsCount(ctx),
      listYears(ctx),
    ]);
    return { sla, notices, maintenance, backupAt: backup?.startedAt ?? null, sms, smsInDoubt, publishedYears: years.filter((y) => y.published).map((y) => y.year) };
  }, DB_FIGURES_TTL_MS);
}

function registerDatabaseGauges(ctx: AppContext, registry: Registry): void {
  const figures = databaseFigures(ctx);
  new Gauge({
    name: 'cardflow_card_sla',
    help: 'Cards on their way by deadline (production, delivery) and standing (at_risk: due within 24 h, overdue)',
    labelNames: ['deadline', 'standing'] as const,
    registers: [registry],
    async collect() {
      const { sla } = await figures();
      this.set({ deadline: 'production', standing: 'at_risk' }, sla.productionAtRisk);
      this.set({ deadline: 'production', standing: 'overdue' }, sla.productionOverdue);
      this.set({ deadline: 'delivery', standing: 'at_risk' }, sla.deliveryAtRisk);
      this.set({ deadline: 'delivery', standing: 'overdue' }, sla.deliveryOverdue);
    },
  });
  new Gauge({
    name: 'cardflow_notice_outbox_pending',
    help: 'Lifecycle notices (SMS to holders) not yet handed to the SMS platform',
    registers: [registry],
    async collect() {
      this.set((await figures()).notices);
    },
  });
  new Gauge({
    name: 'cardflow_sms_messages',
    help: 'SMS in the outbox by status (QUEUED growing: dispatch stuck; HELD: waiting for a sensitive-word decision)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [status, n] of Object.entries((await figures()).sms)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'cardflow_sms_in_doubt',
    help: 'Queued SMS behind a submit the gateway never answered, past the reconcile window: an operator decides them (docs/operations.md)',
    registers: [registry],
    async collect() {
      this.set((await figures()).smsInDoubt);
    },
  });
  new Gauge({
    name: 'cardflow_maintenance_open_tickets',
    help: 'Fault tickets not closed, by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [state, n] of Object.entries((await figures()).maintenance.openTickets)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'cardflow_maintenance_breaches_24h',
    help: 'Maintenance SLA breaches registered in the last 24 hours, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [kind, n] of Object.entries((await figures()).maintenance.breaches24h)) this.set({ kind }, n);
    },
  });
  new Gauge({
    name: 'cardflow_calendar_published',
    help: 'Whether the working calendar of this year and of next year is published (1) or not (0): working-day deadlines in an unpublished year fail',
    labelNames: ['year'] as const,
    registers: [registry],
    async collect() {
      const published = (await figures()).publishedYears;
      const year = Number(shanghaiToday().slice(0, 4));
      for (const y of [year, year + 1]) this.set({ year: String(y) }, published.includes(y) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'cardflow_backup_last_success_timestamp_seconds',
    help: 'When the last successful backup started (0: never); alert when it is older than the interval',
    registers: [registry],
    async collect() {
      const at = (await figures()).backupAt;
      this.set(at ? Math.floor(at.getTime() / 1000) : 0);
    },
  });
}

function registerPoolGauge(ctx: AppContext, registry: Registry): void {
  const pool = ctx.db.pool;
  if (!pool) return;
  new Gauge({
    name: 'cardflow_db_pool_connections',
    help: 'PostgreSQL pool of this process: total, idle, and requests waiting for a connection',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

/** With CARDFLOW_METRICS_TOKEN set, a bearer token is required; without it, only this machine may scrape. */
function scrapeAllowed(ctx: AppContext, request: FastifyRequest): boolean {
  const token = ctx.config.metricsToken;
  if (!token) return isLoopback(request.socket.remoteAddress ?? '');
  const auth = request.headers.authorization ?? '';
  const given = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * `/metrics` in Prometheus text format: request rate and latency per route template, database figures
 * (card deadlines, notice backlog, maintenance tickets and breaches, last backup), the connection pool and
 * the process-wide job and Node figures.
 */
export function registerMetrics(app: FastifyInstance<Server, IncomingMessage, ServerResponse, Logger, TypeBoxTypeProvider>, ctx: AppContext): void {
  const registry = new Registry();
  const requests = new Histogram({
    name: 'cardflow_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, with their duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  registerDatabaseGauges(ctx, registry);
  registerPoolGauge(ctx, registry);

  app.addHook('onResponse', async (request, reply) => {
    // Templates, not raw URLs: ids in paths would make a series per record.
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!scrapeAllowed(ctx, request)) throw new AppError('FORBIDDEN');
    const merged = Registry.merge([processRegistry, registry]);
    return reply.type(merged.contentType).send(await merged.metrics());
  });
}
