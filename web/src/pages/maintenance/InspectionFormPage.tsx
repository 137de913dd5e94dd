import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Descriptions, Input, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined, SaveOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageLoading } from '../../components/PageStates.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useT } from '../../i18n/index.tsx';
import { download, useLabel } from './shared.tsx';
import type { AnswerResult } from './VisitShared.tsx';

interface Round {
  id: string;
  contractName: string;
  siteName: string;
  day: string;
  status: 'OPEN' | 'SIGNED';
  items: { code: string; category: string; zh: string; en: string }[];
  answers: { code: string; result: AnswerResult; note: string | null; ticketId: string | null; ticketNo: string | null }[];
  itemCount: number;
  openedByName: string | null;
  signedByName: string | null;
  signedAtLocal: string | null;
  mayFill: boolean;
}
type Draft = Record<string, { result: AnswerResult; note: string; raiseTicket: boolean }>;

const RESULTS: AnswerResult[] = ['OK', 'PROBLEM', 'NA'];

/** The daily round an engineer fills in on a phone in the server room: each item OK / problem (note, optionally a ticket) / not applicable, then signed. */
export default function InspectionFormPage() {
  const t = useT();
  const label = useLabel();
  const [locale] = useLocale();
  const { id = '' } = useParams();
  const { showError, showSuccess } = useFeedback();
  const [draft, setDraft] = useState<Draft>({});
  const [busy, setBusy] = useState(false);
  const path = `/maintenance/inspections/rounds/${encodeURIComponent(id)}`;
  const { data, loading, setData } = useLoad((signal) => api.get<Round>(path, undefined, { signal }), [id]);

  useEffect(() => {
    if (data) setDraft(Object.fromEntries(data.answers.map((a) => [a.code, { result: a.result, note: a.note ?? '', raiseTicket: false }])));
  }, [data]);

  if (!data) return loading ? <PageLoading /> : null;

  const answered = data.items.filter((i) => draft[i.code]).length;
  const problemWithoutNote = data.items.some((i) => draft[i.code]?.result === 'PROBLEM' && !draft[i.code]!.note.trim());
  const editable = data.mayFill;
  const tickets = new Map(data.answers.filter((a) => a.ticketNo).map((a) => [a.code, a]));

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    const answers = data.items.flatMap((i) => {
      const a = draft[i.code];
      return a ? [{ code: i.code, result: a.result, note: a.note.trim() || null, raiseTicket: a.result === 'PROBLEM' && a.raiseTicket }] : [];
    });
    setData(await api.put<Round>(`${path}/answers`, { answers }));
  };
  const set = (code: string, patch: Partial<Draft[string]>) => setDraft((d) => ({ ...d, [code]: { result: d[code]?.result ?? 'OK', note: d[code]?.note ?? '', raiseTicket: d[code]?.raiseTicket ?? false, ...patch } }));

  return (
    <div data-testid="page-maint-inspection">
      <PageHeader title={data.siteName}>
        <Space wrap>
          <Link to="/maintenance/inspections">
            <Button icon={<ArrowLeftOutlined />}>{t('maint.insp.back')}</Button>
          </Link>
          <Button icon={<FilePdfOutlined />} loading={busy} onClick={() => run(() => download(`${path}/record.pdf`, {}, `inspection-record-${data.day}.pdf`))} data-testid="insp-pdf">
            {t('maint.insp.pdf')}
          </Button>
        </Space>
      </PageHeader>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small">
          <Descriptions column={{ xs: 1, sm: 2 }} size="small">
            <Descriptions.Item label={t('maint.insp.day')}>{data.day}</Descriptions.Item>
            <Descriptions.Item label={t('maint.insp.state')}>
              <Tag color={data.status === 'SIGNED' ? 'success' : 'processing'}>{label(`maint.insp.state.${data.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('maint.insp.engineer')}>{data.signedByName ?? data.openedByName ?? ''}</Descriptions.Item>
            <Descriptions.Item label={t('maint.visit.contract')}>{data.contractName}</Descriptions.Item>
          </Descriptions>
          <Typography.Text type="secondary" data-testid="insp-answered">
            {t('maint.visit.answered', { answered, total: data.items.length })}
          </Typography.Text>
        </Card>

        {data.items.map((item, n) => {
          const a = draft[item.code];
          const ticket = tickets.get(item.code);
          const text = locale === 'zh-CN' ? item.zh : item.en;
          return (
            <div key={item.code} data-testid={`insp-item-${item.code}`} data-result={a?.result ?? ''}>
              <Card size="small">
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  <Typography.Text>
                    <Typography.Text type="secondary">{n + 1}. </Typography.Text>
                    <Tag>{item.category}</Tag>
                    {text}
                  </Typography.Text>
                  <Radio.Group
                    value={a?.result}
                    disabled={!editable}
                    optionType="button"
                    buttonStyle="solid"
                    block
                    onChange={(e) => set(item.code, { result: e.target.value as AnswerResult })}
                    options={RESULTS.map((r) => ({ value: r, label: t(`maint.visit.result.${r}`) }))}
                    aria-label={text}
                  />
                  {a?.result === 'PROBLEM' && (
                    <>
                      <Input.TextArea
                        value={a.note}
                        disabled={!editable}
                        maxLength={500}
                        autoSize={{ minRows: 2, maxRows: 5 }}
                        placeholder={t('maint.visit.noteRequired')}
                        status={a.note.trim() ? undefined : 'error'}
                        aria-label={t('maint.visit.note')}
                        onChange={(e) => set(item.code, { note: e.target.value })}
                        data-testid={`insp-note-${item.code}`}
                      />
                      {ticket?.ticketId ? (
                        <Link to={`/maintenance/tickets/${ticket.ticketId}`} data-testid={`insp-ticket-${item.code}`}>
                          {t('maint.insp.ticket', { ticketNo: ticket.ticketNo ?? '' })}
                        </Link>
                      ) : (
                        editable && (
                          <Checkbox checked={a.raiseTicket} onChange={(e) => set(item.code, { raiseTicket: e.target.checked })} data-testid={`insp-raise-${item.code}`}>
                            {t('maint.insp.raiseTicket')}
                          </Checkbox>
                        )
                      )}
                    </>
                  )}
                </Space>
              </Card>
            </div>
          );
        })}

        {editable && (
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            <Button block icon={<SaveOutlined />} loading={busy} disabled={problemWithoutNote} onClick={() => run(async () => (await save(), showSuccess(t('maint.visit.saved'))))} data-testid="insp-save">
              {t('maint.visit.save')}
            </Button>
            {answered < data.items.length && <Alert type="warning" showIcon title={t('maint.visit.unanswered', { count: data.items.length - answered })} />}
            <Popconfirm
              title={t('maint.insp.signHint')}
              onConfirm={() =>
                run(async () => {
                  await save();
                  setData(await api.post<Round>(`${path}/sign`, {}));
                  showSuccess(t('maint.insp.signed'));
                })
              }
            >
              <Button type="primary" block loading={busy} disabled={answered < data.items.length || problemWithoutNote} data-testid="insp-sign">
                {t('maint.insp.sign')}
              </Button>
            </Popconfirm>
          </Space>
        )}
        {data.status === 'SIGNED' && <Alert type="success" showIcon title={t('maint.insp.signedBy', { name: data.signedByName ?? '', at: data.signedAtLocal ?? '' })} data-testid="insp-signed" />}
      </Space>
    </div>
  );
}
