/**
 * `npm run bench`: runs every suite (or those named on the command line), prints a table and writes
 * bench/results/latest.json. Speed is only ever asserted here, never in tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './result.js';
import { suites } from './suites/index.js';

const wanted = process.argv.slice(2);
const names = Object.keys(suites).filter((n) => wanted.length === 0 || wanted.includes(n));
const results: BenchResult[] = [];
for (const name of names) {
  const load = suites[name];
  if (!load) continue;
  process.stderr.write(`bench: ${name}…\n`);
  try {
    const suite = await load();
    results.push(...(await suite()));
  } catch (err) {
    results.push({ suite: name, name: 'suite failed', value: NaN, unit: '', notes: String(err) });
  }
}

const rows = results.map((r) => [
  r.suite,
  r.name,
  Number.isFinite(r.value) ? (Math.abs(r.value) >= 100 ? r.value.toFixed(0) : r.value.toFixed(3)) : 'n/a',
  r.unit,
  r.target ?? '',
  r.met === undefined ? '' : r.met ? 'yes' : 'MISS',
  r.notes ?? '',
]);
const header = ['suite', 'measure', 'value', 'unit', 'target', 'met', 'notes'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r.map(String)));

const outDir = join(process.cwd(), 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'latest.json'),
  JSON.stringify(
    { at: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, results },
    null,
    2,
  ) + '\n',
);
