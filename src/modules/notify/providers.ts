import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config/config.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { createCmppGateway } from './cmpp/session.ts';
import type { Gateway } from './gateway.ts';
import { createHttpGateway } from './http/gateway.ts';
import { RECEIPT_PATH } from './http/callback.ts';
import { startSimulator, type Simulator } from './simulator/index.ts';
import { HTTP_SUBMIT_PATH } from './simulator/http-provider.ts';
import { createSmppGateway } from './smpp/session.ts';

export interface SmsProvider {
  /** Stored with every attempt and receipt: receipts are matched within one provider's ids. */
  name: string;
  gateway: Gateway;
  /** Messages submitting at once: binds × window. */
  inFlight: number;
  /** The in-process SMSC when no gateway is configured; stopped with the provider. */
  simulator: Simulator | null;
}

/** CMPP Source_Addr is the 6-character SP code; the simulator's account uses one too. */
const SIMULATOR_ACCOUNT = { id: '901234', secret: randomBytes(12).toString('hex') } as const;

/** No gateway configured: CARDFLOW_SMS_HTTP_URL for the HTTP provider, CARDFLOW_SMS_HOST for SMPP and CMPP. */
function usesSimulator(config: Config): boolean {
  return config.smsProtocol === 'http' ? config.smsHttpUrl === null : config.smsHost === null;
}

/**
 * The provider's name (stored with attempts and receipts) and the secret its HTTP callbacks are signed
 * with. The callback route of the web role needs both without a gateway of its own. The simulator's
 * secret is made per process, so with the simulator the HTTP callbacks verify only in a process that
 * runs both the web and the worker role (`serve --role all`).
 */
export function providerIdentity(config: Config): { name: string; callbackSecret: string | null } {
  if (usesSimulator(config)) return { name: 'simulator', callbackSecret: SIMULATOR_ACCOUNT.secret };
  const where = config.smsProtocol === 'http' ? new URL(config.smsHttpUrl!).host : `${config.smsHost}:${config.smsPort}`;
  return { name: `${config.smsProtocol}:${config.smsAccount}@${where}`, callbackSecret: config.smsPassword };
}

/**
 * The gateway from configuration (CARDFLOW_SMS_*). With no gateway configured, an SMSC simulator starts
 * on a free loopback port and the gateway binds to it, so the whole pipe works out of the box; the
 * log says so, because nothing reaches a handset that way.
 */
export async function createProvider(config: Config, logger: Logger): Promise<SmsProvider> {
  let simulator: Simulator | null = null;
  let host = config.smsHost;
  let port = config.smsPort;
  let account = config.smsAccount;
  let password = config.smsPassword;
  let httpUrl = config.smsHttpUrl;
  // The simulated HTTP provider posts receipts to this process's own callback route unless told otherwise.
  const callbackUrl = config.smsCallbackUrl ?? (config.smsProtocol === 'http' ? `http://127.0.0.1:${config.port}${RECEIPT_PATH}` : null);
  if (usesSimulator(config)) {
    simulator = await startSimulator({
      protocol: config.smsProtocol,
      host: '127.0.0.1',
      port: 0,
      accounts: [SIMULATOR_ACCOUNT],
      receipts: { delayMs: 500 },
      ...(callbackUrl ? { callbackUrl } : {}),
    });
    host = '127.0.0.1';
    port = simulator.port;
    httpUrl = `http://127.0.0.1:${simulator.port}${HTTP_SUBMIT_PATH}`;
    account = SIMULATOR_ACCOUNT.id;
    password = SIMULATOR_ACCOUNT.secret;
    logger.warn({ protocol: config.smsProtocol, port }, 'no SMS gateway configured (CARDFLOW_SMS_HOST / CARDFLOW_SMS_HTTP_URL): using the in-process simulator; no message reaches a handset');
  }
  if (account === null || password === null) {
    throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: 'CARDFLOW_SMS_ACCOUNT and CARDFLOW_SMS_PASSWORD are required with a configured gateway' } });
  }
  const { name } = providerIdentity(config);
  const link = { window: config.smsWindow };
  if (config.smsProtocol === 'http') {
    const gateway = createHttpGateway({ name, url: httpUrl!, account, secret: password, sourceAddr: config.smsSourceAddr, window: config.smsWindow, ...(callbackUrl ? { callbackUrl } : {}) });
    return { name, gateway, inFlight: config.smsWindow, simulator };
  }
  const gateway =
    config.smsProtocol === 'cmpp'
      ? createCmppGateway({ name, host: host!, port, spId: account, sharedSecret: password, serviceId: config.smsServiceId, srcId: config.smsSourceAddr, connections: config.smsBinds, link })
      : createSmppGateway({ name, host: host!, port, systemId: account, password, sourceAddr: config.smsSourceAddr, binds: Array.from({ length: config.smsBinds }, () => 'transceiver' as const), link });
  return { name, gateway, inFlight: config.smsBinds * config.smsWindow, simulator };
}
