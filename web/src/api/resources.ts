import { api } from './client.ts';
import type { ApplicationDetail, ListResponse, Org, Programme, RejectionReason, RoleInfo } from './types.ts';

export async function fetchOrgs(signal?: AbortSignal): Promise<Org[]> {
  return (await api.get<ListResponse<Org>>('/orgs', undefined, { signal })).items;
}

/** Organisations for labels and pickers; [] when the user may not list them (no toast). */
export async function fetchOrgsQuiet(signal?: AbortSignal): Promise<Org[]> {
  try {
    return await fetchOrgs(signal);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    return [];
  }
}

export async function fetchRoles(signal?: AbortSignal): Promise<RoleInfo[]> {
  return (await api.get<ListResponse<RoleInfo>>('/roles', undefined, { signal })).items;
}

/** Roles that may be given to users (or keys) of an organisation of this kind, and that I may grant. */
export function rolesForKind(roles: RoleInfo[], kind: string | undefined): string[] {
  if (!kind) return [];
  return roles.filter((r) => r.orgKinds.includes(kind) && r.grantable !== false).map((r) => r.role);
}

export async function fetchProgrammes(signal?: AbortSignal): Promise<Programme[]> {
  return (await api.get<ListResponse<Programme>>('/programmes', undefined, { signal })).items;
}

export async function fetchApplication(id: string, signal?: AbortSignal): Promise<ApplicationDetail> {
  return api.get<ApplicationDetail>(`/applications/${encodeURIComponent(id)}`, undefined, { signal });
}

export async function fetchRejectionReasons(signal?: AbortSignal): Promise<RejectionReason[]> {
  return (await api.get<ListResponse<RejectionReason>>('/rejection-reasons', undefined, { signal })).items;
}
