import { useState } from 'react';
import { Descriptions, Drawer, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client.ts';
import type { PagedResponse } from '../../api/types.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useNames, useT, type MessageKey } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';

export interface Batch {
  id: string;
  batchNo: string;
  programmeId: string;
  programmeName: string;
  programmeKind: string;
  producerOrgId: string;
  producerName: string;
  status: 'OPEN' | 'COMPLETED' | 'DESTROYED';
  cardCount: number;
  createdBy: string;
  ruleId: string | null;
  createdAt: string;
  dataReleasedAt: string;
  firstDownloadedAt: string | null;
  productionDueAt: string;
  deliveryDueAt: string | null;
  completedAt: string | null;
  destroyAfter: string | null;
  destroyedAt: string | null;
  sla: 'ON_TIME' | 'AT_RISK' | 'OVERDUE' | 'DONE_ON_TIME' | 'DONE_LATE';
}

export interface BatchDetail extends Batch {
  cardsByStatus: Record<string, number>;
}

interface BatchCard {
  id: string;
  packingSeq: number;
  applicationNo: string;
  nameMasked: string;
  attemptNo: number;
  status: string;
  cardNo: string | null;
  productionDueAt: string | null;
  deliveryDueAt: string | null;
}

const SLA_COLOR: Record<Batch['sla'], string> = { ON_TIME: 'green', AT_RISK: 'orange', OVERDUE: 'red', DONE_ON_TIME: 'blue', DONE_LATE: 'volcano' };
const STATUS_COLOR: Record<Batch['status'], string> = { OPEN: 'processing', COMPLETED: 'success', DESTROYED: 'default' };

export function SlaTag({ sla }: { sla: Batch['sla'] }) {
  const t = useT();
  return (
    <Tag color={SLA_COLOR[sla]} data-testid={`sla-${sla}`}>
      {t(`production.sla.${sla}` as MessageKey)}
    </Tag>
  );
}

export function BatchStatusTag({ status }: { status: Batch['status'] }) {
  const t = useT();
  return <Tag color={STATUS_COLOR[status]}>{t(`production.status.${status}` as MessageKey)}</Tag>;
}

/** The batch list columns both the authority's and the producer's pages show. */
export function useBatchColumns(): TableColumnsType<Batch> {
  const t = useT();
  return [
    { title: t('production.batchNo'), dataIndex: 'batchNo', key: 'batchNo', width: 190, render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('production.programme'), dataIndex: 'programmeName', key: 'programme', width: 240 },
    { title: t('production.producer'), dataIndex: 'producerName', key: 'producer', width: 200 },
    { title: t('production.status'), dataIndex: 'status', key: 'status', width: 100, render: (v: Batch['status']) => <BatchStatusTag status={v} /> },
    { title: t('production.cards'), dataIndex: 'cardCount', key: 'cards', width: 80, align: 'right' },
    { title: t('production.productionDue'), dataIndex: 'productionDueAt', key: 'due', width: 170, render: (v: string) => <span className="cf-nowrap">{formatDateTime(v)}</span> },
    { title: t('production.sla'), dataIndex: 'sla', key: 'sla', width: 100, render: (v: Batch['sla']) => <SlaTag sla={v} /> },
  ];
}

/** A batch's facts and its cards in packing order (masked names only), in a drawer. */
export function BatchDrawer({ batchId, onClose }: { batchId: string | null; onClose: () => void }) {
  const t = useT();
  const names = useNames();
  const [page, setPage] = useState({ current: 1, size: 50 });
  const detail = useLoad((signal) => api.get<BatchDetail>(`/batches/${batchId}`, undefined, { signal }), [batchId], { enabled: batchId !== null });
  const cards = useLoad(
    (signal) => api.get<PagedResponse<BatchCard>>(`/batches/${batchId}/cards`, { limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [batchId, page.current, page.size],
    { enabled: batchId !== null },
  );
  const b = detail.data;
  const columns: TableColumnsType<BatchCard> = [
    { title: t('production.packingSeq'), dataIndex: 'packingSeq', key: 'seq', width: 70 },
    { title: t('production.applicationNo'), dataIndex: 'applicationNo', key: 'no', render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('production.name'), dataIndex: 'nameMasked', key: 'name', width: 90 },
    { title: t('production.cardStatus'), dataIndex: 'status', key: 'status', width: 100, render: (v: string) => <Tag data-status={v}>{names.code('reports.cardStatus', v)}</Tag> },
    { title: t('production.cardNo'), dataIndex: 'cardNo', key: 'cardNo', render: (v: string | null) => v ?? '—' },
    { title: t('production.productionDue'), dataIndex: 'productionDueAt', key: 'due', width: 170, render: (v: string | null) => formatDateTime(v) },
  ];
  return (
    <Drawer open={batchId !== null} onClose={onClose} size="large" title={b ? `${t('production.batch')} ${b.batchNo}` : t('production.batch')} data-testid="batch-drawer">
      {b && (
        <Descriptions column={2} size="small" bordered data-testid="batch-detail">
          <Descriptions.Item label={t('production.programme')}>{b.programmeName}</Descriptions.Item>
          <Descriptions.Item label={t('production.producer')}>{b.producerName}</Descriptions.Item>
          <Descriptions.Item label={t('production.status')}>
            <BatchStatusTag status={b.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('production.sla')}>
            <SlaTag sla={b.sla} />
          </Descriptions.Item>
          <Descriptions.Item label={t('production.cards')}>
            <span data-testid="batch-detail-counts">
              {b.cardCount}（{Object.entries(b.cardsByStatus).map(([s, n]) => `${names.code('reports.cardStatus', s)} ${n}`).join('，')}）
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('production.createdAt')}>{formatDateTime(b.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('production.productionDue')}>{formatDateTime(b.productionDueAt)}</Descriptions.Item>
          <Descriptions.Item label={t('production.deliveryDue')}>{formatDateTime(b.deliveryDueAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('production.firstDownload')}>{formatDateTime(b.firstDownloadedAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('production.completedAt')}>{formatDateTime(b.completedAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('production.destroyAfter')}>{formatDateTime(b.destroyAfter) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('production.destroyedAt')}>{formatDateTime(b.destroyedAt) || '—'}</Descriptions.Item>
        </Descriptions>
      )}
      <Table<BatchCard>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={cards.data?.items ?? []}
        loading={cards.loading}
        data-testid="batch-cards"
        pagination={{ current: page.current, pageSize: page.size, total: cards.data?.total ?? 0, onChange: (current, size) => setPage({ current, size }) }}
      />
    </Drawer>
  );
}
