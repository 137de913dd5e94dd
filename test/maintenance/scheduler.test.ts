import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { maintenanceBreaches } from '../../src/modules/maintenance/schema.ts';
import { maintenanceTick } from '../../src/modules/maintenance/scheduler.ts';
import { useHarness } from '../helpers/app.ts';
import { act, openAt, seedMaintenance, type Maintenance, type TicketBody } from './fixtures.ts';

const h = useHarness();
let m: Maintenance;

beforeAll(async () => {
  m = await seedMaintenance(h());
});

type Register = { items: { id: string; ticketId: string | null; kind: string; occurredAtLocal: string; allowedMinutes: number }[] };
// Read straight from the table: the register route sweeps by itself, which would hide a missing tick.
const breachesOf = (ticketId: string) => h().ctx.db.orm.select().from(maintenanceBreaches).where(eq(maintenanceBreaches.ticketId, ticketId));

describe('the scheduled breach sweep', () => {
  let late: TicketBody;

  it('registers nothing while an unanswered fault is still within its two working hours', async () => {
    late = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-15T09:00')).json() as TicketBody;
    // 10:59 Shanghai
    expect(await maintenanceTick(h().ctx, new Date('2025-10-15T02:59:00Z'))).toMatchObject({ breaches: 0 });
    expect(await breachesOf(late.id)).toEqual([]);
  });

  it('registers the breach of the unanswered fault once its deadline has passed, with an audit entry', async () => {
    // 11:30 Shanghai: half an hour late; nobody has opened the register.
    expect(await maintenanceTick(h().ctx, new Date('2025-10-15T03:30:00Z'))).toMatchObject({ breaches: 1 });
    const [breach] = await breachesOf(late.id);
    expect(breach).toMatchObject({ kind: 'LATE_RESPONSE', contractId: m.contract.id, allowedMinutes: 120 });
    expect(breach!.occurredAt.toISOString()).toBe('2025-10-15T03:00:00.000Z');
    const audit = await h().ctx.db.orm.select().from(auditLog).where(eq(auditLog.targetId, breach!.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'maintenance.breach.record', actorType: 'SYSTEM', outcome: 'SUCCESS', orgId: m.city.outletA.id });
  });

  it('a later tick registers it no second time, and the register shows it', async () => {
    expect(await maintenanceTick(h().ctx, new Date('2025-10-15T06:00:00Z'))).toMatchObject({ breaches: 0 });
    expect(await breachesOf(late.id)).toHaveLength(1);
    const register = (await h().request('GET', '/api/v1/maintenance/breaches', { session: m.sessions.manager })).json() as Register;
    expect(register.items.filter((b) => b.ticketId === late.id).map((b) => [b.kind, b.occurredAtLocal])).toEqual([['LATE_RESPONSE', '2025-10-15 11:00']]);
  });

  it('two processes ticking at once register a late fault once, with one audit entry', async () => {
    const unanswered = (await openAt(h(), m.sessions.clerkB, m.city.outletB.id, '2025-10-17T09:00')).json() as TicketBody;
    // Friday 17 October 2025, 15:00 Shanghai: past the suburban 3 working hours (due 12:00). On PostgreSQL the two run on separate connections.
    const at = new Date('2025-10-17T07:00:00Z');
    const [a, b] = await Promise.all([maintenanceTick(h().ctx, at), maintenanceTick(h().ctx, at)]);
    expect(a.breaches + b.breaches).toBe(1);
    const [breach, ...more] = await breachesOf(unanswered.id);
    expect(more).toEqual([]);
    expect(breach!.occurredAt.toISOString()).toBe('2025-10-17T04:00:00.000Z');
    expect(await h().ctx.db.orm.select().from(auditLog).where(eq(auditLog.targetId, breach!.id))).toHaveLength(1);
  });

  it('registers each outlet left without a signed visit last month once, on the first tick of the next month', async () => {
    // The ticks above ran in October 2025: September's plan was made and found unsigned at its end.
    const missed = await h().ctx.db.orm.select().from(maintenanceBreaches).where(eq(maintenanceBreaches.kind, 'MISSED_VISIT'));
    expect(missed.map((b) => b.contractId)).toEqual([m.contract.id, m.contract.id]);
    expect(new Set(missed.map((b) => b.occurredAt.toISOString()))).toEqual(new Set(['2025-09-30T16:00:00.000Z']));
    expect(await maintenanceTick(h().ctx, new Date('2025-10-20T02:00:00Z'))).toMatchObject({ missedVisits: 0 });
  });

  it('leaves a fault answered in time alone', async () => {
    const answered = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-16T09:00')).json() as TicketBody;
    expect((await act(h(), m.sessions.engineer, answered.id, 'acknowledge', '2025-10-16T10:00')).statusCode).toBe(200);
    expect(await maintenanceTick(h().ctx, new Date('2025-10-16T08:00:00Z'))).toMatchObject({ breaches: 0 });
    expect(await breachesOf(answered.id)).toEqual([]);
  });
});
