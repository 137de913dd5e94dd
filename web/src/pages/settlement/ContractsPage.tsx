import { Button, Empty, Select, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { fenText, SETTLE_PERM, useLabel, yuan } from './shared.tsx';
import { SERVICE_KINDS, type ContractView } from './types.ts';

function valueText(c: ContractView): string {
  if (c.value.kind === 'FIXED_TOTAL') return yuan(c.value.total);
  if (c.value.kind === 'CAP') return `≤ ${yuan(c.value.cap)}`;
  return '—';
}

/** 结算合同: the contracts I may see, with their term, cycle, value and what was billed so far. */
export default function ContractsPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const serviceKind = params.get('serviceKind') ?? undefined;
  const contracts = useLoad((signal) => api.get<{ items: ContractView[] }>('/settlement/contracts', { serviceKind }, { signal }), [serviceKind]);

  const columns: TableColumnsType<ContractView> = [
    { title: t('settle.contract.code'), dataIndex: 'code', key: 'code', width: 180 },
    { title: t('settle.contract.name'), dataIndex: 'name', key: 'name' },
    { title: t('settle.contract.supplier'), dataIndex: 'supplierName', key: 'supplier', responsive: ['md'] },
    { title: t('settle.contract.serviceKind'), dataIndex: 'serviceKind', key: 'kind', width: 140, render: (v: string) => label(`settle.service.${v}`) },
    { title: t('settle.contract.term'), key: 'term', width: 210, responsive: ['lg'], render: (_: unknown, c) => `${c.term.start} ~ ${c.term.end}` },
    { title: t('settle.contract.cycle'), dataIndex: 'billingCycle', key: 'cycle', width: 100, render: (v: string) => label(`settle.cycle.${v}`) },
    { title: t('settle.contract.value'), key: 'value', width: 150, align: 'right', render: (_: unknown, c) => valueText(c) },
    { title: t('settle.contract.billed'), key: 'billed', width: 150, align: 'right', render: (_: unknown, c) => yuan(fenText(c.billedToDateFen)) },
  ];

  return (
    <div data-testid="page-settle-contracts">
      <PageHeader title={t('settle.menu.contracts')} hint={t('settle.contracts.hint')}>
        {can(SETTLE_PERM.manage) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/settlement/contracts/new')} data-testid="settle-contract-new">
            {t('settle.contract.new')}
          </Button>
        )}
      </PageHeader>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Select
          allowClear
          style={{ minWidth: 220 }}
          placeholder={t('settle.contract.serviceKind')}
          value={serviceKind}
          onChange={(v?: string) => setParams(v ? { serviceKind: v } : {}, { replace: true })}
          options={SERVICE_KINDS.map((k) => ({ value: k, label: label(`settle.service.${k}`) }))}
        />
        <Table<ContractView>
          rowKey="id"
          size="small"
          loading={contracts.loading}
          columns={columns}
          dataSource={contracts.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(c) => ({ onClick: () => navigate(`/settlement/contracts/${c.id}`), style: { cursor: 'pointer' } })}
          locale={{ emptyText: <Empty description={t('settle.contracts.empty')} /> }}
          data-testid="settle-contracts-table"
        />
      </Space>
    </div>
  );
}
