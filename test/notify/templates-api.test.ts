import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { smsTemplates } from '../../src/modules/notify/templates-schema.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { colleague, draftTemplate, registerSignature, type TemplateBody } from './send-fixtures.ts';

const h = useHarness();
let author: Session;
let approver: Session;
let smsOperator: Session;
let clerk: Session;
let signatureId = '';
let districtSignatureId = '';

const READY = '您的居住证（受理号{applicationNo}）已到{outletName}，请携带身份证领取。';

const act = (session: Session, id: string, action: 'submit' | 'approve', expected = 200) =>
  h()
    .request('POST', `/api/v1/sms/templates/${id}/${action}`, { session })
    .then((res) => {
      expect(res.statusCode, res.body).toBe(expected);
      return res;
    });

beforeAll(async () => {
  const city = await seedCity(h().ctx);
  author = await h().login(city.usernames.AUTHORITY_MANAGER);
  approver = await colleague(h(), 'sms_approver', city.city.id);
  const districtManager = await colleague(h(), 'district_manager', city.district.id);
  smsOperator = await h().login(city.usernames.SMS_OPERATOR);
  clerk = await h().login(city.usernames.OUTLET_CLERK);
  signatureId = await registerSignature(h(), author, '【常州市公安局】');
  districtSignatureId = await registerSignature(h(), districtManager, '武进分局');
});

describe('signatures', () => {
  it('are stored without their brackets, once per organisation', async () => {
    const list = (await h().request('GET', '/api/v1/sms/signatures', { session: author })).json() as { items: { id: string; text: string }[] };
    expect(list.items.map((s) => s.text).sort()).toEqual(['常州市公安局', '武进分局']);
    expectError(await h().request('POST', '/api/v1/sms/signatures', { session: author, body: { text: '常州市公安局' } }), 409, 'SMS_SIGNATURE_TAKEN');
  });

  it('follow the carriers’ length rule', async () => {
    expectError(await h().request('POST', '/api/v1/sms/signatures', { session: author, body: { text: '常'.repeat(17) } }), 400, 'SMS_SIGNATURE_INVALID');
    expectError(await h().request('POST', '/api/v1/sms/signatures', { session: author, body: { text: '常州【市】' } }), 400, 'SMS_SIGNATURE_INVALID');
  });
});

describe('templates', () => {
  let v1: TemplateBody;

  it('start as a DRAFT version 1 with a live preview of segments and cost', async () => {
    v1 = await draftTemplate(h(), author, { name: 'card-ready', signatureId, body: READY });
    expect(v1).toMatchObject({ version: 1, status: 'DRAFT', placeholders: ['applicationNo', 'outletName'] });
    expect(v1.preview.text).toBe('【常州市公安局】您的居住证（受理号applicationNo）已到outletName，请携带身份证领取。');
    expect(v1.preview).toMatchObject({ encoding: 'UCS2', segments: 1, costMilliFen: 3500 });
  });

  it('preview a text being edited without storing it', async () => {
    const res = await h().request('POST', '/api/v1/sms/templates/preview', {
      session: author,
      body: { signatureId, category: 'MARKETING', body: `${'字'.repeat(60)}{x}`, values: { x: '甲乙' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    // 8 (signature) + 62 + 。回T退订 (5) = 75 characters: two UCS-2 segments.
    expect(res.json()).toMatchObject({ chars: 75, segments: 2, costMilliFen: 7000, placeholders: ['x'] });
    expect((res.json() as { text: string }).text.endsWith('。回T退订')).toBe(true);
  });

  it('refuse a malformed placeholder, a taken name and another organisation’s signature', async () => {
    expectError(await h().request('POST', '/api/v1/sms/templates', { session: author, body: { name: 'bad', signatureId, category: 'NOTIFICATION', body: '您好{name' } }), 400, 'SMS_TEMPLATE_BODY_INVALID');
    expectError(await h().request('POST', '/api/v1/sms/templates', { session: author, body: { name: 'card-ready', signatureId, category: 'NOTIFICATION', body: '别的' } }), 409, 'SMS_TEMPLATE_NAME_TAKEN');
    expectError(
      await h().request('POST', '/api/v1/sms/templates', { session: author, body: { name: 'other', signatureId: districtSignatureId, category: 'NOTIFICATION', body: '别的' } }),
      400,
      'SMS_SIGNATURE_UNKNOWN',
    );
  });

  it('cannot be approved before they are submitted, nor edited while waiting', async () => {
    expectError(await act(approver, v1.id, 'approve', 409), 409, 'SMS_TEMPLATE_STATE_INVALID');
    await act(author, v1.id, 'submit');
    expectError(await h().request('PUT', `/api/v1/sms/templates/${v1.id}`, { session: author, body: { signatureId, category: 'NOTIFICATION', body: '改' } }), 409, 'SMS_TEMPLATE_STATE_INVALID');
  });

  it('cannot be approved by their author', async () => {
    expectError(await act(author, v1.id, 'approve', 403), 403, 'SMS_TEMPLATE_SELF_APPROVAL');
    expectError(await h().request('POST', `/api/v1/sms/templates/${v1.id}/reject`, { session: author, body: { reason: '自己驳回' } }), 403, 'SMS_TEMPLATE_SELF_APPROVAL');
    const [row] = await h().ctx.db.orm.select().from(smsTemplates).where(eq(smsTemplates.id, v1.id));
    expect(row!.status).toBe('PENDING_APPROVAL');
  });

  it('are approved by a second person, audited', async () => {
    const res = await act(approver, v1.id, 'approve');
    expect(res.json()).toMatchObject({ status: 'APPROVED', decidedByName: 'sms_approver 审批人' });
    const audit = await auditEntryFor(h().ctx, res);
    expect(audit).toMatchObject({ action: 'sms.template.approve', targetId: v1.id });
  });

  it('refuse in the database too an approver who is the author', async () => {
    const [row] = await h().ctx.db.orm.select().from(smsTemplates).where(eq(smsTemplates.id, v1.id));
    await expect(h().ctx.db.orm.update(smsTemplates).set({ decidedById: row!.createdById }).where(eq(smsTemplates.id, v1.id))).rejects.toThrow();
  });

  it('keep the approved text when edited: the edit is version 2, a DRAFT, until approved', async () => {
    const res = await h().request('PUT', `/api/v1/sms/templates/${v1.id}`, { session: author, body: { signatureId, category: 'NOTIFICATION', body: `${READY}咨询电话12345。` } });
    expect(res.statusCode, res.body).toBe(200);
    const v2 = res.json() as TemplateBody;
    expect(v2).toMatchObject({ name: 'card-ready', version: 2, status: 'DRAFT' });
    expect(v2.id).not.toBe(v1.id);
    expect((await h().request('GET', `/api/v1/sms/templates/${v1.id}`, { session: author })).json()).toMatchObject({ status: 'APPROVED', body: READY });
    expectError(await h().request('PUT', `/api/v1/sms/templates/${v1.id}`, { session: author, body: { signatureId, category: 'NOTIFICATION', body: '又改' } }), 409, 'SMS_TEMPLATE_DRAFT_EXISTS');

    await act(author, v2.id, 'submit');
    const rejected = await h().request('POST', `/api/v1/sms/templates/${v2.id}/reject`, { session: approver, body: { reason: '电话号码有误' } });
    expect(rejected.json()).toMatchObject({ status: 'REJECTED', rejectReason: '电话号码有误' });
    const fixed = await h().request('PUT', `/api/v1/sms/templates/${v2.id}`, { session: author, body: { signatureId, category: 'NOTIFICATION', body: `${READY}咨询电话12367。` } });
    expect(fixed.json()).toMatchObject({ id: v2.id, version: 2, status: 'DRAFT', rejectReason: null });
    await act(author, v2.id, 'submit');
    await act(approver, v2.id, 'approve');

    const versions = (await h().request('GET', '/api/v1/sms/templates?name=card-ready', { session: author })).json() as { items: TemplateBody[] };
    expect(versions.items.map((t) => [t.version, t.status])).toEqual([
      [2, 'APPROVED'],
      [1, 'SUPERSEDED'],
    ]);
  });

  it('are read by the SMS provider and auditors but written only with sms.template.manage', async () => {
    const list = await h().request('GET', '/api/v1/sms/templates?status=APPROVED', { session: smsOperator });
    expect(list.statusCode).toBe(200);
    expectError(await h().request('POST', '/api/v1/sms/templates', { session: smsOperator, body: { name: 'x', signatureId, category: 'NOTIFICATION', body: 'x' } }), 403, 'FORBIDDEN');
    expectError(await h().request('GET', '/api/v1/sms/templates', { session: clerk }), 403, 'FORBIDDEN');
  });
});
