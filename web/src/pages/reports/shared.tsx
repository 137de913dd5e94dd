import { DatePicker, Form, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { requestRaw, type Query } from '../../api/client.ts';
import type { Programme } from '../../api/types.ts';
import { useT } from '../../i18n/index.tsx';
import { shanghaiToday } from '../../lib/time.ts';

/** Fetches a file with the session cookie and hands it to the browser as a download. */
export async function download(path: string, query: Query, fileName: string): Promise<void> {
  const res = await requestRaw('GET', path, { query });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ProgrammeSelect({ programmes, value, onChange, testId }: { programmes: Programme[]; value: string | undefined; onChange: (v: string | undefined) => void; testId: string }) {
  const t = useT();
  return (
    <Form.Item label={t('reports.programme')}>
      <Select
        allowClear
        placeholder={t('reports.allProgrammes')}
        style={{ width: 220 }}
        data-testid={testId}
        value={value}
        onChange={(v: string | undefined) => onChange(v)}
        options={programmes.map((p) => ({ value: p.id, label: p.name }))}
      />
    </Form.Item>
  );
}

export interface Period {
  from: string;
  to: string;
}

/** The last 30 days up to today (Beijing), like the server's default. */
export function defaultPeriod(): Period {
  const to = shanghaiToday();
  return { from: dayjs(to).subtract(29, 'day').format('YYYY-MM-DD'), to };
}

/** RangePicker puts data-* on both inputs; one wrapper keeps the test id unique. */
export function PeriodPicker({ value, onChange, testId }: { value: Period; onChange: (p: Period) => void; testId: string }) {
  const t = useT();
  return (
    <Form.Item label={t('reports.period')}>
      <span data-testid={testId}>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(value.from), dayjs(value.to)]}
          onChange={(v) => {
            const [a, b] = (v ?? []) as [Dayjs | null, Dayjs | null];
            if (a && b) onChange({ from: a.format('YYYY-MM-DD'), to: b.format('YYYY-MM-DD') });
          }}
        />
      </span>
    </Form.Item>
  );
}

export function percent(rate: number | null, digits = 1): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(digits)}%`;
}
