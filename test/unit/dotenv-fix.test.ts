/**
 * "Move SECRET_KEY to .env" end to end: the CLI with --fix --unsafe-fixes on temporary copies of
 * the example projects, and the engine's fixes (move, rotate) on in-memory projects; plus the
 * .gitignore matcher and the .env reader they rely on.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { cli, copyProject, snapshot } from '../helpers/cli';
import { applyFix as applyFixTexts, generateSecretKey, gitignoreDecision, MemoryFileSystem, parseDotenv, parseGitignore, type Finding, type Fix } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';


function count(text: string, re: RegExp): number {
  return [...text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'gm'))].length;
}

/** The SECRET_KEY literal of a settings file (read with a regex: the test never evaluates Python). */
function secretKeyLiteral(text: string): string {
  const m = /^SECRET_KEY\s*=\s*(['"])(.*)\1\s*$/m.exec(text);
  assert.ok(m, 'the example has a SECRET_KEY literal');
  return m[2];
}

/** Applies one fix to an in-memory project (the edits of each file at once). */
function applyFix(mem: MemoryFileSystem, fix: Fix): void {
  for (const [file, text] of applyFixTexts(mem, fix)) mem.write(file, text);
}

function djr101(mem: MemoryFileSystem): Finding | undefined {
  return analyze(mem, '/p', { select: ['DJR101'] }).findings.find((f) => f.code === 'DJR101');
}

const KEY = 'django-insecure-0123456789abcdefghij!@#%^&*(-_=+)klmnop';

function project(extra: Record<string, string> = {}): MemoryFileSystem {
  const mem = new MemoryFileSystem();
  mem.write('/p/manage.py', "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
  mem.write('/p/mysite/__init__.py', '');
  mem.write('/p/mysite/settings.py', `import os\n\nSECRET_KEY = '${KEY}'\nDEBUG = False\n`);
  for (const [p, t] of Object.entries(extra)) mem.write(p, t);
  return mem;
}

describe('Move SECRET_KEY to .env: the CLI on copies of the example projects', () => {
  before(ready);

  test('tutorial: the literal moves to a new .env, .gitignore and .env.example follow; a second run changes nothing', async () => {
    const dir = copyProject('tutorial', 'djr-dotenv');
    try {
      const settingsPath = path.join(dir, 'mysite', 'settings.py');
      const key = secretKeyLiteral(fs.readFileSync(settingsPath, 'utf8'));
      assert.equal(fs.existsSync(path.join(dir, '.env')), false);
      const first = await cli(['check', dir, '--fix', '--unsafe-fixes', '--select', 'DJR101', '--no-color']);
      assert.doesNotMatch(first.out + first.err, new RegExp(key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').slice(0, 20)), 'the key is never printed');
      const settings = fs.readFileSync(settingsPath, 'utf8');
      assert.equal(settings.includes(key), false, 'the settings no longer hold the literal');
      assert.match(settings, /^SECRET_KEY = os\.environ\['DJANGO_SECRET_KEY'\]$/m);
      const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      assert.equal(count(env, /^DJANGO_SECRET_KEY=/), 1);
      assert.equal(parseDotenv(env).find((e) => e.name === 'DJANGO_SECRET_KEY')?.value, key, '.env holds the key exactly');
      assert.equal(count(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), /^\.env$/), 1);
      assert.equal(count(fs.readFileSync(path.join(dir, '.env.example'), 'utf8'), /^DJANGO_SECRET_KEY=$/), 1);
      assert.equal(fs.readFileSync(path.join(dir, '.env.example'), 'utf8').includes(key), false, 'never a value in the example');
      // again: nothing to do, nothing changes
      const before2 = snapshot(dir);
      await cli(['check', dir, '--fix', '--unsafe-fixes', '--no-color']);
      await cli(['check', dir, '--fix', '--unsafe-fixes', '--no-color']);
      const after = snapshot(dir);
      assert.equal(count(after.get('.env') ?? '', /^DJANGO_SECRET_KEY=/), 1);
      assert.equal(count(after.get('.gitignore') ?? '', /^\.env$/), 1);
      assert.equal(count(after.get('.env.example') ?? '', /^DJANGO_SECRET_KEY=$/), 1);
      // the second full run may fix other rules, but never touches .env / .gitignore lines it wrote
      assert.equal(parseDotenv(after.get('.env') ?? '').find((e) => e.name === 'DJANGO_SECRET_KEY')?.value, key);
      const third = snapshot(dir);
      await cli(['check', dir, '--fix', '--unsafe-fixes', '--no-color']);
      assert.deepEqual(snapshot(dir), third, 'a run after convergence changes nothing');
      assert.ok(before2.size > 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('everything-wrong: an existing .env is extended, the existing .gitignore gets .env once', async () => {
    const dir = copyProject('everything-wrong', 'djr-dotenv');
    try {
      const envBefore = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      const giBefore = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
      await cli(['check', dir, '--fix', '--unsafe-fixes', '--select', 'DJR101,DJR103,DJR105', '--no-color']);
      const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      assert.ok(env.startsWith(envBefore.replace(/\n?$/, '')), 'what the .env held is kept');
      const names = parseDotenv(env).map((e) => e.name);
      assert.equal(new Set(names).size, names.length, 'no variable twice');
      assert.ok(names.includes('DJANGO_SECRET_KEY'));
      assert.ok(names.includes('EMAIL_HOST_PASSWORD'));
      const gi = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
      assert.ok(gi.startsWith(giBefore));
      assert.equal(count(gi, /^\.env$/), 1);
      const settings = fs.readFileSync(path.join(dir, 'backend', 'settings.py'), 'utf8');
      for (const e of parseDotenv(env)) if (e.value.length > 8 && names.indexOf(e.name) >= parseDotenv(envBefore).length) assert.equal(settings.includes(e.value), false, `${e.name} left the settings`);
      const again = snapshot(dir);
      await cli(['check', dir, '--fix', '--unsafe-fixes', '--select', 'DJR101,DJR103,DJR105', '--no-color']);
      assert.deepEqual(snapshot(dir), again);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Move SECRET_KEY to .env: the engine', () => {
  before(ready);

  test('the preferred fix; an empty placeholder in .env is filled in, not duplicated', () => {
    const mem = project({ '/p/.env': 'DEBUG=0\nDJANGO_SECRET_KEY=\n' });
    const f = djr101(mem);
    assert.ok(f);
    assert.equal(f.fixes.length, 3);
    const move = f.fixes[0];
    assert.match(move.title, /^Move SECRET_KEY to \.env/);
    assert.equal(move.preferred, true);
    assert.equal(move.applicability, 'unsafe');
    applyFix(mem, move);
    const env = mem.readFile('/p/.env') ?? '';
    assert.deepEqual(parseDotenv(env).map((e) => [e.name, e.value]), [['DEBUG', '0'], ['DJANGO_SECRET_KEY', KEY]]);
    assert.equal(djr101(mem), undefined);
  });

  test('a .env with old Mac line breaks (lone CR): the placeholder line is the one filled in', () => {
    const mem = project({ '/p/.env': 'DEBUG=0\rDJANGO_SECRET_KEY=\rOTHER=1\r' });
    applyFix(mem, djr101(mem)!.fixes[0]);
    assert.deepEqual(parseDotenv(mem.readFile('/p/.env') ?? '').map((e) => [e.name, e.value]), [['DEBUG', '0'], ['DJANGO_SECRET_KEY', KEY], ['OTHER', '1']]);
  });

  test('a .env defining the variable with another value is never overwritten: no move fix, and fix-all leaves the literal', () => {
    const mem = project({ '/p/.env': "DJANGO_SECRET_KEY='something-else'\n" });
    const f = djr101(mem);
    assert.ok(f);
    assert.equal(f.fixes.some((x) => /^Move|^Rotate/.test(x.title)), false);
    const only = f.fixes[0];
    assert.equal(only.applicability, 'display-only', 'the bare lookup is display-only: fix-all would lose the literal');
  });

  test('values .env readers would not read back exactly are not moved', () => {
    for (const bad of ["it's-a-key-with-a-quote-0123456789", 'back\\slash-0123456789-0123456789', '$starts-with-dollar-0123456789']) {
      const mem = project();
      mem.write('/p/mysite/settings.py', `SECRET_KEY = ${JSON.stringify(bad)}\n`);
      const f = djr101(mem);
      assert.ok(f, bad);
      assert.equal(f.fixes.some((x) => /^Move/.test(x.title)), false, bad);
    }
  });

  test('an already ignored .env (by a pattern of a .gitignore above) is not added again', () => {
    const mem = project({ '/p/.gitignore': '*.env\n.env*\n!.env.example\n' });
    applyFix(mem, djr101(mem)!.fixes[0]);
    assert.equal(mem.readFile('/p/.gitignore'), '*.env\n.env*\n!.env.example\n');
    assert.match(mem.readFile('/p/.env') ?? '', /^DJANGO_SECRET_KEY='/m);
  });

  test('the decouple idiom: config() and an existing .env.example extended once', () => {
    const mem = project({ '/p/.env.example': 'DEBUG=\n' });
    mem.write('/p/mysite/settings.py', `from decouple import config\n\nSECRET_KEY = '${KEY}'\nDEBUG = config('DEBUG', default=False, cast=bool)\n`);
    applyFix(mem, djr101(mem)!.fixes[0]);
    assert.match(mem.readFile('/p/mysite/settings.py') ?? '', /^SECRET_KEY = config\('DJANGO_SECRET_KEY'\)$/m);
    assert.equal(mem.readFile('/p/.env.example'), 'DEBUG=\nDJANGO_SECRET_KEY=\n');
  });

  test('rotate: a fresh key in .env, the old one kept as SECRET_KEY_FALLBACKS read from .env', () => {
    const mem = project();
    const rotate = djr101(mem)!.fixes.find((x) => /^Rotate/.test(x.title));
    assert.ok(rotate);
    applyFix(mem, rotate);
    const settings = mem.readFile('/p/mysite/settings.py') ?? '';
    assert.equal(settings.includes(KEY), false);
    // the comprehension is broken at its clauses: the line would be longer than the file's
    assert.match(settings, /^SECRET_KEY = os\.environ\['DJANGO_SECRET_KEY'\]\nSECRET_KEY_FALLBACKS = \[\n {4}item\.strip\(\)\n {4}for item in os\.environ\.get\('DJANGO_SECRET_KEY_FALLBACKS', ''\)\.split\(','\)\n {4}if item\.strip\(\)\n\]$/m);
    const env = parseDotenv(mem.readFile('/p/.env') ?? '');
    const fresh = env.find((e) => e.name === 'DJANGO_SECRET_KEY')?.value ?? '';
    assert.equal(env.find((e) => e.name === 'DJANGO_SECRET_KEY_FALLBACKS')?.value, KEY);
    assert.notEqual(fresh, KEY);
    assert.match(fresh, /^[a-z0-9!@#%^&*(\-_=+)][a-z0-9!@#$%^&*(\-_=+)]{49}$/);
    assert.equal(analyze(mem, '/p', { select: ['DJR1'] }).findings.filter((f) => f.code === 'DJR101' || f.code === 'DJR102').length, 0);
  });

  test('generated keys: 50 characters of Django\'s alphabet, never starting with $, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const k = generateSecretKey();
      assert.match(k, /^[a-z0-9!@#$%^&*(\-_=+)]{50}$/);
      assert.notEqual(k[0], '$');
      seen.add(k);
    }
    assert.equal(seen.size, 200);
  });
});

describe('.gitignore and .env readers', () => {
  const ignored = (gitignore: string, rel: string) => gitignoreDecision(parseGitignore(gitignore), rel) === true;

  test('patterns', () => {
    assert.ok(ignored('.env\n', '.env'));
    assert.ok(ignored('.env\n', 'backend/.env'), 'a name without a slash matches at any depth');
    assert.ok(!ignored('/.env\n', 'backend/.env'), 'a leading slash anchors to the folder of the .gitignore');
    assert.ok(ignored('/.env\n', '.env'));
    assert.ok(ignored('*.env\n', 'prod.env'));
    assert.ok(ignored('.env*\n', '.env.local'));
    assert.ok(!ignored('.env*\n!.env.local\n', '.env.local'), 'the last matching pattern wins');
    assert.ok(ignored('.env/\n', 'x') === false);
    assert.ok(!ignored('.env/\n', '.env'), 'a folder-only pattern does not match a file');
    assert.ok(ignored('config/\n', 'config/.env'), 'a file in an ignored folder is ignored');
    assert.ok(ignored('**/secrets/.env\n', 'a/b/secrets/.env'));
    assert.ok(ignored('.env.[lp]*\n', '.env.prod'));
    assert.ok(!ignored('# .env\n\n', '.env'), 'comments and blank lines match nothing');
  });

  test('.env lines', () => {
    assert.deepEqual(
      parseDotenv("A=1\nexport B='two words'\n# C=3\nD=\"x\" # trailing\nE= spaced # comment\n\nbad line\n").map((e) => [e.name, e.value]),
      [['A', '1'], ['B', 'two words'], ['D', 'x'], ['E', 'spaced']],
    );
  });
});
