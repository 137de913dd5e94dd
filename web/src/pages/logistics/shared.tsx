import { Tag } from 'antd';
import { requestRaw } from '../../api/client.ts';
import { isMessageKey, useT } from '../../i18n/index.tsx';

/** Shapes of the logistics API answers (see docs/api.md, "Shipments, receipt and issuance"). */
export interface Shipment {
  id: string;
  shipmentNo: string;
  programmeName: string;
  producerName: string;
  receiverOrgId: string;
  receiverName: string;
  status: 'SHIPPED' | 'RECEIVED';
  cardCount: number;
  scannedCount: number;
  carrier: string | null;
  trackingNo: string | null;
  shippedAt: string;
  receivedAt: string | null;
  receivedByName: string | null;
}

export interface Summary {
  expected: number;
  matched: number;
  missing: number;
  unexpected: number;
  duplicates: number;
  damaged: number;
}

export interface Scan {
  id: string;
  cardNo: string;
  result: 'MATCHED' | 'UNEXPECTED' | 'DUPLICATE';
  damaged: boolean;
  scannedAt: string;
}

export interface ShipmentDetail extends Shipment {
  items: { cardId: string; cardNo: string; cardStatus: string; scanned: boolean; damaged: boolean }[];
  scans: Scan[];
  summary: Summary;
}

export interface CardInfo {
  id: string;
  cardNo: string | null;
  cardKind: string;
  status: string;
  mode: string;
  programmeName: string;
  receiverName: string;
  applicationNo: string;
  nameMasked: string;
  citizenIdMasked: string;
  phoneMasked: string;
  receivedAt: string | null;
  issuedAt: string | null;
  socialActivatedAt: string | null;
  financialActivatedAt: string | null;
  lostTempUntil: string | null;
}

/** A MATCHED prefabricated application at my counter with no card yet (from the counter lookup). */
export interface PrefabricatedWaiting {
  applicationId: string;
  applicationNo: string;
  programmeName: string;
  nameMasked: string;
  citizenIdMasked: string;
  phoneMasked: string;
  status: string;
}

export interface CardDetail extends CardInfo {
  events: { seq: number; type: string; fromStatus: string | null; toStatus: string; at: string; actorName: string | null }[];
}

const SHIPMENT_COLORS: Record<string, string> = { SHIPPED: 'processing', RECEIVED: 'success' };
const CARD_COLORS: Record<string, string> = {
  PRODUCED: 'blue',
  SHIPPED: 'cyan',
  RECEIVED: 'gold',
  ISSUED: 'green',
  DAMAGED: 'red',
  MISSING: 'red',
  WASTED: 'red',
  LOST_TEMP: 'orange',
  LOST_FORMAL: 'volcano',
  CANCELLED: 'default',
};

/** A translated label, or the code itself when the console has no text for it. */
export function useLabel() {
  const t = useT();
  return (key: string) => (isMessageKey(key) ? t(key) : key.split('.').pop()!);
}

export function ShipmentStatusTag({ status }: { status: string }) {
  const label = useLabel();
  return (
    <Tag color={SHIPMENT_COLORS[status] ?? 'default'} data-status={status} data-testid="shipment-status-tag">
      {label(`logistics.status.${status}`)}
    </Tag>
  );
}

export function CardStatusTag({ status }: { status: string }) {
  const label = useLabel();
  return (
    <Tag color={CARD_COLORS[status] ?? 'default'} data-status={status} data-testid="card-status-tag">
      {label(`logistics.card.${status}`)}
    </Tag>
  );
}

const SHIPMENT_FILES = {
  manifest: { path: 'manifest.csv', accept: 'text/csv', name: 'manifest' },
  handover: { path: 'handover.pdf', accept: 'application/pdf', name: 'handover' },
} as const;

/** Downloads a shipment's manifest CSV or printable handover sheet with the session cookie. */
export async function downloadShipmentFile(s: Pick<Shipment, 'id' | 'shipmentNo'>, file: keyof typeof SHIPMENT_FILES): Promise<void> {
  const f = SHIPMENT_FILES[file];
  const res = await requestRaw('GET', `/shipments/${encodeURIComponent(s.id)}/${f.path}`, { accept: f.accept });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${f.name}-${s.shipmentNo}.${f.path.split('.').pop()}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
