/**
 * Whole-project benchmark (not a test). Runs, in one session and interleaved round by round (so
 * every command suffers the same load), `django-readiness check PATH` in a child process and the
 * floors of its design (bench/floor.ts), and prints CPU time (user + system, all threads), wall
 * time and peak RSS side by side, with the ratios measured round by round and the load average.
 *
 *   npm run bench -- repo [PATH] [--files 4000] [--runs 5] [--compare OTHER/dist/cli.js]
 *                         [--parse-all] [--ruff RUFF] [--break-even [--sizes 100,400,1600]]
 *
 * Commands timed each round:
 *  - check                this build's CLI (`check --format json --stats`: worker threads when it decides so)
 *  - check --workers 0    the same, in-process
 *  - floor                node start + listing + reading + prefilter + parsing what matches +
 *                         evaluating the production settings (bench/floor.ts: no rule runs)
 *  - reading only         node start + listing + reading the same files
 *  - --compare OTHER      another build of the CLI (e.g. /work/baseline/dist/cli.js, or a copy of
 *                         main's dist/ before a change), default and --workers 0; findings compared
 *  - --parse-all          a tree-sitter parse of every Python file (what a linter reading every file does)
 *  - --ruff RUFF          native Ruff on the same folder (`ruff check --no-cache --select S,DJ`),
 *                         when a `ruff` binary is given or on PATH; timed with /usr/bin/time
 *
 * Without PATH, a generated repository (bench/repo-generator.ts, seeded) of --files files is
 * written to bench/out/repo-N-42 (git-ignored) and checked. --break-even times in-process against
 * worker threads (forced) on generated repositories of growing size.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckStats } from '../server/src/cli/run';
import { benchRepo } from './repo-generator';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const floorJs = path.join(__dirname, 'floor.js');
const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const str = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const WITH_VALUE = new Set(['--files', '--runs', '--compare', '--ruff', '--sizes', '--seed']);
const positional = argv.filter((a, i) => !a.startsWith('-') && !WITH_VALUE.has(argv[i - 1]) && a !== 'repo');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/** One timed run of a command: CPU of the whole process (all threads), wall, peak RSS. */
interface Run {
  cpuMs: number;
  wallMs: number;
  rssMb: number;
  /** The CLI's findings (normalised JSON lines), for the comparisons. */
  findings?: string[];
  stats?: CliStats;
  floor?: FloorStats;
}

/** The line `check --stats` prints: the analysis figures plus the process's. */
interface CliStats extends CheckStats {
  maxRssKb: number;
  /** User + system CPU time of the whole process (all threads). */
  cpuMs: number;
}

interface FloorStats {
  files: number;
  chars: number;
  matched: number;
  parsedChars: number;
  settingsModules: number;
  cpuMs: number;
  maxRssKb: number;
}

function runCli(cliPath: string, target: string, extra: string[], env: NodeJS.ProcessEnv = {}): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cliPath, 'check', target, '--format', 'json', '--stats', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cliPath} check failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const line = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('{"filesFound"'));
  if (!line) throw new Error(`no --stats line from ${cliPath}: ${r.stderr.slice(0, 500)}`);
  const stats = JSON.parse(line) as CliStats;
  const out = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[] };
  // the fix ids name absolute paths and are not part of what a user sees: compared without them
  const findings = out.diagnostics.map((d) => JSON.stringify({ ...d, fix: d.fix ? { ...(d.fix as object), id: undefined } : null })).sort();
  return { cpuMs: stats.cpuMs, wallMs, rssMb: stats.maxRssKb / 1024, findings, stats };
}

function runFloor(mode: string, target: string, settings: { settings: string[]; root: string }): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [floorJs, mode, target, '--settings', settings.settings.join(','), '--root', settings.root], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`floor ${mode} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const floor = JSON.parse(r.stdout.trim()) as FloorStats;
  return { cpuMs: floor.cpuMs, wallMs, rssMb: floor.maxRssKb / 1024, floor };
}

/** Native Ruff, timed by /usr/bin/time (its own process: user + system CPU, max RSS). */
function runRuff(ruff: string, target: string): Run {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', ruff, 'check', '--no-cache', '--select', 'S,DJ', '--exit-zero', '--quiet', target], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallMs = performance.now() - t0;
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`ruff: ${r.stderr.slice(0, 500)}`);
  return { cpuMs: (Number(m[1]) + Number(m[2])) * 1000, wallMs, rssMb: Number(m[3]) / 1024 };
}

/** A native `ruff` binary: --ruff PATH, else one on PATH; undefined when none (Debian 12 and npm ship none). */
function findRuff(): string | undefined {
  const given = str('--ruff');
  if (given) return given;
  const r = spawnSync('sh', ['-c', 'command -v ruff'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

interface Subject {
  label: string;
  run: () => Run;
  runs: Run[];
}

function pythonSize(target: string): { files: number; bytes: number; lines: number } {
  let files = 0;
  let bytes = 0;
  let lines = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') walk(path.join(d, e.name));
      } else if (e.isFile() && e.name.endsWith('.py')) {
        const t = fs.readFileSync(path.join(d, e.name));
        files++;
        bytes += t.length;
        for (let i = 0; i < t.length; i++) if (t[i] === 10) lines++;
      }
    }
  };
  walk(target);
  return { files, bytes, lines };
}

const fmt = (xs: number[], digits = 0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${median(xs).toFixed(digits).padStart(6)} (${s[0].toFixed(digits)}-${s[s.length - 1].toFixed(digits)})`;
};

async function main(): Promise<void> {
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: npm run build');
  if (argv.includes('--break-even')) return breakEven();
  const target = positional[0] ? path.resolve(positional[0]) : benchRepo(root, opt('--files', 4000), opt('--seed', 42));
  const runs = opt('--runs', 5);
  const other = str('--compare') ? path.resolve(str('--compare') as string) : undefined;
  if (other && !fs.existsSync(other)) throw new Error(`--compare: ${other} does not exist`);
  const ruff = findRuff();
  const size = pythonSize(target);
  const discover = spawnSync(process.execPath, [floorJs, 'discover', target], { encoding: 'utf8' });
  if (discover.status !== 0) throw new Error(`floor discover failed: ${discover.stderr}`);
  const settings = JSON.parse(discover.stdout) as { settings: string[]; root: string };
  const startLoad = loadavg();
  console.log(`repository: ${target}`);
  console.log(`  ${size.files} Python files, ${size.lines.toLocaleString('en')} lines, ${(size.bytes / 1024 / 1024).toFixed(1)} MB; production settings: ${settings.settings.map((s) => path.relative(target, s)).join(', ') || 'none found'}`);
  console.log(`machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`load average at start: ${startLoad} (1, 5, 15 min; other processes share the cores)`);
  console.log(`native ruff: ${ruff ?? 'not found (Debian 12 has no ruff package; npm ships only a WebAssembly build): compared with the floor instead'}`);

  const subjects: Subject[] = [
    { label: 'check', run: () => runCli(cli, target, []), runs: [] },
    { label: 'check --workers 0', run: () => runCli(cli, target, ['--workers', '0']), runs: [] },
    { label: 'floor (read+prefilter+parse+settings)', run: () => runFloor('floor', target, settings), runs: [] },
    { label: 'reading only', run: () => runFloor('read', target, settings), runs: [] },
  ];
  if (other) {
    subjects.push({ label: 'other: check', run: () => runCli(other, target, []), runs: [] });
    subjects.push({ label: 'other: check --workers 0', run: () => runCli(other, target, ['--workers', '0']), runs: [] });
  }
  if (argv.includes('--parse-all')) subjects.push({ label: 'parse every Python file', run: () => runFloor('parse-all', target, settings), runs: [] });
  if (ruff) subjects.push({ label: 'native ruff (S,DJ)', run: () => runRuff(ruff, target), runs: [] });

  // one warm-up of each (disk cache, V8 code cache), then rounds in rotating order
  for (const s of subjects) s.run();
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < subjects.length; k++) {
      const s = subjects[(i + k) % subjects.length];
      s.runs.push(s.run());
    }
  }
  const endLoad = loadavg();

  const last = (label: string) => subjects.find((s) => s.label === label)?.runs.at(-1);
  console.log(`\n${runs} rounds, each command once per round in rotating order (after one warm-up run each); median (min-max)`);
  console.log(`${''.padEnd(40)}${'CPU ms'.padStart(18)}${'wall ms'.padStart(20)}${'peak RSS MB'.padStart(18)}`);
  for (const s of subjects) {
    console.log(`${s.label.padEnd(40)}${fmt(s.runs.map((r) => r.cpuMs)).padStart(18)}${fmt(s.runs.map((r) => r.wallMs)).padStart(20)}${fmt(s.runs.map((r) => r.rssMb)).padStart(18)}`);
  }
  const c = last('check')?.stats;
  const f = last('floor (read+prefilter+parse+settings)')?.floor;
  if (c) console.log(`\ncheck: ${c.filesFound} files found, ${c.pythonFiles} Python; code and template rules: ${c.skippedByPrefilter} skipped by the prefilter, ${c.parsed} parsed (settings modules included), ${c.skippedLargeOrBinary} too large/binary; worker threads: ${c.workers} (in-process run: ${last('check --workers 0')?.stats?.workers})`);
  if (f) console.log(`floor: ${f.files} files read (${(f.chars / 1024 / 1024).toFixed(1)} M chars), ${f.matched} matched a prefilter (${(f.parsedChars / 1024 / 1024).toFixed(2)} M chars parsed), ${f.settingsModules} settings modules evaluated`);

  // ratios round by round (both commands of a ratio ran in the same round, under the same load)
  const ratio = (a: string, b: string, what: 'cpuMs' | 'wallMs' = 'cpuMs') => {
    const sa = subjects.find((s) => s.label === a);
    const sb = subjects.find((s) => s.label === b);
    if (!sa || !sb) return undefined;
    const rs = sa.runs.map((r, i) => r[what] / sb.runs[i][what]);
    return `${median(rs).toFixed(2)} (${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)})`;
  };
  console.log('\nratios (median of the per-round ratios, min-max):');
  const lines: [string, string | undefined][] = [
    ['CPU   check / floor', ratio('check', 'floor (read+prefilter+parse+settings)')],
    ['CPU   check --workers 0 / floor', ratio('check --workers 0', 'floor (read+prefilter+parse+settings)')],
    ['CPU   floor / reading only', ratio('floor (read+prefilter+parse+settings)', 'reading only')],
    ['CPU   check / check --workers 0', ratio('check', 'check --workers 0')],
    ['wall  check / check --workers 0', ratio('check', 'check --workers 0', 'wallMs')],
    ['CPU   check / native ruff', ruff ? ratio('check', 'native ruff (S,DJ)') : undefined],
    ['CPU   check / other: check', ratio('check', 'other: check')],
    ['CPU   check --workers 0 / other: check --workers 0', ratio('check --workers 0', 'other: check --workers 0')],
    ['CPU   other: check / floor', ratio('other: check', 'floor (read+prefilter+parse+settings)')],
    ['CPU   other: check --workers 0 / floor', ratio('other: check --workers 0', 'floor (read+prefilter+parse+settings)')],
    ['wall  check / other: check', ratio('check', 'other: check', 'wallMs')],
  ];
  for (const [label, v] of lines) if (v) console.log(`  ${label.padEnd(50)} ${v}`);

  // findings: identical across this build's modes, and (when given) with the other build
  const same = (a: string[] | undefined, b: string[] | undefined) => {
    if (!a || !b) return 'n/a';
    if (a.length === b.length && a.every((x, i) => x === b[i])) return `identical (${a.length})`;
    const sa = new Set(a);
    const sb = new Set(b);
    return `DIFFERENT: ${a.filter((x) => !sb.has(x)).length} only here, ${b.filter((x) => !sa.has(x)).length} only there (${a.length} / ${b.length})`;
  };
  console.log(`\nfindings: check vs check --workers 0: ${same(last('check')?.findings, last('check --workers 0')?.findings)}`);
  if (other) console.log(`findings: check vs other: check: ${same(last('check')?.findings, last('other: check')?.findings)}`);
  console.log(`load average at end: ${endLoad}`);
}

/** In-process against worker threads (forced), on generated repositories of growing size. */
function breakEven(): void {
  const runs = opt('--runs', 5);
  console.log(`break-even: the CLI in-process against worker threads (forced: DJR_WORKERS_MIN_CHARS=0), median of ${runs} interleaved runs; load average ${loadavg()}`);
  console.log('files  parsed  parsed chars   in-process CPU / wall   workers CPU / wall');
  for (const files of (str('--sizes') ?? '100,400,1600,4000').split(',').map(Number)) {
    const dir = benchRepo(root, files, 42);
    const a: Run[] = [];
    const b: Run[] = [];
    runCli(cli, dir, ['--workers', '0']);
    for (let i = 0; i < runs; i++) {
      a.push(runCli(cli, dir, ['--workers', '0']));
      b.push(runCli(cli, dir, [], { DJR_WORKERS_MIN_CHARS: '0' }));
    }
    const m = (rs: Run[], k: 'cpuMs' | 'wallMs') => median(rs.map((r) => r[k])).toFixed(0);
    const s = a[a.length - 1].stats as CliStats;
    console.log(`${String(files).padStart(5)}  ${String(s.parsed).padStart(6)}  ${String(s.parsedChars ?? '?').padStart(12)}   ${m(a, 'cpuMs').padStart(8)} / ${m(a, 'wallMs').padStart(6)} ms   ${m(b, 'cpuMs').padStart(8)} / ${m(b, 'wallMs').padStart(6)} ms`);
  }
  console.log(`load average at end: ${loadavg()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
