import { Command, Option } from 'commander';
import { runServe } from './serve.ts';
import { withPlatform, cliPrincipal, progress, fail } from './support.ts';
import { createUser, findUserByUsername, setPassword, listOrgs } from '../modules/orgs/service.ts';
import { createApiKey, revokeApiKey, listApiKeys } from '../platform/auth/service.ts';
import { randomPassword } from '../platform/auth/passwords.ts';
import { appendAudit, verifyAuditChain } from '../platform/audit/service.ts';
import { importDays, listDays, listYears, parseCalendarCsv } from '../modules/calendar/service.ts';
import { rotateKeys } from './keys.ts';
import { databaseIsEmpty, DEMO_PASSWORD, runDemo } from './demo.ts';
import { registerExportCommand } from './export.ts';
import { registerSmsCommand } from './sms.ts';
import { registerBackupCommands } from './backup.ts';
import { registerRetentionCommand } from './retention.ts';
import { registerSettlementCommand } from './settlement.ts';
import { describeConfig, loadConfig } from '../platform/config/config.ts';
import { createReadStream, readFileSync } from 'node:fs';
import { AppError } from '../platform/errors/app-error.ts';
import { importApplications } from '../modules/applications/service.ts';
import { registerPackageExport, runPackageDecrypt } from './package.ts';

const program = new Command();
program.name('cardflow').description('cardflow: residence permits and social security cards, from application to issue').showHelpAfterError();

program
  .command('serve')
  .description('run the API, the web console and the background workers')
  .addOption(new Option('--role <role>', 'what this process runs').choices(['all', 'api', 'worker']).default('all'))
  .action(runServe);

program
  .command('migrate')
  .description('apply the database migrations and exit')
  .action(() =>
    withPlatform(async (ctx) => {
      process.stdout.write(`migrations applied (${ctx.db.engine})\n`);
    }),
  );

program
  .command('config')
  .description('list the configuration variables, their defaults and meaning, and check the current environment')
  .action(() => {
    for (const row of describeConfig()) process.stdout.write(`${row.variable.padEnd(34)} ${row.default.padEnd(28)} ${row.meaning}\n`);
    loadConfig();
    process.stdout.write('\ncurrent environment: valid\n');
  });

const user = program.command('user').description('manage console users');
user
  .command('create')
  .description('create a user (prints a generated password if none is given)')
  .requiredOption('--username <name>', 'sign-in name (3–40 of A-Z a-z 0-9 _ . -)')
  .requiredOption('--org <id>', 'organisation id (see `cardflow org list`)')
  .requiredOption('--roles <roles>', 'comma-separated roles, e.g. OUTLET_CLERK')
  .option('--display-name <name>', 'name shown in the console')
  .option('--password <password>', 'initial password (default: generated)')
  .option('--phone <phone>', 'mobile number (stored encrypted)')
  .action((o: { username: string; org: string; roles: string; displayName?: string; password?: string; phone?: string }) =>
    withPlatform(async (ctx) => {
      const password = o.password ?? randomPassword();
      const created = await createUser(ctx, await cliPrincipal(ctx), {
        username: o.username,
        displayName: o.displayName ?? o.username,
        orgId: o.org,
        roles: o.roles.split(',').map((r) => r.trim()),
        password,
        phone: o.phone,
      });
      await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'user.create', targetType: 'user', targetId: created.id, outcome: 'SUCCESS', details: { username: created.username, roles: created.roles } });
      process.stdout.write(`created ${created.username} (${created.id}) in ${created.orgName}${o.password ? '' : `\npassword: ${password}`}\n`);
    }),
  );
user
  .command('reset-password <username>')
  .description('set a new password and unlock the account (prints a generated one if none is given)')
  .option('--password <password>', 'the new password (default: generated)')
  .action((username: string, o: { password?: string }) =>
    withPlatform(async (ctx) => {
      const found = await findUserByUsername(ctx, username);
      if (!found) fail(`no user named ${username}`);
      const password = o.password ?? randomPassword();
      await setPassword(ctx, found.id, password);
      await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'user.password.reset', targetType: 'user', targetId: found.id, outcome: 'SUCCESS' });
      process.stdout.write(`password of ${username} reset${o.password ? '' : `: ${password}`}\n`);
    }),
  );

program
  .command('org')
  .description('organisations')
  .command('list')
  .description('list organisations with their ids')
  .action(() =>
    withPlatform(async (ctx) => {
      for (const org of await listOrgs(ctx, await cliPrincipal(ctx))) {
        const depth = org.path.split('/').filter(Boolean).length - 1;
        process.stdout.write(`${org.id}  ${'  '.repeat(depth)}${org.name} [${org.kind}${org.regionCode ? ` ${org.regionCode}` : ''}]\n`);
      }
    }),
  );

const apikey = program.command('apikey').description('API keys for machine clients (producer and bank systems)');
apikey
  .command('create')
  .description('create a key; the secret is printed once')
  .requiredOption('--org <id>', 'organisation the client acts for')
  .requiredOption('--name <name>', 'what the key is for')
  .requiredOption('--roles <roles>', 'comma-separated roles, e.g. PRODUCER_OPERATOR')
  .action((o: { org: string; name: string; roles: string }) =>
    withPlatform(async (ctx) => {
      const { apiKey, secret } = await createApiKey(ctx, await cliPrincipal(ctx), { orgId: o.org, name: o.name, roles: o.roles.split(',').map((r) => r.trim()) });
      await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'apikey.create', targetType: 'api_key', targetId: apiKey.id, outcome: 'SUCCESS', details: { prefix: apiKey.prefix } });
      process.stdout.write(`created API key ${apiKey.name} (prefix ${apiKey.prefix})\nsecret (shown once): ${secret}\n`);
    }),
  );
apikey
  .command('revoke <idOrPrefix>')
  .description('revoke a key by id or prefix')
  .action((idOrPrefix: string) =>
    withPlatform(async (ctx) => {
      const revoked = await revokeApiKey(ctx, await cliPrincipal(ctx), idOrPrefix);
      await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'apikey.revoke', targetType: 'api_key', targetId: revoked.id, outcome: 'SUCCESS' });
      process.stdout.write(`revoked ${revoked.name} (prefix ${revoked.prefix})\n`);
    }),
  );
apikey
  .command('list')
  .description('list keys (prefix only)')
  .action(() =>
    withPlatform(async (ctx) => {
      for (const k of await listApiKeys(ctx, await cliPrincipal(ctx))) {
        process.stdout.write(`${k.prefix}  ${k.name}  ${k.orgName}  ${k.roles.join(',')}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\n`);
      }
    }),
  );

program
  .command('keys')
  .description('encryption keys')
  .command('rotate')
  .description('add a new data key and re-encrypt every protected field to it, in batches; run again to resume')
  .option('--resume', 'do not add a key; finish re-encrypting to the current active key')
  .option('--batch-size <n>', 'rows per transaction', '500')
  .action((o: { resume?: boolean; batchSize: string }) => rotateKeys({ resume: Boolean(o.resume), batchSize: Number(o.batchSize) }));

program
  .command('audit')
  .description('audit trail')
  .command('verify')
  .description('recompute the hash chain; exits 1 and names the first broken link if the trail was altered')
  .action(() =>
    withPlatform(async (ctx) => {
      const result = await verifyAuditChain(ctx, (checked, total) => progress(`checked ${checked}/${total}`));
      progress(null);
      if (result.ok) process.stdout.write(`audit trail intact: ${result.checked} entries checked\n`);
      else {
        process.stdout.write(`audit trail BROKEN at entry #${result.firstBrokenSeq} (${result.reason}); ${result.checked} entries before it are intact\n`);
        process.exitCode = 1;
      }
    }),
  );

const calendar = program.command('calendar').description('official holidays and make-up working days');
calendar
  .command('import <file>')
  .description('import days from JSON ([{date,kind,name,source}] or {days:[…]}) or CSV (date,kind,name,source), all or nothing')
  .action((file: string) =>
    withPlatform(async (ctx) => {
      const text = readFileSync(file, 'utf8');
      let rows: unknown[];
      if (file.toLowerCase().endsWith('.csv')) rows = parseCalendarCsv(text);
      else {
        const parsed = JSON.parse(text) as unknown;
        rows = Array.isArray(parsed) ? parsed : ((parsed as { days?: unknown[] }).days ?? []);
      }
      try {
        const result = await importDays(ctx, rows);
        await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'calendar.import', outcome: 'SUCCESS', details: result });
        process.stdout.write(`imported ${result.imported} days for ${result.years.join(', ')}; publish a year with the console when its notice is final\n`);
      } catch (err) {
        if (err instanceof AppError && err.code === 'CALENDAR_IMPORT_INVALID') {
          for (const r of (err.details as { rows: { row: number; date: string | null; error: string }[] }).rows) {
            process.stderr.write(`row ${r.row}${r.date ? ` (${r.date})` : ''}: ${r.error}\n`);
          }
        }
        throw err;
      }
    }),
  );
calendar
  .command('list')
  .description('list years, or the days of one year')
  .option('--year <year>', 'a year')
  .action((o: { year?: string }) =>
    withPlatform(async (ctx) => {
      if (!o.year) {
        for (const y of await listYears(ctx)) {
          process.stdout.write(`${y.year}  ${y.published ? 'published  ' : 'UNPUBLISHED'}  ${y.holidays} holidays, ${y.makeupWorkdays} make-up working days\n`);
        }
        return;
      }
      for (const d of await listDays(ctx, Number(o.year))) process.stdout.write(`${d.date}  ${d.kind.padEnd(14)}  ${d.name}  (${d.source})\n`);
    }),
  );

program
  .command('demo')
  .description('fill an empty database with a demo city: organisations, users, both programmes and a few hundred applications in every state')
  .option('--seed <n>', 'random seed (the same seed builds the same city)', '20261122')
  .action((o: { seed: string }) =>
    withPlatform(async (ctx) => {
      if (!(await databaseIsEmpty(ctx))) fail('the database already holds applications; the demo only fills an empty one');
      const summary = await runDemo(ctx, { seed: Number(o.seed), log: (line) => progress(line) });
      progress(null);
      process.stdout.write(`demo city ready: ${summary.applications} applications\n\nsign in with any of these users, password ${DEMO_PASSWORD}:\n`);
      for (const user of summary.users) process.stdout.write(`  ${user.username.padEnd(16)} ${user.role.padEnd(20)} ${user.org}\n`);
    }),
  );

program
  .command('applications')
  .description('card applications')
  .command('import <file>')
  .description('import applications for one outlet from CSV (header row) or NDJSON (.ndjson/.jsonl), all or nothing')
  .requiredOption('--programme <id>', 'programme id')
  .requiredOption('--outlet <id>', 'outlet organisation id (a receiving outlet of the programme)')
  .action((file: string, o: { programme: string; outlet: string }) =>
    withPlatform(async (ctx) => {
      const format = /\.(ndjson|jsonl)$/i.test(file) ? 'ndjson' : 'csv';
      try {
        const result = await importApplications(ctx, await cliPrincipal(ctx), { programmeId: o.programme, outletOrgId: o.outlet, format, source: createReadStream(file) });
        await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'application.import', targetType: 'programme', targetId: o.programme, outcome: 'SUCCESS', details: { ...result, outletOrgId: o.outlet } });
        process.stdout.write(`imported ${result.imported} applications\n`);
      } catch (err) {
        if (err instanceof AppError && err.code === 'APPLICATION_IMPORT_INVALID') {
          const details = err.details as { rows: { row: number; field: string; error: string }[]; reportId: string };
          for (const r of details.rows) process.stderr.write(`row ${r.row} ${r.field}: ${r.error}\n`);
          process.stderr.write(`error report: GET /api/v1/import-reports/${details.reportId}\n`);
        }
        throw err;
      }
    }),
  );

const packages = program.command('package').description('production data packages');
registerPackageExport(packages);
packages
  .command('decrypt <file>')
  .description('verify (HMAC-SM3) and decrypt a batch package into a directory, then check every SM3 in its manifest; needs no database')
  .option('--key <hex|@file>', 'the SM4 package key (64 hex digits, or @file holding them)')
  .option('--sm2-private-key <hex|@file>', 'the SM2 private key, for packages made for a registered SM2 public key')
  .requiredOption('--out <dir>', 'directory to write manifest.json, records.jsonl and photos/ to')
  .action(async (file: string, o: { key?: string; sm2PrivateKey?: string; out: string }) => {
    process.exitCode = await runPackageDecrypt(file, o);
  });

registerExportCommand(program);
registerSmsCommand(program);
registerBackupCommands(program);
registerRetentionCommand(program);
registerSettlementCommand(program);

await program.parseAsync(process.argv);
