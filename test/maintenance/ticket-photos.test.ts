import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_MAX_BYTES, PHOTOS_PER_TICKET_MAX } from '../../src/modules/maintenance/photos-rules.ts';
import { maintenanceTicketPhotos } from '../../src/modules/maintenance/staff-schema.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { act, openAt, seedMaintenance, type Maintenance } from './fixtures.ts';

const h = useHarness();
let m: Maintenance;
let ticketId: string;

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);

const upload = (bytes: Buffer | string, session = m.sessions.clerkA, id = ticketId) =>
  h().request('POST', `/api/v1/maintenance/tickets/${id}/photos`, { session, body: { photoBase64: typeof bytes === 'string' ? bytes : bytes.toString('base64') } });

beforeAll(async () => {
  m = await seedMaintenance(h());
  const res = await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-13T10:00');
  expect(res.statusCode, res.body).toBe(201);
  ticketId = (res.json() as { id: string }).id;
});

describe('ticket photos', () => {
  let photoId: string;

  it('the outlet clerk attaches a PNG (also as a data URL) and the engineer a JPEG; stored encrypted', async () => {
    const res = await upload(PNG_1X1);
    expect(res.statusCode, res.body).toBe(201);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('ticket.photo.add');
    photoId = (res.json() as { id: string }).id;
    expect((await upload(`data:image/png;base64,${PNG_1X1.toString('base64')}`)).statusCode).toBe(201);
    expect((await upload(JPEG, m.sessions.engineer)).statusCode).toBe(201);
    const [row] = await h().ctx.db.orm.select().from(maintenanceTicketPhotos).where(eq(maintenanceTicketPhotos.id, photoId));
    expect(row!.photoEnc.includes(PNG_1X1.subarray(8, 24))).toBe(false);
    const list = (await h().request('GET', `/api/v1/maintenance/tickets/${ticketId}/photos`, { session: m.sessions.engineer })).json() as { items: { id: string; contentType: string; bytes: number }[] };
    expect(list.items.map((p) => p.contentType)).toEqual(['image/png', 'image/png', 'image/jpeg']);
    expect(list.items[0]).toMatchObject({ id: photoId, bytes: PNG_1X1.length });
  });

  it('shows a photo on demand, with the same bytes, and audits each view', async () => {
    const res = await h().request('GET', `/api/v1/maintenance/tickets/${ticketId}/photos/${photoId}`, { session: m.sessions.engineer });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(PNG_1X1)).toBe(true);
    const audit = await auditEntryFor(h().ctx, res);
    expect(audit.action).toBe('ticket.photo.view');
    expect(audit.details).toMatchObject({ photoId });
  });

  it('refuses a file that is not an image, one that is too large, and bad base64', async () => {
    const pdf = expectError(await upload(Buffer.from('%PDF-1.7\n1 0 obj << >> endobj')), 400, 'TICKET_PHOTO_INVALID');
    expect(pdf.message).toContain('JPEG');
    expectError(await upload(Buffer.concat([PNG_1X1, Buffer.alloc(PHOTO_MAX_BYTES)])), 400, 'TICKET_PHOTO_TOO_LARGE');
    expectError(await upload('not base64 at all!'), 400, 'TICKET_PHOTO_INVALID');
    expectError(await h().request('POST', `/api/v1/maintenance/tickets/${ticketId}/photos`, { session: m.sessions.clerkA, body: { photoBase64: PNG_1X1.toString('base64'), name: 'x.png' } }), 400, 'VALIDATION_FAILED');
  });

  it('another outlet sees neither the ticket nor its photos; the auditor cannot attach', async () => {
    expectError(await upload(PNG_1X1, m.sessions.clerkB), 404, 'NOT_FOUND');
    expectError(await h().request('GET', `/api/v1/maintenance/tickets/${ticketId}/photos/${photoId}`, { session: m.sessions.clerkB }), 404, 'NOT_FOUND');
    expectError(await upload(PNG_1X1, m.sessions.auditor), 403, 'FORBIDDEN');
  });

  it(`holds at most ${PHOTOS_PER_TICKET_MAX} photos, and none once the ticket is closed`, async () => {
    for (let i = 3; i < PHOTOS_PER_TICKET_MAX; i++) expect((await upload(PNG_1X1)).statusCode).toBe(201);
    expectError(await upload(PNG_1X1), 409, 'TICKET_PHOTO_LIMIT');
    const other = (await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2025-10-14T10:00')).json() as { id: string };
    for (const [who, action, at] of [
      [m.sessions.engineer, 'acknowledge', '2025-10-14T10:30'],
      [m.sessions.engineer, 'resolve', '2025-10-14T11:00'],
      [m.sessions.clerkA, 'close', '2025-10-14T11:30'],
    ] as const) {
      const res = await act(h(), who, other.id, action, at);
      expect(res.statusCode, res.body).toBe(200);
    }
    expectError(await upload(PNG_1X1, m.sessions.clerkA, other.id), 409, 'TICKET_STATE_INVALID');
  });
});
