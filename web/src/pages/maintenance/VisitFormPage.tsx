import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, Radio, Space, Typography } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined, SaveOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageLoading } from '../../components/PageStates.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useT } from '../../i18n/index.tsx';
import { download, useLabel } from './shared.tsx';
import { SignaturePad, VisitStatusTag, type AnswerResult, type SignaturePadHandle, type VisitDetail } from './VisitShared.tsx';

type Draft = Record<string, { result: AnswerResult; note: string }>;

const RESULTS: AnswerResult[] = ['OK', 'PROBLEM', 'NA'];

/**
 * The visit form an engineer fills in on a phone at the outlet: each checklist item OK / problem
 * (with a note) / not applicable, then the outlet staff member signs on the screen (《受理网点维护单》).
 */
export default function VisitFormPage() {
  const t = useT();
  const label = useLabel();
  const [locale] = useLocale();
  const { id = '' } = useParams();
  const { showError, showSuccess } = useFeedback();
  const [draft, setDraft] = useState<Draft>({});
  const [signer, setSigner] = useState('');
  const [drawn, setDrawn] = useState(false);
  const [busy, setBusy] = useState(false);
  const pad = useRef<SignaturePadHandle>(null);
  const { data, loading, setData } = useLoad((signal) => api.get<VisitDetail>(`/maintenance/visits/${encodeURIComponent(id)}`, undefined, { signal }), [id]);

  useEffect(() => {
    if (data) setDraft(Object.fromEntries(data.answers.map((a) => [a.code, { result: a.result, note: a.note ?? '' }])));
  }, [data]);

  if (!data) return loading ? <PageLoading /> : null;

  const answered = data.items.filter((i) => draft[i.code]).length;
  const problemWithoutNote = data.items.some((i) => draft[i.code]?.result === 'PROBLEM' && !draft[i.code]!.note.trim());
  const editable = data.mayFill;

  const answers = () =>
    data.items.flatMap((i) => {
      const a = draft[i.code];
      return a ? [{ code: i.code, result: a.result, note: a.result === 'PROBLEM' ? a.note.trim() : a.note.trim() || null }] : [];
    });

  const save = async (quiet = false) => {
    const saved = await api.put<VisitDetail>(`/maintenance/visits/${encodeURIComponent(id)}/answers`, { answers: answers() });
    setData(saved);
    if (!quiet) showSuccess(t('maint.visit.saved'));
  };

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

  const sign = () =>
    run(async () => {
      const png = pad.current?.toPng();
      if (!png) {
        showError(new Error(t('maint.visit.signEmpty')));
        return;
      }
      await save(true);
      const signed = await api.post<VisitDetail>(`/maintenance/visits/${encodeURIComponent(id)}/sign`, { signerName: signer.trim(), signaturePng: png });
      setData(signed);
      showSuccess(t('maint.visit.signedDone'));
    });

  const printForm = () => run(() => download(`/maintenance/visits/${encodeURIComponent(id)}/form.pdf`, {}, `maintenance-form-${data.month}-${data.siteName}.pdf`));

  const set = (code: string, patch: Partial<Draft[string]>) => setDraft((d) => ({ ...d, [code]: { result: d[code]?.result ?? 'OK', note: d[code]?.note ?? '', ...patch } }));

  return (
    <div data-testid="page-maint-visit">
      <PageHeader title={data.siteName}>
        <Space wrap>
          <Link to={`/maintenance/visits?month=${data.month}&contract=${data.contractId}`}>
            <Button icon={<ArrowLeftOutlined />}>{t('maint.visit.back')}</Button>
          </Link>
          <Button icon={<FilePdfOutlined />} onClick={printForm} loading={busy} data-testid="visit-pdf">
            {t('maint.visit.pdf')}
          </Button>
        </Space>
      </PageHeader>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small">
          <Descriptions column={{ xs: 1, sm: 2 }} size="small">
            <Descriptions.Item label={t('maint.visit.status')}>
              <Space size={4}>
                <VisitStatusTag status={data.status} />
                <span>{label(`maint.visit.kind.${data.kind}`)}</span>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('maint.visit.month')}>{data.month}</Descriptions.Item>
            <Descriptions.Item label={t('maint.visit.engineer')}>{data.engineerName ?? t('maint.visit.unassigned')}</Descriptions.Item>
            <Descriptions.Item label={t('maint.visit.contract')}>{data.contractName}</Descriptions.Item>
          </Descriptions>
          <Typography.Text type="secondary" data-testid="visit-answered">
            {t('maint.visit.answered', { answered, total: data.items.length })}
          </Typography.Text>
        </Card>

        {data.items.map((item, n) => {
          const a = draft[item.code];
          return (
            <Card key={item.code} size="small" data-testid={`visit-item-${item.code}`} data-result={a?.result ?? ''}>
              <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                <Typography.Text>
                  <Typography.Text type="secondary">{n + 1}. </Typography.Text>
                  {locale === 'zh-CN' ? item.zh : item.en}
                </Typography.Text>
                <Radio.Group
                  value={a?.result}
                  disabled={!editable}
                  optionType="button"
                  buttonStyle="solid"
                  onChange={(e) => set(item.code, { result: e.target.value as AnswerResult })}
                  options={RESULTS.map((r) => ({ value: r, label: t(`maint.visit.result.${r}`) }))}
                  block
                  aria-label={locale === 'zh-CN' ? item.zh : item.en}
                />
                {a?.result === 'PROBLEM' && (
                  <Input.TextArea
                    value={a.note}
                    disabled={!editable}
                    maxLength={500}
                    autoSize={{ minRows: 2, maxRows: 5 }}
                    placeholder={t('maint.visit.noteRequired')}
                    status={a.note.trim() ? undefined : 'error'}
                    aria-label={t('maint.visit.note')}
                    onChange={(e) => set(item.code, { note: e.target.value })}
                    data-testid={`visit-note-${item.code}`}
                  />
                )}
              </Space>
            </Card>
          );
        })}

        {editable && (
          <Button block icon={<SaveOutlined />} onClick={() => run(() => save())} loading={busy} disabled={problemWithoutNote} data-testid="visit-save">
            {t('maint.visit.save')}
          </Button>
        )}

        {data.status === 'SIGNED' ? (
          <Alert type="success" showIcon title={t('maint.visit.signedBy', { name: data.signerNameMasked ?? '', at: data.signedAtLocal ?? '' })} data-testid="visit-signed" />
        ) : (
          editable && (
            <Card size="small" title={t('maint.visit.signOff')} data-testid="visit-sign-card">
              <Space orientation="vertical" size={10} style={{ width: '100%' }}>
                {answered < data.items.length && <Alert type="warning" showIcon title={t('maint.visit.unanswered', { count: data.items.length - answered })} />}
                <Input value={signer} onChange={(e) => setSigner(e.target.value)} maxLength={50} placeholder={t('maint.visit.signer')} aria-label={t('maint.visit.signer')} data-testid="visit-signer" />
                <Typography.Text type="secondary">{t('maint.visit.signHere')}</Typography.Text>
                <SignaturePad ref={pad} onChange={setDrawn} label={t('maint.visit.signHere')} />
                <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                  <Button onClick={() => pad.current?.clear()} data-testid="visit-clear">
                    {t('maint.visit.clear')}
                  </Button>
                  <Button type="primary" onClick={sign} loading={busy} disabled={!drawn || !signer.trim() || answered < data.items.length || problemWithoutNote} data-testid="visit-sign">
                    {t('maint.visit.sign')}
                  </Button>
                </Space>
              </Space>
            </Card>
          )
        )}
      </Space>
    </div>
  );
}
