import { useState } from 'react';
import { Button, Descriptions, Empty, Space, Table, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageLoading } from '../../components/PageStates.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { ContractEditor } from './ContractEditor.tsx';
import { fenText, SETTLE_PERM, StatusTag, useLabel, yuan } from './shared.tsx';
import type { ContractView, Period, StatementSummary, StatementView } from './types.ts';

/** The billing periods of a contract with their statement (or a button to draft it), and every statement including adjustments. */
function Statements({ contract }: { contract: ContractView }) {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { showError } = useFeedback();
  const [drafting, setDrafting] = useState<string | null>(null);
  const periods = useLoad((signal) => api.get<{ items: Period[] }>(`/settlement/contracts/${encodeURIComponent(contract.id)}/periods`, undefined, { signal }), [contract.id]);
  const statements = useLoad((signal) => api.get<{ items: StatementSummary[]; total: number }>('/settlement/statements', { contractId: contract.id, limit: 200 }, { signal }), [contract.id]);

  const draft = async (p: Period) => {
    setDrafting(p.start);
    try {
      const s = await api.post<StatementView>('/settlement/statements', { contractId: contract.id, periodStart: p.start, periodEnd: p.end });
      navigate(`/settlement/statements/${s.id}`);
    } catch (err) {
      showError(err);
    } finally {
      setDrafting(null);
    }
  };

  const periodColumns: TableColumnsType<Period> = [
    { title: t('settle.statement.period'), key: 'period', render: (_: unknown, p) => `${p.start} ~ ${p.end}` },
    { title: t('settle.statement.due'), dataIndex: 'due', key: 'due', width: 120, responsive: ['md'], render: (v?: string | null) => v ?? '—' },
    { title: t('settle.statement.status'), key: 'status', width: 120, render: (_: unknown, p) => (p.status ? <StatusTag status={p.status} /> : <Tag>{t('settle.period.none')}</Tag>) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_: unknown, p) =>
        p.statementId ? (
          <Link to={`/settlement/statements/${p.statementId}`} data-testid={`period-open-${p.start}`}>
            {t('settle.period.open')}
          </Link>
        ) : (
          can(SETTLE_PERM.manage) && (
            <Button size="small" type="primary" icon={<FileAddOutlined />} loading={drafting === p.start} onClick={() => void draft(p)} data-testid={`period-draft-${p.start}`}>
              {t('settle.period.draft')}
            </Button>
          )
        ),
    },
  ];
  const statementColumns: TableColumnsType<StatementSummary> = [
    { title: t('settle.statement.period'), key: 'period', render: (_: unknown, s) => <Link to={`/settlement/statements/${s.id}`}>{`${s.periodStart} ~ ${s.periodEnd}`}</Link> },
    { title: t('settle.statement.kind'), dataIndex: 'kind', key: 'kind', width: 110, render: (v: string) => label(`settle.kind.${v}`) },
    { title: t('settle.statement.status'), key: 'status', width: 110, render: (_: unknown, s) => <StatusTag status={s.status} /> },
    { title: t('settle.statement.netPayable'), dataIndex: 'netPayable', key: 'net', width: 160, align: 'right', render: (v: string) => yuan(v) },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Table<Period>
        rowKey="start"
        size="small"
        loading={periods.loading}
        columns={periodColumns}
        dataSource={periods.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('settle.period.empty')} /> }}
        data-testid="settle-periods"
      />
      <Table<StatementSummary>
        rowKey="id"
        size="small"
        title={() => t('settle.statement.all')}
        loading={statements.loading}
        columns={statementColumns}
        dataSource={statements.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="settle-statements"
      />
    </Space>
  );
}

/** One settlement contract: its statements by period, and its terms in the editor (new contracts open in the editor). */
export default function ContractPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const contract = useLoad((signal) => api.get<ContractView>(`/settlement/contracts/${encodeURIComponent(id)}`, undefined, { signal }), [id], { enabled: !isNew });
  const c = contract.data;

  if (isNew)
    return (
      <div data-testid="page-settle-contract">
        <PageHeader title={t('settle.contract.new')} />
        <ContractEditor contract={null} onSaved={(saved) => navigate(`/settlement/contracts/${saved.id}`, { replace: true })} />
      </div>
    );
  if (!c) return <PageLoading />;
  return (
    <div data-testid="page-settle-contract">
      <PageHeader title={`${c.code} ${c.name}`} />
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }} data-testid="settle-contract-facts">
        <Descriptions.Item label={t('settle.contract.authority')}>{c.authorityName}</Descriptions.Item>
        <Descriptions.Item label={t('settle.contract.supplier')}>{c.supplierName}</Descriptions.Item>
        <Descriptions.Item label={t('settle.contract.serviceKind')}>{label(`settle.service.${c.serviceKind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('settle.contract.term')}>
          {`${c.term.start} ~ ${c.term.end}`}
          {c.term.renewal && ` · ${t('settle.contract.renewals', { taken: c.term.renewal.taken, max: c.term.renewal.max })}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('settle.contract.cycle')}>{label(`settle.cycle.${c.billingCycle}`)}</Descriptions.Item>
        <Descriptions.Item label={t('settle.contract.billed')}>
          {yuan(fenText(c.billedToDateFen))}
          {c.value.kind === 'CAP' && ` / ${yuan(c.value.cap)}`}
          {c.value.kind === 'FIXED_TOTAL' && ` / ${yuan(c.value.total)}`}
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        items={[
          { key: 'statements', label: t('settle.tab.statements'), children: <Statements contract={c} /> },
          { key: 'terms', label: t('settle.tab.terms'), children: <ContractEditor contract={c} readOnly={!can(SETTLE_PERM.manage)} onSaved={(saved) => contract.setData(saved)} /> },
        ]}
        data-testid="settle-contract-tabs"
      />
    </div>
  );
}
