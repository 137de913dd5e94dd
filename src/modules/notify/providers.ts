import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config/config.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { createCmppGateway } from './cmpp/session.ts';
import type { Gateway } from './gateway.ts';
import { startSimulator, type Simulator } from './simulator/index.ts';
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

/**
 * The gateway from configuration (CARDFLOW_SMS_*). With no host configured, an SMSC simulator starts
 * on a free loopback port and the gateway binds to it, so the whole pipe works out of the box; the
 * log says so, because nothing reaches a handset that way.
 */
export async function createProvider(config: Config, logger: Logger): Promise<SmsProvider> {
  let simulator: Simulator | null = null;
  let host = config.smsHost;
  let port = config.smsPort;
  let account = config.smsAccount;
  let password = config.smsPassword;
  if (host === null) {
    simulator = await startSimulator({ protocol: config.smsProtocol, host: '127.0.0.1', port: 0, accounts: [SIMULATOR_ACCOUNT], receipts: { delayMs: 500 } });
    host = '127.0.0.1';
    port = simulator.port;
    account = SIMULATOR_ACCOUNT.id;
    password = SIMULATOR_ACCOUNT.secret;
    logger.warn({ protocol: config.smsProtocol, port }, 'no SMS gateway configured (CARDFLOW_SMS_HOST): using the in-process simulator; no message reaches a handset');
  }
  if (account === null || password === null) {
    throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: 'CARDFLOW_SMS_ACCOUNT and CARDFLOW_SMS_PASSWORD are required with CARDFLOW_SMS_HOST' } });
  }
  const name = simulator ? 'simulator' : `${config.smsProtocol}:${account}@${host}:${port}`;
  const link = { window: config.smsWindow };
  const gateway =
    config.smsProtocol === 'cmpp'
      ? createCmppGateway({ name, host, port, spId: account, sharedSecret: password, serviceId: config.smsServiceId, srcId: config.smsSourceAddr, connections: config.smsBinds, link })
      : createSmppGateway({ name, host, port, systemId: account, password, sourceAddr: config.smsSourceAddr, binds: Array.from({ length: config.smsBinds }, () => 'transceiver' as const), link });
  return { name, gateway, inFlight: config.smsBinds * config.smsWindow, simulator };
}
