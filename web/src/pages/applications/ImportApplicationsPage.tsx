import { useState } from 'react';
import { Alert, Button, Card, Form, Select, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { ApiError, isApiError, requestRaw } from '../../api/client.ts';
import { fetchProgrammes } from '../../api/resources.ts';
import type { ImportRowError } from '../../api/types.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useT } from '../../i18n/index.tsx';
import { messageForCode } from '../../lib/serverRules.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Picked {
  name: string;
  text: string;
  contentType: 'text/csv' | 'application/x-ndjson';
}

function contentTypeOf(name: string, text: string): Picked['contentType'] {
  if (/\.(jsonl|ndjson)$/i.test(name)) return 'application/x-ndjson';
  if (/\.csv$/i.test(name)) return 'text/csv';
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'application/x-ndjson' : 'text/csv';
}

export default function ImportApplicationsPage() {
  const t = useT();
  const [locale] = useLocale();
  const { showError } = useFeedback();
  const { data: programmes = [] } = useLoad((signal) => fetchProgrammes(signal), []);
  const [programmeId, setProgrammeId] = useState<string | undefined>();
  const [file, setFile] = useState<Picked | null>(null);
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<number | null>(null);
  const [failure, setFailure] = useState<{ message: string; rows: ImportRowError[]; reportId?: string } | null>(null);
  const [downloading, setDownloading] = useState(false);

  const submit = async () => {
    if (!programmeId || !file) return;
    setBusy(true);
    setImported(null);
    setFailure(null);
    try {
      const res = await requestRaw('POST', '/applications/import', {
        query: { programmeId },
        body: file.text,
        contentType: file.contentType,
        accept: 'application/json',
      });
      const data = (await res.json()) as { imported?: number };
      setImported(data.imported ?? 0);
    } catch (err) {
      if (isApiError(err) && err.code === 'APPLICATION_IMPORT_INVALID') {
        const d = (err.details ?? {}) as { rows?: ImportRowError[]; reportId?: string };
        setFailure({ message: err.message, rows: Array.isArray(d.rows) ? d.rows : [], reportId: typeof d.reportId === 'string' ? d.reportId : undefined });
      } else if (isApiError(err)) {
        setFailure({ message: err.message, rows: [] });
      } else showError(err);
    } finally {
      setBusy(false);
    }
  };

  /** The report needs the session cookie, so it is fetched and handed to the browser as a blob. */
  const downloadReport = async (reportId: string) => {
    setDownloading(true);
    try {
      const res = await requestRaw('GET', `/import-reports/${encodeURIComponent(reportId)}`, { accept: 'text/csv' });
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `import-errors-${reportId}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      showError(err instanceof ApiError ? err : new Error(String(err)));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div data-testid="page-application-import">
      <PageHeader title={t('import.title')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="vertical" style={{ maxWidth: 520 }}>
          <Form.Item label={t('import.programme')} required>
            <Select
              value={programmeId}
              onChange={setProgrammeId}
              data-testid="import-programme"
              showSearch={{ optionFilterProp: 'label' }}
              options={programmes.map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
          <Form.Item label={t('import.file')} required extra={t('import.hint')}>
            <Space>
              <Upload
                accept=".csv,.jsonl,.ndjson,text/csv"
                showUploadList={false}
                maxCount={1}
                beforeUpload={(f) => {
                  void f.text().then((text) => {
                    setFile({ name: f.name, text, contentType: contentTypeOf(f.name, text) });
                    setImported(null);
                    setFailure(null);
                  });
                  return Upload.LIST_IGNORE;
                }}
              >
                <Button icon={<UploadOutlined />} data-testid="import-file">
                  {t('import.file')}
                </Button>
              </Upload>
              {file && (
                <Typography.Text data-testid="import-file-name">
                  {file.name}
                </Typography.Text>
              )}
            </Space>
          </Form.Item>
          <Button type="primary" disabled={!programmeId || !file} loading={busy} onClick={() => void submit()} data-testid="import-submit">
            {t('import.submit')}
          </Button>
        </Form>
      </Card>
      {imported !== null && <Alert type="success" showIcon data-testid="import-ok" title={t('import.ok', { count: imported })} style={{ marginBottom: 16 }} />}
      {failure && (
        <Card size="small" data-testid="import-failure">
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={failure.rows.length ? t('import.failed', { count: failure.rows.length }) : failure.message}
            description={failure.rows.length ? failure.message : undefined}
            action={
              failure.reportId && (
                <Button size="small" icon={<DownloadOutlined />} loading={downloading} onClick={() => void downloadReport(failure.reportId!)} data-testid="import-report">
                  {t('import.report')}
                </Button>
              )
            }
          />
          {failure.rows.length > 0 && (
            <Table<ImportRowError>
              rowKey={(r, i) => `${r.row}-${r.field ?? ''}-${i ?? 0}`}
              size="small"
              dataSource={failure.rows}
              data-testid="import-errors"
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              columns={[
                { title: t('import.row'), dataIndex: 'row', key: 'row', width: 80 },
                { title: t('import.field'), dataIndex: 'field', key: 'field', width: 180, render: (v: string | null) => <span className="cf-mono">{v ?? '—'}</span> },
                {
                  title: t('import.error'),
                  dataIndex: 'error',
                  key: 'error',
                  render: (code: string) => (
                    <span data-code={code}>
                      {messageForCode(locale, code)}
                      {messageForCode(locale, code) !== code && (
                        <Typography.Text type="secondary" className="cf-mono" style={{ marginInlineStart: 8, fontSize: 12 }}>
                          {code}
                        </Typography.Text>
                      )}
                    </span>
                  ),
                },
              ]}
            />
          )}
        </Card>
      )}
    </div>
  );
}
