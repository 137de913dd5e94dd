import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { ALERT_CODES } from './alert-rules.ts';
import { systemStatus } from './status.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Counts = Type.Record(Type.String(), Type.Integer());

const Status = Type.Object({
  checkedAt: Type.String(),
  service: Type.Object({
    engine: Type.String(),
    version: Type.String({ description: 'PostgreSQL server version' }),
    migrationsApplied: Type.Integer(),
    migrationsComplete: Type.Boolean({ description: 'every migration shipped with this build is applied' }),
    uptimeSeconds: Type.Integer({ description: 'of the process that answered' }),
    nodeVersion: Type.String(),
    pid: Type.Integer(),
  }),
  queues: Type.Object({
    noticesPending: Type.Integer(),
    sms: Type.Object({
      byStatus: Counts,
      inDoubt: Type.Integer({ description: 'queued behind a submit the gateway never answered, past the reconcile window (GET /api/v1/sms/messages?inDoubt=true)' }),
      oldestQueuedAt: Nullable(Type.String()),
      oldestQueuedAgeSeconds: Nullable(Type.Integer()),
    }),
  }),
  jobs: Type.Array(Type.Object({ job: Type.String(), ok: Type.Integer(), failed: Type.Integer() }), { description: 'runs counted by the process that answered, since it started' }),
  backup: Type.Object({
    intervalHours: Type.Integer(),
    lastSuccessAt: Nullable(Type.String()),
    lastSuccessBytes: Nullable(Type.Integer()),
    lastSuccessAgeSeconds: Nullable(Type.Integer()),
    lastFailureAt: Nullable(Type.String()),
    lastFailureError: Nullable(Type.String()),
  }),
  retention: Type.Object({
    intervalHours: Type.Integer(),
    lastRunAt: Nullable(Type.String()),
    lastRunDryRun: Nullable(Type.Boolean()),
    lastRunCounts: Nullable(Type.Record(Type.String(), Type.Number(), { description: 'what the newest successful run removed (a dry run: would remove)' })),
    lastFailureAt: Nullable(Type.String()),
    lastFailureError: Nullable(Type.String()),
  }),
  sla: Type.Object({
    productionAtRisk: Type.Integer(),
    productionOverdue: Type.Integer(),
    deliveryAtRisk: Type.Integer(),
    deliveryOverdue: Type.Integer(),
    maintenanceBreaches24h: Type.Integer(),
  }),
  calendar: Type.Array(Type.Object({ year: Type.Integer(), published: Type.Boolean() })),
  keys: Type.Object({ activeKeyId: Type.String(), activeKeyCreatedAt: Type.String(), activeKeyAgeDays: Type.Integer(), keyCount: Type.Integer(), blindIndexKey: Type.Boolean() }),
  disks: Type.Array(Type.Object({ name: Type.String(), path: Type.String(), freeBytes: Type.Number(), totalBytes: Type.Number(), error: Nullable(Type.String()) })),
  alerts: Type.Array(
    Type.Object({
      code: Type.Enum(ALERT_CODES),
      severity: Type.Union([Type.Literal('critical'), Type.Literal('warning')]),
      message: Type.Object({ zh: Type.String(), en: Type.String() }),
      since: Nullable(Type.String()),
    }),
  ),
});

export const opsRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/ops/status',
    {
      schema: {
        tags: ['ops'],
        summary: 'System status for operators: service, queues, jobs, last backup, calendar years, keys, disks, and the alerts they raise',
        response: { 200: Status, ...errorResponses },
      },
    },
    async () => systemStatus(ctx),
  );
};
