/**
 * Tracked files, from .git/index read as a file (issue 17, point 4; DJR109): the reader against
 * `git ls-files` on indexes of versions 2, 3 (extended flags) and 4 (prefix-compressed paths),
 * SHA-1 and SHA-256 repositories; what it cannot read faithfully is "unknown", never "untracked";
 * a tracked .env is reported by DJR109, not by DJR105, and is never a target for a secret.
 * git builds the repositories here; the product never runs it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { Analyzer, gitTracked, NodeFileSystem, parseGitIndex } from '../../server/src/engine';
import { config, fixturesRoot, ready } from '../helpers/fixtures';

const hasGit = spawnSync('git', ['--version']).status === 0;

describe('git index reader', { skip: !hasGit && 'git is not installed' }, () => {
  before(ready);
  let tmp: string;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-index-')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const env = () => ({ ...process.env, HOME: tmp, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' });
  const git = (repo: string, ...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env: env() });

  function repoWith(name: string, files: string[], init: string[] = []): string {
    const repo = path.join(tmp, name);
    fs.mkdirSync(repo);
    git(repo, 'init', '-q', ...init);
    for (const f of files) {
      fs.mkdirSync(path.join(repo, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(repo, f), `${f}\n`);
    }
    return repo;
  }

  /** git ls-files paths as the reader returns them (UTF-8 bytes, one character each). */
  const lsFiles = (repo: string) => git(repo, 'ls-files', '--stage', '-z').toString('latin1').split('\0').filter(Boolean).map((l) => l.slice(l.indexOf('\t') + 1));

  const FILES = ['.env', 'manage.py', 'a/b/c/d.py', 'a/b/c/e.py', 'a/b/x.env', 'dir with space/.env', 'é/ü.txt', 'z'.repeat(200) + '/f', 'a/b/c/dd/long-name-' + 'y'.repeat(150) + '.py'];

  for (const variant of [
    { name: 'v2', setup: (r: string) => git(r, 'add', '-A') },
    { name: 'v3 (intent-to-add entries have extended flags)', setup: (r: string) => (git(r, 'add', '-A'), fs.writeFileSync(path.join(r, 'new.py'), 'x'), git(r, 'add', '-N', 'new.py')) },
    { name: 'v4 (prefix-compressed paths)', setup: (r: string) => (git(r, 'add', '-A'), git(r, 'update-index', '--index-version', '4')) },
    { name: 'SHA-256 repository', init: ['--object-format=sha256'], setup: (r: string) => git(r, 'add', '-A') },
  ]) {
    test(`index ${variant.name}: the same paths as git ls-files`, () => {
      const repo = repoWith(variant.name.replace(/\W+/g, '-'), FILES, variant.init);
      variant.setup(repo);
      const buf = fs.readFileSync(path.join(repo, '.git', 'index'));
      const sha256 = (variant.init ?? []).includes('--object-format=sha256');
      const parsed = parseGitIndex(buf, sha256 ? 32 : 20);
      assert.deepEqual(parsed.paths, lsFiles(repo));
      assert.equal(parsed.version, variant.name.startsWith('v3') ? 3 : variant.name.startsWith('v4') ? 4 : 2);
      const disk = new NodeFileSystem({ roots: [repo] });
      assert.equal(gitTracked(disk, path.join(repo, '.env')).state, 'tracked');
      assert.equal(gitTracked(disk, path.join(repo, 'dir with space', '.env')).state, 'tracked');
      fs.writeFileSync(path.join(repo, 'a', '.env'), 'X=1\n');
      assert.equal(gitTracked(disk, path.join(repo, 'a', '.env')).state, 'untracked');
    });
  }

  test('unreadable indexes are "unknown", never "untracked"', () => {
    const repo = repoWith('broken', ['.env', 'b.py']);
    git(repo, 'add', '-A');
    const disk = new NodeFileSystem({ roots: [repo] });
    const index = path.join(repo, '.git', 'index');
    const good = fs.readFileSync(index);
    fs.writeFileSync(index, good.subarray(0, good.length - 30));
    assert.equal(gitTracked(disk, path.join(repo, 'b.py')).state, 'unknown');
    fs.writeFileSync(index, Buffer.concat([Buffer.from('DIRC'), Buffer.from([0, 0, 0, 9]), good.subarray(8)]));
    assert.match(gitTracked(disk, path.join(repo, 'b.py')).reason ?? '', /version 9/);
    fs.writeFileSync(index, good);
    assert.equal(gitTracked(disk, path.join(repo, 'b.py')).state, 'tracked');
    // a split index keeps entries elsewhere: what it does not list is unknown
    git(repo, 'update-index', '--split-index');
    fs.writeFileSync(path.join(repo, 'c.py'), 'c');
    git(repo, 'add', 'c.py');
    for (const f of ['b.py', 'c.py', '.env']) assert.notEqual(gitTracked(disk, path.join(repo, f)).state, 'untracked', f);
    assert.match(gitTracked(disk, path.join(repo, 'c.py')).reason ?? '', /split/);
  });

  test('a .git file pointing outside the project is not followed', () => {
    const outside = repoWith('elsewhere', ['.env']);
    git(outside, 'add', '-A');
    const project = path.join(tmp, 'worktree-like');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, '.git'), `gitdir: ${path.join(outside, '.git')}\n`);
    fs.writeFileSync(path.join(project, '.env'), 'A=1\n');
    const r = gitTracked(new NodeFileSystem({ roots: [project] }), path.join(project, '.env'));
    assert.equal(r.state, 'unknown');
    assert.match(r.reason ?? '', /outside the project/);
  });

  test('a tracked .env: DJR109, no DJR105, and "Move to .env" does not write the key into it', () => {
    const repo = path.join(tmp, 'project');
    fs.cpSync(path.join(fixturesRoot, 'projects', 'tutorial'), repo, { recursive: true });
    git(repo, 'init', '-q');
    fs.writeFileSync(path.join(repo, '.env'), 'DEBUG=1\nEMAIL_HOST_PASSWORD=not-a-real-one\n');
    git(repo, 'add', '-A');
    const r = new Analyzer({ rules: allRules, fs: new NodeFileSystem({ roots: [repo] }) }).analyze(repo, config());
    const codes = r.findings.filter((f) => f.file === path.join(repo, '.env')).map((f) => f.code);
    assert.deepEqual(codes, ['DJR109']);
    const key = r.findings.find((f) => f.code === 'DJR101');
    assert.ok(key, 'DJR101 expected on the tutorial settings');
    for (const fix of key.fixes) assert.ok(!fix.edits.some((e) => e.file === path.join(repo, '.env')), `${fix.title} writes into the tracked .env`);
    // untracked again: DJR105 (not ignored) instead, and the move offered
    git(repo, 'rm', '-q', '--cached', '.env');
    const r2 = new Analyzer({ rules: allRules, fs: new NodeFileSystem({ roots: [repo] }) }).analyze(repo, config());
    assert.deepEqual(r2.findings.filter((f) => f.file === path.join(repo, '.env')).map((f) => f.code), ['DJR105']);
    assert.ok(r2.findings.find((f) => f.code === 'DJR101')?.fixes.some((x) => x.edits.some((e) => e.file === path.join(repo, '.env'))));
  });
});
