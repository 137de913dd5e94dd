import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Col, DatePicker, Form, Input, Radio, Result, Row, Select, Space, Typography, Upload } from 'antd';
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, isApiError } from '../../api/client.ts';
import { fetchProgrammes } from '../../api/resources.ts';
import {
  applicationKindsFor,
  PERMIT_BASES,
  type Application,
  type ApplicationInput,
  type ApplicationKind,
  type PermitBasis,
  type Sex,
  type ValidationProblem,
} from '../../api/types.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useNames, useT } from '../../i18n/index.tsx';
import { ETHNICITIES } from '../../lib/ethnicity.ts';
import { checkPhoto, type CheckedPhoto, type PhotoProblem } from '../../lib/photo.ts';
import { serverRule } from '../../lib/serverRules.ts';
import { parseCitizenId, type CitizenId } from '@shared/validators/citizen-id.ts';
import { normaliseMobile } from '@shared/validators/phone.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface FormValues {
  programmeId: string;
  kind: ApplicationKind;
  name: string;
  sex: Sex;
  ethnicity: string;
  birthDate: Dayjs;
  citizenId: string;
  phone: string;
  hukouAddress?: string;
  residenceAddress?: string;
  basis?: PermitBasis;
  bankOrgId?: string;
}

type FieldName = keyof FormValues;
const FIELDS: readonly FieldName[] = ['programmeId', 'kind', 'name', 'sex', 'ethnicity', 'birthDate', 'citizenId', 'phone', 'hukouAddress', 'residenceAddress', 'basis', 'bankOrgId'];

/** Which form field an error code belongs to (the server's message is shown under it). */
const CODE_FIELD: Record<string, FieldName | 'photo'> = {
  ID_FORMAT_INVALID: 'citizenId',
  ID_CHECKSUM_INVALID: 'citizenId',
  ID_PROVINCE_INVALID: 'citizenId',
  ID_BIRTHDATE_INVALID: 'citizenId',
  PHONE_INVALID: 'phone',
  APPLICANT_SEX_MISMATCH: 'sex',
  APPLICANT_BIRTHDATE_MISMATCH: 'birthDate',
  PHOTO_NOT_JPEG: 'photo',
  PHOTO_SIZE_INVALID: 'photo',
  PHOTO_REQUIRED: 'photo',
};

/**
 * Whether the server will insist on a photo. Source of truth: photoRequired() in
 * src/modules/applications/rules.ts — not for an endorsement, nor a social security card of a child under 7.
 */
function photoRequired(cardKind: string | undefined, kind: ApplicationKind | undefined, birthDate: Dayjs | undefined): boolean {
  if (!kind || kind === 'ENDORSEMENT') return false;
  if (cardKind === 'SOCIAL_SECURITY_CARD' && birthDate && dayjs().isBefore(birthDate.add(7, 'year'), 'day')) return false;
  return true;
}

/** 'applicant.citizenId', '/applicant/citizenId', 'body/applicant/citizenId' → 'citizenId' (photoJpegBase64 → photo). */
function fieldOf(path: string): FieldName | 'photo' | null {
  const last = path.split(/[./]/).filter(Boolean).pop() ?? '';
  if (last === 'photoJpegBase64' || last === 'photo') return 'photo';
  return (FIELDS as readonly string[]).includes(last) ? (last as FieldName) : null;
}

function tryParseId(v: unknown): CitizenId | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  try {
    return parseCitizenId(v);
  } catch {
    return null;
  }
}

/** The id of an existing application, if a duplicate error tells it (today the server only names its number in the message). */
function duplicateOf(details: unknown): { id?: string; number?: string } {
  const d = (details ?? {}) as Record<string, unknown>;
  const id = [d.applicationId, d.existingId, d.id].find((x) => typeof x === 'string') as string | undefined;
  const number = [d.applicationNo].find((x) => typeof x === 'string') as string | undefined;
  return { id, number };
}

export default function NewApplicationPage() {
  const t = useT();
  const names = useNames();
  const [locale] = useLocale();
  const { showError } = useFeedback();
  const [form] = Form.useForm<FormValues>();
  const { data: programmes = [] } = useLoad((signal) => fetchProgrammes(signal), []);
  const programmeId = Form.useWatch('programmeId', form);
  const citizenIdValue = Form.useWatch('citizenId', form);
  const kindValue = Form.useWatch('kind', form);
  const birthDateValue = Form.useWatch('birthDate', form);
  const programme = programmes.find((p) => p.id === programmeId);
  const parsed = useMemo(() => tryParseId(citizenIdValue), [citizenIdValue]);
  const [photo, setPhoto] = useState<CheckedPhoto | null>(null);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; code: string; unplaced: string[]; duplicate?: { id?: string; number?: string } } | null>(null);
  const [created, setCreated] = useState<Application | null>(null);
  const photoRef = useRef<CheckedPhoto | null>(null);
  photoRef.current = photo;

  useEffect(() => () => {
    if (photoRef.current) URL.revokeObjectURL(photoRef.current.previewUrl);
  }, []);

  // the programme names its receivers with their kind: the banks are the ones a card can be issued by
  const bankOptions = useMemo(() => (programme?.receivers ?? []).filter((r) => r.kind === 'BANK').map((r) => ({ value: r.id, label: r.name })), [programme]);
  const needsPhoto = photoRequired(programme?.kind, kindValue, birthDateValue);

  const isPermit = programme?.kind === 'RESIDENCE_PERMIT';
  const isCard = programme?.kind === 'SOCIAL_SECURITY_CARD';

  const onValuesChange = (changed: Partial<FormValues>) => {
    if ('citizenId' in changed) {
      const p = tryParseId(changed.citizenId);
      if (p) form.setFieldsValue({ sex: p.sex, birthDate: dayjs(p.birthDate) });
      void form.validateFields(['sex', 'birthDate']).catch(() => undefined);
    }
    if ('programmeId' in changed) {
      const next = programmes.find((p) => p.id === changed.programmeId);
      const kind = form.getFieldValue('kind') as ApplicationKind | undefined;
      if (kind && !applicationKindsFor(next?.kind).includes(kind)) form.setFieldValue('kind', undefined);
      form.setFieldsValue({ basis: undefined, bankOrgId: undefined });
    }
    if (serverError) setServerError(null);
  };

  const photoProblemText = (p: PhotoProblem): string => {
    switch (p.kind) {
      case 'notJpeg':
        return t('appNew.photoNotJpeg');
      case 'size':
        return t('appNew.photoSize', { kb: Math.round((p.bytes / 1024) * 10) / 10 });
      case 'dimensions':
        return t('appNew.photoDimensions', { w: p.width, h: p.height });
      default:
        return t('appNew.photoUnreadable');
    }
  };

  const pickPhoto = async (file: File) => {
    const res = await checkPhoto(file);
    if (photo) URL.revokeObjectURL(photo.previewUrl);
    if (res.ok) {
      setPhoto(res.photo);
      setPhotoError(null);
    } else {
      setPhoto(null);
      setPhotoError(photoProblemText(res.problem));
    }
  };

  const removePhoto = () => {
    if (photo) URL.revokeObjectURL(photo.previewUrl);
    setPhoto(null);
    setPhotoError(null);
  };

  const clearAll = () => {
    form.resetFields();
    removePhoto();
    setServerError(null);
  };

  const submit = async () => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (photoError) return;
    if (!photo && photoRequired(programme?.kind, v.kind, v.birthDate)) {
      setPhotoError(t('appNew.photoRequired'));
      return;
    }
    const body: ApplicationInput = {
      programmeId: v.programmeId,
      kind: v.kind,
      name: v.name.trim(),
      sex: v.sex,
      ethnicity: v.ethnicity,
      birthDate: v.birthDate.format('YYYY-MM-DD'),
      citizenId: tryParseId(v.citizenId)?.id ?? v.citizenId.trim().toUpperCase(),
      phone: normaliseMobile(v.phone),
      ...(v.hukouAddress?.trim() ? { hukouAddress: v.hukouAddress.trim() } : {}),
      ...(v.residenceAddress?.trim() ? { residenceAddress: v.residenceAddress.trim() } : {}),
      ...(isPermit && v.basis ? { basis: v.basis } : {}),
      ...(isCard && v.bankOrgId ? { bankOrgId: v.bankOrgId } : {}),
      ...(photo ? { photoJpegBase64: photo.base64 } : {}),
    };
    setSubmitting(true);
    setServerError(null);
    try {
      const app = await api.post<Application>('/applications', body);
      setCreated(app);
    } catch (err) {
      if (!isApiError(err)) {
        showError(err);
        return;
      }
      const unplaced: string[] = [];
      const place = (field: FieldName | 'photo' | null, message: string) => {
        if (field === 'photo') setPhotoError(message);
        else if (field) form.setFields([{ name: field, errors: [message] }]);
        else unplaced.push(message);
      };
      if (err.code === 'VALIDATION_FAILED') {
        const problems = ((err.details as { problems?: ValidationProblem[] } | undefined)?.problems ?? []).filter((p) => p && typeof p.field === 'string');
        for (const p of problems) place(fieldOf(p.field), p.problem);
      } else {
        // the server names the field in details.field (APPLICATION_INVALID, mismatches, ID and phone errors)
        const named = (err.details as { field?: unknown } | null | undefined)?.field;
        const field = typeof named === 'string' ? fieldOf(named) : (CODE_FIELD[err.code] ?? null);
        if (field || CODE_FIELD[err.code]) place(field ?? CODE_FIELD[err.code] ?? null, err.message);
      }
      setServerError({
        message: err.message,
        code: err.code,
        unplaced,
        duplicate: err.code === 'APPLICATION_DUPLICATE' ? duplicateOf(err.details) : undefined,
      });
    } finally {
      setSubmitting(false);
    }
  };

  if (created) {
    return (
      <Card data-testid="page-application-new">
        <Result
          status="success"
          title={t('appNew.success')}
          subTitle={
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="app-new-result-number" data-number={created.applicationNo}>
              {t('appNew.successNumber', { number: created.applicationNo })}
            </Typography.Text>
          }
          extra={[
            <Link key="view" to={`/applications/${encodeURIComponent(created.id)}`} data-testid="app-new-result-link">
              <Button type="primary">{t('appNew.viewDetail')}</Button>
            </Link>,
            <Button
              key="again"
              data-testid="app-new-another"
              onClick={() => {
                setCreated(null);
                clearAll();
              }}
            >
              {t('appNew.another')}
            </Button>,
          ]}
        />
      </Card>
    );
  }

  const req = { required: true, message: t('appNew.required') };
  const sel = { required: true, message: t('appNew.selectRequired') };
  const sexName = (s: string) => names.code('sex', s);

  return (
    <div data-testid="page-application-new">
      <PageHeader title={t('appNew.title')} />
      {serverError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="app-new-error"
          data-code={serverError.code}
          title={`${t('appNew.failed')}：${serverError.message}`}
          description={
            serverError.unplaced.length || serverError.duplicate?.id ? (
              <>
                {serverError.unplaced.length > 0 && (
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {serverError.unplaced.map((m, i) => (
                      <li key={i}>{m}</li>
                    ))}
                  </ul>
                )}
                {serverError.duplicate?.id && (
                  <Link to={`/applications/${encodeURIComponent(serverError.duplicate.id)}`} data-testid="app-new-duplicate-link">
                    {t('appNew.duplicateLink')}
                    {serverError.duplicate.number ? ` ${serverError.duplicate.number}` : ''}
                  </Link>
                )}
              </>
            ) : undefined
          }
        />
      )}
      <Form<FormValues> form={form} layout="vertical" name="application-new" onValuesChange={onValuesChange} scrollToFirstError>
        <Card title={t('appNew.business')} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="programmeId" label={t('app.programme')} rules={[sel]}>
                <Select
                  data-testid="app-new-programme"
                  showSearch={{ optionFilterProp: 'label' }}
                  options={programmes.map((p) => ({ value: p.id, label: `${p.name}（${names.code('programmeKind', p.kind)}）` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="kind" label={t('app.kind')} rules={[sel]} extra={programme ? undefined : t('appNew.selectProgrammeFirst')}>
                <Radio.Group
                  data-testid="app-new-kind"
                  disabled={!programme}
                  optionType="button"
                  options={applicationKindsFor(programme?.kind).map((k) => ({ value: k, label: <span data-testid={`app-new-kind-${k}`}>{names.code('appKind', k)}</span> }))}
                />
              </Form.Item>
            </Col>
            {isPermit && (
              <Col xs={24} md={12}>
                <Form.Item name="basis" label={t('app.basis')} rules={[sel]}>
                  <Radio.Group
                    data-testid="app-new-basis"
                    options={PERMIT_BASES.map((b) => ({ value: b, label: <span data-testid={`app-new-basis-${b}`}>{names.code('basis', b)}</span> }))}
                  />
                </Form.Item>
              </Col>
            )}
            {isCard && (
              <Col xs={24} md={12}>
                <Form.Item name="bankOrgId" label={t('app.bank')} rules={[sel]} extra={bankOptions.length ? undefined : t('appNew.noBank')}>
                  <Select data-testid="app-new-bank" options={bankOptions} showSearch={{ optionFilterProp: 'label' }} />
                </Form.Item>
              </Col>
            )}
          </Row>
        </Card>

        <Card title={t('appNew.applicant')} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={16}>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="citizenId"
                    label={t('app.citizenId')}
                    rules={[{ ...req, whitespace: true }, serverRule(locale, (v) => parseCitizenId(v))]}
                    extra={parsed ? <span data-testid="app-new-id-parsed">{t('appNew.idParsed', { sex: sexName(parsed.sex), date: parsed.birthDate })}</span> : undefined}
                  >
                    <Input data-testid="app-new-citizenId" maxLength={18} className="cf-mono" autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="name" label={t('app.applicantName')} rules={[{ ...req, whitespace: true }, { max: 50 }]}>
                    <Input data-testid="app-new-name" maxLength={50} autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item
                    name="sex"
                    label={t('app.sex')}
                    dependencies={['citizenId']}
                    rules={[
                      sel,
                      {
                        warningOnly: true,
                        validator: async (_r, value: unknown) => {
                          const p = tryParseId(form.getFieldValue('citizenId'));
                          if (p && value && value !== p.sex) throw new Error(t('appNew.sexMismatch', { sex: sexName(p.sex) }));
                        },
                      },
                    ]}
                  >
                    <Radio.Group data-testid="app-new-sex" options={(['M', 'F'] as const).map((s) => ({ value: s, label: <span data-testid={`app-new-sex-${s}`}>{sexName(s)}</span> }))} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name="ethnicity" label={t('app.ethnicity')} rules={[sel]}>
                    <Select
                      data-testid="app-new-ethnicity"
                      showSearch={{ optionFilterProp: 'label' }}
                      options={ETHNICITIES.map((e) => ({ value: e.code, label: `${e.code} ${locale === 'zh-CN' ? e.zh : e.en}` }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="birthDate"
                    label={t('app.birthDate')}
                    dependencies={['citizenId']}
                    rules={[
                      sel,
                      {
                        warningOnly: true,
                        validator: async (_r, value: unknown) => {
                          const p = tryParseId(form.getFieldValue('citizenId'));
                          if (p && dayjs.isDayjs(value) && value.format('YYYY-MM-DD') !== p.birthDate) throw new Error(t('appNew.birthMismatch', { date: p.birthDate }));
                        },
                      },
                    ]}
                  >
                    <DatePicker data-testid="app-new-birthDate" format="YYYY-MM-DD" style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="phone" label={t('app.phone')} rules={[{ ...req, whitespace: true }, serverRule(locale, normaliseMobile)]}>
                    <Input data-testid="app-new-phone" maxLength={20} inputMode="tel" autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="hukouAddress" label={t('app.hukouAddress')} rules={[{ max: 100 }]}>
                    <Input data-testid="app-new-hukouAddress" maxLength={100} />
                  </Form.Item>
                </Col>
                <Col xs={24}>
                  <Form.Item name="residenceAddress" label={t('app.residenceAddress')} rules={[{ required: isPermit, whitespace: true, message: t('appNew.required') }, { max: 100 }]}>
                    <Input data-testid="app-new-residenceAddress" maxLength={100} />
                  </Form.Item>
                </Col>
              </Row>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item label={t('app.photo')} required={needsPhoto} extra={t('appNew.photoHint')} validateStatus={photoError ? 'error' : undefined} help={photoError ? <span data-testid="app-new-photo-error">{photoError}</span> : undefined}>
                <Space orientation="vertical" align="start">
                  <div className="cf-photo-frame" style={{ width: 179, height: 221, border: '1px dashed #d9d9d9', borderRadius: 6, display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden', background: '#fafafa' }}>
                    {photo ? <img src={photo.previewUrl} alt={t('app.photo')} width={179} height={221} data-testid="app-new-photo-preview" /> : <Typography.Text type="secondary">358×441</Typography.Text>}
                  </div>
                  <Space>
                    <Upload
                      accept="image/jpeg,.jpg,.jpeg"
                      showUploadList={false}
                      maxCount={1}
                      beforeUpload={(file) => {
                        void pickPhoto(file);
                        return Upload.LIST_IGNORE;
                      }}
                    >
                      <Button icon={<UploadOutlined />} data-testid="app-new-photo-pick">
                        {t('appNew.photoPick')}
                      </Button>
                    </Upload>
                    {(photo || photoError) && (
                      <Button icon={<DeleteOutlined />} onClick={removePhoto} data-testid="app-new-photo-remove">
                        {t('appNew.photoRemove')}
                      </Button>
                    )}
                  </Space>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Space>
          <Button type="primary" loading={submitting} onClick={() => void submit()} data-testid="app-new-submit">
            {t('appNew.submit')}
          </Button>
          <Button onClick={clearAll} data-testid="app-new-clear">
            {t('appNew.clear')}
          </Button>
        </Space>
      </Form>
    </div>
  );
}
