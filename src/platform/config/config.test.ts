import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configSpec, describeConfig, loadConfig } from './config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function configFile(content: unknown): string {
  const file = path.join(dir, `config-${++files}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: null,
      dataDir: path.resolve('data'),
      keyFile: path.resolve('keys/cardflow-keys.json'),
      keysJson: null,
      adminPassword: null,
      logLevel: 'info',
      sessionTtlMinutes: 480,
      sessionIdleMinutes: 30,
      loginMaxFailures: 5,
      loginLockMinutes: 15,
      loginIpLimitPerWindow: 30,
      loginIpWindowSeconds: 300,
      trackIpLimitPerWindow: 20,
      trackIpWindowSeconds: 300,
      rateLimitWindowSeconds: 60,
      rateLimitPerApiKey: 120_000,
      rateLimitPerUser: 12_000,
      rateLimitPerIp: 3_000,
      retentionIntervalHours: 24,
      bodyLimitBytes: 1024 * 1024,
      cookieSecure: false,
      trustProxy: false,
      dbPoolSize: 10,
      backupDir: path.resolve('backups'),
      backupIntervalHours: 24,
      backupKeep: 7,
      metricsToken: null,
      smsProtocol: 'smpp',
      smsHost: null,
      smsPort: 2775,
      smsAccount: null,
      smsPassword: null,
      smsHttpUrl: null,
      smsCallbackUrl: null,
      smsSourceAddr: '10690000',
      smsServiceId: 'NOTICE',
      smsBinds: 1,
      smsRatePerSecond: 200,
      smsWindow: 10,
      smsPriceYuan: '0.035',
      smsValidityMinutes: 1440,
      smsQuietHours: '08:00-21:00',
      smsReconcileSeconds: 600,
      smsMaxAttempts: 5,
      smsDutyPhone: null,
    });
  });

  it.each<[NodeJS.ProcessEnv, Record<string, unknown>]>([
    [{ PORT: '0' }, { port: 0 }],
    [{ PORT: '65535' }, { port: 65535 }],
    [{ PORT: '' }, { port: 3000 }],
    [{ DATABASE_URL: 'postgresql://cardflow@db:5432/cardflow' }, { databaseUrl: 'postgresql://cardflow@db:5432/cardflow' }],
    [{ CARDFLOW_LOG_LEVEL: 'silent' }, { logLevel: 'silent' }],
    [{ CARDFLOW_SMS_PROTOCOL: 'cmpp' }, { smsProtocol: 'cmpp', smsPort: 7890 }],
    [
      { CARDFLOW_SMS_PROTOCOL: 'http', CARDFLOW_SMS_HTTP_URL: 'https://sms.example.cn/v1/send', CARDFLOW_SMS_CALLBACK_URL: 'https://cardflow.example.cn/api/v1/sms/http-callbacks' },
      { smsProtocol: 'http', smsHttpUrl: 'https://sms.example.cn/v1/send', smsCallbackUrl: 'https://cardflow.example.cn/api/v1/sms/http-callbacks' },
    ],
    [{ CARDFLOW_SMS_QUIET_HOURS: '09:30-20:00', CARDFLOW_SMS_PRICE: '0.0325' }, { smsQuietHours: '09:30-20:00', smsPriceYuan: '0.0325' }],
    [{ CARDFLOW_COOKIE_SECURE: 'YES', CARDFLOW_TRUST_PROXY: 'off' }, { cookieSecure: true, trustProxy: false }],
    [{ CARDFLOW_DATA_DIR: 'var/db', CARDFLOW_KEY_FILE: '/etc/cardflow/keys.json' }, { dataDir: path.resolve('var/db'), keyFile: '/etc/cardflow/keys.json' }],
  ])('reads %j', (env, expected) => {
    expect(loadConfig(env)).toMatchObject(expected);
  });

  it.each([
    ['PORT', 'abc', 'an integer from 0 to 65535'],
    ['PORT', '70000', 'an integer from 0 to 65535'],
    ['PORT', '-1', 'an integer from 0 to 65535'],
    ['PORT', '80.5', 'an integer from 0 to 65535'],
    ['DATABASE_URL', 'mysql://x', 'a postgres:// or postgresql:// URL'],
    ['CARDFLOW_LOG_LEVEL', 'loud', 'fatal, error, warn, info, debug, trace, silent'],
    ['CARDFLOW_COOKIE_SECURE', 'maybe', 'true or false'],
    ['CARDFLOW_SESSION_TTL_MINUTES', '1', 'an integer from 5 to 10080'],
    ['CARDFLOW_DATA_DIR', '   ', 'a non-empty value'],
    ['CARDFLOW_SMS_PROTOCOL', 'smtp', 'smpp, cmpp or http'],
    ['CARDFLOW_SMS_HTTP_URL', 'sms.example.cn/send', 'an http:// or https:// URL'],
    ['CARDFLOW_SMS_QUIET_HOURS', '8-21', 'HH:MM-HH:MM'],
    ['CARDFLOW_SMS_PRICE', '0.035000', 'an amount in yuan with at most 5 decimals'],
  ])('stops on %s=%s, naming the variable and what is allowed', (variable, value, allowed) => {
    const err = configError({ [variable]: value });
    expect(err).toMatchObject({ name: 'ConfigError', variable, allowed, got: value });
    expect(err.message).toBe(`Invalid configuration: ${variable}=${JSON.stringify(value)}; allowed: ${allowed}`);
  });

  describe('with a config file (CARDFLOW_CONFIG)', () => {
    const settings = { HOST: '0.0.0.0', PORT: 8080, CARDFLOW_LOG_LEVEL: 'debug', CARDFLOW_COOKIE_SECURE: true };

    it('reads it, JSON numbers and booleans included', () => {
      expect(loadConfig({ CARDFLOW_CONFIG: configFile(settings) })).toMatchObject({ host: '0.0.0.0', port: 8080, logLevel: 'debug', cookieSecure: true, dbPoolSize: 10 });
    });

    it('lets the environment win over it, and an empty variable leave it alone', () => {
      const env = { CARDFLOW_CONFIG: configFile(settings), PORT: '9090', CARDFLOW_COOKIE_SECURE: 'false', HOST: '' };
      expect(loadConfig(env)).toMatchObject({ host: '0.0.0.0', port: 9090, logLevel: 'debug', cookieSecure: false });
    });

    it.each<[string, unknown, string, string]>([
      ['a wrong value', { PORT: 'abc' }, 'PORT', 'an integer from 0 to 65535'],
      ['an unknown key', { PROT: 8080 }, 'CARDFLOW_CONFIG (PROT)', 'one of HOST, PORT, DATABASE_URL'],
      ['a JSON array', ['PORT'], 'CARDFLOW_CONFIG', 'a JSON object of VARIABLE: "value" pairs'],
      ['broken JSON', '{"PORT": 80', 'CARDFLOW_CONFIG', 'a JSON object of VARIABLE: "value" pairs'],
    ])('refuses %s', (_, content, variable, allowed) => {
      const err = configError({ CARDFLOW_CONFIG: configFile(content) });
      expect(err.variable).toBe(variable);
      expect(err.allowed).toContain(allowed);
    });

    it('refuses a file that does not exist', () => {
      const missing = path.join(dir, 'missing.json');
      expect(configError({ CARDFLOW_CONFIG: missing })).toMatchObject({ variable: 'CARDFLOW_CONFIG', allowed: 'the path of an existing JSON file', got: missing });
    });
  });
});

describe('describeConfig', () => {
  it('documents every variable with its default', () => {
    const rows = describeConfig();
    expect(rows.map((r) => r.variable)).toEqual(Object.values(configSpec).map((s) => s.env));
    expect(rows.find((r) => r.variable === 'PORT')).toMatchObject({ default: '3000' });
    expect(rows.find((r) => r.variable === 'DATABASE_URL')).toMatchObject({ default: '(unset)' });
  });
});
