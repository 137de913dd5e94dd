import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, CloseOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import type { PagedResponse } from '../../api/types.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { bankAccountOk, CsvUploadCard, DecisionButtons } from './shared.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface QueueItem {
  id: string;
  applicationNo: string;
  programmeName: string;
  outletName: string;
  kind: string;
  nameMasked: string;
  citizenIdMasked: string;
  waitingSince: string;
}

interface MatchAnswer {
  status: string;
  bankAccountMasked: string | null;
  changed: boolean;
}

interface BulkAnswer {
  applied: number;
  unchanged: number;
  matched: number;
  rejected: number;
}

const DAY_MS = 24 * 3600 * 1000;

export default function BankMatchingPage() {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const [applicationNo, setApplicationNo] = useState<string | undefined>();
  const [filterForm] = Form.useForm<{ applicationNo?: string }>();
  const [page, setPage] = useState({ current: 1, size: 50 });
  const [matching, setMatching] = useState<QueueItem | null>(null);
  const [rejecting, setRejecting] = useState<QueueItem | null>(null);
  const [busy, setBusy] = useState(false);
  const [matchForm] = Form.useForm<{ bankAccount: string }>();
  const [rejectForm] = Form.useForm<{ reason: string }>();

  const { data, loading, reload } = useLoad(
    (signal) => api.get<PagedResponse<QueueItem>>('/bank-matching', { applicationNo, limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [applicationNo, page.current, page.size],
  );

  const decide = async (item: QueueItem, body: { decision: 'MATCHED'; bankAccount: string } | { decision: 'REJECTED'; reason: string }) => {
    setBusy(true);
    try {
      const answer = await api.post<MatchAnswer>(`/applications/${encodeURIComponent(item.id)}/bank-match`, body);
      if (!answer.changed) showSuccess(t('cards.bank.unchanged'));
      else if (body.decision === 'MATCHED') showSuccess(t('cards.bank.matched', { masked: answer.bankAccountMasked ?? '' }));
      else showSuccess(t('cards.bank.rejected'));
      setMatching(null);
      setRejecting(null);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const submitMatch = async () => {
    if (!matching) return;
    const v = await matchForm.validateFields();
    await decide(matching, { decision: 'MATCHED', bankAccount: v.bankAccount.replace(/[\s-]/g, '') });
  };

  const submitReject = async () => {
    if (!rejecting) return;
    const v = await rejectForm.validateFields();
    await decide(rejecting, { decision: 'REJECTED', reason: v.reason.trim() });
  };

  const columns: TableColumnsType<QueueItem> = [
    { title: t('app.number'), dataIndex: 'applicationNo', key: 'number', width: 180, render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('app.programme'), dataIndex: 'programmeName', key: 'programme' },
    { title: t('app.applicantName'), dataIndex: 'nameMasked', key: 'name', width: 100 },
    { title: t('app.citizenId'), dataIndex: 'citizenIdMasked', key: 'citizenId', width: 180, render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('app.outlet'), dataIndex: 'outletName', key: 'outlet' },
    {
      title: t('cards.bank.approvedAt'),
      key: 'waiting',
      width: 180,
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          <span className="cf-nowrap">{formatDateTime(a.waitingSince)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('cards.bank.waiting', { days: Math.floor((Date.now() - new Date(a.waitingSince).getTime()) / DAY_MS) })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 220,
      render: (_, a) => (
        <DecisionButtons
          yes={{ label: t('cards.bank.match'), icon: <CheckOutlined />, testId: `bank-match-${a.id}`, onClick: () => { matchForm.resetFields(); setMatching(a); } }}
          no={{ label: t('cards.bank.reject'), icon: <CloseOutlined />, testId: `bank-reject-${a.id}`, onClick: () => { rejectForm.resetFields(); setRejecting(a); } }}
        />
      ),
    },
  ];

  return (
    <div data-testid="page-bank-matching">
      <PageHeader title={t('cards.menu.bankMatching')} hint={t('cards.bank.queueHint')}>
        <Button icon={<ReloadOutlined />} onClick={reload} data-testid="bank-reload">
          {t('common.refresh')}
        </Button>
      </PageHeader>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form
          form={filterForm}
          layout="inline"
          name="bank-filter"
          onFinish={(v) => {
            setApplicationNo(v.applicationNo?.trim() || undefined);
            setPage((p) => ({ ...p, current: 1 }));
          }}
        >
          <Form.Item name="applicationNo" label={t('cards.bank.filterNo')}>
            <Input allowClear style={{ width: 220 }} data-testid="bank-filter-no" />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="bank-search">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  filterForm.resetFields();
                  setApplicationNo(undefined);
                  setPage((p) => ({ ...p, current: 1 }));
                }}
                data-testid="bank-reset"
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Table<QueueItem>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1320 }}
        data-testid="bank-table"
        onRow={(a) => ({ 'data-testid': `bank-row-${a.id}` }) as React.HTMLAttributes<HTMLElement>}
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
      <CsvUploadCard<BulkAnswer>
        title={t('cards.bank.upload')}
        hint={t('cards.bank.uploadHint')}
        path="/bank-matching"
        errorCode="BANK_MATCH_IMPORT_INVALID"
        testPrefix="bank-bulk"
        success={(a) => t('cards.bank.ok', { matched: a.matched, rejected: a.rejected, unchanged: a.unchanged })}
        onDone={reload}
      />
      <Modal
        title={matching ? t('cards.bank.matchTitle', { number: matching.applicationNo }) : ''}
        open={!!matching}
        onCancel={() => setMatching(null)}
        onOk={() => void submitMatch().catch(() => undefined)}
        confirmLoading={busy}
        okText={t('cards.bank.match')}
        okButtonProps={{ 'data-testid': 'bank-match-submit' }}
        forceRender
      >
        <Form form={matchForm} layout="vertical" name="bank-match">
          <Form.Item
            name="bankAccount"
            label={t('cards.bank.account')}
            extra={t('cards.bank.accountHint')}
            validateFirst
            rules={[
              { required: true, message: t('cards.bank.accountRule') },
              { validator: async (_rule, value: unknown) => (typeof value === 'string' && bankAccountOk(value) ? undefined : Promise.reject(new Error(t('cards.bank.accountRule')))) },
            ]}
          >
            <Input inputMode="numeric" autoComplete="off" maxLength={30} className="cf-mono" data-testid="bank-match-account" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={rejecting ? t('cards.bank.rejectTitle', { number: rejecting.applicationNo }) : ''}
        open={!!rejecting}
        onCancel={() => setRejecting(null)}
        onOk={() => void submitReject().catch(() => undefined)}
        confirmLoading={busy}
        okText={t('cards.bank.reject')}
        okButtonProps={{ danger: true, 'data-testid': 'bank-reject-submit' }}
        forceRender
      >
        <Form form={rejectForm} layout="vertical" name="bank-reject">
          <Form.Item
            name="reason"
            label={t('cards.bank.reason')}
            extra={t('cards.bank.reasonHint')}
            rules={[{ required: true, whitespace: true, min: 2, max: 200, message: t('cards.bank.reasonRule') }]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount data-testid="bank-reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
