import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Descriptions, Drawer, Empty, Image, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { ExportOutlined, PictureOutlined } from '@ant-design/icons';
import { fetchBlob } from '../../api/client.ts';
import { fetchApplication, fetchRejectionReasons } from '../../api/resources.ts';
import type { ApplicationCard, ApplicationDetail, ApplicationEvent, Programme, RejectionReason } from '../../api/types.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useNames, useT } from '../../i18n/index.tsx';
import { ethnicityName } from '../../lib/ethnicity.ts';
import { formatDateTime } from '../../lib/time.ts';

const STATUS_COLORS: Record<string, string> = {
  SUBMITTED: 'processing',
  APPROVED: 'success',
  REJECTED: 'error',
  MATCHED: 'cyan',
  BANK_REJECTED: 'error',
  IN_PRODUCTION: 'purple',
  READY: 'geekblue',
  ISSUED: 'green',
  CANCELLED: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const names = useNames();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-status={status} data-testid="app-status-tag">
      {names.code('appStatus', status)}
    </Tag>
  );
}

export function KindLabel({ kind }: { kind: string }) {
  const names = useNames();
  return <span data-kind={kind}>{names.code('appKind', kind)}</span>;
}

/** When it was taken in (createdAt), in Beijing time. */
export function submittedAt(a: { createdAt: string }): string {
  return formatDateTime(a.createdAt);
}

/** The reasons and note of the latest REJECTED event (details {reasons: code[], note}). */
export function rejectionOf(app: ApplicationDetail): { reasons: string[]; note: string | null } | null {
  const ev = [...(app.events ?? [])].reverse().find((e) => e.type === 'REJECTED');
  if (!ev) return null;
  const d = (ev.details ?? {}) as { reasons?: unknown; note?: unknown };
  const reasons = Array.isArray(d.reasons) ? d.reasons.map((r) => (typeof r === 'string' ? r : String((r as { code?: unknown })?.code ?? r))) : [];
  return { reasons, note: typeof d.note === 'string' && d.note ? d.note : null };
}

/** The photo, fetched only when asked for, shown from a blob: URL that is revoked afterwards. */
function PhotoButton({ applicationId }: { applicationId: string }) {
  const t = useT();
  const { showError } = useFeedback();
  const [url, setUrl] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);

  const load = async () => {
    setLoading(true);
    try {
      const blob = await fetchBlob(`/applications/${encodeURIComponent(applicationId)}/photo`);
      setUrl(URL.createObjectURL(blob));
    } catch (err) {
      showError(err);
    } finally {
      setLoading(false);
    }
  };

  if (url) return <Image src={url} width={120} alt={t('app.photo')} data-testid="app-photo-img" />;
  return (
    <Button size="small" icon={<PictureOutlined />} loading={loading} onClick={() => void load()} data-testid="app-photo-show">
      {t('app.showPhoto')}
    </Button>
  );
}

function eventDetails(details: unknown, type: string, catalogue: RejectionReason[], locale: string, noteLabel: string, code: (prefix: string, c: string) => string): string {
  if (details === null || details === undefined) return '';
  if (type === 'REJECTED' && typeof details === 'object') {
    const d = details as { reasons?: unknown; note?: unknown };
    const reasons = Array.isArray(d.reasons) ? d.reasons.map((r) => reasonLabel(r as string, catalogue, locale)) : [];
    return [reasons.join('；'), typeof d.note === 'string' && d.note ? `${noteLabel}：${d.note}` : ''].filter(Boolean).join(' · ');
  }
  if (typeof details === 'string') return details;
  if (typeof details !== 'object') return String(details);
  // SUBMITTED / ENDORSED carry {source, applicationNo}: the number is already on screen
  return Object.entries(details as Record<string, unknown>)
    .filter(([k, v]) => k !== 'applicationNo' && v !== null && v !== undefined && v !== '')
    .map(([k, v]) => (k === 'source' && typeof v === 'string' ? code('appSource', v) : `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`))
    .join(' · ');
}

function Events({ events, catalogue }: { events: ApplicationEvent[]; catalogue: RejectionReason[] }) {
  const t = useT();
  const names = useNames();
  const [locale] = useLocale();
  const detailsOf = (e: ApplicationEvent) => eventDetails(e.details, e.type, catalogue, locale, t('app.rejectionNote'), names.code);
  if (!events.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('app.noEvents')} />;
  return (
    <Timeline
      data-testid="app-events"
      items={events.map((e, i) => ({
        key: `${i}-${e.type}`,
        color: e.type === 'REJECTED' ? 'red' : e.type === 'APPROVED' ? 'green' : 'blue',
        content: (
          <div data-testid={`app-event-${i}`} data-event-type={e.type}>
            <Typography.Text strong>{names.code('appEvent', e.type)}</Typography.Text>
            <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
              {formatDateTime(e.at)}
              {e.actorName ? ` · ${e.actorName}` : ''}
            </Typography.Text>
            {detailsOf(e) && (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {detailsOf(e)}
                </Typography.Text>
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}

/** A reason as the server sent it (a code or an object), named from the catalogue when possible. */
export function reasonLabel(r: string | { code: string; zh?: string; en?: string }, catalogue: RejectionReason[], locale: string): string {
  const code = typeof r === 'string' ? r : r.code;
  const fromObj = typeof r === 'string' ? undefined : locale === 'zh-CN' ? r.zh : r.en;
  const known = catalogue.find((c) => c.code === code);
  return fromObj ?? (known ? (locale === 'zh-CN' ? known.zh : known.en) : code);
}

export function ApplicationDetailView({ app, programme, catalogue = [] }: { app: ApplicationDetail; programme?: Programme; catalogue?: RejectionReason[] }) {
  const t = useT();
  const names = useNames();
  const [locale] = useLocale();
  const rejection = app.status === 'REJECTED' ? rejectionOf(app) : null;
  const reasons = rejection?.reasons ?? [];
  const bankName = app.bankOrgId ? (programme?.receivers.find((r) => r.id === app.bankOrgId)?.name ?? app.bankOrgId) : null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="app-detail">
      {rejection && (reasons.length > 0 || rejection.note) && (
        <Alert
          type="error"
          showIcon
          data-testid="app-rejection"
          title={t('app.rejectionReasons')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {reasons.map((r, i) => (
                <li key={i} data-reason={r}>
                  {reasonLabel(r, catalogue, locale)}
                </li>
              ))}
              {rejection.note && (
                <li data-testid="app-rejection-note">
                  {t('app.rejectionNote')}：{rejection.note}
                </li>
              )}
            </ul>
          }
        />
      )}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="app-detail-fields">
        <Descriptions.Item label={t('app.number')}>
          <span className="cf-mono" data-testid="app-detail-number">
            {app.applicationNo}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('app.status')}>
          <StatusTag status={app.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('app.programme')}>{app.programmeName || programme?.name || app.programmeId}</Descriptions.Item>
        <Descriptions.Item label={t('app.kind')}>
          <KindLabel kind={app.kind} />
        </Descriptions.Item>
        <Descriptions.Item label={t('app.outlet')}>{app.outletName}</Descriptions.Item>
        <Descriptions.Item label={t('app.submittedAt')}>{submittedAt(app)}</Descriptions.Item>
        {app.basis && <Descriptions.Item label={t('app.basis')}>{names.code('basis', app.basis)}</Descriptions.Item>}
        {app.source && <Descriptions.Item label={t('app.source')}>{names.code('appSource', app.source)}</Descriptions.Item>}
        {app.bankOrgId && <Descriptions.Item label={t('app.bank')}>{bankName}</Descriptions.Item>}
      </Descriptions>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        title={
          <Space>
            {t('appNew.applicant')}
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
              {t('app.maskedNote')}
            </Typography.Text>
          </Space>
        }
        data-testid="app-detail-applicant"
      >
        <Descriptions.Item label={t('app.applicantName')}>
          <span data-testid="app-detail-name">{app.nameMasked}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('app.citizenId')}>
          <span className="cf-mono" data-testid="app-detail-citizenId">
            {app.citizenIdMasked}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('app.sex')}>{names.code('sex', app.sex)}</Descriptions.Item>
        <Descriptions.Item label={t('app.ethnicity')}>{ethnicityName(app.ethnicity, locale)}</Descriptions.Item>
        {app.birthDate && <Descriptions.Item label={t('app.birthDate')}>{app.birthDate}</Descriptions.Item>}
        <Descriptions.Item label={t('app.phone')}>
          <span className="cf-mono">{app.phoneMasked}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('app.hukouAddress')} span={2}>
          {app.hukouAddressMasked ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('app.residenceAddress')} span={2}>
          {app.residenceAddressMasked ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('app.photo')} span={2}>
          {app.hasPhoto ? <PhotoButton key={app.id} applicationId={app.id} /> : <Typography.Text type="secondary">{t('app.noPhoto')}</Typography.Text>}
        </Descriptions.Item>
      </Descriptions>
      {app.cards && app.cards.length > 0 && (
        <div>
          <Typography.Title level={5}>{t('app.cards')}</Typography.Title>
          <Table<ApplicationCard>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={app.cards}
            data-testid="app-cards"
            columns={[
              { title: t('app.cardAttempt'), dataIndex: 'attemptNo', width: 70 },
              { title: t('app.status'), dataIndex: 'status', render: (v: string) => <Tag data-status={v}>{names.code('reports.cardStatus', v)}</Tag> },
              { title: t('app.cardNo'), dataIndex: 'cardNo', render: (v: string | null) => v ?? '—' },
              { title: t('app.cardBatch'), dataIndex: 'batchNo', render: (v: string | null) => v ?? '—' },
              { title: t('app.cardShipment'), dataIndex: 'shipmentNo', render: (v: string | null) => v ?? '—' },
              { title: t('app.cardUpdated'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v) },
            ]}
          />
        </div>
      )}
      <div>
        <Typography.Title level={5}>{t('app.events')}</Typography.Title>
        <Events events={app.events ?? []} catalogue={catalogue} />
      </div>
    </Space>
  );
}

/** The drawer the list and the review queue open for one application. */
export function ApplicationDrawer({
  id,
  onClose,
  programmes,
  catalogue,
}: {
  id: string | null;
  onClose: () => void;
  programmes: Programme[];
  catalogue?: RejectionReason[];
}) {
  const t = useT();
  const { data, loading } = useLoad((signal) => (id ? fetchApplication(id, signal) : Promise.resolve(undefined)), [id], { enabled: !!id });
  const app = data && data.id === id ? data : undefined;
  // the reason names, only when a rejected application is shown and the caller has not loaded them
  const needReasons = !catalogue && app?.status === 'REJECTED';
  const { data: loadedReasons } = useLoad((signal) => fetchRejectionReasons(signal).catch(() => []), [needReasons], { enabled: needReasons });
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={720}
      title={app ? `${t('app.detail')} ${app.applicationNo}` : t('app.detail')}
      destroyOnHidden
      extra={
        id && (
          <Link to={`/applications/${encodeURIComponent(id)}`} data-testid="app-drawer-open-page">
            <ExportOutlined /> {t('app.openPage')}
          </Link>
        )
      }
      data-testid="app-drawer"
    >
      {loading || !app ? <Spin /> : <ApplicationDetailView app={app} programme={programmes.find((p) => p.id === app.programmeId)} catalogue={catalogue ?? loadedReasons} />}
    </Drawer>
  );
}
