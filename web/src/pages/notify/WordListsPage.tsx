import { useState } from 'react';
import { Alert, Button, Card, Drawer, Input, Space, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api, isApiError } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { HeldAlert } from './HeldAlert.tsx';
import { useCodeLabel } from './shared.tsx';

interface Version {
  version: number;
  note: string | null;
  active: boolean;
  words: number;
  createdBy: string;
  createdAt: string;
}

interface Detail extends Omit<Version, 'words'> {
  words: string[];
  diff: { previousVersion: number | null; added: string[]; removed: string[] };
}

interface BadLine {
  line: number;
  text: string;
  reason: string;
}

function VersionDrawer({ version, onClose }: { version: number | null; onClose: () => void }) {
  const t = useT();
  const { data } = useLoad((signal) => api.get<Detail>(`/sms/word-lists/${version}`, undefined, { signal }), [version], { enabled: version !== null });
  const tags = (words: string[], color?: string) => (words.length === 0 ? <Typography.Text type="secondary">—</Typography.Text> : words.map((w) => <Tag key={w} color={color}>{w}</Tag>));
  return (
    <Drawer open={version !== null} onClose={onClose} size="large" title={t('sms.words.versionTitle', { version: version ?? 0 })}>
      {data && (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="sms-words-detail">
          <Typography.Title level={5}>{t('sms.words.added', { previous: data.diff.previousVersion ?? '—' })}</Typography.Title>
          <div>{tags(data.diff.added, 'green')}</div>
          <Typography.Title level={5}>{t('sms.words.removed')}</Typography.Title>
          <div>{tags(data.diff.removed, 'red')}</div>
          <Typography.Title level={5}>{t('sms.words.all', { count: data.words.length })}</Typography.Title>
          <div>{tags(data.words)}</div>
        </Space>
      )}
    </Drawer>
  );
}

/** 敏感词库: versions of the sensitive-word list; a new version from the text box or a UTF-8 file, one word per line. */
export default function WordListsPage() {
  const t = useT();
  const label = useCodeLabel();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const { data, loading, reload } = useLoad((signal) => api.get<{ items: Version[] }>('/sms/word-lists', undefined, { signal }), []);
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [bad, setBad] = useState<BadLine[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);

  const startFromActive = async () => {
    const active = data?.items.find((v) => v.active);
    if (!active) return;
    try {
      setText((await api.get<Detail>(`/sms/word-lists/${active.version}`)).words.join('\n'));
    } catch (err) {
      showError(err);
    }
  };

  const save = async () => {
    setBusy(true);
    setBad(null);
    try {
      const saved = await api.post<Version>('/sms/word-lists', { words: text.split(/\r?\n/), note: note.trim() || undefined });
      showSuccess(t('sms.words.saved', { version: saved.version, count: saved.words }));
      setText('');
      setNote('');
      reload();
    } catch (err) {
      if (isApiError(err, 'SMS_WORD_LIST_INVALID')) setBad((err.details as { lines: BadLine[] }).lines);
      else showError(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<Version> = [
    { title: t('sms.words.version'), dataIndex: 'version', key: 'version', width: 80, render: (v: number, r) => (r.active ? <Space>{v}<Tag color="green">{t('sms.words.active')}</Tag></Space> : v) },
    { title: t('sms.words.count'), dataIndex: 'words', key: 'words', width: 90, align: 'right' },
    { title: t('sms.words.note'), dataIndex: 'note', key: 'note' },
    { title: t('sms.words.createdBy'), dataIndex: 'createdBy', key: 'createdBy', width: 140 },
    { title: t('sms.msg.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '', key: 'view', width: 80, render: (_: unknown, r) => <Button size="small" onClick={() => setViewing(r.version)}>{t('sms.words.view')}</Button> },
  ];

  return (
    <div data-testid="page-sms-words">
      <PageHeader title={t('sms.menu.words')} />
      <HeldAlert />
      <Table<Version> rowKey="version" size="small" loading={loading} columns={columns} dataSource={data?.items ?? []} pagination={false} locale={{ emptyText: t('sms.words.none') }} />
      {can('sms.manage') && (
        <Card size="small" title={t('sms.words.new')} style={{ marginTop: 16 }} data-testid="sms-words-new">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">{t('sms.words.hint')}</Typography.Text>
            <Space wrap>
              <Button onClick={() => void startFromActive()} disabled={!data?.items.some((v) => v.active)}>
                {t('sms.words.fromActive')}
              </Button>
              <Upload
                accept=".txt,text/plain"
                showUploadList={false}
                beforeUpload={(file) => {
                  void file.text().then(setText);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />}>{t('sms.words.upload')}</Button>
              </Upload>
            </Space>
            <Input.TextArea rows={8} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('sms.words.placeholder')} data-testid="sms-words-text" />
            <Input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} placeholder={t('sms.words.note')} />
            {bad && (
              <Alert
                type="error"
                showIcon
                title={t('sms.words.badLines', { count: bad.length })}
                description={
                  <ul style={{ margin: 0 }} data-testid="sms-words-bad">
                    {bad.map((b) => (
                      <li key={b.line}>{t('sms.words.badLine', { line: b.line, text: b.text, reason: label('sms.words.reason', b.reason) })}</li>
                    ))}
                  </ul>
                }
              />
            )}
            <Button type="primary" loading={busy} onClick={() => void save()} data-testid="sms-words-save">
              {t('sms.words.save')}
            </Button>
          </Space>
        </Card>
      )}
      <VersionDrawer version={viewing} onClose={() => setViewing(null)} />
    </div>
  );
}
