import { Space, Tag, Typography } from 'antd';
import { isMessageKey, useT } from '../../i18n/index.tsx';

export interface TextPreview {
  text: string;
  encoding: string;
  chars: number;
  segments: number;
  costMilliFen: number;
}

export interface Template {
  id: string;
  name: string;
  version: number;
  signatureId: string;
  signature: string;
  body: string;
  category: 'NOTIFICATION' | 'MARKETING';
  status: string;
  placeholders: string[];
  preview: TextPreview;
  createdById: string;
  createdByName: string | null;
  decidedByName: string | null;
  rejectReason: string | null;
  updatedAt: string;
}

export interface Signature {
  id: string;
  orgId: string;
  text: string;
}

/** Milli-fen (1/1000 fen) as yuan, exactly: 3500 → "0.035", 700000 → "7.00". No floating point. */
export function yuanOfMilliFen(milliFen: number): string {
  const whole = Math.floor(milliFen / 100_000);
  const decimals = String(milliFen % 100_000)
    .padStart(5, '0')
    .replace(/0{1,3}$/, '');
  return `${whole}.${decimals.padEnd(2, '0')}`;
}

/** A server code (status, category) as its label, or the code itself when the console has no text for it. */
export function useCodeLabel() {
  const t = useT();
  return (prefix: string, code: string) => {
    const key = `${prefix}.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
}

const TEMPLATE_COLORS: Record<string, string> = { DRAFT: 'default', PENDING_APPROVAL: 'processing', APPROVED: 'success', REJECTED: 'error', SUPERSEDED: 'default' };
const MESSAGE_COLORS: Record<string, string> = { QUEUED: 'default', SUBMITTED: 'processing', DELIVERED: 'success', FAILED: 'error', EXPIRED: 'warning', HELD: 'orange', BLOCKED: 'default' };

export function TemplateStatusTag({ status }: { status: string }) {
  const label = useCodeLabel();
  return (
    <Tag color={TEMPLATE_COLORS[status] ?? 'default'} data-status={status}>
      {label('sms.tplStatus', status)}
    </Tag>
  );
}

export function MessageStatusTag({ status }: { status: string }) {
  const label = useCodeLabel();
  return (
    <Tag color={MESSAGE_COLORS[status] ?? 'default'} data-status={status}>
      {label('sms.msgStatus', status)}
    </Tag>
  );
}

const BUBBLE = { background: '#f0f2f5', borderRadius: 12, padding: '8px 12px', maxWidth: 360, whiteSpace: 'pre-wrap', wordBreak: 'break-all' } as const;

/** The rendered text as the holder's phone shows it, with its length, segments and cost. */
export function PreviewBox({ preview }: { preview: TextPreview | null }) {
  const t = useT();
  if (!preview) return <Typography.Text type="secondary">{t('sms.preview.waiting')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }} data-testid="sms-preview">
      <div style={BUBBLE} data-testid="sms-preview-text">
        {preview.text}
      </div>
      <Typography.Text type="secondary" data-testid="sms-preview-stats" data-segments={preview.segments}>
        {t('sms.preview.stats', { chars: preview.chars, segments: preview.segments, encoding: preview.encoding, cost: yuanOfMilliFen(preview.costMilliFen) })}
      </Typography.Text>
    </Space>
  );
}
