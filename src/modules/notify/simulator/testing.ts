import type { Gateway, GatewayReceipt } from '../gateway.ts';
import { GatewayError } from '../gateway.ts';

/** Test helpers for gateway sessions against the simulator; not used by production code. */

/** Resolves once `condition` holds; fails after `limitMs` so a broken feature fails instead of hanging. */
export async function until(condition: () => boolean, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}

export function collectReceipts(gateway: Gateway): GatewayReceipt[] {
  const receipts: GatewayReceipt[] = [];
  gateway.onReceipt((r) => {
    receipts.push(r);
  });
  return receipts;
}

/** The GatewayError a promise rejects with; fails the test when it resolves or rejects with something else. */
export async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

/** 150 Chinese characters with signature: three UCS-2 segments of at most 67 units. */
export const LONG_NOTICE = `【常州公安】${'您的居住证已制作完成，请于工作日携带身份证原件到受理点领取。'.repeat(5)}`.slice(0, 150);
