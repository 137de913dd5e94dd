import { expect } from 'vitest';
import { principalFor } from '../../src/platform/auth/service.ts';
import type { Principal } from '../../src/platform/auth/principal.ts';
import { findUserWithOrg } from '../../src/modules/orgs/service.ts';
import { createBatches } from '../../src/modules/production/batches.ts';
import type { Harness, Session } from '../helpers/app.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { applicant, photoBase64, seedProgrammes, sessionsFor } from '../applications/fixtures.ts';

export type Lifecycle = Awaited<ReturnType<typeof seedLifecycle>>;

/** The test city with both programmes and a signed-in session for every party of the card lifecycle. */
export async function seedLifecycle(h: Harness) {
  const seeded = await seedProgrammes(h);
  const { city } = seeded;
  const base = await sessionsFor(h, city);
  const sessions = {
    ...base,
    manager: seeded.manager,
    producer: await h.login(city.usernames.PRODUCER_OPERATOR),
    bank: await h.login(city.usernames.BANK_OPERATOR),
    outletManager: await h.login(city.usernames.OUTLET_MANAGER),
    auditor: await h.login(city.usernames.AUDITOR),
  } satisfies Record<string, Session>;
  return { ...seeded, sessions };
}

/** The principal of a seeded user, for calling services directly. */
export async function principalOf(h: Harness, username: string): Promise<Principal> {
  const { findUserByUsername } = await import('../../src/modules/orgs/service.ts');
  const user = await findUserByUsername(h.ctx, username);
  const found = await findUserWithOrg(h.ctx, user!.id);
  return principalFor(found!.user, found!.org);
}

const photo = fakeJpeg(358, 441, 20 * 1024);

/**
 * Submits applications at outlet A and approves them: `n` people numbered from `first`. For a social
 * security card programme they are also matched by the bank through `match` (given by the caller, so
 * this file does not depend on how matching is done).
 */
export async function approvedApplications(h: Harness, lc: Lifecycle, programme: 'rp' | 'ssc', first: number, n: number) {
  const ids: string[] = [];
  for (let i = first; i < first + n; i++) {
    const body =
      programme === 'rp'
        ? { programmeId: lc.rp.id, ...applicant(i), photoJpegBase64: photoBase64(photo) }
        : { programmeId: lc.ssc.id, ...applicant(i, { basis: null, bankOrgId: lc.city.branch.id }), photoJpegBase64: photoBase64(photo) };
    const res = await h.request('POST', '/api/v1/applications', { session: lc.sessions.clerkA, body });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { id: string }).id;
    const ok = await h.request('POST', `/api/v1/applications/${id}/approve`, { session: lc.sessions.reviewer, body: {} });
    expect(ok.statusCode, ok.body).toBe(200);
    ids.push(id);
  }
  return ids;
}

/** Puts everything waiting in a programme into batches for the seeded producer. */
export async function batchAll(h: Harness, lc: Lifecycle, programmeId: string) {
  const manager = await principalOf(h, lc.city.usernames.AUTHORITY_MANAGER);
  return createBatches(h.ctx, manager, { programmeId, producerOrgId: lc.city.producer.id });
}
