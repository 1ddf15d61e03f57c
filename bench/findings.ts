/**
 * Same findings before and after a change (not a test: it needs another build). Runs this build's
 * CLI and another one (`--compare OTHER/dist/cli.js`, e.g. a copy of main's dist/ before the
 * change) on each folder, `check --format json` (default options, then --workers 0 for this
 * build), and compares the findings and the checklist, without the fix ids (they name absolute
 * paths). Also checks that a run with no code rule selected starts no worker thread.
 *
 *   npm run bench -- findings --compare OTHER/dist/cli.js [PATH...]
 *
 * Without PATH: each example project of test/fixtures/projects (copied to a temporary folder,
 * outside this repository's git) and the generated 4,000-file repository. Exit code 1 when
 * something differs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchRepo } from './repo-generator';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const argv = process.argv.slice(2);
const i = argv.indexOf('--compare');
const other = i >= 0 ? path.resolve(argv[i + 1]) : undefined;
const positional = argv.filter((a, k) => !a.startsWith('-') && argv[k - 1] !== '--compare' && a !== 'findings');

interface Out {
  findings: string[];
  checklist: string;
  workers?: number;
}

function check(cliPath: string, target: string, extra: string[]): Out {
  const r = spawnSync(process.execPath, [cliPath, 'check', target, '--format', 'json', '--stats', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cliPath} check ${target} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const out = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[]; checklist?: unknown };
  const line = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('{"filesFound"'));
  const stats = line ? (JSON.parse(line) as { workers?: number }) : undefined;
  const findings = out.diagnostics.map((d) => JSON.stringify({ ...d, fix: d.fix ? { ...(d.fix as object), id: undefined } : null })).sort();
  return { findings, checklist: JSON.stringify(out.checklist ?? null), workers: stats?.workers };
}

function diff(a: string[], b: string[]): string {
  if (a.length === b.length && a.every((x, k) => x === b[k])) return `identical (${a.length})`;
  const sa = new Set(a);
  const sb = new Set(b);
  const onlyA = a.filter((x) => !sb.has(x));
  const onlyB = b.filter((x) => !sa.has(x));
  return `DIFFERENT: ${onlyA.length} only in this build, ${onlyB.length} only in the other (${a.length} / ${b.length})\n      this:  ${onlyA.slice(0, 3).join('\n             ')}\n      other: ${onlyB.slice(0, 3).join('\n             ')}`;
}

function main(): void {
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: npm run build');
  if (!other || !fs.existsSync(other)) throw new Error('--compare OTHER/dist/cli.js is required (another build of the CLI)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-findings-'));
  let targets = positional.map((p) => path.resolve(p));
  if (targets.length === 0) {
    const projects = path.join(root, 'test', 'fixtures', 'projects');
    for (const name of fs.readdirSync(projects).sort()) {
      const dest = path.join(tmp, name);
      fs.cpSync(path.join(projects, name), dest, { recursive: true });
      targets.push(dest);
    }
    targets.push(benchRepo(root, 4000, 42));
  }
  targets = targets.filter((t) => fs.statSync(t).isDirectory());
  console.log(`this build: ${cli}\nother build: ${other}\nload average: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  let bad = 0;
  try {
    for (const t of targets) {
      const a = check(cli, t, []);
      const a0 = check(cli, t, ['--workers', '0']);
      const b = check(other, t, []);
      const d = diff(a.findings, b.findings);
      const d0 = diff(a.findings, a0.findings);
      const same = d.startsWith('identical') && d0.startsWith('identical') && a.checklist === b.checklist;
      if (!same) bad++;
      console.log(`${same ? 'same     ' : 'DIFFERENT'} ${path.basename(t)}: vs other ${d}; vs --workers 0 ${d0}; checklist ${a.checklist === b.checklist ? 'identical' : 'DIFFERENT'}`);
    }
    // a run without any code rule starts no worker thread
    const settingsOnly = check(cli, targets[targets.length - 1], ['--select', 'DJR2,DJR3']);
    console.log(`settings rules only (--select DJR2,DJR3) on ${path.basename(targets[targets.length - 1])}: worker threads ${settingsOnly.workers ?? '?'}`);
    if (settingsOnly.workers !== 0) bad++;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(bad === 0 ? '\nfindings: the same in every folder' : `\n${bad} difference(s)`);
  process.exit(bad === 0 ? 0 : 1);
}

main();
