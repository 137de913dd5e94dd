import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { maintenanceBreaches, maintenanceTicketEvents } from '../../src/modules/maintenance/schema.ts';
import { sweepTicketBreaches } from '../../src/modules/maintenance/tickets.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { act, addAsset, openAt, seedMaintenance, type Maintenance, type TicketBody } from './fixtures.ts';

const h = useHarness();
let m: Maintenance;
let assetA: string;
let assetB: string;

beforeAll(async () => {
  m = await seedMaintenance(h());
  assetA = await addAsset(h(), m.sessions.engineer, m.city.outletA.id);
  assetB = await addAsset(h(), m.sessions.engineer, m.city.outletB.id);
});

type Breaches = {
  contracts: { id: string; breaches: number; terminationThreshold: number | null; standing: string }[];
  items: { ticketId: string | null; kind: string; occurredAtLocal: string; allowedMinutes: number; usedMinutes: number; evidence: { history: { status: string }[] } }[];
};
const register = async () => (await h().request('GET', '/api/v1/maintenance/breaches', { session: m.sessions.manager })).json() as Breaches;

describe('an outlet clerk reports a fault and an engineer answers it', () => {
  let ticket: TicketBody;

  it('the clerk opens a ticket; the deadline runs across the National Day holiday', async () => {
    const res = await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-09-30T16:00', { assetId: assetA });
    expect(res.statusCode, res.body).toBe(201);
    ticket = res.json() as TicketBody;
    expect(ticket).toMatchObject({ status: 'NEW', zone: 'URBAN', channel: 'CONSOLE' });
    expect(ticket.ticketNo).toMatch(/^WX2025\d{6}$/);
    expect(ticket.clocks.response).toMatchObject({ deadlineLocal: '2025-10-09 10:00' });
    expect(ticket.clocks.fix).toBeNull();
    expect(ticket.actions).toEqual([]);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('ticket.open');
  });

  it('the engineer sees it and may acknowledge it; the clerk may not', async () => {
    const seen = (await h().request('GET', `/api/v1/maintenance/tickets/${ticket.id}`, { session: m.sessions.engineer })).json() as TicketBody;
    expect(seen.actions).toEqual(['ACKNOWLEDGE']);
    expectError(await act(h(), m.sessions.clerkA, ticket.id, 'acknowledge', '2025-10-09T09:30'), 403, 'FORBIDDEN');
  });

  it('acknowledged at 09:30 on 9 October: 90 working minutes used, on time', async () => {
    const res = await act(h(), m.sessions.engineer, ticket.id, 'acknowledge', '2025-10-09T09:30');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as TicketBody;
    expect(body.status).toBe('ACKNOWLEDGED');
    expect(body.clocks.response).toMatchObject({ usedMinutes: 90, leftMinutes: 30, state: 'MET', breached: false, deadlineLocal: '2025-10-09 10:00' });
    expect(body.events.map((e) => [e.action, e.atLocal])).toEqual([
      ['OPEN', '2025-09-30 16:00'],
      ['ACKNOWLEDGE', '2025-10-09 09:30'],
    ]);
  });

  it('only the outlet closes the resolved ticket, not the engineer who fixed it', async () => {
    expect((await act(h(), m.sessions.engineer, ticket.id, 'resolve', '2025-10-09T10:15')).statusCode).toBe(200);
    expectError(await act(h(), m.sessions.engineer, ticket.id, 'close', '2025-10-09T10:20'), 403, 'FORBIDDEN');
    const detail = (await h().request('GET', `/api/v1/maintenance/tickets/${ticket.id}`, { session: m.sessions.clerkA })).json() as TicketBody;
    expect(detail.actions).toEqual(['CLOSE', 'REOPEN']);
    const closed = await act(h(), m.sessions.clerkA, ticket.id, 'close', '2025-10-09T10:30');
    expect((closed.json() as TicketBody).status).toBe('CLOSED');
  });

  it('another outlet sees none of it', async () => {
    const list = (await h().request('GET', '/api/v1/maintenance/tickets', { session: m.sessions.clerkB })).json() as { items: TicketBody[] };
    expect(list.items.map((t) => t.id)).not.toContain(ticket.id);
    expectError(await h().request('GET', `/api/v1/maintenance/tickets/${ticket.id}`, { session: m.sessions.clerkB }), 404, 'NOT_FOUND');
  });
});

describe('deadlines on the working calendar', () => {
  it('a suburban fault late on Friday 10 October 2025 is due on the make-up Saturday', async () => {
    const res = await openAt(h(), m.sessions.clerkB, m.city.outletB.id, '2025-10-10T16:00', { assetId: assetB });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as TicketBody).clocks.response).toMatchObject({ deadlineLocal: '2025-10-11 11:00' });
  });

  it('a fault reported before opening time is due two working hours after opening', async () => {
    const res = await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-09-29T07:30');
    expect((res.json() as TicketBody).clocks.response).toMatchObject({ deadlineLocal: '2025-09-29 11:00' });
  });

});

describe('breaches', () => {
  it('a late acknowledgement is registered with its evidence and counted for the contract', async () => {
    const before = await register();
    const opened = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-13T09:00')).json() as TicketBody;
    const acked = (await act(h(), m.sessions.engineer, opened.id, 'acknowledge', '2025-10-13T11:30')).json() as TicketBody;
    expect(acked.clocks.response).toMatchObject({ state: 'BREACHED', usedMinutes: 150, leftMinutes: -30 });
    const after = await register();
    const breach = after.items.find((b) => b.ticketId === opened.id);
    expect(breach).toMatchObject({ kind: 'LATE_RESPONSE', occurredAtLocal: '2025-10-13 11:00', allowedMinutes: 120, usedMinutes: 150 });
    expect(breach!.evidence.history.map((e) => e.status)).toEqual(['NEW', 'ACKNOWLEDGED']);
    const count = (r: Breaches) => r.contracts.find((c) => c.id === m.contract.id)!.breaches;
    expect(count(after)).toBe(count(before) + 1);
  });

  it('a fault nobody acknowledges is registered once it is late, once only', async () => {
    const opened = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-14T09:00')).json() as TicketBody;
    const registered = () => h().ctx.db.orm.select().from(maintenanceBreaches).where(eq(maintenanceBreaches.ticketId, opened.id));
    await sweepTicketBreaches(h().ctx, new Date('2025-10-14T02:59:00Z'));
    expect(await registered()).toEqual([]);
    await sweepTicketBreaches(h().ctx, new Date('2025-10-14T03:01:00Z'));
    await sweepTicketBreaches(h().ctx, new Date('2025-10-14T05:00:00Z'));
    const found = (await register()).items.filter((b) => b.ticketId === opened.id);
    expect(found.map((b) => [b.kind, b.occurredAtLocal])).toEqual([['LATE_RESPONSE', '2025-10-14 11:00']]);
  });

  it('shows the contract approaching, then reaching, the termination threshold of 5', async () => {
    const standing = () => register().then((r) => r.contracts.find((c) => c.id === m.contract.id)!);
    let current = await standing();
    expect(current.terminationThreshold).toBe(5);
    let day = 20;
    while (current.breaches < 4) {
      const t = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, `2025-10-${day}T09:00`)).json() as TicketBody;
      await act(h(), m.sessions.engineer, t.id, 'acknowledge', `2025-10-${day}T16:00`);
      day++;
      current = await standing();
    }
    expect(current.standing).toBe('APPROACHING');
    const t = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, `2025-10-${day}T09:00`)).json() as TicketBody;
    await act(h(), m.sessions.engineer, t.id, 'acknowledge', `2025-10-${day}T16:00`);
    expect(await standing()).toMatchObject({ breaches: 5, standing: 'REACHED' });
  });
});

describe('bad input', () => {
  it('refuses a ticket for an asset of another outlet', async () => {
    expectError(await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-15T10:00', { assetId: assetB }), 409, 'TICKET_ASSET_OTHER_SITE');
  });

  it('refuses a ticket for an outlet the clerk does not belong to', async () => {
    expectError(await openAt(h(), m.sessions.clerkB, m.city.outletA.id, '2025-10-15T10:00'), 404, 'OUT_OF_SCOPE');
  });

  it('refuses an acknowledgement timed before the fault was reported, and records nothing', async () => {
    const t = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-15T10:00')).json() as TicketBody;
    const error = expectError(await act(h(), m.sessions.engineer, t.id, 'acknowledge', '2025-10-15T09:59'), 409, 'TICKET_EVENT_OUT_OF_ORDER');
    expect(error.message).toContain('2025-10-15T01:59:00.000Z');
    const events = await h().ctx.db.orm.select().from(maintenanceTicketEvents).where(eq(maintenanceTicketEvents.ticketId, t.id));
    expect(events).toHaveLength(1);
  });

  it('refuses a change the ticket status does not allow', async () => {
    const t = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-15T10:00')).json() as TicketBody;
    expectError(await act(h(), m.sessions.engineer, t.id, 'resume', '2025-10-15T10:30'), 409, 'TICKET_STATE_INVALID');
    expectError(await act(h(), m.sessions.engineer, t.id, 'wait', '2025-10-15T10:30'), 400, 'VALIDATION_FAILED');
  });

  it('names an outlet that no contract serves yet', async () => {
    expectError(await openAt(h(), m.sessions.admin, m.city.district.id, '2025-10-15T10:00'), 409, 'MAINTENANCE_SITE_NOT_REGISTERED');
  });

  it('refuses a report from the future', async () => {
    expectError(await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2099-01-01T10:00'), 400, 'TICKET_EVENT_IN_FUTURE');
  });

  it('refuses a fault on a date the contract does not cover', async () => {
    expectError(await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2024-12-31T10:00'), 409, 'TICKET_NO_CONTRACT');
  });
});

describe('the status history', () => {
  it('a retried change with the same idempotency key changes nothing', async () => {
    const t = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-16T10:00')).json() as TicketBody;
    const first = await act(h(), m.sessions.engineer, t.id, 'acknowledge', '2025-10-16T10:10', { idempotencyKey: 'ack-1' });
    const retry = await act(h(), m.sessions.engineer, t.id, 'acknowledge', '2025-10-16T10:11', { idempotencyKey: 'ack-1' });
    expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
    expect((retry.json() as TicketBody).events.map((e) => e.action)).toEqual(['OPEN', 'ACKNOWLEDGE']);
  });

  it('a retried report with the same idempotency key answers the ticket already opened', async () => {
    const first = await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-16T11:00', { idempotencyKey: 'call-42' });
    const retry = await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-16T11:00', { idempotencyKey: 'call-42' });
    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect((retry.json() as TicketBody).id).toBe((first.json() as TicketBody).id);
  });

  it('the database refuses to rewrite a status change', async () => {
    await expect(h().ctx.db.rows(null, sql`update maintenance_ticket_events set at = now()`)).rejects.toThrow();
    await expect(h().ctx.db.rows(null, sql`delete from maintenance_ticket_events`)).rejects.toThrow();
  });

  it('the hotline records a call for any outlet of the contract', async () => {
    const res = await openAt(h(), m.sessions.engineer, m.city.outletB.id, '2025-10-16T12:00', { channel: 'HOTLINE' });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as TicketBody).channel).toBe('HOTLINE');
  });
});

describe('a year with no published calendar', () => {
  it('fails closed: the deadline is withheld with a clear error, and the fault is still recorded', async () => {
    const publish = (published: boolean) => h().request('POST', '/api/v1/calendar/years/2026/publish', { session: m.sessions.admin, body: { published } });
    expect((await publish(false)).statusCode).toBe(200);
    try {
      const opened = await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-12-31T16:00');
      expect(opened.statusCode, opened.body).toBe(201);
      const t = opened.json() as TicketBody;
      const acked = (await act(h(), m.sessions.engineer, t.id, 'acknowledge', '2025-12-31T16:30')).json() as TicketBody;
      expect(acked.clocks.response).toMatchObject({ usedMinutes: 30, deadlineLocal: null, state: 'MET' });
      expect(acked.clocks.response?.deadlineError).toMatchObject({ code: 'CALENDAR_YEAR_UNPUBLISHED', message: expect.stringContaining('2026') });
    } finally {
      expect((await publish(true)).statusCode).toBe(200);
    }
  });
});
