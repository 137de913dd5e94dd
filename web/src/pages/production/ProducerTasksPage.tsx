import { useState } from 'react';
import { Alert, Button, Card, Form, InputNumber, Modal, Space, Table, Typography } from 'antd';
import { DownloadOutlined, LinkOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import type { PagedResponse } from '../../api/types.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { BatchDrawer, useBatchColumns, type Batch } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Link {
  token: string;
  url: string;
  expiresAt: string;
  maxDownloads: number;
  batchNo: string;
}

/** 制卡任务: the producer's batches, download links and the encrypted package download. */
export default function ProducerTasksPage() {
  const t = useT();
  const { showError } = useFeedback();
  const [page, setPage] = useState({ current: 1, size: 20 });
  const [open, setOpen] = useState<string | null>(null);
  const [linkFor, setLinkFor] = useState<Batch | null>(null);
  const [link, setLink] = useState<Link | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ expiresInHours: number; maxDownloads: number }>();
  const columns = useBatchColumns();
  const batches = useLoad(
    (signal) => api.get<PagedResponse<Batch>>('/batches', { limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [page.current, page.size],
  );

  const createLink = async () => {
    if (!linkFor) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      setLink(await api.post<Link>(`/batches/${linkFor.id}/package-links`, v));
      batches.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-producer-tasks">
      <PageHeader title={t('production.menu.tasks')} hint={t('production.tasks.hint')}>
        <Button icon={<ReloadOutlined />} onClick={batches.reload} data-testid="tasks-reload">
          {t('common.refresh')}
        </Button>
      </PageHeader>
      <Card>
        <Table<Batch>
          rowKey="id"
          columns={[
            // The producer is the one looking: its own name in every row would only squeeze the table.
            ...columns.filter((c) => c.key !== 'producer'),
            { title: t('production.firstDownload'), dataIndex: 'firstDownloadedAt', key: 'dl', width: 170, render: (v: string | null) => formatDateTime(v) || '—' },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 200,
              render: (_, b) => (
                <Space size={4}>
                  <Button size="small" onClick={() => setOpen(b.id)} data-testid={`task-open-${b.batchNo}`}>
                    {t('production.details')}
                  </Button>
                  <Button
                    size="small"
                    type="primary"
                    icon={<LinkOutlined />}
                    disabled={b.status === 'DESTROYED'}
                    onClick={() => {
                      form.setFieldsValue({ expiresInHours: 24, maxDownloads: 3 });
                      setLink(null);
                      setLinkFor(b);
                    }}
                    data-testid={`task-link-${b.batchNo}`}
                  >
                    {t('production.tasks.link')}
                  </Button>
                </Space>
              ),
            },
          ]}
          dataSource={batches.data?.items ?? []}
          loading={batches.loading}
          data-testid="tasks-table"
          pagination={{ current: page.current, pageSize: page.size, total: batches.data?.total ?? 0, onChange: (current, size) => setPage({ current, size }) }}
        />
      </Card>
      <BatchDrawer batchId={open} onClose={() => setOpen(null)} />
      <Modal
        open={linkFor !== null}
        title={linkFor ? `${t('production.tasks.link')} · ${linkFor.batchNo}` : ''}
        onCancel={() => setLinkFor(null)}
        footer={
          link ? (
            <Button onClick={() => setLinkFor(null)} data-testid="task-link-close">
              {t('common.close')}
            </Button>
          ) : (
            <Button type="primary" loading={busy} onClick={() => void createLink()} data-testid="task-link-submit">
              {t('production.tasks.link')}
            </Button>
          )
        }
        destroyOnHidden
      >
        {link ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Alert type="info" showIcon title={t('production.tasks.linkReady', { expiresAt: formatDateTime(link.expiresAt), max: link.maxDownloads })} />
            {/* A plain link: the browser streams the package to disk with the session cookie, nothing is held in memory. */}
            <Button type="primary" icon={<DownloadOutlined />} href={link.url} download={`${link.batchNo}.cfpkg`} data-testid="task-download">
              {t('production.tasks.download')}
            </Button>
            <Typography.Text type="secondary">{t('production.tasks.decryptHint')}</Typography.Text>
          </Space>
        ) : (
          <Form form={form} layout="vertical">
            <Form.Item name="expiresInHours" label={t('production.tasks.expiresInHours')} rules={[{ required: true }]}>
              <InputNumber min={1} max={168} style={{ width: 160 }} data-testid="task-link-hours" />
            </Form.Item>
            <Form.Item name="maxDownloads" label={t('production.tasks.maxDownloads')} rules={[{ required: true }]}>
              <InputNumber min={1} max={10} style={{ width: 160 }} data-testid="task-link-max" />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </div>
  );
}
