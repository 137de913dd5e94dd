import { useState, type HTMLAttributes } from 'react';
import { Alert, Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, ImportOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { useLabel } from './shared.tsx';
import { DepotDialog, ReceiveDialog, SharesDialog, SwapDialog, type ContractStock, type StockLine, type SwapResult } from './SpareDialogs.tsx';

type Dialog = 'depot' | 'receive' | 'swap' | 'shares' | null;

/** 备品备件: per equipment type the stock against the level to keep (a share of outlets served), shortfalls first in sight, and the swap of a spare for a faulty asset. */
export default function SparesPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const { message } = useFeedback();
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<Dialog>(null);

  const all = useLoad((signal) => api.get<{ contracts: ContractStock[] }>('/maintenance/spares/stock', undefined, { signal }), []);
  const contractId = params.get('contract') ?? all.data?.contracts[0]?.contractId;
  const stock = all.data?.contracts.find((c) => c.contractId === contractId);
  const short = stock?.lines.filter((l) => l.shortfall > 0) ?? [];

  const close = () => setDialog(null);
  const done = () => {
    setDialog(null);
    all.reload();
  };
  const swapped = (out?: SwapResult) => {
    done();
    if (out?.shortfall) void message.warning(t('maint.spare.swapShort', { type: label(`maint.asset.type.${out.shortfall.type}`), stock: out.shortfall.stock, required: out.shortfall.required }), 8);
  };

  const columns: TableColumnsType<StockLine> = [
    { title: t('maint.spare.type'), dataIndex: 'type', key: 'type', render: (v: string) => label(`maint.asset.type.${v}`) },
    {
      title: t('maint.spare.share'),
      key: 'share',
      width: 90,
      align: 'right',
      responsive: ['sm'],
      render: (_: unknown, l) => (
        <Space size={4}>
          {`${l.perMille / 10}%`}
          {l.custom && <Tag>{t('maint.spare.custom')}</Tag>}
        </Space>
      ),
    },
    { title: t('maint.spare.required'), dataIndex: 'required', key: 'required', width: 80, align: 'right' },
    ...(stock?.depots ?? []).map((d) => ({
      title: d.name,
      key: `depot-${d.id}`,
      width: 90,
      align: 'right' as const,
      responsive: ['md' as const],
      render: (_: unknown, l: StockLine) => d.stock[l.type] ?? 0,
    })),
    { title: t('maint.spare.stock'), dataIndex: 'stock', key: 'stock', width: 80, align: 'right' },
    {
      title: t('maint.spare.shortfall'),
      key: 'shortfall',
      width: 90,
      align: 'center',
      render: (_: unknown, l) =>
        l.shortfall > 0 ? (
          <Tag color="red" data-testid={`spare-short-${l.type}`}>
            −{l.shortfall}
          </Tag>
        ) : l.required > 0 ? (
          <Tag color="green">{t('maint.spare.enough')}</Tag>
        ) : null,
    },
  ];

  return (
    <div data-testid="page-maint-spares">
      <PageHeader title={t('maint.spare.title')}>
        {stock?.mayKeepStock && (
          <Space wrap>
            <Button type="primary" icon={<SwapOutlined />} disabled={stock.depots.length === 0} onClick={() => setDialog('swap')} data-testid="spare-swap">
              {t('maint.spare.swap')}
            </Button>
            <Button icon={<ImportOutlined />} disabled={stock.depots.length === 0} onClick={() => setDialog('receive')} data-testid="spare-receive">
              {t('maint.spare.receive')}
            </Button>
            <Button icon={<PlusOutlined />} onClick={() => setDialog('depot')} data-testid="spare-new-depot">
              {t('maint.spare.newDepot')}
            </Button>
          </Space>
        )}
      </PageHeader>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space wrap>
          <Select
            style={{ minWidth: 240 }}
            value={contractId}
            onChange={(v: string) => setParams({ contract: v }, { replace: true })}
            options={(all.data?.contracts ?? []).map((c) => ({ value: c.contractId, label: c.contractName }))}
            aria-label={t('maint.spare.contract')}
          />
          {stock && <Typography.Text type="secondary">{t('maint.spare.outlets', { outlets: stock.outlets })}</Typography.Text>}
          {stock && can('maintenance.manage') && (
            <Button icon={<EditOutlined />} onClick={() => setDialog('shares')} data-testid="spare-edit-shares">
              {t('maint.spare.editShares')}
            </Button>
          )}
        </Space>
        {stock &&
          (short.length > 0 ? (
            <Alert
              type="error"
              showIcon
              title={t('maint.spare.shortAlert', { count: short.length, types: short.map((l) => `${label(`maint.asset.type.${l.type}`)} −${l.shortfall}`).join('、') })}
              data-testid="spare-shortfall-alert"
            />
          ) : (
            <Alert type="success" showIcon title={t('maint.spare.allStocked')} />
          ))}
        <Table<StockLine>
          rowKey="type"
          size="small"
          loading={all.loading}
          columns={columns}
          dataSource={stock?.lines ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(l): HTMLAttributes<HTMLElement> & { 'data-short': string } => ({ style: l.shortfall > 0 ? { background: '#fff1f0' } : undefined, 'data-short': l.shortfall > 0 ? 'yes' : 'no' })}
          locale={{ emptyText: <Empty description={t('maint.spare.empty')} /> }}
          data-testid="spare-table"
        />
        {stock && (
          <Card size="small" title={t('maint.spare.depots')}>
            {stock.depots.length === 0 ? (
              <Typography.Text type="secondary">{t('maint.spare.noDepot')}</Typography.Text>
            ) : (
              <Space orientation="vertical" size={4}>
                {stock.depots.map((d) => (
                  <Typography.Text key={d.id}>
                    <Typography.Text strong>{d.name}</Typography.Text> · {d.address} · {t('maint.spare.depotSite')}：{d.siteName}
                  </Typography.Text>
                ))}
              </Space>
            )}
          </Card>
        )}
      </Space>
      {stock && (
        <>
          <DepotDialog open={dialog === 'depot'} stock={stock} onClose={close} onDone={done} />
          <ReceiveDialog open={dialog === 'receive'} stock={stock} onClose={close} onDone={done} />
          <SwapDialog open={dialog === 'swap'} stock={stock} onClose={close} onDone={swapped} />
          <SharesDialog open={dialog === 'shares'} stock={stock} onClose={close} onDone={done} />
        </>
      )}
    </div>
  );
}
