import os from 'node:os';
import { benchFieldCrypto } from './crypto.bench.ts';
import { benchStartup } from './startup.bench.ts';
import { benchHttp } from './http.bench.ts';
import { benchLifecycle } from './lifecycle.bench.ts';
import { benchMaintenanceSla } from './maintenance-sla.bench.ts';
import { benchMaintenanceReport } from './maintenance-report.bench.ts';
import { benchSmsGateway } from './sms-gateway.bench.ts';
import { benchSmsWords } from './sms-words.bench.ts';
import { benchSmsCampaign } from './sms-campaign.bench.ts';
import { benchLoad } from './load.ts';
import { benchCrash } from './crash.bench.ts';
import { printTable, saveResults, type BenchRow } from './support.ts';

/** `npm run bench [crypto|startup|http|lifecycle|maintenance-sla|sms|sms-words …]`: runs the scenarios, prints a table, writes bench/results/<scenario>.json. */
const scenarios: Record<string, () => Promise<BenchRow[]> | BenchRow[]> = {
  crypto: () => benchFieldCrypto(),
  startup: () => benchStartup(),
  http: () => benchHttp(),
  lifecycle: () => benchLifecycle(),
  'maintenance-sla': () => benchMaintenanceSla(),
  'maintenance-report': () => benchMaintenanceReport(),
  sms: () => benchSmsGateway(),
  'sms-words': () => benchSmsWords(),
  'sms-campaign': () => benchSmsCampaign(),
  load: () => benchLoad(),
  crash: () => benchCrash(),
};

const wanted = process.argv.slice(2);
for (const name of wanted) if (!scenarios[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
const all: BenchRow[] = [];
for (const name of wanted.length ? wanted : Object.keys(scenarios)) {
  const rows = await scenarios[name]!();
  all.push(...rows);
  const file = saveResults(name, rows, { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model });
  printTable(`${name} → ${file}`, rows);
}
printTable('summary', all);
