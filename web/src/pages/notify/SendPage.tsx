import { useEffect, useMemo, useState } from 'react';
import { HeldAlert } from './HeldAlert.tsx';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, InputNumber, Progress, Radio, Row, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api, isApiError } from '../../api/client.ts';
import type { Org } from '../../api/types.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { PreviewBox, useCodeLabel, yuanOfMilliFen, type Template, type TextPreview } from './shared.tsx';

type Channel = 'NOTIFICATION' | 'MARKETING';

interface Campaign {
  id: string;
  name: string;
  templateName: string;
  templateVersion: number;
  source: string;
  recipients: number;
  queued: number;
  blocked: number;
  segments: number;
  costMilliFen: number;
  createdByName: string | null;
  createdAt: string;
  progress: CampaignProgress;
}

const PROGRESS_STATES = ['queued', 'submitted', 'delivered', 'failed', 'expired', 'held', 'blocked'] as const;
type CampaignProgress = Record<(typeof PROGRESS_STATES)[number], number> & { finished: boolean };
const PROGRESS_COLORS: Record<(typeof PROGRESS_STATES)[number], string> = {
  queued: 'default',
  submitted: 'processing',
  delivered: 'success',
  failed: 'error',
  expired: 'warning',
  held: 'orange',
  blocked: 'default',
};
/** How often the campaign list is fetched again while a campaign is still sending. */
const PROGRESS_REFRESH_MS = 3_000;

interface CampaignPreview {
  recipients: number;
  segments: number;
  costMilliFen: number;
  samples: (TextPreview & { row: number; phoneMasked: string })[];
}

interface RowError {
  row: number;
  code: string;
  message: string;
}

/**
 * One key per press of a send button: a retried or double-clicked request then sends nothing twice.
 * getRandomValues, not randomUUID: the console may be served over plain HTTP inside a government
 * network, where randomUUID does not exist.
 */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function useApprovedTemplates() {
  const { data } = useLoad((signal) => api.get<{ items: Template[] }>('/sms/templates', { status: 'APPROVED' }, { signal }), []);
  return data?.items ?? [];
}

function TemplateSelect({ templates, value, onChange, testId }: { templates: Template[]; value?: string; onChange?: (v: string) => void; testId: string }) {
  const t = useT();
  const label = useCodeLabel();
  return (
    <Select
      value={value}
      onChange={onChange}
      placeholder={t('sms.send.templatePick')}
      showSearch={{ optionFilterProp: 'label' }}
      options={templates.map((tpl) => ({ value: tpl.id, label: `${tpl.name} v${tpl.version}（${label('sms.category', tpl.category)}）` }))}
      data-testid={testId}
    />
  );
}

function SendOne({ templates }: { templates: Template[] }) {
  const t = useT();
  const { showError, showSuccess, message } = useFeedback();
  const [form] = Form.useForm<{ templateId: string; phone: string; channel: Channel; quietHoursExempt: boolean; values: Record<string, string> }>();
  const templateId = Form.useWatch('templateId', form);
  const template = templates.find((tpl) => tpl.id === templateId);
  const [sending, setSending] = useState(false);
  const [key, setKey] = useState(newKey);
  const [last, setLast] = useState<(TextPreview & { phoneMasked: string }) | null>(null);

  const send = async () => {
    const v = await form.validateFields();
    setSending(true);
    try {
      const out = await api.post<TextPreview & { id: string; created: boolean; phoneMasked: string }>('/sms/send', { ...v, values: v.values ?? {}, idempotencyKey: key });
      setLast(out);
      if (out.created) showSuccess(t('sms.send.queued', { phone: out.phoneMasked, segments: out.segments }));
      else void message.warning(t('sms.send.duplicate'));
      setKey(newKey());
    } catch (err) {
      showError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={12}>
        <Form form={form} layout="vertical" initialValues={{ channel: 'NOTIFICATION', quietHoursExempt: false }}>
          <Form.Item name="templateId" label={t('sms.send.template')} rules={[{ required: true }]}>
            <TemplateSelect templates={templates} testId="sms-send-template" />
          </Form.Item>
          <Form.Item name="phone" label={t('sms.send.phone')} rules={[{ required: true }]}>
            <Input maxLength={20} data-testid="sms-send-phone" />
          </Form.Item>
          {template?.placeholders.map((p) => (
            <Form.Item key={p} name={['values', p]} label={`{${p}}`} rules={[{ required: true }]}>
              <Input maxLength={100} data-testid={`sms-send-value-${p}`} />
            </Form.Item>
          ))}
          <Form.Item name="channel" label={t('sms.send.channel')}>
            <Radio.Group optionType="button" options={(['NOTIFICATION', 'MARKETING'] as const).map((c) => ({ value: c, label: t(`sms.category.${c}`) }))} />
          </Form.Item>
          <Form.Item name="quietHoursExempt" valuePropName="checked" extra={t('sms.send.quietHint')}>
            <Checkbox>{t('sms.send.quietExempt')}</Checkbox>
          </Form.Item>
          <Button type="primary" loading={sending} onClick={() => void send()} data-testid="sms-send-submit">
            {t('sms.send.submit')}
          </Button>
        </Form>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t('sms.preview')}>
          <PreviewBox preview={last ?? template?.preview ?? null} />
        </Card>
      </Col>
    </Row>
  );
}

/** Where a campaign's messages are now: a bar of the finished share and the count of each status. */
function ProgressCell({ campaign }: { campaign: Campaign }) {
  const t = useT();
  const p = campaign.progress;
  const done = p.delivered + p.failed + p.expired + p.blocked;
  return (
    <div data-testid={`sms-campaign-progress-${campaign.id}`} style={{ minWidth: 260 }}>
      <Progress percent={Math.floor((done / Math.max(1, campaign.recipients)) * 100)} size="small" status={p.finished ? 'normal' : 'active'} />
      <Space size={[4, 4]} wrap>
        {PROGRESS_STATES.filter((s) => p[s] > 0).map((s) => (
          <Tag key={s} color={PROGRESS_COLORS[s]} style={{ marginInlineEnd: 0 }}>
            {t(`sms.campaign.progress.${s}`)} {p[s].toLocaleString()}
          </Tag>
        ))}
        {!p.finished && <Typography.Text type="secondary">{t('sms.campaign.progress.live')}</Typography.Text>}
      </Space>
    </div>
  );
}

function Campaigns({ reloadKey }: { reloadKey: number }) {
  const t = useT();
  const [tick, setTick] = useState(0);
  const { data, loading } = useLoad((signal) => api.get<{ items: Campaign[] }>('/sms/campaigns', { limit: 50 }, { signal }), [reloadKey, tick]);
  const sending = (data?.items ?? []).some((c) => !c.progress.finished);
  useEffect(() => {
    if (!sending) return;
    const timer = setTimeout(() => setTick((n) => n + 1), PROGRESS_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [sending, data]);
  const label = useCodeLabel();
  const columns: TableColumnsType<Campaign> = [
    { title: t('sms.campaign.name'), dataIndex: 'name', key: 'name' },
    { title: t('sms.send.template'), key: 'tpl', render: (_: unknown, c) => `${c.templateName} v${c.templateVersion}` },
    { title: t('sms.campaign.source'), dataIndex: 'source', key: 'source', render: (v: string) => label('sms.campaign.source', v) },
    { title: t('sms.campaign.recipients'), dataIndex: 'recipients', key: 'recipients', align: 'right' },
    { title: t('sms.campaign.queued'), dataIndex: 'queued', key: 'queued', align: 'right' },
    { title: t('sms.campaign.blocked'), dataIndex: 'blocked', key: 'blocked', align: 'right' },
    { title: t('sms.campaign.progress'), key: 'progress', render: (_: unknown, c) => <ProgressCell campaign={c} /> },
    { title: t('sms.campaign.segments'), dataIndex: 'segments', key: 'segments', align: 'right' },
    { title: t('sms.campaign.cost'), dataIndex: 'costMilliFen', key: 'cost', align: 'right', render: (v: number) => yuanOfMilliFen(v) },
    { title: t('sms.campaign.createdBy'), dataIndex: 'createdByName', key: 'by' },
    { title: t('sms.campaign.createdAt'), dataIndex: 'createdAt', key: 'at', render: (v: string) => formatDateTime(v) },
  ];
  return (
    <Card size="small" title={t('sms.campaign.list')} style={{ marginTop: 16 }} data-testid="sms-campaigns">
      <Table<Campaign> rowKey="id" size="small" loading={loading && !data} columns={columns} dataSource={data?.items ?? []} pagination={false} scroll={{ x: 1300 }} />
    </Card>
  );
}

function SendCampaign({ templates, onCreated }: { templates: Template[]; onCreated: () => void }) {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const { modal } = App.useApp();
  const [form] = Form.useForm<{ name: string; templateId: string; channel: Channel; source: 'CSV' | 'CARD_QUERY'; outletOrgId?: string; minDays: number }>();
  const templateId = Form.useWatch('templateId', form);
  const source = Form.useWatch('source', form);
  const template = templates.find((tpl) => tpl.id === templateId);
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<CampaignPreview | null>(null);
  const [badRows, setBadRows] = useState<RowError[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newKey);
  const orgs = useLoad((signal) => api.get<{ items: Org[] }>('/orgs', undefined, { signal }), []);
  const header = useMemo(() => ['phone', ...(template?.placeholders ?? [])].join(','), [template]);

  const body = async () => {
    const v = await form.validateFields();
    const recipients = v.source === 'CSV' ? { source: 'CSV', csv: csv?.text ?? '' } : { source: 'CARD_QUERY', outletOrgId: v.outletOrgId, minDays: v.minDays };
    return { templateId: v.templateId, channel: v.channel, recipients, name: v.name };
  };

  const runPreview = async () => {
    const { name: _name, ...b } = await body();
    setBusy(true);
    setBadRows(null);
    setPreview(null);
    try {
      setPreview(await api.post<CampaignPreview>('/sms/campaigns/preview', b));
    } catch (err) {
      if (isApiError(err, 'SMS_CSV_ROWS_INVALID')) setBadRows((err.details as { errors: RowError[] }).errors);
      else showError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    const b = await body();
    modal.confirm({
      title: t('sms.campaign.confirmTitle', { count: preview?.recipients ?? 0 }),
      content: preview ? t('sms.campaign.summary', { recipients: preview.recipients, segments: preview.segments, cost: yuanOfMilliFen(preview.costMilliFen) }) : null,
      okButtonProps: { 'data-testid': 'sms-campaign-confirm-ok' },
      onOk: async () => {
        try {
          await api.post<Campaign>('/sms/campaigns', { ...b, requestKey: key });
          showSuccess(t('sms.campaign.created'));
          setKey(newKey());
          setPreview(null);
          onCreated();
        } catch (err) {
          showError(err);
        }
      },
    });
  };

  const reset = () => {
    setPreview(null);
    setBadRows(null);
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={12}>
        <Form form={form} layout="vertical" initialValues={{ channel: 'NOTIFICATION', source: 'CSV', minDays: 14 }} onValuesChange={reset}>
          <Form.Item name="name" label={t('sms.campaign.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="sms-campaign-name" />
          </Form.Item>
          <Form.Item name="templateId" label={t('sms.send.template')} rules={[{ required: true }]}>
            <TemplateSelect templates={templates} testId="sms-campaign-template" />
          </Form.Item>
          <Form.Item name="channel" label={t('sms.send.channel')}>
            <Radio.Group optionType="button" options={(['NOTIFICATION', 'MARKETING'] as const).map((c) => ({ value: c, label: t(`sms.category.${c}`) }))} />
          </Form.Item>
          <Form.Item name="source" label={t('sms.campaign.source')}>
            <Radio.Group options={(['CSV', 'CARD_QUERY'] as const).map((s) => ({ value: s, label: t(`sms.campaign.source.${s}`) }))} data-testid="sms-campaign-source" />
          </Form.Item>
          {source === 'CARD_QUERY' ? (
            <>
              <Form.Item name="outletOrgId" label={t('sms.campaign.outlet')} rules={[{ required: true }]} extra={t('sms.campaign.cardHint')}>
                <OrgTreeSelect orgs={(orgs.data?.items ?? []).filter((o) => o.kind === 'OUTLET' || o.kind === 'AUTHORITY' || o.kind === 'BANK')} testId="sms-campaign-outlet" />
              </Form.Item>
              <Form.Item name="minDays" label={t('sms.campaign.minDays')} rules={[{ required: true }]}>
                <InputNumber min={1} max={365} data-testid="sms-campaign-days" />
              </Form.Item>
            </>
          ) : (
            <Form.Item label={t('sms.campaign.csvPick')} extra={t('sms.campaign.csvHint', { header })}>
              <Upload
                accept=".csv,text/csv"
                maxCount={1}
                showUploadList={false}
                beforeUpload={(file) => {
                  void file.text().then((text) => {
                    setCsv({ name: file.name, text });
                    reset();
                  });
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} data-testid="sms-campaign-csv">
                  {t('sms.campaign.csvPick')}
                </Button>
              </Upload>
              {csv && <Typography.Text style={{ marginLeft: 8 }}>{t('sms.campaign.csvLoaded', { name: csv.name, lines: csv.text.split('\n').filter((l) => l.trim()).length })}</Typography.Text>}
            </Form.Item>
          )}
          <Space>
            <Button loading={busy} onClick={() => void runPreview()} data-testid="sms-campaign-preview">
              {t('sms.campaign.preview')}
            </Button>
            <Button type="primary" disabled={!preview} onClick={() => void confirm()} data-testid="sms-campaign-confirm">
              {t('sms.campaign.confirm')}
            </Button>
          </Space>
        </Form>
      </Col>
      <Col xs={24} lg={12}>
        {badRows && (
          <Card size="small" data-testid="sms-campaign-errors">
            <Alert type="error" showIcon title={t('sms.campaign.badRows', { count: badRows.length })} style={{ marginBottom: 8 }} />
            <Table<RowError>
              rowKey={(r) => `${r.row}-${r.code}`}
              size="small"
              pagination={{ pageSize: 10 }}
              dataSource={badRows}
              columns={[
                { title: t('sms.campaign.row'), dataIndex: 'row', key: 'row', width: 70 },
                { title: t('sms.campaign.error'), dataIndex: 'message', key: 'message' },
              ]}
            />
          </Card>
        )}
        {preview && (
          <Card size="small" title={t('sms.preview')} data-testid="sms-campaign-summary">
            <Typography.Paragraph strong>{t('sms.campaign.summary', { recipients: preview.recipients, segments: preview.segments, cost: yuanOfMilliFen(preview.costMilliFen) })}</Typography.Paragraph>
            <Typography.Text type="secondary">{t('sms.campaign.samples')}</Typography.Text>
            <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
              {preview.samples.map((s) => (
                <div key={s.row}>
                  <Typography.Text type="secondary">{s.phoneMasked}</Typography.Text>
                  <PreviewBox preview={s} />
                </div>
              ))}
            </Space>
          </Card>
        )}
      </Col>
    </Row>
  );
}

/** 发送短信: one message, or a campaign from a CSV list or from cards waiting at an outlet, previewed before it is sent. */
export default function SendPage() {
  const t = useT();
  const templates = useApprovedTemplates();
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <div data-testid="page-sms-send">
      <PageHeader title={t('sms.menu.send')} />
      <HeldAlert />
      <Card size="small">
        <Tabs
          items={[
            { key: 'one', label: t('sms.send.one'), children: <SendOne templates={templates} /> },
            { key: 'campaign', label: t('sms.send.campaign'), children: <SendCampaign templates={templates} onCreated={() => setReloadKey((n) => n + 1)} /> },
          ]}
        />
      </Card>
      <Campaigns reloadKey={reloadKey} />
    </div>
  );
}
