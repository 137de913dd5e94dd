import { startCmppIsmg } from './cmpp-ismg.ts';
import { startHttpProvider } from './http-provider.ts';
import { startSmppSmsc } from './smpp-smsc.ts';
import type { SimulatorOptions, SimulatorStats } from './behaviour.ts';

export type { ReceiptBehaviour, SimulatorOptions, SimulatorStats, SubmittedPart } from './behaviour.ts';

/**
 * A simulated SMSC on a loopback TCP port, for tests, benchmarks and `cardflow sms simulator`:
 * SMPP 3.4 (on the `smpp` package's server), CMPP 2.0/3.0 (on our codec) or the signed JSON HTTP
 * provider (http-provider.ts). It checks credentials,
 * answers submits with ids, sends receipts after a delay with a seeded failure rate, and can be told
 * to drop or throttle the next submits or to cut every connection.
 */
export interface Simulator {
  port: number;
  stats(): SimulatorStats;
  /** After `after` more answered submits, the next `n` get no response at all (the client's timeout fires). */
  dropResponses(n: number, after?: number): void;
  /** The next `n` submits are refused with ESME_RTHROTTLED / Result 8 (flow control). */
  throttle(n: number): void;
  /** Cuts every open connection without unbind, as a failing SMSC or network would. */
  closeConnections(): void;
  /** Open connections stay open but nothing more is read or answered on them (a half-dead link). */
  stall(): void;
  /**
   * CMPP only: a reply from a handset, sent as DELIVER with Registered_Delivery = 0 (UCS-2) on a
   * connection of the first account; sent again after a refusal like a receipt.
   */
  sendInbound?(sms: { from: string; to: string; text: string }): void;
  stop(): Promise<void>;
}

export function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  if (opts.protocol === 'http') return startHttpProvider(opts);
  return opts.protocol === 'smpp' ? startSmppSmsc(opts) : startCmppIsmg(opts);
}
