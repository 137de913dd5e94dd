import { useCallback, useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { Tag } from 'antd';
import { useLabel } from './shared.tsx';

/** Shapes of /api/v1/maintenance/visits answers. */
export interface Visit {
  id: string;
  contractId: string;
  siteOrgId: string;
  siteName: string;
  month: string;
  kind: string;
  status: string;
  engineerId: string | null;
  engineerName: string | null;
  itemCount: number;
  answeredCount: number;
  ok: number;
  problems: number;
  notApplicable: number;
  signerNameMasked: string | null;
  signedAtLocal: string | null;
  missed: boolean;
}

export type AnswerResult = 'OK' | 'PROBLEM' | 'NA';

export interface VisitDetail extends Visit {
  contractName: string;
  items: { code: string; zh: string; en: string }[];
  answers: { code: string; result: AnswerResult; note: string | null; ticketId: string | null }[];
  signedByName: string | null;
  mayFill: boolean;
}

const STATUS_COLORS: Record<string, string> = { PLANNED: 'default', IN_PROGRESS: 'processing', SIGNED: 'success' };

export function VisitStatusTag({ status }: { status: string }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-status={status} data-testid="visit-status-tag">
      {label(`maint.visit.status.${status}`)}
    </Tag>
  );
}

export interface SignaturePadHandle {
  clear(): void;
  /** The drawing as a PNG data URL, or null when nothing was drawn. */
  toPng(): string | null;
}

const PAD_HEIGHT = 180;
/** Enough resolution for a crisp print without a phone's 3× screen making a large file. */
const MAX_SCALE = 2;

/**
 * A signature box for finger or pen: pointer events on a <canvas> (touch-action none, so drawing does
 * not scroll the page), sized to its container. The server decides whether the ink amounts to a
 * signature; `onChange` only tells the form whether anything was drawn.
 */
export function SignaturePad({ ref, onChange, label }: { ref: Ref<SignaturePadHandle>; onChange?: (drawn: boolean) => void; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const drawn = useRef(false);

  const resize = useCallback(() => {
    const c = canvas.current;
    if (!c) return;
    const scale = Math.min(window.devicePixelRatio || 1, MAX_SCALE);
    const width = c.parentElement?.clientWidth ?? 300;
    c.width = Math.round(width * scale);
    c.height = Math.round(PAD_HEIGHT * scale);
    c.style.width = `${width}px`;
    c.style.height = `${PAD_HEIGHT}px`;
    const g = c.getContext('2d');
    if (!g) return;
    g.scale(scale, scale);
    g.lineWidth = 2.5;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#1f1f1f';
    drawn.current = false;
    onChange?.(false);
  }, [onChange]);

  useEffect(() => {
    resize();
  }, [resize]);

  useImperativeHandle(ref, () => ({
    clear: resize,
    toPng: () => (drawn.current && canvas.current ? canvas.current.toDataURL('image/png') : null),
  }));

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top] as const;
  };

  return (
    <div style={{ width: '100%', maxWidth: 640, border: '1px dashed #bfbfbf', borderRadius: 6, background: '#fff' }}>
      <canvas
        ref={canvas}
        aria-label={label}
        role="img"
        data-testid="signature-pad"
        style={{ display: 'block', touchAction: 'none', cursor: 'crosshair' }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const g = e.currentTarget.getContext('2d');
          const [x, y] = point(e);
          g?.beginPath();
          g?.moveTo(x, y);
          drawing.current = true;
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const g = e.currentTarget.getContext('2d');
          const [x, y] = point(e);
          g?.lineTo(x, y);
          g?.stroke();
          if (!drawn.current) {
            drawn.current = true;
            onChange?.(true);
          }
        }}
        onPointerUp={() => {
          drawing.current = false;
        }}
        onPointerCancel={() => {
          drawing.current = false;
        }}
      />
    </div>
  );
}
