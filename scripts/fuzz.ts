/**
 * The long fuzz run: `npm run fuzz -- --iterations 5000 --seed 42 [--sequences 500] [--steps 5]
 * [--max-ms 100] [--no-special] [--fs 200]`. `--fs N`: N projects with file-system mutations
 * (links to devices, outside the project, to nothing; FIFOs, sockets, folders for files, files
 * above the cap) checked and fixed by the built CLI (dist/cli.js) in child processes: crashes,
 * hangs and writes outside the project are counted (0 of each, or exit 1). Prints the measured figures and every failure; exits 1 when a
 * case failed. Times are reported (median, p99, max, and the mutants slower than 100 ms); they
 * fail the run only when a budget is asked for with --max-ms: a loaded machine must not turn a
 * correct run into a failure (the huge and deeply nested fixed cases are reported separately: a
 * 2 MB file takes longer). A mutant over the budget is timed twice more and keeps its fastest
 * time; incremental sequences report their slowest step as measured.
 * The same code runs with a small budget in test/unit/fuzz.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser } from '../server/src/engine';
import { runFsFuzz, runFuzz } from '../test/helpers/fuzz';

function args(argv: string[]): { iterations: number; seed: number; sequences?: number; steps: number; maxMs: number; enforce: boolean; special: boolean; fs: number } {
  const out = { iterations: 1000, seed: Date.now() % 1_000_000, sequences: undefined as number | undefined, steps: 5, maxMs: 100, enforce: false, special: true, fs: 100 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split('=', 2) : [argv[i], undefined];
    const num = () => {
      const v = Number(inline ?? argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${flag} needs a non-negative number`);
      return v;
    };
    if (flag === '--iterations' || flag === '-n') out.iterations = num();
    else if (flag === '--seed') out.seed = num();
    else if (flag === '--sequences') out.sequences = num();
    else if (flag === '--steps') out.steps = num();
    else if (flag === '--max-ms') {
      out.maxMs = num();
      out.enforce = true;
    }
    else if (flag === '--no-special') out.special = false;
    else if (flag === '--fs') out.fs = num();
    else throw new Error(`unknown option ${argv[i]} (--iterations N --seed S --sequences N --steps N --max-ms MS --no-special --fs N)`);
  }
  return out;
}

async function main(): Promise<number> {
  const a = args(process.argv.slice(2));
  await initParser();
  const sequences = a.sequences ?? Math.ceil(a.iterations / 10);
  process.stderr.write(`fuzz: seed ${a.seed}, ${a.iterations} mutants, ${sequences} incremental sequences of ${a.steps} edits\n`);
  let last = 0;
  const report = runFuzz({
    seed: a.seed,
    iterations: a.iterations,
    sequences,
    steps: a.steps,
    special: a.special,
    retimeAboveMs: a.maxMs,
    onProgress: (done, total) => {
      const pct = Math.floor((done / total) * 10);
      if (pct !== last) {
        last = pct;
        process.stderr.write(`  ${done}/${total}\n`);
      }
    },
  });
  const slow = report.timings.filter((t) => !t.name.startsWith('special:') && t.ms > a.maxMs);
  const sorted = report.timings.filter((t) => !t.name.startsWith('special:')).map((t) => t.ms).sort((x, y) => x - y);
  const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  const out = [
    `seed ${report.seed}: ${report.cases} cases analysed (${a.iterations} mutants), ${report.sequences} sequences (${report.steps} incremental steps compared with fresh analyses)`,
    `per-file analysis: median ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${report.maxMs.toFixed(1)} ms (${report.maxCase})`,
    `fixed cases (5 MB, 10,000-deep nesting...): max ${report.maxSpecialMs.toFixed(1)} ms (${report.maxSpecialCase})`,
    ...report.timings.filter((t) => t.name.startsWith('special:')).map((t) => `  ${t.name}: ${t.ms.toFixed(1)} ms (${t.bytes} chars)`),
    `total ${(report.totalMs / 1000).toFixed(1)} s; ${report.retimed} re-timings of mutants slower than ${a.maxMs} ms (the fastest of three runs counts)`,
    `failures: ${report.failures.length}`,
    ...report.failures.slice(0, 50).flatMap((f) => [`  ${f.name} ${f.file}`, ...f.problems.slice(0, 5).map((p) => `    ${p.slice(0, 2000)}`)]),
    `slower than ${a.maxMs} ms: ${slow.length}${a.enforce ? ' (--max-ms: each fails the run)' : ' (reported; give --max-ms to make them fail the run)'}`,
    ...slow.slice(0, 20).map((t) => `  ${t.name} ${t.file}: ${t.ms.toFixed(1)} ms`),
  ];
  process.stdout.write(out.join('\n') + '\n');
  let fsBad = 0;
  if (a.fs > 0) {
    const cli = path.resolve(__dirname, '..', 'dist', 'cli.js');
    if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: npm run build');
    process.stderr.write(`file-system mutations: ${a.fs} projects checked and fixed by ${path.relative(process.cwd(), cli)}\n`);
    let lastFs = 0;
    const fr = runFsFuzz({
      seed: a.seed,
      cases: a.fs,
      cli,
      onProgress: (done, total) => {
        const pct = Math.floor((done / total) * 10);
        if (pct !== lastFs) {
          lastFs = pct;
          process.stderr.write(`  ${done}/${total}\n`);
        }
      },
    });
    const show = (c: { name: string; mutations: string[]; problems: string[] }) => `  ${c.name} [${c.mutations.join('; ')}]: ${c.problems.join(' | ').slice(0, 2000)}`;
    fsBad = fr.crashes.length + fr.hangs.length + fr.writesOutside.length;
    process.stdout.write(
      [
        `file-system mutations, seed ${fr.seed}: ${fr.cases} projects (${Object.entries(fr.applied).map(([k, v]) => `${k} ${v}`).join(', ')}); max ${(fr.maxMs / 1000).toFixed(1)} s per check, total ${(fr.totalMs / 1000).toFixed(0)} s`,
        `crashes: ${fr.crashes.length}, hangs: ${fr.hangs.length}, writes outside the project: ${fr.writesOutside.length}`,
        ...[...fr.crashes, ...fr.hangs, ...fr.writesOutside].slice(0, 30).map(show),
      ].join('\n') + '\n',
    );
  }
  return report.failures.length > 0 || (a.enforce && slow.length > 0) || fsBad > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
