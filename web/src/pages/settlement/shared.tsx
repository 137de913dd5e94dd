import { Tag } from 'antd';
import { requestRaw } from '../../api/client.ts';
import { isMessageKey, useT } from '../../i18n/index.tsx';
import type { StatementStatus } from './types.ts';

/** Permissions of the settlement pages. */
export const SETTLE_PERM = { read: 'settlement.read', manage: 'settlement.manage', approve: 'settlement.approve', payments: 'settlement.payments' } as const;

/** "200605.65" → "200,605.65": grouping on the text, so the figure is never a float on its way to the screen. */
export function yuan(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!m) return text;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/** Integer fen → yuan text with two decimals, by integer arithmetic only. */
export function fenText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A translated label, or the code itself when the console has no text for it. */
export function useLabel() {
  const t = useT();
  return (key: string) => (isMessageKey(key) ? t(key) : (key.split('.').pop() ?? key));
}

const STATUS_COLORS: Record<StatementStatus, string> = { DRAFT: 'default', SUBMITTED: 'processing', APPROVED: 'success', SUPERSEDED: 'warning' };

export function StatusTag({ status }: { status: StatementStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status} data-testid="settle-status">
      {label(`settle.status.${status}`)}
    </Tag>
  );
}

/** Downloads a file from the API with the session cookie and hands it to the browser under the server's file name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await requestRaw('GET', path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
