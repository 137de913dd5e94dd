import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Empty, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, CloseOutlined, EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { fetchOrgsQuiet, fetchProgrammes, fetchRejectionReasons } from '../../api/resources.ts';
import { type Application, type PagedResponse } from '../../api/types.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { PERM } from '../../nav.tsx';
import { useLocale, useT } from '../../i18n/index.tsx';
import { ApplicationDrawer, KindLabel, submittedAt } from '../applications/shared.tsx';
import { KindFilterItem, OutletFilterItem, ProgrammeFilterItem } from '../applications/filters.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Filters {
  programmeId?: string;
  outletId?: string;
  kind?: string;
  olderThanDays?: number;
}

interface RejectValues {
  reasonCodes: string[];
  note?: string;
}

const DAY_MS = 24 * 3600 * 1000;

export default function ReviewPage() {
  const t = useT();
  const [locale] = useLocale();
  const { showError, showSuccess } = useFeedback();
  const [filters, setFilters] = useState<Filters>({});
  const [filterForm] = Form.useForm<Filters>();
  const [rejectForm] = Form.useForm<RejectValues>();
  const [viewing, setViewing] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Application | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [page, setPage] = useState({ current: 1, size: 50 });

  const { data, loading, reload } = useLoad(
    (signal) => api.get<PagedResponse<Application>>('/review-queue', { ...filters, limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [filters.programmeId, filters.outletId, filters.kind, filters.olderThanDays, page.current, page.size],
  );
  const { data: catalogue = [] } = useLoad((signal) => fetchRejectionReasons(signal), []);
  const { data: programmes = [] } = useLoad((signal) => fetchProgrammes(signal).catch(() => []), []);
  const { can } = useAuth();
  const { data: orgs = [] } = useLoad((signal) => fetchOrgsQuiet(signal), [], { enabled: can(PERM.orgRead) });
  const programmeNames = useMemo(() => new Map(programmes.map((p) => [p.id, p.name])), [programmes]);
  const activeReasons = catalogue.filter((r) => r.active);
  // oldest first, whatever order the server uses
  const rows = useMemo(
    () => [...(data?.items ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [data],
  );

  const approve = async (a: Application) => {
    setBusy(a.id);
    try {
      await api.post<Application>(`/applications/${encodeURIComponent(a.id)}/approve`);
      showSuccess(t('review.approved'));
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const openReject = (a: Application) => {
    rejectForm.resetFields();
    setRejecting(a);
  };

  const submitReject = async () => {
    if (!rejecting) return;
    const v = await rejectForm.validateFields();
    setBusy(rejecting.id);
    try {
      const note = v.note?.trim();
      await api.post<Application>(`/applications/${encodeURIComponent(rejecting.id)}/reject`, { reasonCodes: v.reasonCodes, ...(note ? { note } : {}) });
      showSuccess(t('review.rejected'));
      setRejecting(null);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const waitingDays = (a: Application) => Math.floor((Date.now() - new Date(a.createdAt).getTime()) / DAY_MS);

  const columns: TableColumnsType<Application> = [
    { title: t('app.number'), dataIndex: 'applicationNo', key: 'number', width: 180, render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('app.programme'), key: 'programme', render: (_, a) => a.programmeName || programmeNames.get(a.programmeId) || a.programmeId },
    { title: t('app.kind'), dataIndex: 'kind', key: 'kind', width: 90, render: (k: string) => <KindLabel kind={k} /> },
    { title: t('app.applicantName'), dataIndex: 'nameMasked', key: 'name', width: 100 },
    { title: t('app.citizenId'), dataIndex: 'citizenIdMasked', key: 'citizenId', width: 180, render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('app.outlet'), dataIndex: 'outletName', key: 'outlet' },
    {
      title: t('app.submittedAt'),
      key: 'submittedAt',
      width: 170,
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          <span className="cf-nowrap">{submittedAt(a)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('review.waiting', { days: waitingDays(a) })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 240,
      render: (_, a) => (
        <Space size={4} wrap={false}>
          <Button size="small" icon={<EyeOutlined />} onClick={() => setViewing(a.id)} data-testid={`review-view-${a.id}`}>
            {t('app.view')}
          </Button>
          <Popconfirm title={t('review.approveConfirm', { number: a.applicationNo })} onConfirm={() => approve(a)} okButtonProps={{ 'data-testid': 'review-approve-confirm' }}>
            <Button size="small" type="primary" icon={<CheckOutlined />} loading={busy === a.id} data-testid={`review-approve-${a.id}`}>
              {t('review.approve')}
            </Button>
          </Popconfirm>
          <Button size="small" danger icon={<CloseOutlined />} onClick={() => openReject(a)} disabled={busy === a.id} data-testid={`review-reject-${a.id}`}>
            {t('review.reject')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="page-review">
      <PageHeader title={t('menu.review')} hint={t('review.oldestFirst')}>
        <Button icon={<ReloadOutlined />} onClick={reload} data-testid="review-reload">
          {t('common.refresh')}
        </Button>
      </PageHeader>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<Filters> form={filterForm} layout="inline" name="review-filter" onFinish={(v) => {
            setFilters({ ...v });
            setPage((p) => ({ ...p, current: 1 }));
          }} style={{ rowGap: 8 }}>
          <ProgrammeFilterItem testPrefix="review-filter" label={t('app.programme')} programmes={programmes} />
          <OutletFilterItem testPrefix="review-filter" label={t('app.outlet')} orgs={orgs} />
          <KindFilterItem testPrefix="review-filter" label={t('app.kind')} />
          <Form.Item name="olderThanDays" label={t('review.olderThan')}>
            <InputNumber min={0} max={3650} precision={0} style={{ width: 120 }} suffix={t('review.days')} data-testid="review-filter-older" />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="review-search">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  filterForm.resetFields();
                  setFilters({});
                  setPage((p) => ({ ...p, current: 1 }));
                }}
                data-testid="review-reset"
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Table<Application>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 1300 }}
        data-testid="review-table"
        onRow={(a) => ({ 'data-testid': `review-row-${a.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: page.current,
          pageSize: page.size,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (total) => t('common.total', { total }),
          onChange: (current, size) => setPage({ current: size !== page.size ? 1 : current, size }),
        }}
      />
      <ApplicationDrawer id={viewing} onClose={() => setViewing(null)} programmes={programmes} catalogue={catalogue} />
      <Modal
        title={rejecting ? t('review.rejectTitle', { number: rejecting.applicationNo }) : ''}
        open={!!rejecting}
        onCancel={() => setRejecting(null)}
        onOk={() => void submitReject().catch(() => undefined)}
        confirmLoading={!!rejecting && busy === rejecting.id}
        okText={t('review.reject')}
        okButtonProps={{ danger: true, 'data-testid': 'review-reject-submit' }}
        width={620}
        forceRender
      >
        <Form<RejectValues> form={rejectForm} layout="vertical" name="review-reject">
          {activeReasons.length === 0 ? (
            <Alert type="warning" showIcon title={t('review.noReasons')} style={{ marginBottom: 16 }} />
          ) : null}
          <Form.Item name="reasonCodes" label={t('review.reasons')} rules={[{ required: true, type: 'array', min: 1, message: t('review.reasonsRequired') }]}>
            {activeReasons.length ? (
              <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="review-reasons">
                {activeReasons.map((r) => (
                  <Checkbox key={r.code} value={r.code} data-testid={`review-reason-${r.code}`}>
                    {locale === 'zh-CN' ? r.zh : r.en}
                  </Checkbox>
                ))}
              </Checkbox.Group>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </Form.Item>
          <Form.Item name="note" label={t('review.note')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('review.notePlaceholder')} data-testid="review-note" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
