/**
 * The long fuzz run: `npm run fuzz -- --iterations 5000 --seed 42 [--sequences 500] [--steps 5]
 * [--max-ms 100] [--no-special]`. Prints the measured figures and every failure; exits 1 when a
 * case failed or when a mutant of an example file took longer than --max-ms to analyse (the
 * huge and deeply nested fixed cases are reported separately: a 2 MB file takes longer). A mutant
 * over the budget is timed twice more and keeps its fastest time, so a pause of the machine does
 * not fail the run; incremental sequences report their slowest step as measured.
 * The same code runs with a small budget in test/unit/fuzz.test.ts.
 */
import { initParser } from '../server/src/engine';
import { runFuzz } from '../test/helpers/fuzz';

function args(argv: string[]): { iterations: number; seed: number; sequences?: number; steps: number; maxMs: number; special: boolean } {
  const out = { iterations: 1000, seed: Date.now() % 1_000_000, sequences: undefined as number | undefined, steps: 5, maxMs: 100, special: true };
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
    else if (flag === '--max-ms') out.maxMs = num();
    else if (flag === '--no-special') out.special = false;
    else throw new Error(`unknown option ${argv[i]} (--iterations N --seed S --sequences N --steps N --max-ms MS --no-special)`);
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
    `slower than ${a.maxMs} ms: ${slow.length}`,
    ...slow.slice(0, 20).map((t) => `  ${t.name} ${t.file}: ${t.ms.toFixed(1)} ms`),
  ];
  process.stdout.write(out.join('\n') + '\n');
  return report.failures.length > 0 || slow.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
