import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { isApiError, requestRaw } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLocale, useT } from '../../i18n/index.tsx';
import { messageForCode } from '../../lib/serverRules.ts';
import { normaliseBankAccount } from '@shared/validators/bank-account.ts';

export interface RowProblem {
  row: number;
  field: string;
  code: string;
}

/** The server checks again; this only spares the clerk a round trip. */
export function bankAccountOk(raw: string): boolean {
  return 'value' in normaliseBankAccount(raw);
}

/** Hands a fetched file to the browser as a download (the request needed the session cookie). */
export async function saveResponse(res: Response, fileName: string): Promise<void> {
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Every bad row of a refused file: line, field and the server's message for the code. */
export function RowProblemsTable({ rows, testId }: { rows: RowProblem[]; testId: string }) {
  const t = useT();
  const [locale] = useLocale();
  return (
    <Table<RowProblem>
      rowKey={(r, i) => `${r.row}-${r.field}-${i ?? 0}`}
      size="small"
      dataSource={rows}
      data-testid={testId}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      columns={[
        { title: t('cards.upload.row'), dataIndex: 'row', key: 'row', width: 80 },
        { title: t('cards.upload.field'), dataIndex: 'field', key: 'field', width: 160, render: (v: string) => <span className="cf-mono">{v}</span> },
        {
          title: t('cards.upload.error'),
          dataIndex: 'code',
          key: 'code',
          render: (code: string) => (
            <span data-code={code}>
              {messageForCode(locale, code)}
              <Typography.Text type="secondary" className="cf-mono" style={{ marginInlineStart: 8, fontSize: 12 }}>
                {code}
              </Typography.Text>
            </span>
          ),
        },
      ]}
    />
  );
}

/**
 * A CSV upload card: pick a file, send it as text/csv, and show either the success line (from the
 * answer) or every bad row the server listed. `testPrefix` names the controls (`-file`, `-upload`, …).
 */
export function CsvUploadCard<T>(props: {
  title: string;
  hint: string;
  path: string | null;
  errorCode: string;
  testPrefix: string;
  success: (answer: T) => string;
  onDone: () => void;
}) {
  const t = useT();
  const { showError } = useFeedback();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ message: string; rows: RowProblem[] } | null>(null);

  const submit = async () => {
    if (!file || !props.path) return;
    setBusy(true);
    setDone(null);
    setFailure(null);
    try {
      const res = await requestRaw('POST', props.path, { body: file.text, contentType: 'text/csv', accept: 'application/json' });
      setDone(props.success((await res.json()) as T));
      props.onDone();
    } catch (err) {
      if (isApiError(err) && err.code === props.errorCode) {
        const rows = (err.details as { rows?: RowProblem[] } | null)?.rows;
        setFailure({ message: err.message, rows: Array.isArray(rows) ? rows : [] });
      } else if (isApiError(err)) setFailure({ message: err.message, rows: [] });
      else showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={props.title} style={{ marginTop: 16 }} data-testid={`${props.testPrefix}-card`}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {props.hint}
      </Typography.Paragraph>
      <Space wrap>
        <Upload
          accept=".csv,text/csv"
          showUploadList={false}
          maxCount={1}
          beforeUpload={(f) => {
            void f.text().then((text) => {
              setFile({ name: f.name, text });
              setDone(null);
              setFailure(null);
            });
            return Upload.LIST_IGNORE;
          }}
        >
          <Button icon={<UploadOutlined />} data-testid={`${props.testPrefix}-file`}>
            {t('cards.upload.file')}
          </Button>
        </Upload>
        {file && <Typography.Text data-testid={`${props.testPrefix}-file-name`}>{file.name}</Typography.Text>}
        <Button type="primary" disabled={!file || !props.path} loading={busy} onClick={() => void submit()} data-testid={`${props.testPrefix}-upload`}>
          {t('cards.upload.submit')}
        </Button>
      </Space>
      {done && <Alert type="success" showIcon style={{ marginTop: 12 }} title={done} data-testid={`${props.testPrefix}-ok`} />}
      {failure && (
        <div style={{ marginTop: 12 }} data-testid={`${props.testPrefix}-failure`}>
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={failure.rows.length ? t('cards.upload.failed', { count: failure.rows.length }) : failure.message}
            description={failure.rows.length ? failure.message : undefined}
          />
          {failure.rows.length > 0 && <RowProblemsTable rows={failure.rows} testId={`${props.testPrefix}-errors`} />}
        </div>
      )}
    </Card>
  );
}

interface RowAction {
  label: string;
  icon: ReactNode;
  testId: string;
  onClick: () => void;
}

/** The two buttons of a queue row: the positive decision and the negative one (match / refuse, produced / wasted). */
export function DecisionButtons({ yes, no }: { yes: RowAction; no: RowAction }) {
  return (
    <Space size={4} wrap={false}>
      <Button size="small" type="primary" icon={yes.icon} onClick={yes.onClick} data-testid={yes.testId}>
        {yes.label}
      </Button>
      <Button size="small" danger icon={no.icon} onClick={no.onClick} data-testid={no.testId}>
        {no.label}
      </Button>
    </Space>
  );
}
