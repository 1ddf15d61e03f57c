/**
 * The pre-commit hook definition (.pre-commit-hooks.yaml): a node hook whose entry is this
 * package's bin, run once for the whole project when a file the rules read is staged, and the
 * README shows how to add it. (pre-commit itself is not a dependency of the tests; the hook was
 * run with pre-commit 4.6 on the example project, see the README.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/fixtures';

/** The one hook of the file: `key: value` lines of the first list item (the file is flat YAML). */
function hook(): Record<string, string> {
  const text = fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8');
  const out: Record<string, string> = {};
  let inItem = false;
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line) || !line.trim()) continue;
    const m = /^(- | {2})([a-z_]+):\s*(.*)$/.exec(line);
    assert.ok(m, `unexpected line: ${line}`);
    if (m[1] === '- ') {
      assert.ok(!inItem, 'one hook');
      inItem = true;
    }
    out[m[2]] = m[3].replace(/^'(.*)'$/, '$1');
  }
  return out;
}

test('a node hook whose entry is the package bin, for the whole project', () => {
  const h = hook();
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
  assert.equal(h.id, 'django-readiness');
  assert.equal(h.language, 'node');
  const [bin, command] = h.entry.split(' ');
  assert.ok(pkg.bin[bin], `${bin} is a bin of the package`);
  assert.equal(command, 'check');
  assert.equal(h.pass_filenames, 'false', 'settings are judged together: no file names');
  assert.equal(h.require_serial, 'true');
  // installing from git builds dist/ (prepare), also when npm left the devDependencies out
  assert.equal(pkg.scripts.prepare, 'node scripts/prepare.mjs');
});

test('it runs when a file the rules read is staged, not for others', () => {
  // pre-commit's Python regex, searched in the path; (?i) is its case-insensitive flag
  const src = hook().files;
  assert.ok(src.startsWith('(?i)'));
  const files = new RegExp(src.slice(4), 'i');
  for (const f of ['mysite/settings.py', 'requirements.txt', 'requirements/production.txt', 'requirements-dev.in', 'pyproject.toml', 'Dockerfile', 'docker/Dockerfile.prod', 'Procfile', 'docker-compose.yml', 'compose.yaml', '.env', 'app/.env.example', '.gitignore', 'Dockerfile.prod', 'deploy/app.dockerfile', 'REQUIREMENTS.txt', 'blog/templates/blog/post.html', 'templates/form.djhtml']) assert.ok(files.test(f), f);
  for (const f of ['README.md', 'static/app.js', 'templates/base.txt', 'package.json']) assert.ok(!files.test(f), f);
});

test('the README shows the hook in a .pre-commit-config.yaml', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  assert.match(readme, /```yaml\nrepos:\n {2}- repo: https:\/\/github\.com\/django-readiness\/django-readiness\n {4}rev: v[\d.]+\n {4}hooks:\n {6}- id: django-readiness\n/);
});
