import { describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES as SERVER_STATUSES } from '../../src/modules/applications/schema.ts';
import { APPLICATION_STATUSES as CONSOLE_STATUSES } from '../../web/src/api/types.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { enUS } from '../../web/src/i18n/en-US.ts';

describe('the console knows every application status the server has', () => {
  it('offers each status in the list filter and names it in both languages', () => {
    expect([...CONSOLE_STATUSES].sort()).toEqual([...SERVER_STATUSES].sort());
    for (const s of SERVER_STATUSES) {
      expect(zhCN, s).toHaveProperty([`appStatus.${s}`]);
      expect(enUS, s).toHaveProperty([`appStatus.${s}`]);
    }
  });
});
