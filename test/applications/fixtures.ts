import { expect } from 'vitest';
import { checkDigit } from '../../src/platform/validators/citizen-id.ts';
import { seedCity, type Harness, type Session } from '../helpers/app.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';

export type City = Awaited<ReturnType<typeof seedCity>>;

/** A valid citizen ID for a birth date and a sequence number (odd = male). */
export function citizenId(birth: string, seq: number, region = '320412'): string {
  const body = `${region}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + checkDigit(body);
}

export function applicant(n: number, overrides: Record<string, unknown> = {}) {
  const birth = `19${String(70 + (n % 30)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`;
  const seq = (n % 499) * 2 + 1;
  return {
    kind: 'NEW',
    name: `申${[...String(n)].map((d) => '零一二三四五六七八九'[Number(d)]).join('')}`,
    citizenId: citizenId(birth, seq),
    phone: `139${String(10_000_000 + n).slice(-8)}`,
    sex: 'M',
    ethnicity: '01',
    birthDate: birth,
    hukouAddress: '安徽省合肥市蜀山区某路1号',
    residenceAddress: '常州市武进区湖塘镇某路2号',
    basis: 'EMPLOYMENT',
    ...overrides,
  };
}

export const photoBase64 = (bytes = fakeJpeg()) => bytes.toString('base64');

/** The city plus a residence permit programme (outlets A and B) and a social security card programme (outlet A and the bank branch). */
export async function seedProgrammes(h: Harness) {
  const city = await seedCity(h.ctx);
  const manager = await h.login(city.usernames.AUTHORITY_MANAGER);
  const rp = await h.request('POST', '/api/v1/programmes', {
    session: manager,
    body: { kind: 'RESIDENCE_PERMIT', name: '常州居住证', authorityOrgId: city.city.id, producerOrgIds: [city.producer.id], receiverOrgIds: [city.outletA.id, city.outletB.id] },
  });
  expect(rp.statusCode, rp.body).toBe(201);
  const ssc = await h.request('POST', '/api/v1/programmes', {
    session: manager,
    body: { kind: 'SOCIAL_SECURITY_CARD', name: '社保卡', authorityOrgId: city.city.id, producerOrgIds: [city.producer.id], receiverOrgIds: [city.outletA.id, city.branch.id] },
  });
  expect(ssc.statusCode, ssc.body).toBe(201);
  return { city, manager, rp: rp.json() as { id: string }, ssc: ssc.json() as { id: string } };
}

export async function sessionsFor(h: Harness, city: City) {
  return {
    clerkA: await h.login(city.usernames.OUTLET_CLERK),
    clerkB: await h.login('clerk_b'),
    reviewer: await h.login(city.usernames.AUTHORITY_REVIEWER),
    admin: await h.login(city.usernames.ADMIN),
  } satisfies Record<string, Session>;
}
