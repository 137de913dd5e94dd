import { useState } from 'react';
import { Button, Card, DatePicker, Form, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../api/client.ts';
import { fetchProgrammes } from '../../api/resources.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useNames, useT } from '../../i18n/index.tsx';
import { formatDateTime, shanghaiToday } from '../../lib/time.ts';
import { download, ProgrammeSelect } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface FeedItem {
  seq: number;
  type: string;
  fromStatus: string | null;
  toStatus: string;
  at: string;
  applicationNo: string;
  cardNo: string | null;
  batchNo: string | null;
}

const LATEST = 100;

export default function WritebackPage() {
  const t = useT();
  const names = useNames();
  const { showError } = useFeedback();
  const [date, setDate] = useState<string>(() => dayjs(shanghaiToday()).subtract(1, 'day').format('YYYY-MM-DD'));
  const [programmeId, setProgrammeId] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const { data: programmes = [] } = useLoad((signal) => fetchProgrammes(signal).catch(() => []), []);
  const feed = useLoad((signal) => api.get<{ items: FeedItem[]; nextCursor: number }>('/card-events', { latest: true, limit: LATEST }, { signal }), []);
  // newest first on screen; the feed itself answers in sequence order
  const rows = [...(feed.data?.items ?? [])].reverse();

  const fetchFile = async (format: 'csv' | 'xlsx') => {
    setBusy(format);
    try {
      await download('/exports/daily', { date, programmeId, format }, `cardflow-${date}.${format}`);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<FeedItem> = [
    { title: t('reports.writeback.seq'), dataIndex: 'seq', key: 'seq', width: 90, render: (v: number) => <span className="cf-mono">{v}</span> },
    { title: t('reports.writeback.at'), dataIndex: 'at', key: 'at', width: 170, render: (v: string) => <span className="cf-nowrap">{formatDateTime(v)}</span> },
    { title: t('reports.writeback.event'), dataIndex: 'type', key: 'type', width: 110, render: (v: string) => <Tag>{names.code('reports.event', v)}</Tag> },
    {
      title: t('reports.writeback.status'),
      key: 'status',
      render: (_, e) => `${e.fromStatus ? `${names.code('reports.cardStatus', e.fromStatus)} → ` : ''}${names.code('reports.cardStatus', e.toStatus)}`,
    },
    { title: t('reports.writeback.applicationNo'), dataIndex: 'applicationNo', key: 'applicationNo', render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('reports.writeback.cardNo'), dataIndex: 'cardNo', key: 'cardNo', render: (v: string | null) => <span className="cf-mono">{v ?? ''}</span> },
    { title: t('reports.writeback.batchNo'), dataIndex: 'batchNo', key: 'batchNo', render: (v: string | null) => <span className="cf-mono cf-nowrap">{v ?? ''}</span> },
  ];

  return (
    <div data-testid="page-writeback">
      <PageHeader title={t('reports.writeback.title')} />
      <Card size="small" title={t('reports.writeback.daily')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('reports.writeback.dailyHint')}</Typography.Paragraph>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('reports.writeback.date')}>
            <DatePicker allowClear={false} value={dayjs(date)} onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))} data-testid="writeback-date" />
          </Form.Item>
          <ProgrammeSelect programmes={programmes} value={programmeId} onChange={setProgrammeId} testId="writeback-programme" />
          <Form.Item>
            <Space>
              <Button type="primary" icon={<DownloadOutlined />} loading={busy === 'csv'} onClick={() => fetchFile('csv')} data-testid="writeback-download-csv">
                {t('reports.writeback.csv')}
              </Button>
              <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => fetchFile('xlsx')} data-testid="writeback-download-xlsx">
                {t('reports.writeback.xlsx')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card
        size="small"
        title={t('reports.writeback.latest')}
        extra={
          <Button size="small" icon={<ReloadOutlined />} onClick={feed.reload} data-testid="writeback-refresh">
            {t('reports.refresh')}
          </Button>
        }
      >
        <Table<FeedItem>
          rowKey="seq"
          size="small"
          loading={feed.loading}
          columns={columns}
          dataSource={rows}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          scroll={{ x: 1000 }}
          data-testid="writeback-events"
          onRow={(e) => ({ 'data-testid': `writeback-event-${e.seq}` }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
    </div>
  );
}
