import { describe, expect, it } from 'vitest';
import { ASSET_STATUS_CODES, ASSET_TYPE_CODES, SAM_ASSET_TYPES, SOFTWARE_ITEM_CODES } from '../../src/modules/maintenance/ledger.ts';
import { BREACH_KINDS } from '../../src/modules/maintenance/sla.ts';
import { TICKET_ACTIONS, TICKET_STATUSES, WAITING_REASONS } from '../../src/modules/maintenance/states.ts';
import { ZONES } from '../../src/modules/maintenance/zones.ts';
import { ATTENDANCE_STATES, POST_PATTERNS } from '../../src/modules/maintenance/staff-rules.ts';
import { ASSET_STATUSES, ASSET_TYPES, SAM_TYPES } from '../../web/src/pages/maintenance/codes.ts';
import { enUS } from '../../web/src/i18n/en-US.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';

describe('the console knows every maintenance code the server has', () => {
  it('offers the same equipment types, SAM devices and asset statuses', () => {
    expect([...ASSET_TYPES]).toEqual(ASSET_TYPE_CODES);
    expect([...SAM_TYPES]).toEqual(SAM_ASSET_TYPES);
    expect([...ASSET_STATUSES]).toEqual(ASSET_STATUS_CODES);
  });

  it.each([
    ...TICKET_STATUSES.map((s) => `maint.ticket.status.${s}`),
    ...TICKET_ACTIONS.map((a) => `maint.action.${a}`),
    ...WAITING_REASONS.map((r) => `maint.wait.${r}`),
    ...ZONES.map((z) => `maint.zone.${z}`),
    ...BREACH_KINDS.map((k) => `maint.breach.kind.${k}`),
    ...ASSET_TYPE_CODES.map((t) => `maint.asset.type.${t}`),
    ...ASSET_STATUS_CODES.map((s) => `maint.asset.status.${s}`),
    ...SOFTWARE_ITEM_CODES.map((i) => `maint.software.${i}`),
    ...POST_PATTERNS.map((p) => `maint.roster.pattern.${p}`),
    ...ATTENDANCE_STATES.map((s) => `maint.shift.state.${s}`),
  ])('names %s in both languages', (key) => {
    expect(zhCN).toHaveProperty([key]);
    expect(enUS).toHaveProperty([key]);
  });
});
