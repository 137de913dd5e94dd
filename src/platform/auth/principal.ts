import type { OrgKind } from '../../modules/orgs/schema.ts';
import type { Permission, Role } from './roles.ts';

/** Who is making a request, resolved once per request by the auth hook. */
export interface Principal {
  type: 'USER' | 'API_KEY' | 'CLI' | 'SYSTEM';
  id: string; // user id or API key id
  name: string; // username, API key name, or 'cli'/'system'
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  orgPath: string;
  roles: Role[];
  permissions: Set<Permission>;
  /** 'subtree' for authorities (they oversee the organisations below them); 'own' for everyone else. */
  scope: 'subtree' | 'own';
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}

/** Whether an organisation (given by its path) is within what the principal may see. */
export function orgInScope(principal: Principal, targetOrgPath: string): boolean {
  if (principal.scope === 'subtree') return targetOrgPath.startsWith(principal.orgPath);
  return targetOrgPath === principal.orgPath;
}
