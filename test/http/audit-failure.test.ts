import { describe, expect, it, vi } from 'vitest';
import { useHarness } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';
import { ensureRootOrg } from '../../src/modules/orgs/service.ts';

const h = useHarness();

describe('when the audit entry cannot be written', () => {
  it('answers a proper 500 and tells the operator, instead of a result nobody audited', async () => {
    const admin = await h().login('admin');
    const root = await ensureRootOrg(h().ctx);
    const spy = vi.spyOn(h().ctx.db.orm, 'transaction').mockRejectedValueOnce(new Error('connection lost'));
    try {
      const res = await h().request('POST', '/api/v1/orgs', {
        session: admin,
        body: { name: '审计失败测试', kind: 'MAINTAINER', parentId: root.id },
      });
      const error = expectError(res, 500, 'INTERNAL_ERROR');
      expect(error.message).toContain(res.headers['x-request-id'] as string);
      expect(res.body).not.toContain('connection lost');
      expect(h().ctx.logs.text).toContain('AUDIT WRITE FAILED');
    } finally {
      spy.mockRestore();
    }
  });
});
