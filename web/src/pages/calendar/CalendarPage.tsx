import { useMemo, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { CalculatorOutlined, DeleteOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client.ts';
import type { CalendarDay, CalendarYear, DayKind, ListResponse } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime, shanghaiToday, shanghaiYear, weekdayOf } from '../../lib/time.ts';
import { PERM } from '../../nav.tsx';
import { parseCalendarFile } from './importFile.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

const KINDS: DayKind[] = ['HOLIDAY', 'MAKEUP_WORKDAY'];
const DEFAULT_SEGMENTS = '09:00-12:00,13:00-17:00';
const SEGMENTS_RE = /^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*(,\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*)*$/;

interface DayForm {
  date: Dayjs;
  kind: DayKind;
  name: string;
  source: string;
}
interface CalcForm {
  from: Dayjs;
  mode: 'days' | 'hours' | 'calendarDays';
  amount: number;
  segments: string;
}
type CalcResult = { ok: true; text: string; raw: string } | { ok: false; code: string; message: string };

/** Now as a Beijing wall-clock time, for the pickers (which work in the browser's zone). */
function beijingNow(): Dayjs {
  return dayjs(formatDateTime(new Date().toISOString()).slice(0, 16));
}

function weekdayKey(date: string) {
  return `calendar.weekday.${weekdayOf(date)}` as `calendar.weekday.${0 | 1 | 2 | 3 | 4 | 5 | 6}`;
}

export default function CalendarPage() {
  const t = useT();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const canManage = can(PERM.calendarManage);
  const [year, setYear] = useState<number>(() => shanghaiYear());

  const years = useLoad(async (signal) => (await api.get<ListResponse<CalendarYear>>('/calendar/years', undefined, { signal })).items, []);
  const days = useLoad(async (signal) => (await api.get<ListResponse<CalendarDay>>('/calendar/days', { year }, { signal })).items, [year]);

  const yearOptions = useMemo(() => {
    const now = shanghaiYear();
    const set = new Set<number>([now - 1, now, now + 1, year, ...(years.data ?? []).map((y) => y.year)]);
    return [...set].sort((a, b) => b - a).map((y) => ({ value: y, label: t('calendar.yearLabel', { year: y }) }));
  }, [years.data, year, t]);

  // ----- publish
  const [publishing, setPublishing] = useState<number | null>(null);
  const setPublished = async (y: number, published: boolean) => {
    setPublishing(y);
    try {
      await api.post<CalendarYear>(`/calendar/years/${y}/publish`, { published });
      showSuccess(t(published ? 'calendar.publishedOk' : 'calendar.unpublishedOk', { year: y }));
      years.reload();
    } catch (err) {
      showError(err);
    } finally {
      setPublishing(null);
    }
  };

  // ----- add / edit / delete a day
  const [dayForm] = Form.useForm<DayForm>();
  const [editingDay, setEditingDay] = useState<CalendarDay | 'new' | null>(null);
  const [savingDay, setSavingDay] = useState(false);
  const openDay = (d: CalendarDay | 'new') => {
    dayForm.resetFields();
    if (d === 'new') {
      const today = shanghaiToday();
      dayForm.setFieldsValue({ kind: 'HOLIDAY', date: dayjs(Number(today.slice(0, 4)) === year ? today : `${year}-01-01`) });
    } else {
      dayForm.setFieldsValue({ date: dayjs(d.date), kind: d.kind, name: d.name, source: d.source });
    }
    setEditingDay(d);
  };
  const saveDay = async () => {
    const v = await dayForm.validateFields();
    const date = v.date.format('YYYY-MM-DD');
    setSavingDay(true);
    try {
      await api.put<CalendarDay>(`/calendar/days/${date}`, { kind: v.kind, name: v.name.trim(), source: v.source.trim() });
      showSuccess(t('common.saved'));
      setEditingDay(null);
      if (Number(date.slice(0, 4)) !== year) setYear(Number(date.slice(0, 4)));
      else days.reload();
      years.reload();
    } catch (err) {
      showError(err);
    } finally {
      setSavingDay(false);
    }
  };
  const deleteDay = async (d: CalendarDay) => {
    try {
      await api.del(`/calendar/days/${d.date}`);
      showSuccess(t('common.deleted'));
      days.reload();
      years.reload();
    } catch (err) {
      showError(err);
    }
  };

  // ----- import
  const fileInput = useRef<HTMLInputElement>(null);
  const [importing, setImporting] = useState(false);
  const [importErrors, setImportErrors] = useState<{ title: string; rows: { row: number | string; date?: string | null; error: string }[] } | null>(null);
  const importFile = async (file: File) => {
    setImportErrors(null);
    let parsed;
    try {
      parsed = parseCalendarFile(file.name, await file.text(), {
        badJson: t('calendar.importBadJson'),
        badColumns: (line) => t('calendar.importBadCsvColumns', { line }),
      });
    } catch (err) {
      setImportErrors({ title: t('calendar.importParseError', { reason: err instanceof Error ? err.message : String(err) }), rows: [] });
      return;
    }
    if (parsed.problems.length) {
      setImportErrors({ title: t('calendar.importParseError', { reason: file.name }), rows: parsed.problems });
      return;
    }
    if (!parsed.days.length) {
      setImportErrors({ title: t('calendar.importEmpty'), rows: [] });
      return;
    }
    setImporting(true);
    try {
      const res = await api.post<{ imported: number }>('/calendar/import', { days: parsed.days });
      showSuccess(t('calendar.importOk', { count: res.imported }));
      days.reload();
      years.reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CALENDAR_IMPORT_INVALID') {
        const rows = (err.details as { rows?: { row: number | string; date?: string | null; error: string }[] } | undefined)?.rows ?? [];
        setImportErrors({ title: err.message, rows });
      } else if (err instanceof ApiError && err.status === 400) {
        setImportErrors({ title: err.message, rows: [] });
      } else {
        showError(err);
      }
    } finally {
      setImporting(false);
    }
  };

  // ----- calculator
  const [calcForm] = Form.useForm<CalcForm>();
  const calcMode = Form.useWatch('mode', calcForm);
  const [calcResult, setCalcResult] = useState<CalcResult | null>(null);
  const [computing, setComputing] = useState(false);
  const compute = async (v: CalcForm) => {
    setComputing(true);
    setCalcResult(null);
    // the picked wall time is Beijing time, whatever zone the browser is in
    const from = new Date(`${v.from.format('YYYY-MM-DDTHH:mm:ss')}+08:00`).toISOString();
    try {
      if (v.mode === 'days' || v.mode === 'calendarDays') {
        const param = v.mode === 'days' ? { workingDays: v.amount } : { calendarDays: v.amount };
        const res = await api.get<{ result: string }>('/calendar/compute', { from, ...param });
        const text = `${res.result}（${t(weekdayKey(res.result))}）`;
        const key = v.mode === 'days' ? 'calendar.calc.resultDays' : 'calendar.calc.resultCalendarDays';
        setCalcResult({ ok: true, raw: res.result, text: t(key, { n: v.amount, result: text }) });
      } else {
        const res = await api.get<{ result: string; resultLocal: string }>('/calendar/compute', { from, workingHours: v.amount, segments: v.segments.replace(/\s+/g, '') });
        setCalcResult({ ok: true, raw: res.result, text: t('calendar.calc.resultHours', { n: v.amount, result: res.resultLocal }) });
      }
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401) setCalcResult({ ok: false, code: err.code, message: err.message });
      else showError(err);
    } finally {
      setComputing(false);
    }
  };

  const yearColumns: TableColumnsType<CalendarYear> = [
    { title: t('calendar.year'), dataIndex: 'year', key: 'year', render: (y: number) => <Typography.Link onClick={() => setYear(y)}>{y}</Typography.Link> },
    {
      title: t('calendar.published'),
      dataIndex: 'published',
      key: 'published',
      render: (p: boolean, row) => (
        <Switch
          size="small"
          checked={p}
          disabled={!canManage}
          loading={publishing === row.year}
          onChange={(checked) => void setPublished(row.year, checked)}
          checkedChildren={t('calendar.published')}
          unCheckedChildren={t('calendar.unpublished')}
          data-testid={`calendar-publish-${row.year}`}
        />
      ),
    },
    { title: t('calendar.holidays'), dataIndex: 'holidays', key: 'holidays', align: 'right' },
    { title: t('calendar.makeupWorkdays'), dataIndex: 'makeupWorkdays', key: 'makeupWorkdays', align: 'right' },
  ];

  const dayColumns: TableColumnsType<CalendarDay> = [
    { title: t('calendar.date'), dataIndex: 'date', key: 'date', width: 120, render: (d: string) => <span className="cf-mono">{d}</span> },
    { title: t('calendar.weekday'), key: 'weekday', width: 90, render: (_, d) => t(weekdayKey(d.date)) },
    {
      title: t('calendar.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 110,
      filters: KINDS.map((k) => ({ text: t(`calendar.kind.${k}`), value: k })),
      onFilter: (v, d) => d.kind === v,
      render: (k: DayKind) => <Tag color={k === 'HOLIDAY' ? 'red' : 'blue'}>{KINDS.includes(k) ? t(`calendar.kind.${k}`) : k}</Tag>,
    },
    { title: t('calendar.name'), dataIndex: 'name', key: 'name', width: 140 },
    { title: t('calendar.source'), dataIndex: 'source', key: 'source', ellipsis: true, render: (s: string) => s || '—' },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, d: CalendarDay) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => openDay(d)} data-testid={`calendar-row-edit-${d.date}`}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('common.confirmDelete')}
                  description={`${d.date} ${d.name}`}
                  okText={t('common.delete')}
                  okButtonProps={{ danger: true, 'data-testid': 'calendar-delete-confirm' }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => deleteDay(d)}
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`calendar-row-delete-${d.date}`}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const yearRow = years.data?.find((y) => y.year === year);

  return (
    <div data-testid="page-calendar">
      <PageHeader title={t('menu.calendar')}>
        <Space>
          <span>{t('calendar.year')}</span>
          <Select<number> value={year} onChange={setYear} options={yearOptions} style={{ width: 120 }} data-testid="calendar-year" />
          {yearRow && (
            <Tag color={yearRow.published ? 'success' : 'default'} data-testid="calendar-year-status">
              {yearRow.published ? t('calendar.published') : t('calendar.unpublished')}
            </Tag>
          )}
        </Space>
      </PageHeader>
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card
            size="small"
            title={t('calendar.days', { year })}
            style={{ marginBottom: 16 }}
            extra={
              canManage && (
                <Space>
                  <input
                    ref={fileInput}
                    type="file"
                    accept=".json,.csv,application/json,text/csv"
                    style={{ display: 'none' }}
                    data-testid="calendar-import-file"
                    onChange={(e) => {
                      const f = e.target.files?.[0];
                      e.target.value = '';
                      if (f) void importFile(f);
                    }}
                  />
                  <Button icon={<UploadOutlined />} loading={importing} onClick={() => fileInput.current?.click()} data-testid="calendar-import" title={t('calendar.importHint')}>
                    {t('calendar.import')}
                  </Button>
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => openDay('new')} data-testid="calendar-add-day">
                    {t('calendar.addDay')}
                  </Button>
                </Space>
              )
            }
          >
            {importErrors && (
              <div data-testid="calendar-import-errors" style={{ marginBottom: 12 }}>
                <Alert
                  type="error"
                  showIcon
                  closable={{ onClose: () => setImportErrors(null) }}
                  title={importErrors.title}
                  description={
                    importErrors.rows.length ? (
                      <ul style={{ margin: 0, paddingInlineStart: 20, maxHeight: 200, overflow: 'auto' }}>
                        {importErrors.rows.map((r, i) => (
                          <li key={i} data-testid="calendar-import-error-row">
                            {t('calendar.importRow', { row: r.row })}
                            {r.date ? `（${r.date}）` : ''}：{r.error}
                          </li>
                        ))}
                      </ul>
                    ) : undefined
                  }
                />
              </div>
            )}
            {canManage && (
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                {t('calendar.importHint')}
              </Typography.Paragraph>
            )}
            <Table<CalendarDay>
              rowKey="date"
              size="small"
              loading={days.loading}
              columns={dayColumns}
              dataSource={days.data ?? []}
              pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
              data-testid="calendar-days-table"
            />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('calendar.years')} style={{ marginBottom: 16 }}>
            <Table<CalendarYear>
              rowKey="year"
              size="small"
              loading={years.loading}
              columns={yearColumns}
              dataSource={years.data ?? []}
              pagination={false}
              rowClassName={(r) => (r.year === year ? 'ant-table-row-selected' : '')}
              data-testid="calendar-years-table"
            />
          </Card>
          <Card size="small" title={<><CalculatorOutlined /> {t('calendar.calc')}</>} data-testid="calendar-calc">
            <Form<CalcForm>
              form={calcForm}
              layout="vertical"
              name="calendar-calc"
              initialValues={{ mode: 'days', amount: 5, segments: DEFAULT_SEGMENTS, from: beijingNow() }}
              onFinish={(v) => void compute(v)}
            >
              <Form.Item name="from" label={t('calendar.calc.start')} extra={t('calendar.calc.tz')} rules={[{ required: true, message: t('calendar.calc.startRequired') }]}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="calc-from" />
              </Form.Item>
              <Form.Item name="mode" label={t('calendar.calc.mode')}>
                <Radio.Group
                  optionType="button"
                  data-testid="calc-mode"
                  options={[
                    { value: 'days', label: <span data-testid="calc-mode-days">{t('calendar.calc.days')}</span> },
                    { value: 'hours', label: <span data-testid="calc-mode-hours">{t('calendar.calc.hours')}</span> },
                    { value: 'calendarDays', label: <span data-testid="calc-mode-calendarDays">{t('calendar.calc.calendarDays')}</span> },
                  ]}
                />
              </Form.Item>
              <Form.Item name="amount" label={t('calendar.calc.amount')} rules={[{ required: true, message: t('calendar.calc.amountRequired') }]}>
                <InputNumber min={0} max={calcMode === 'hours' ? 10000 : calcMode === 'calendarDays' ? 3660 : 1000} precision={calcMode === 'hours' ? undefined : 0} step={calcMode === 'hours' ? 0.5 : 1} style={{ width: '100%' }} data-testid="calc-amount" />
              </Form.Item>
              {calcMode === 'hours' && (
                <Form.Item
                  name="segments"
                  label={t('calendar.calc.segments')}
                  extra={t('calendar.calc.segmentsFormat')}
                  rules={[{ required: true, pattern: SEGMENTS_RE, message: t('calendar.calc.segmentsFormat') }]}
                >
                  <Input data-testid="calc-segments" />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit" loading={computing} icon={<CalculatorOutlined />} data-testid="calc-submit">
                {t('calendar.calc.run')}
              </Button>
            </Form>
            {calcResult && (
              <div data-testid="calc-result" data-ok={String(calcResult.ok)} data-value={calcResult.ok ? calcResult.raw : undefined} style={{ marginTop: 12 }}>
                {calcResult.ok ? (
                  <Alert type="success" showIcon title={t('calendar.calc.result')} description={calcResult.text} />
                ) : (
                  <Alert type={calcResult.code === 'CALENDAR_YEAR_UNPUBLISHED' ? 'warning' : 'error'} showIcon title={calcResult.message} data-code={calcResult.code} />
                )}
              </div>
            )}
          </Card>
        </Col>
      </Row>

      <Modal
        title={editingDay === 'new' ? t('calendar.addDay') : t('calendar.editDay')}
        open={editingDay !== null}
        onCancel={() => setEditingDay(null)}
        onOk={() => void saveDay().catch(() => undefined)}
        confirmLoading={savingDay}
        okText={t('common.save')}
        okButtonProps={{ 'data-testid': 'calendar-day-submit' }}
        forceRender
      >
        <Form<DayForm> form={dayForm} layout="vertical" name="calendar-day">
          <Form.Item name="date" label={t('calendar.date')} rules={[{ required: true, message: t('calendar.dateRequired') }]}>
            <DatePicker style={{ width: '100%' }} disabled={editingDay !== 'new'} data-testid="calendar-day-date" />
          </Form.Item>
          <Form.Item name="kind" label={t('calendar.kind')} rules={[{ required: true, message: t('calendar.kindRequired') }]}>
            <Select data-testid="calendar-day-kind" options={KINDS.map((k) => ({ value: k, label: t(`calendar.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="name" label={t('calendar.name')} rules={[{ required: true, whitespace: true, message: t('calendar.nameRequired') }, { max: 50 }]}>
            <Input data-testid="calendar-day-name" maxLength={50} placeholder={t('calendar.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="source" label={t('calendar.source')} rules={[{ required: true, whitespace: true, message: t('calendar.sourceRequired') }, { max: 200 }]}>
            <Input data-testid="calendar-day-source" maxLength={200} placeholder={t('calendar.sourcePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
