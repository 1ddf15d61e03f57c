/**
 * The .gitignore matcher against git itself (issue 17, point 4): 1,000 generated paths in
 * generated repositories (root and nested .gitignore files, .git/info/exclude; patterns with
 * trailing spaces, tabs and non-breaking spaces, escapes, negation, folder-only patterns, `**`,
 * classes, CRLF lines...) are decided by `isGitIgnored` and by `git check-ignore`: no difference.
 * git is used by this test only (the product never runs it); it runs with an empty HOME and no
 * system configuration, so no global excludes file interferes.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gitignoreDecision, isGitIgnored, NodeFileSystem, parseGitignore, wildmatch } from '../../server/src/engine';
import { Rng } from '../helpers/fuzz';

const NAMES = ['a', 'b', 'ab', '.env', 'env', 'x y', 'a.txt', 'b.py', 'A', 'c[1]', '#x', '!y', 'a ', 'a\t', 'a\u00a0', 'é', 'ca\u0301', 'doc', 'node_modules', '*', 'x\\y', 'sub'];
const PIECES = ['a', 'b', '.env', 'env', '*', '?', '**', '[ab]', '[!a]', '[^b]', '[a-c]', '[[:alpha:]]', '[[:space:]]', '[]]', '\\*', '\\#x', '\\!y', 'x y', 'x\\ y', '*.txt', '*.py', 'doc', 'sub', 'node_modules', 'é', '[é]', 'A', 'c\\[1]', '[[:digit:]]', '[z-a]', '[a-]', '[', 'x\\\\y'];
const SUFFIXES = ['', '', '', '', ' ', '  ', '\t', '\u00a0', '\\ ', ' \\ ', '/', '/ ', '\r'];

function genPattern(rng: Rng): string {
  let p = '';
  if (rng.chance(0.2)) p += '!';
  if (rng.chance(0.05)) p += '#';
  if (rng.chance(0.25)) p += '/';
  if (rng.chance(0.1)) p += '**/';
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    if (i > 0) p += rng.chance(0.6) ? '/' : '';
    p += rng.pick(PIECES);
  }
  if (rng.chance(0.1)) p += '/**';
  return p + rng.pick(SUFFIXES);
}

function genIgnoreFile(rng: Rng): string {
  const lines: string[] = [];
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.07) lines.push('');
    else if (r < 0.12) lines.push('# comment ' + rng.pick(PIECES));
    else lines.push(genPattern(rng));
  }
  const eol = rng.chance(0.15) ? '\r\n' : '\n';
  return (rng.chance(0.05) ? '\ufeff' : '') + lines.join(eol) + (rng.chance(0.8) ? eol : '');
}

function genPath(rng: Rng): string {
  const n = 1 + rng.int(4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(rng.pick(NAMES));
  return parts.join('/');
}

const gitEnv = (home: string) => ({ ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' });

function hasGit(): boolean {
  return spawnSync('git', ['--version']).status === 0;
}

describe('.gitignore matching agrees with git check-ignore', () => {
  let tmp: string;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-gitignore-')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('1,000 generated paths in 50 generated repositories: 0 differences', { skip: !hasGit() && 'git is not installed' }, (t) => {
    const rng = new Rng(20250117);
    const differences: string[] = [];
    let cases = 0;
    let ignoredByGit = 0;
    for (let r = 0; r < 50; r++) {
      const repo = path.join(tmp, `repo${r}`);
      fs.mkdirSync(repo);
      execFileSync('git', ['init', '-q', repo], { env: gitEnv(tmp) });
      // 20 paths (files, and the folders that hold them)
      const files = new Set<string>();
      while (files.size < 20) {
        const p = genPath(rng);
        // a path cannot be both a file and a folder
        if ([...files].some((f) => f.startsWith(p + '/') || p.startsWith(f + '/'))) continue;
        files.add(p);
      }
      for (const f of files) {
        fs.mkdirSync(path.join(repo, path.dirname(f)), { recursive: true });
        fs.writeFileSync(path.join(repo, f), 'x');
      }
      const dirs = new Set<string>();
      for (const f of files) {
        const parts = f.split('/');
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
      }
      fs.writeFileSync(path.join(repo, '.gitignore'), genIgnoreFile(rng));
      for (const d of dirs) if (rng.chance(0.3)) fs.writeFileSync(path.join(repo, d, '.gitignore'), genIgnoreFile(rng));
      if (rng.chance(0.5)) fs.writeFileSync(path.join(repo, '.git', 'info', 'exclude'), genIgnoreFile(rng));
      const asked = [...files, ...dirs];
      const out = spawnSync('git', ['-C', repo, 'check-ignore', '--stdin', '-z'], { input: asked.join('\0') + '\0', env: gitEnv(tmp) });
      assert.ok(out.status === 0 || out.status === 1, `git check-ignore failed: ${out.stderr.toString()}`);
      const gitIgnored = new Set(out.stdout.toString('utf8').split('\0').filter(Boolean));
      const disk = new NodeFileSystem({ roots: [repo] });
      for (const p of asked) {
        const mine = isGitIgnored(disk, path.join(repo, p), undefined, dirs.has(p));
        const theirs = gitIgnored.has(p);
        if (theirs) ignoredByGit++;
        if (mine !== theirs) {
          const rules = ['.gitignore', ...[...dirs].filter((d) => p.startsWith(d + '/')).map((d) => `${d}/.gitignore`), '.git/info/exclude']
            .filter((f) => fs.existsSync(path.join(repo, f)))
            .map((f) => `${f}: ${JSON.stringify(fs.readFileSync(path.join(repo, f), 'utf8'))}`);
          differences.push(`${JSON.stringify(p)}${dirs.has(p) ? ' (folder)' : ''}: git ${theirs ? 'ignores' : 'keeps'} it, we ${mine ? 'ignore' : 'keep'} it\n    ${rules.join('\n    ')}`);
        }
        cases++;
      }
    }
    t.diagnostic(`${cases} paths, ${ignoredByGit} ignored by git, ${differences.length} differences`);
    assert.ok(cases >= 1000, `${cases} cases`);
    // the generator must exercise both answers
    assert.ok(ignoredByGit > 150 && ignoredByGit < cases - 150, `git ignored ${ignoredByGit} of ${cases}`);
    assert.deepEqual(differences.slice(0, 20), [], `${differences.length} differences in ${cases} cases`);
  });

  test('trailing tabs and non-breaking spaces are part of the pattern; escaped spaces stay', () => {
    const ignored = (gi: string, rel: string) => gitignoreDecision(parseGitignore(gi), rel) === true;
    assert.ok(!ignored('.env\t\n', '.env'), 'a trailing tab is not stripped');
    assert.ok(ignored('.env\t\n', '.env\t'));
    assert.ok(!ignored('.env\u00a0\n', '.env'), 'a trailing non-breaking space is not stripped');
    assert.ok(ignored('.env   \n', '.env'), 'trailing spaces are');
    assert.ok(ignored('a\\ \n', 'a '), 'an escaped space is kept');
    assert.ok(!ignored('a\\ \n', 'a'));
    assert.ok(ignored('.env\r\n', '.env'), 'CRLF');
    assert.ok(!ignored('.env\rfoo\n', '.env'), 'a lone CR is not a line break');
    assert.ok(ignored('\\#x\n', '#x'));
    assert.ok(ignored('\\!y\n', '!y'));
    assert.ok(!ignored('#x\n', '#x'));
  });

  test('wildmatch: ** and classes as git has them', () => {
    assert.ok(wildmatch('a/**/b', 'a/b', true));
    assert.ok(wildmatch('a/**/b', 'a/x/y/b', true));
    assert.ok(!wildmatch('a/*/b', 'a/x/y/b', true));
    assert.ok(wildmatch('**/b', 'x/y/b', true));
    assert.ok(wildmatch('a/**', 'a/x/y', true));
    assert.ok(!wildmatch('a**b', 'a/b', true), 'a ** inside a name is a plain star');
    assert.ok(wildmatch('[]]', ']', true));
    assert.ok(wildmatch('[!a]', 'b', true));
    assert.ok(wildmatch('[^a]', 'b', true));
    assert.ok(wildmatch('[[:alpha:]]', 'q', true));
    assert.ok(!wildmatch('[[:alpha:]]', 'é', true));
    assert.ok(!wildmatch('?', 'é', true), '? is one byte, é two in UTF-8');
    assert.ok(wildmatch('??', 'é', true));
  });

  test('a tracked-looking folder pattern: a file in an ignored folder stays ignored whatever its own .gitignore says', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(tmp, 'nest-')));
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'conf'));
    fs.writeFileSync(path.join(dir, '.gitignore'), 'conf/\n');
    fs.writeFileSync(path.join(dir, 'conf', '.gitignore'), '!.env\n');
    fs.writeFileSync(path.join(dir, 'conf', '.env'), 'A=1\n');
    assert.ok(isGitIgnored(new NodeFileSystem({ roots: [dir] }), path.join(dir, 'conf', '.env')));
  });
});
