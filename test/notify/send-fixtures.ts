import { expect } from 'vitest';
import { createUser, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { USER_PASSWORD, type Harness, type Session } from '../helpers/app.ts';

export interface TemplateBody {
  id: string;
  name: string;
  version: number;
  status: string;
  body: string;
  category: string;
  placeholders: string[];
  preview: { text: string; encoding: string; chars: number; segments: number; costMilliFen: number };
  createdByName: string | null;
  decidedByName: string | null;
  rejectReason: string | null;
}

/** A second user with the manager role at `orgId`: templates need an author and a different approver. */
export async function colleague(h: Harness, username: string, orgId: string): Promise<Session> {
  const root = await ensureRootOrg(h.ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
  await createUser(h.ctx, cli, { username, displayName: `${username} 审批人`, orgId, roles: ['AUTHORITY_MANAGER'], password: USER_PASSWORD });
  return h.login(username);
}

export async function registerSignature(h: Harness, session: Session, text: string): Promise<string> {
  const res = await h.request('POST', '/api/v1/sms/signatures', { session, body: { text } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

export async function draftTemplate(h: Harness, session: Session, body: { name: string; signatureId: string; body: string; category?: string }): Promise<TemplateBody> {
  const res = await h.request('POST', '/api/v1/sms/templates', { session, body: { category: 'NOTIFICATION', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as TemplateBody;
}

/** Writes, submits and approves (by `approver`) a template; returns the approved version. */
export async function approvedTemplate(
  h: Harness,
  author: Session,
  approver: Session,
  body: { name: string; signatureId: string; body: string; category?: string },
): Promise<TemplateBody> {
  const t = await draftTemplate(h, author, body);
  const submitted = await h.request('POST', `/api/v1/sms/templates/${t.id}/submit`, { session: author });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const approved = await h.request('POST', `/api/v1/sms/templates/${t.id}/approve`, { session: approver });
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json() as TemplateBody;
}
