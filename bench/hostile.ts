/**
 * Hostile inputs benchmark (not a test; issue 17, point 8): the work one file can cost.
 *
 *  - a settings module with a 100,000-element list (about 1 MB, under the 2 MB cap): a whole
 *    `check` in a child process (the built CLI, in-process code rules), CPU time and peak RSS as
 *    `--stats` reports them, over several runs;
 *  - settings modules full of syntax errors and deep nesting: a keystroke (a one-character
 *    edit, the analyzer warm, as in the language server) to its findings.
 *
 * Run: npm run bench -- hostile [--runs N] [--keystrokes N]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../rules/index.generated';
import { Analyzer, initParser, mergeConfig, MemoryFileSystem } from '../server/src/engine';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

function stats(xs: number[], unit: string): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `min ${s[0].toFixed(0)} ${unit}, median ${q(0.5).toFixed(0)} ${unit}, p95 ${q(0.95).toFixed(0)} ${unit}, max ${s[s.length - 1].toFixed(0)} ${unit} (n=${s.length})`;
}

const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";

/** The 100,000-element list module. */
export function hugeListSettings(n = 100_000): string {
  const hosts = Array.from({ length: n }, (_, i) => `'h${i}'`).join(', ');
  return `import os\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = [${hosts}]\n`;
}

/** Syntax-error-heavy, deeply nested modules (each one took seconds per keystroke before). */
export function brokenSettings(): Record<string, string> {
  return {
    '2,000 lines of unclosed nested brackets': 'DEBUG = True\n' + Array.from({ length: 2000 }, (_, i) => `X_${i} = [[[[[[[[[[{{{{((((\n`).join(''),
    '300 lines nested 100 deep, each one bracket short': 'DEBUG = True\n' + Array.from({ length: 300 }, (_, i) => `X_${i} = ${'['.repeat(100)}1${']'.repeat(99)}\n`).join(''),
    '400 broken defs and dicts': 'DEBUG = True\n' + Array.from({ length: 400 }, (_, i) => `def f${i}(:\n    x = (((\nY_${i} = {'a': [1, 2\n`).join(''),
    'unclosed brackets 10,000 deep': 'DEBUG = True\nX = ' + '(['.repeat(10_000) + '\nDEBUG = False\n',
  };
}

function cliRuns(runs: number): void {
  const cli = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: npm run build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-bench-hostile-'));
  try {
    fs.mkdirSync(path.join(dir, 'mysite'));
    fs.writeFileSync(path.join(dir, 'manage.py'), MANAGE);
    fs.writeFileSync(path.join(dir, 'mysite', '__init__.py'), '');
    const text = hugeListSettings();
    fs.writeFileSync(path.join(dir, 'mysite', 'settings.py'), text);
    const cpu: number[] = [];
    const rss: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, [cli, 'check', dir, '--stats', '--workers', '0'], { encoding: 'utf8' });
      const line = r.stderr.trim().split('\n').pop() ?? '';
      const s = JSON.parse(line) as { cpuMs: number; maxRssKb: number; ms: number };
      cpu.push(s.cpuMs);
      rss.push(s.maxRssKb / 1024);
      wall.push(s.ms);
    }
    console.log(`100,000-element list (${(text.length / 1024).toFixed(0)} KB settings module), whole CLI check (node dist/cli.js check DIR --stats --workers 0):`);
    console.log(`  CPU (process, start-up included) ${stats(cpu, 'ms')}`);
    console.log(`  peak RSS                          ${stats(rss, 'MB')}`);
    console.log(`  analysis (wall, --stats ms)       ${stats(wall, 'ms')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function keystrokes(n: number): Promise<void> {
  await initParser();
  const config = mergeConfig({});
  for (const [name, text] of Object.entries(brokenSettings())) {
    const file = '/b/mysite/settings.py';
    const mem = new MemoryFileSystem({ 'manage.py': MANAGE, 'mysite/__init__.py': '', 'mysite/settings.py': text }, '/b');
    const an = new Analyzer({ rules: allRules, fs: mem });
    let t = performance.now();
    an.analyze('/b', config);
    const cold = performance.now() - t;
    const times: number[] = [];
    let cur = text;
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setImmediate(r));
      // type one character in the middle of the file, then delete it again
      const at = Math.floor(cur.length / 2);
      cur = i % 2 === 0 ? cur.slice(0, at) + 'x' + cur.slice(at) : cur.slice(0, at) + cur.slice(at + 1);
      mem.write(file, cur);
      t = performance.now();
      an.analyze('/b', config);
      times.push(performance.now() - t);
    }
    console.log(`${name} (${(text.length / 1024).toFixed(0)} KB): first analysis ${cold.toFixed(0)} ms; keystroke ${stats(times, 'ms')}`);
  }
}

async function main() {
  const runs = arg('--runs', 5);
  const n = arg('--keystrokes', 30);
  cliRuns(runs);
  await keystrokes(n);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
