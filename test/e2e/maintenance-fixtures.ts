import { ADMIN_PASSWORD, api, apiLogin } from './server.ts';

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
export const OUTLET = '徐汇区漕河泾受理点';

/**
 * Seed 001's set-up through the API: a Shanghai authority, its maintainer and one urban outlet (徐汇区 is
 * urban in the Shanghai table, so no zone override), a manager, an engineer and a clerk, and the contract
 * of 2 working hours (urban) / 3 (suburban) with the outlet registered under it, open 09:00–17:00.
 */
export async function seedShanghaiOutlet(url: string, users: { manager: string; engineer: string; clerk: string }, password: string, services: string[]): Promise<{ outletId: string }> {
  const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
  const orgs = await api<{ items: { id: string; parentId: string | null }[] }>(url, admin, 'GET', '/api/v1/orgs');
  const root = orgs.items.find((o) => o.parentId === null)!;
  const org = (body: Record<string, string>) => api<{ id: string }>(url, admin, 'POST', '/api/v1/orgs', body);
  const authority = await org({ name: '上海市社会保障卡服务中心', kind: 'AUTHORITY', parentId: root.id, regionCode: '310000' });
  const maintainer = await org({ name: '上海信达运维服务有限公司', kind: 'MAINTAINER', parentId: authority.id, regionCode: '310000' });
  const outlet = await org({ name: OUTLET, kind: 'OUTLET', parentId: authority.id, regionCode: '310104' });
  const user = (username: string, displayName: string, orgId: string, role: string) =>
    api(url, admin, 'POST', '/api/v1/users', { username, displayName, orgId, roles: [role], password });
  await user(users.manager, '钱主管', authority.id, 'AUTHORITY_MANAGER');
  await user(users.engineer, '李工程师', maintainer.id, 'MAINTAINER_ENGINEER');
  await user(users.clerk, '王受理', outlet.id, 'OUTLET_CLERK');

  const manager = await apiLogin(url, users.manager, password);
  const zones = await api<{ id: string }>(url, manager, 'POST', '/api/v1/maintenance/zone-tables', { name: '上海市网点区域', preset: 'SHANGHAI_2025' });
  const contract = await api<{ id: string }>(url, manager, 'POST', '/api/v1/maintenance/contracts', {
    name: '受理网点设备维护 2025–2026',
    authorityOrgId: authority.id,
    maintainerOrgId: maintainer.id,
    termStart: '2025-01-01',
    termEnd: '2026-12-31',
    zoneTableId: zones.id,
    clock: 'WORKING',
    responseTarget: 'ACKNOWLEDGED',
    responseMinutes: { URBAN: 120, SUBURBAN: 180 },
    fixMinutes: null,
    warnPercent: 75,
    breachTerminationCount: 5,
  });
  await api(url, manager, 'PUT', `/api/v1/maintenance/sites/${outlet.id}`, { contractId: contract.id, services, openingHours: '09:00-17:00', zoneOverride: null });
  return { outletId: outlet.id };
}
