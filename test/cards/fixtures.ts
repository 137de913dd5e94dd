import { luhnCheckDigit } from '../../src/modules/cards/rules.ts';
import { createOrg, createUser, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { USER_PASSWORD, type Harness } from '../helpers/app.ts';

/** A 19-digit account number passing the Luhn check, distinct per n. */
export function bankAccount(n: number): string {
  const body = `62220200${String(n).padStart(10, '0')}`;
  return body + luhnCheckDigit(body);
}

/** A user with one role at an organisation of the given kind created under `parentId` (e.g. a second producer or bank). */
export async function outsider(h: Harness, input: { orgName: string; kind: 'PRODUCER' | 'BANK'; parentId: string; regionCode?: string; username: string; role: Role }) {
  const root = await ensureRootOrg(h.ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
  const org = await createOrg(h.ctx, cli, { name: input.orgName, kind: input.kind, parentId: input.parentId, ...(input.regionCode ? { regionCode: input.regionCode } : {}) });
  await createUser(h.ctx, cli, { username: input.username, displayName: input.username, orgId: org.id, roles: [input.role], password: USER_PASSWORD });
  return { org, session: await h.login(input.username) };
}
