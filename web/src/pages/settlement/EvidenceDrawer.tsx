import { useState } from 'react';
import { Drawer, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client.ts';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../lib/time.ts';
import { useT } from '../../i18n/index.tsx';
import { useLabel } from './shared.tsx';
import type { EvidenceItem, EvidenceRow, EvidenceValue } from './types.ts';

const PAGE_SIZE = 50;

function cell(v: EvidenceValue, label: (key: string) => string): string {
  if (v === null) return '—';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v);
  if (typeof v === 'boolean') return label(`settle.ev.value.${String(v)}`);
  if (typeof v === 'string' && /^[A-Z][A-Z_]+$/.test(v)) return label(`settle.ev.value.${v}`);
  return String(v);
}

/** The recorded facts behind one line or penalty of a statement (card numbers, batches, breaches, daily SMS figures), paged from the server. */
export function EvidenceDrawer({ statementId, line, title, onClose }: { statementId: string; line: string | null; title: string; onClose: () => void }) {
  const t = useT();
  const label = useLabel();
  const [page, setPage] = useState(1);
  const [shownLine, setShownLine] = useState(line);
  if (line !== shownLine) {
    setShownLine(line);
    setPage(1);
  }
  const rows = useLoad(
    (signal) => api.get<{ items: EvidenceItem[]; total: number }>(`/settlement/statements/${encodeURIComponent(statementId)}/evidence`, { line: line ?? '', limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, { signal }),
    [statementId, line, page],
    { enabled: line !== null },
  );
  const flat: EvidenceRow[] = (rows.data?.items ?? []).map((r) => ({ on: r.on, ...r.details }));
  const keys = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const columns: TableColumnsType<EvidenceRow> = keys.map((k) => ({ title: label(`settle.ev.${k}`), dataIndex: k, key: k, render: (v: EvidenceValue) => cell(v, label) }));
  return (
    <Drawer open={line !== null} onClose={onClose} size={720} title={t('settle.evidence.title', { title })} data-testid="settle-evidence-drawer">
      <Table<EvidenceRow>
        rowKey={(r) => JSON.stringify(r)}
        size="small"
        loading={rows.loading}
        columns={columns}
        dataSource={flat}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: rows.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('settle.evidence.total', { total }) }}
        scroll={{ x: true }}
        data-testid="settle-evidence-table"
      />
    </Drawer>
  );
}
