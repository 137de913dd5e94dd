import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Everything the process can be told from outside. Each entry names its environment variable so
 * that a wrong value stops the process with a message an operator can act on.
 */
export interface Config {
  host: string;
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  keyFile: string;
  keysJson: string | null;
  adminPassword: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sessionTtlMinutes: number;
  sessionIdleMinutes: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginIpLimitPerWindow: number;
  loginIpWindowSeconds: number;
  trackIpLimitPerWindow: number;
  trackIpWindowSeconds: number;
  rateLimitWindowSeconds: number;
  rateLimitPerApiKey: number;
  rateLimitPerUser: number;
  rateLimitPerIp: number;
  retentionIntervalHours: number;
  bodyLimitBytes: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  dbPoolSize: number;
  backupDir: string;
  backupIntervalHours: number;
  backupKeep: number;
  metricsToken: string | null;
  smsProtocol: 'smpp' | 'cmpp' | 'http';
  smsHost: string | null;
  smsPort: number;
  smsAccount: string | null;
  smsPassword: string | null;
  smsHttpUrl: string | null;
  smsCallbackUrl: string | null;
  smsSourceAddr: string;
  smsServiceId: string;
  smsBinds: number;
  smsRatePerSecond: number;
  smsWindow: number;
  smsPriceYuan: string;
  smsValidityMinutes: number;
  smsQuietHours: string;
  smsReconcileSeconds: number;
  smsMaxAttempts: number;
  smsDutyPhone: string | null;
}

interface Spec<T> {
  env: string;
  describe: string;
  parse: (raw: string) => T;
  default: T | ((partial: Partial<Config>) => T);
}

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly allowed: string, readonly got: string) {
    super(`Invalid configuration: ${variable}=${JSON.stringify(got)}; allowed: ${allowed}`);
    this.name = 'ConfigError';
  }
}

const int = (min: number, max: number) => (raw: string) => {
  if (!/^\d+$/.test(raw)) throw new Error(`an integer from ${min} to ${max}`);
  const n = Number(raw);
  if (n < min || n > max) throw new Error(`an integer from ${min} to ${max}`);
  return n;
};
const bool = (raw: string) => {
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error('true or false');
};
const httpUrl = (raw: string) => {
  if (!/^https?:\/\/[^\s/]+/.test(raw) || !URL.canParse(raw)) throw new Error('an http:// or https:// URL');
  return raw;
};
const nonEmpty = (raw: string) => {
  if (raw.trim() === '') throw new Error('a non-empty value');
  return raw;
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configSpec: { [K in keyof Config]: Spec<Config[K]> } = {
  host: { env: 'HOST', describe: 'address the HTTP server listens on', parse: nonEmpty, default: '127.0.0.1' },
  port: { env: 'PORT', describe: 'HTTP port (0 picks a free one)', parse: int(0, 65535), default: 3000 },
  databaseUrl: {
    env: 'DATABASE_URL',
    describe: 'postgres://user@host:port/db to use PostgreSQL; unset for the embedded database',
    parse: (raw) => {
      if (!/^postgres(ql)?:\/\/.+/.test(raw)) throw new Error('a postgres:// or postgresql:// URL');
      return raw;
    },
    default: null,
  },
  dataDir: { env: 'CARDFLOW_DATA_DIR', describe: 'embedded database directory', parse: nonEmpty, default: './data' },
  keyFile: {
    env: 'CARDFLOW_KEY_FILE',
    describe: 'SM4/HMAC-SM3 key file (created on first start if missing; keep it out of backups)',
    parse: nonEmpty,
    default: './keys/cardflow-keys.json',
  },
  keysJson: { env: 'CARDFLOW_KEYS', describe: 'the key file contents as JSON (overrides CARDFLOW_KEY_FILE)', parse: nonEmpty, default: null },
  adminPassword: {
    env: 'CARDFLOW_ADMIN_PASSWORD',
    describe: 'password for the first admin user (random and printed once if unset)',
    parse: nonEmpty,
    default: null,
  },
  logLevel: {
    env: 'CARDFLOW_LOG_LEVEL',
    describe: LOG_LEVELS.join(' | '),
    parse: (raw) => {
      const level = LOG_LEVELS.find((l) => l === raw);
      if (!level) throw new Error(LOG_LEVELS.join(', '));
      return level;
    },
    default: 'info',
  },
  sessionTtlMinutes: { env: 'CARDFLOW_SESSION_TTL_MINUTES', describe: 'absolute session lifetime', parse: int(5, 7 * 24 * 60), default: 480 },
  sessionIdleMinutes: { env: 'CARDFLOW_SESSION_IDLE_MINUTES', describe: 'session idle timeout', parse: int(1, 24 * 60), default: 30 },
  loginMaxFailures: { env: 'CARDFLOW_LOGIN_MAX_FAILURES', describe: 'failed sign-ins before the account locks', parse: int(1, 100), default: 5 },
  loginLockMinutes: { env: 'CARDFLOW_LOGIN_LOCK_MINUTES', describe: 'how long a locked account stays locked', parse: int(1, 24 * 60), default: 15 },
  loginIpLimitPerWindow: { env: 'CARDFLOW_LOGIN_IP_LIMIT', describe: 'sign-in attempts per IP address per window', parse: int(1, 100000), default: 30 },
  loginIpWindowSeconds: { env: 'CARDFLOW_LOGIN_IP_WINDOW_SECONDS', describe: 'length of the per-IP sign-in window', parse: int(1, 86400), default: 300 },
  trackIpLimitPerWindow: { env: 'CARDFLOW_TRACK_IP_LIMIT', describe: 'public progress lookups per IP address per window', parse: int(1, 100000), default: 20 },
  trackIpWindowSeconds: { env: 'CARDFLOW_TRACK_IP_WINDOW_SECONDS', describe: 'length of the per-IP progress lookup window', parse: int(1, 86400), default: 300 },
  rateLimitWindowSeconds: { env: 'CARDFLOW_RATE_LIMIT_WINDOW_SECONDS', describe: 'length of the general API request window', parse: int(1, 3600), default: 60 },
  rateLimitPerApiKey: { env: 'CARDFLOW_RATE_LIMIT_API_KEY', describe: 'API requests per API key per window (0 = unlimited)', parse: int(0, 100_000_000), default: 120_000 },
  rateLimitPerUser: { env: 'CARDFLOW_RATE_LIMIT_USER', describe: 'API requests per signed-in user per window (0 = unlimited)', parse: int(0, 100_000_000), default: 12_000 },
  rateLimitPerIp: { env: 'CARDFLOW_RATE_LIMIT_IP', describe: 'API requests per IP address without a session or key, per window (0 = unlimited)', parse: int(0, 100_000_000), default: 3_000 },
  retentionIntervalHours: { env: 'CARDFLOW_RETENTION_INTERVAL_HOURS', describe: 'hours between scheduled retention runs (0 = none)', parse: int(0, 24 * 31), default: 24 },
  bodyLimitBytes: { env: 'CARDFLOW_BODY_LIMIT_BYTES', describe: 'largest accepted JSON body', parse: int(1024, 64 * 1024 * 1024), default: 1024 * 1024 },
  cookieSecure: { env: 'CARDFLOW_COOKIE_SECURE', describe: 'mark the session cookie Secure (behind HTTPS)', parse: bool, default: false },
  trustProxy: { env: 'CARDFLOW_TRUST_PROXY', describe: 'trust X-Forwarded-For from a reverse proxy', parse: bool, default: false },
  dbPoolSize: { env: 'CARDFLOW_DB_POOL_SIZE', describe: 'PostgreSQL connections per process', parse: int(1, 200), default: 10 },
  backupDir: { env: 'CARDFLOW_BACKUP_DIR', describe: 'where `cardflow backup` and scheduled backups write (keep it off the database disk)', parse: nonEmpty, default: './backups' },
  backupIntervalHours: { env: 'CARDFLOW_BACKUP_INTERVAL_HOURS', describe: 'hours between scheduled backups (0 = none)', parse: int(0, 24 * 31), default: 24 },
  metricsToken: {
    env: 'CARDFLOW_METRICS_TOKEN',
    describe: 'bearer token Prometheus sends to /metrics (unset: only scrapes from this machine are answered)',
    parse: (raw) => {
      if (raw.length < 16) throw new Error('at least 16 characters');
      return raw;
    },
    default: null,
  },
  backupKeep: { env: 'CARDFLOW_BACKUP_KEEP', describe: 'scheduled backups kept (older ones are deleted)', parse: int(1, 1000), default: 7 },
  smsProtocol: {
    env: 'CARDFLOW_SMS_PROTOCOL',
    describe: 'smpp | cmpp | http: protocol of the SMS gateway (http: the signed JSON provider)',
    parse: (raw) => {
      if (raw !== 'smpp' && raw !== 'cmpp' && raw !== 'http') throw new Error('smpp, cmpp or http');
      return raw;
    },
    default: 'smpp',
  },
  smsHost: { env: 'CARDFLOW_SMS_HOST', describe: 'SMS gateway host; unset runs the in-process simulator', parse: nonEmpty, default: null },
  smsPort: { env: 'CARDFLOW_SMS_PORT', describe: 'SMS gateway port (2775 for SMPP, 7890 for CMPP)', parse: int(1, 65535), default: (p) => (p.smsProtocol === 'cmpp' ? 7890 : 2775) },
  smsAccount: { env: 'CARDFLOW_SMS_ACCOUNT', describe: 'SMPP system_id or CMPP SP id', parse: nonEmpty, default: null },
  smsPassword: { env: 'CARDFLOW_SMS_PASSWORD', describe: 'SMPP password or CMPP shared secret', parse: nonEmpty, default: null },
  smsHttpUrl: {
    env: 'CARDFLOW_SMS_HTTP_URL',
    describe: 'where submits to the HTTP SMS provider are POSTed (protocol http); unset runs the in-process simulator',
    parse: httpUrl,
    default: null,
  },
  smsCallbackUrl: {
    env: 'CARDFLOW_SMS_CALLBACK_URL',
    describe: 'public URL of POST /api/v1/sms/http-callbacks, sent to the HTTP SMS provider with every submit',
    parse: httpUrl,
    default: null,
  },
  smsSourceAddr: { env: 'CARDFLOW_SMS_SOURCE_ADDR', describe: 'sender number (SMPP source_addr, CMPP Src_Id)', parse: nonEmpty, default: '10690000' },
  smsServiceId: { env: 'CARDFLOW_SMS_SERVICE_ID', describe: 'CMPP Service_Id', parse: nonEmpty, default: 'NOTICE' },
  smsBinds: { env: 'CARDFLOW_SMS_BINDS', describe: 'connections (binds) to the SMS gateway', parse: int(1, 32), default: 1 },
  smsRatePerSecond: { env: 'CARDFLOW_SMS_RATE', describe: 'messages per second to the SMS gateway', parse: int(1, 100000), default: 200 },
  smsWindow: { env: 'CARDFLOW_SMS_WINDOW', describe: 'submits in flight per bind', parse: int(1, 1000), default: 10 },
  smsPriceYuan: {
    env: 'CARDFLOW_SMS_PRICE',
    describe: 'price of one SMS segment in yuan',
    parse: (raw) => {
      if (!/^\d{1,6}(\.\d{1,5})?$/.test(raw)) throw new Error('an amount in yuan with at most 5 decimals');
      return raw;
    },
    default: '0.035',
  },
  smsValidityMinutes: { env: 'CARDFLOW_SMS_VALIDITY_MINUTES', describe: 'how long an SMS may wait for sending and its receipt', parse: int(1, 7 * 24 * 60), default: 1440 },
  smsQuietHours: {
    env: 'CARDFLOW_SMS_QUIET_HOURS',
    describe: 'hours (Asia/Shanghai) in which marketing SMS may be sent, HH:MM-HH:MM',
    parse: (raw) => {
      if (!/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/.test(raw)) throw new Error('HH:MM-HH:MM');
      return raw;
    },
    default: '08:00-21:00',
  },
  smsReconcileSeconds: {
    env: 'CARDFLOW_SMS_RECONCILE_SECONDS',
    describe: 'wait for evidence before resending an SMS whose submit outcome is unknown',
    parse: int(1, 86400),
    default: 600,
  },
  smsMaxAttempts: { env: 'CARDFLOW_SMS_MAX_ATTEMPTS', describe: 'submit attempts before an SMS fails', parse: int(1, 100), default: 5 },
  smsDutyPhone: {
    env: 'CARDFLOW_SMS_DUTY_PHONE',
    describe: 'mobile number of the authority duty officer, alerted by SMS (messages held for sensitive words, platform alerts); unset sends no alert SMS',
    parse: nonEmpty,
    default: null,
  },
};

/**
 * Reads the optional JSON config file named by CARDFLOW_CONFIG (keys are the environment variable
 * names), then the environment, which wins. Throws ConfigError on the first wrong value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = readConfigFile(env.CARDFLOW_CONFIG);
  const out: Partial<Record<keyof Config, unknown>> = {};
  for (const key of Object.keys(configSpec) as (keyof Config)[]) {
    const spec = configSpec[key] as Spec<unknown>;
    // An empty variable counts as unset (e.g. `PORT=` from a template), so it does not hide the file's value.
    const raw = env[spec.env] || fromFile[spec.env];
    if (raw === undefined || raw === '') {
      out[key] = typeof spec.default === 'function' ? (spec.default as (p: Partial<Config>) => unknown)(out as Partial<Config>) : spec.default;
      continue;
    }
    try {
      out[key] = spec.parse(raw);
    } catch (err) {
      throw new ConfigError(spec.env, (err as Error).message, raw);
    }
  }
  const config = out as Config;
  config.dataDir = path.resolve(config.dataDir);
  config.keyFile = path.resolve(config.keyFile);
  config.backupDir = path.resolve(config.backupDir);
  return config;
}

function readConfigFile(file: string | undefined): Record<string, string> {
  if (!file) return {};
  if (!existsSync(file)) throw new ConfigError('CARDFLOW_CONFIG', 'the path of an existing JSON file', file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ConfigError('CARDFLOW_CONFIG', 'a JSON object of VARIABLE: "value" pairs', file);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('CARDFLOW_CONFIG', 'a JSON object of VARIABLE: "value" pairs', file);
  }
  const known = new Set(Object.values(configSpec).map((s) => s.env));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (!known.has(k)) throw new ConfigError(`CARDFLOW_CONFIG (${k})`, `one of ${[...known].join(', ')}`, k);
    out[k] = String(v);
  }
  return out;
}

/** The configuration table for README and `cardflow config`. */
export function describeConfig(): { variable: string; default: string; meaning: string }[] {
  return Object.values(configSpec).map((s) => ({
    variable: s.env,
    default: typeof s.default === 'function' ? '(derived)' : s.default === null ? '(unset)' : String(s.default),
    meaning: s.describe,
  }));
}
