/**
 * Whole-project benchmark (not a test): `django-readiness check PATH` in a child process, timed
 * from spawn to exit, with its own statistics (--stats: files found, parsed, skipped by the
 * prefilter, worker threads, peak RSS from process.resourceUsage().maxRSS, which counts the
 * worker threads too), next to the time to merely parse the same Python files with web-tree-sitter.
 *
 *   npm run bench -- repo [PATH] [--files 4000] [--runs 5] [--break-even] [--compare OTHER/dist/cli.js]
 *
 * --compare times another build of the CLI (e.g. main's, before a change) against this one on the
 * same repository, interleaved run by run (both suffer the same load), and prints the ratio.
 *
 * Without PATH, a generated repository (bench/repo-generator.ts, seeded) of --files files is
 * written to bench/out/repo-N (git-ignored) and checked. --break-even times in-process against
 * worker threads on generated repositories of growing size (the PARALLEL_MIN_FILES threshold).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { CheckStats } from '../server/src/cli/run';
import { listFiles, NodeFileSystem } from '../server/src/engine/project';
import { benchRepo } from './repo-generator';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const positional = argv.filter((a, i) => !a.startsWith('-') && !argv[i - 1]?.startsWith('--') && a !== 'repo');

function quantiles(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95) };
}

const fmtMs = (xs: number[]) => {
  const { median, p95 } = quantiles(xs);
  return `median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`;
};

/** The line `check --stats` prints: the analysis figures plus the process's. */
interface CliStats extends CheckStats {
  maxRssKb: number;
  /** User + system CPU time of the whole process (all threads). */
  cpuMs: number;
}

const generated = (files: number, seed = 42) => benchRepo(root, files, seed);

function runCli(target: string, extra: string[], env: NodeJS.ProcessEnv = {}, cliPath = cli): { ms: number; stats: CliStats; findings: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cliPath, 'check', target, '--format', 'json', '--stats', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`django-readiness check failed (${r.status}): ${r.stderr}`);
  const line = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('{"filesFound"'));
  if (!line) throw new Error(`no --stats line: ${r.stderr.slice(0, 500)}`);
  const out = JSON.parse(r.stdout) as { diagnostics: unknown[] };
  return { ms, stats: JSON.parse(line) as CliStats, findings: out.diagnostics.length };
}

async function parseOnly(target: string): Promise<{ ms: number; files: number; bytes: number; lines: number }> {
  await Parser.init({ locateFile: () => path.join(__dirname, 'web-tree-sitter.wasm') });
  const lang = await Language.load(fs.readFileSync(path.join(__dirname, 'tree-sitter-python.wasm')));
  const parser = new Parser();
  parser.setLanguage(lang);
  const fsys = new NodeFileSystem();
  const files = listFiles(target, fsys, { exclude: [] }).files.filter((f) => f.kind === 'python');
  const texts = files.map((f) => fsys.readFile(f.path) ?? '');
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const lines = texts.reduce((n, t) => n + t.split('\n').length - 1, 0);
  const t0 = performance.now();
  for (const t of texts) parser.parse(t)?.delete();
  return { ms: performance.now() - t0, files: files.length, bytes, lines };
}

function pythonBytes(target: string): { bytes: number; lines: number; files: number } {
  const fsys = new NodeFileSystem();
  let bytes = 0;
  let lines = 0;
  const files = listFiles(target, fsys, { exclude: [] }).files.filter((f) => f.kind === 'python');
  for (const f of files) {
    const t = fsys.readFile(f.path) ?? '';
    bytes += Buffer.byteLength(t);
    lines += t.split('\n').length - 1;
  }
  return { bytes, lines, files: files.length };
}

async function main(): Promise<void> {
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: npm run build');
  if (argv.includes('--break-even')) return breakEven();
  if (argv.includes('--compare')) return compare(path.resolve(argv[argv.indexOf('--compare') + 1]));
  const target = positional[0] ? path.resolve(positional[0]) : generated(opt('--files', 4000));
  const runs = opt('--runs', 5);
  const size = pythonBytes(target);
  const mb = size.bytes / 1024 / 1024;
  console.log(`repository: ${target}\n  ${size.files} Python files, ${size.lines} lines, ${mb.toFixed(1)} MB`);
  console.log(`machine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes share the cores)`);
  for (const [label, extra] of [
    ['check (default: worker threads when large)', []],
    ['check --workers 0 (in-process)', ['--workers', '0']],
  ] as [string, string[]][]) {
    runCli(target, extra); // warm the disk cache
    const wall: number[] = [];
    const rss: number[] = [];
    const cpu: number[] = [];
    let last: ReturnType<typeof runCli> | undefined;
    for (let i = 0; i < runs; i++) {
      last = runCli(target, extra);
      wall.push(last.ms);
      rss.push(last.stats.maxRssKb / 1024);
      cpu.push(last.stats.cpuMs);
    }
    const s = (last as ReturnType<typeof runCli>).stats;
    const { median } = quantiles(wall);
    console.log(`\n${label}  (n=${runs})`);
    console.log(`  wall:        ${fmtMs(wall)}  (analysis ${s.ms.toFixed(0)} ms in the last run); CPU (all threads): median ${quantiles(cpu).median.toFixed(0)} ms`);
    console.log(`  throughput:  ${(mb / (median / 1000)).toFixed(1)} MB/s, ${Math.round(size.lines / (median / 1000)).toLocaleString('en')} lines/s`);
    console.log(`  files:       ${s.filesFound} found, ${s.pythonFiles} Python; code rules: ${s.skippedByPrefilter} skipped by prefilter, ${s.skippedLargeOrBinary} too large/binary; ${s.parsed} parsed (settings + code)`);
    console.log(`  peak RSS:    median ${quantiles(rss).median.toFixed(0)} MB, p95 ${quantiles(rss).p95.toFixed(0)} MB; worker threads: ${s.workers}; findings: ${last?.findings}`);
  }
  const p = await parseOnly(target);
  console.log(`\nparse only (web-tree-sitter, every Python file, one thread): ${p.ms.toFixed(0)} ms for ${p.files} files, ${(p.bytes / 1024 / 1024 / (p.ms / 1000)).toFixed(1)} MB/s`);
}

/** Another build of the CLI against this one, interleaved run by run, on the same repository. */
function compare(other: string): void {
  if (!fs.existsSync(other)) throw new Error(`--compare: ${other} does not exist`);
  const target = positional.find((p) => path.resolve(p) !== other) ? path.resolve(positional.find((p) => path.resolve(p) !== other) as string) : generated(opt('--files', 4000));
  const runs = opt('--runs', 7);
  console.log(`repository: ${target}\nbefore: ${other}\nafter:  ${cli}\nmachine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const [label, extra] of [
    ['check (default: worker threads when large)', []],
    ['check --workers 0 (in-process)', ['--workers', '0']],
  ] as [string, string[]][]) {
    runCli(target, extra, {}, other);
    runCli(target, extra);
    const before: number[] = [];
    const after: number[] = [];
    const cpuBefore: number[] = [];
    const cpuAfter: number[] = [];
    let findings = [0, 0];
    for (let i = 0; i < runs; i++) {
      const a = runCli(target, extra, {}, other);
      const b = runCli(target, extra);
      before.push(a.ms);
      after.push(b.ms);
      cpuBefore.push(a.stats.cpuMs);
      cpuAfter.push(b.stats.cpuMs);
      findings = [a.findings, b.findings];
    }
    const mb = quantiles(before).median;
    const ma = quantiles(after).median;
    const cb = quantiles(cpuBefore).median;
    const ca = quantiles(cpuAfter).median;
    console.log(`\n${label}  (n=${runs} each, interleaved)`);
    console.log(`  wall: before ${fmtMs(before)}; after ${fmtMs(after)}; ratio ${(ma / mb).toFixed(3)}`);
    console.log(`  CPU (all threads): before median ${cb.toFixed(0)} ms; after ${ca.toFixed(0)} ms; ratio ${(ca / cb).toFixed(3)}`);
    console.log(`  findings: before ${findings[0]}, after ${findings[1]}`);
  }
}

/** In-process against worker threads on repositories of growing size: where the threads pay. */
function breakEven(): void {
  const runs = opt('--runs', 5);
  console.log(`break-even: wall time of the CLI, median of ${runs} (threshold forced to 0 for the worker runs)`);
  console.log('files  code files  in-process  workers  gain');
  for (const files of (argv.includes('--sizes') ? argv[argv.indexOf('--sizes') + 1].split(',').map(Number) : [100, 200, 400, 800, 1600, 4000])) {
    const dir = generated(files, 42);
    const inProc: number[] = [];
    const workers: number[] = [];
    let codeFiles = 0;
    runCli(dir, ['--workers', '0']);
    for (let i = 0; i < runs; i++) {
      const a = runCli(dir, ['--workers', '0']);
      codeFiles = a.stats.parsed + a.stats.skippedByPrefilter;
      inProc.push(a.ms);
      workers.push(runCli(dir, [], { DJR_PARALLEL_MIN_FILES: '0' }).ms);
    }
    const a = quantiles(inProc).median;
    const b = quantiles(workers).median;
    console.log(`${String(files).padStart(5)}  ${String(codeFiles).padStart(10)}  ${a.toFixed(0).padStart(7)} ms  ${b.toFixed(0).padStart(4)} ms  ${(a - b).toFixed(0).padStart(5)} ms`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
