import { api } from './client.ts';
import type { ListResponse, Org, RoleInfo } from './types.ts';

export async function fetchOrgs(signal?: AbortSignal): Promise<Org[]> {
  return (await api.get<ListResponse<Org>>('/orgs', undefined, { signal })).items;
}

export async function fetchRoles(signal?: AbortSignal): Promise<RoleInfo[]> {
  return (await api.get<ListResponse<RoleInfo>>('/roles', undefined, { signal })).items;
}

/** Roles that may be given to users (or keys) of an organisation of this kind, and that I may grant. */
export function rolesForKind(roles: RoleInfo[], kind: string | undefined): string[] {
  if (!kind) return [];
  return roles.filter((r) => r.orgKinds.includes(kind) && r.grantable !== false).map((r) => r.role);
}
