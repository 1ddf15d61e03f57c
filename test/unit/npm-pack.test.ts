/**
 * Installable as a package: `npm pack` gives a tarball that installs globally (offline: the
 * bundle has no runtime dependencies, so the registry is never asked) and runs
 * `django-readiness check` with nothing else present, on a copy of the bundled example, from a
 * folder outside the repository. The tarball holds only the allow-list of .npmignore.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { copyProject } from '../helpers/cli';
import { repoRoot } from '../helpers/fixtures';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string>; dependencies?: Record<string, string>; scripts: Record<string, string> };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let tarball: string;
let example: string;

before(() => {
  assert.ok(fs.existsSync(path.join(repoRoot, 'dist', 'cli.js')), 'run the build first (npm test does)');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-pack-'));
  // the bundles are built already: pack them as they are (--ignore-scripts skips `prepare`)
  const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info[0].filename);
  fs.writeFileSync(path.join(work, 'files.json'), JSON.stringify(info[0].files.map((f) => f.path)));
  example = copyProject('tutorial', 'djr-pack-example');
});

after(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(example, { recursive: true, force: true });
});

test('the package has no runtime dependencies and installs nothing when installed', () => {
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'everything is bundled');
  assert.equal(pkg.scripts.postinstall, undefined, 'a global install runs no build');
  assert.equal(pkg.bin['django-readiness'], 'dist/cli.js');
});

test('the tarball holds the bundles, the wasm files and the docs, nothing else', () => {
  const files = (JSON.parse(fs.readFileSync(path.join(work, 'files.json'), 'utf8')) as string[]).sort();
  assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'dist/server.js', 'dist/tree-sitter-python.wasm', 'dist/web-tree-sitter.wasm', 'dist/worker.js', 'package.json']);
});

test('installs globally into an empty prefix offline and checks the example project', () => {
  const prefix = path.join(work, 'prefix');
  const cache = path.join(work, 'npm-cache');
  const env = { PATH: process.env.PATH ?? '', HOME: work, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
  const install = spawnSync(npm, ['install', '--global', '--offline', '--prefix', prefix, tarball], { cwd: work, encoding: 'utf8', env });
  assert.equal(install.status, 0, `npm install -g failed:\n${install.stdout}\n${install.stderr}`);
  const bin = path.join(prefix, process.platform === 'win32' ? 'django-readiness.cmd' : path.join('bin', 'django-readiness'));
  assert.ok(fs.existsSync(bin), bin);

  // from a folder outside the repository, with a PATH that has node and nothing of this repo
  const run = (args: string[], extra: Record<string, string> = {}) => spawnSync(bin, args, { cwd: work, encoding: 'utf8', env: { PATH: `${path.dirname(process.execPath)}${path.delimiter}/usr/bin${path.delimiter}/bin`, HOME: work, ...extra } });
  const version = run(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), pkg.version);

  const text = run(['check', example, '--no-color']);
  assert.equal(text.status, 1, `exit 1: problems found\n${text.stderr}`);
  assert.match(text.stdout, /^mysite\/settings\.py:20:1: DJR101 /m);
  assert.match(text.stdout, /^Found \d+ problems/m);

  // the code rules in worker threads too (dist/worker.js from the package; the threshold lowered to 0 characters)
  const json = run(['check', example, '--format', 'json', '--workers', '2', '--stats'], { DJR_WORKERS_MIN_CHARS: '0' });
  assert.ok((JSON.parse(json.stderr.trim().split('\n').pop() ?? '{}') as { workers: number }).workers > 0, json.stderr);
  const j = JSON.parse(json.stdout) as { diagnostics: { rule: string }[]; checklist: unknown[]; summaries: { score: number }[] };
  assert.ok(j.diagnostics.some((d) => d.rule === 'DJR606'), 'a code rule ran');
  assert.ok(j.checklist.length > 90);
  assert.equal(typeof j.summaries[0].score, 'number');

  const report = run(['report', example]);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /^# Production readiness report: /);
});
