/**
 * Fixes that never lose data (issue 17, points 2, 3, 5, 6, 7), through the CLI's `--fix`
 * (in-process, on temporary copies written by the real disk writer):
 *
 *  2. fixes write only inside the folder checked, only regular files, never through a symbolic
 *     link nor at a dangling link's target; where the right file is outside, the fix is not
 *     offered and the finding says why;
 *  3. multi-file fixes are all or nothing (a .env that is a folder: settings.py unchanged, the
 *     key still there, no stack trace); the disk writer changes nothing when one write fails;
 *  5. DJR102/DJR104 move the hardcoded default into .env; a value .env cannot hold is not moved
 *     and the finding says so;
 *  6. the fixed modules run: imports before their first use (also in an empty module), DJR104 +
 *     DJR702 on one dj_database_url call compose;
 *  7. a Latin-1 module with a coding declaration stays Latin-1, a CR-only module stays CR-only.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiskWriter, NodeFileSystem } from '../../server/src/engine';
import { cli } from '../helpers/cli';
import { ready } from '../helpers/fixtures';
import { messageOf, TestClient, uriOf } from '../helpers/lsp';
import { hasPython, unboundNames } from '../helpers/pycheck';

const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
const KEY = 'django-insecure-0123456789abcdefghijklmnopqrstuvwxyz-KEEP';
const python = hasPython();

let tmp: string;

/** A project `<tmp>/<name>/` with manage.py, mysite/__init__.py and the given files. */
function project(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(tmp, name);
  const all: Record<string, string | Buffer> = { 'manage.py': MANAGE, 'mysite/__init__.py': '', ...files };
  for (const [rel, content] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** Every file below `dir` with its bytes (links as `-> target`). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) {
        out[rel + '/'] = '';
        walk(p);
      } else if (e.isFile()) out[rel] = fs.readFileSync(p).toString('latin1');
      else out[rel] = '(special)';
    }
  };
  walk(dir);
  return out;
}

/** python3 says: the module compiles, and every name used at module level is bound before (test/helpers/pycheck.ts). */
function runsCleanly(source: string): string[] {
  return unboundNames([source])[0] ?? ['it does not compile'];
}

describe('fixes never lose data', () => {
  before(async () => {
    await ready();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-fixsafe-')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const settings = `import os\n\nSECRET_KEY = '${KEY}'\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n`;

  test('2: a .env two folders above the folder checked receives nothing; the finding says why', async () => {
    const outer = path.join(tmp, 'outer');
    const root = project('outer/a/b', { 'mysite/settings.py': settings });
    fs.writeFileSync(path.join(outer, '.env'), 'OTHER=1\n');
    const before = tree(outer);
    const r = await cli(['check', root, '--fix', '--unsafe-fixes', '--format', 'json']);
    assert.notEqual(r.code, 2, r.err);
    const after = tree(outer);
    // nothing above the folder checked changed; inside it the key stays where it was
    for (const k of Object.keys(before)) if (!k.startsWith('a/')) assert.equal(after[k], before[k], k);
    assert.deepEqual(Object.keys(after).filter((k) => !k.startsWith('a/')), Object.keys(before).filter((k) => !k.startsWith('a/')));
    assert.ok(fs.readFileSync(path.join(root, 'mysite', 'settings.py'), 'utf8').includes(KEY));
    const djr101 = (JSON.parse(r.out).diagnostics as { rule: string; message: string }[]).find((d) => d.rule === 'DJR101');
    assert.match(djr101?.message ?? '', /is not offered: \.env is outside the folder analysed/);
  });

  test('2: a .env that is a link (to a file outside, or to nothing) is never written through', async () => {
    const secret = path.join(tmp, 'outside-secrets.env');
    fs.writeFileSync(secret, 'UNTOUCHED=1\n');
    const linked = project('linked', { 'mysite/settings.py': settings });
    fs.symlinkSync(secret, path.join(linked, '.env'));
    const dangling = project('dangling', { 'mysite/settings.py': settings });
    const target = path.join(tmp, 'would-be-created.env');
    fs.symlinkSync(target, path.join(dangling, '.env'));
    for (const [root, why] of [[linked, /\.env is a symbolic link/], [dangling, /\.env is a symbolic link to a file that does not exist/]] as const) {
      const r = await cli(['check', root, '--fix', '--unsafe-fixes', '--format', 'json']);
      assert.notEqual(r.code, 2, r.err);
      const djr101 = (JSON.parse(r.out).diagnostics as { rule: string; message: string }[]).find((d) => d.rule === 'DJR101');
      assert.match(djr101?.message ?? '', why);
      assert.ok(fs.readFileSync(path.join(root, 'mysite', 'settings.py'), 'utf8').includes(KEY), 'the key left settings.py');
    }
    assert.equal(fs.readFileSync(secret, 'utf8'), 'UNTOUCHED=1\n');
    assert.equal(fs.existsSync(target), false, 'a file was created at the dangling link target');
  });

  test('3: a .env that is a folder: settings.py unchanged, the key kept, no stack trace', async () => {
    const root = project('envdir', { 'mysite/settings.py': settings });
    fs.mkdirSync(path.join(root, '.env'));
    const r = await cli(['check', root, '--fix', '--unsafe-fixes', '--no-color']);
    assert.equal(r.code, 1, r.err);
    assert.doesNotMatch(r.err + r.out, /\n\s+at |TypeError|EISDIR/);
    // other fixes may apply; the key stays in settings.py, nothing was written into the folder
    assert.ok(fs.readFileSync(path.join(root, 'mysite', 'settings.py'), 'utf8').includes(`SECRET_KEY = '${KEY}'`));
    assert.deepEqual(fs.readdirSync(path.join(root, '.env')), []);
    assert.match(r.out, /DJR101 .*is not offered: \.env is a folder/);
  });

  test('3: the disk writer changes nothing when one of several writes fails', () => {
    const root = project('atomic', { 'mysite/settings.py': settings, 'blocker': 'a file where a folder is needed\n' });
    const disk = new NodeFileSystem({ roots: [root] });
    const file = path.join(root, 'mysite', 'settings.py');
    const before = tree(root);
    assert.throws(
      () =>
        new DiskWriter(disk).writeAll([
          { file, before: settings, after: settings.replace(KEY, 'changed') },
          { file: path.join(root, 'blocker', 'sub', '.env'), before: undefined, after: 'X=1\n' },
        ]),
      /nothing was changed/,
    );
    assert.deepEqual(tree(root), before, 'a file changed, or a temporary file was left');
    // a file that changed since the fix was computed is not overwritten
    assert.throws(() => new DiskWriter(disk).writeAll([{ file, before: 'something else', after: 'x' }]), /changed since the fix was computed/);
    assert.deepEqual(tree(root), before);
  });

  test('5: DJR102 and DJR104 move the hardcoded default into .env (unsafe fix-all keeps every secret)', async () => {
    const root = project('defaults', {
      'mysite/settings.py': `import os\n\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '${KEY}')\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\nEMAIL_HOST_PASSWORD = os.getenv('EMAIL_HOST_PASSWORD', 'mail-pass-KEEP-1234')\n`,
    });
    const r = await cli(['check', root, '--fix', '--unsafe-fixes', '--no-color']);
    assert.notEqual(r.code, 2, r.err);
    const fixed = fs.readFileSync(path.join(root, 'mysite', 'settings.py'), 'utf8');
    const env = fs.readFileSync(path.join(root, '.env'), 'utf8');
    assert.ok(!fixed.includes(KEY) && !fixed.includes('mail-pass-KEEP-1234'), fixed);
    assert.match(env, new RegExp(`^DJANGO_SECRET_KEY='${KEY}'$`, 'm'));
    assert.match(env, /^EMAIL_HOST_PASSWORD='mail-pass-KEEP-1234'$/m);
    assert.match(fs.readFileSync(path.join(root, '.gitignore'), 'utf8'), /^\.env$/m);
  });

  test('5: a value .env cannot hold faithfully is not moved, the finding says so, fix-all keeps it', async () => {
    for (const [name, literal, why] of [
      ['newline', "'line1\\nline2-secret-KEEP'", /line break/],
      ['nul', "'nul\\x00secret-KEEP-123'", /NUL/],
      ['surrogate', "'lone\\ud800surrogate-KEEP'", /unpaired surrogate/],
    ] as const) {
      const src = `import os\n\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', ${literal})\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n`;
      const root = project(`bad-${name}`, { 'mysite/settings.py': src });
      const r = await cli(['check', root, '--fix', '--unsafe-fixes', '--format', 'json']);
      const d = (JSON.parse(r.out).diagnostics as { rule: string; message: string }[]).find((x) => x.rule === 'DJR102');
      assert.match(d?.message ?? '', why, name);
      assert.ok(fs.readFileSync(path.join(root, 'mysite', 'settings.py'), 'utf8').includes(`SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', ${literal})`), `${name}: the default was dropped`);
    }
  });

  test('6: DJR104 and DJR702 on one dj_database_url call compose (no `config(, conn_max_age=60)`)', { skip: !python && 'python3 is not installed' }, async () => {
    const root = project('dsn', {
      'requirements.txt': 'django==5.1\ndj-database-url==2.2.0\ngunicorn==22.0\n',
      'mysite/settings.py': `import os\n\nimport dj_database_url\n\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\nDATABASES = {'default': dj_database_url.config(default='postgres://app:db-pass-KEEP@db/app')}\n`,
    });
    const r = await cli(['check', root, '--fix', '--unsafe-fixes', '--no-color']);
    assert.notEqual(r.code, 2, r.err);
    const fixed = fs.readFileSync(path.join(root, 'mysite', 'settings.py'), 'utf8');
    assert.match(fixed, /dj_database_url\.config\(\s*conn_max_age=60,\s*conn_health_checks=True,?\s*\)/);
    assert.deepEqual(runsCleanly(fixed), []);
    assert.match(fs.readFileSync(path.join(root, '.env'), 'utf8'), /^DATABASE_URL='postgres:\/\/app:db-pass-KEEP@db\/app'$/m);
  });

  test('6: imports land before their first use: above a use that precedes the imports, and in an empty module', { skip: !python && 'python3 is not installed' }, async () => {
    const useFirst = project('use-first', { 'mysite/settings.py': `SECRET_KEY = '${KEY}'\nDEBUG = True\nALLOWED_HOSTS = ['example.com']\nimport os\nSTATIC_ROOT = os.path.join('x', 'static')\n` });
    const emptyPackage = project('empty-module', { 'mysite/settings.py': '' });
    for (const root of [useFirst, emptyPackage]) {
      const r = await cli(['check', root, '--fix', '--unsafe-fixes', '--no-color']);
      assert.notEqual(r.code, 2, r.err);
      const file = fs.existsSync(path.join(root, 'mysite', 'settings.py')) ? path.join(root, 'mysite', 'settings.py') : path.join(root, 'mysite', 'settings', '__init__.py');
      const fixed = fs.readFileSync(file, 'utf8');
      assert.match(fixed, /os\.environ/, `${root}: no fix used os.environ:\n${fixed}`);
      assert.deepEqual(runsCleanly(fixed), [], fixed);
    }
  });

  test('7: a Latin-1 module with a coding declaration stays Latin-1; a CR-only module stays CR-only', { skip: !python && 'python3 is not installed' }, async () => {
    const latin = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n# R', 'latin1'), Buffer.from([0xe9]), Buffer.from(`glages du caf\xe9\nSECRET_KEY = '${KEY}'\nDEBUG = True\nALLOWED_HOSTS = ['example.com']\n`, 'latin1')]);
    const l = project('latin1', { 'mysite/settings.py': latin });
    const cr = project('cr-only', { 'mysite/settings.py': `import os\rSECRET_KEY = '${KEY}'\rDEBUG = True\rALLOWED_HOSTS = ['example.com']\r` });
    for (const root of [l, cr]) {
      const r = await cli(['check', root, '--fix', '--unsafe-fixes', '--no-color']);
      assert.notEqual(r.code, 2, r.err);
    }
    const lb = fs.readFileSync(path.join(l, 'mysite', 'settings.py'));
    assert.ok(lb.includes(Buffer.from([0x52, 0xe9, 0x67])), 'the Latin-1 bytes were re-encoded');
    assert.ok(!lb.includes(Buffer.from([0xc3, 0xa9])), 'the file is now UTF-8');
    const ltext = lb.toString('latin1');
    assert.ok(!ltext.includes(KEY) && /DEBUG = os\.environ/.test(ltext), ltext);
    const crText = fs.readFileSync(path.join(cr, 'mysite', 'settings.py'), 'utf8');
    assert.ok(!crText.includes('\n'), JSON.stringify(crText));
    assert.ok(!crText.includes(KEY) && /DEBUG = os\.environ/.test(crText), JSON.stringify(crText));
    assert.deepEqual(runsCleanly(crText), []);
  });
});

describe('fixes never lose data: the language server', () => {
  let dir: string;
  before(async () => {
    await ready();
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-fixsafe-lsp-')));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (root: string, files: Record<string, string | Buffer>) => {
    for (const [rel, content] of Object.entries({ 'manage.py': MANAGE, 'mysite/__init__.py': '', ...files })) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    }
  };

  test('no quick fix writes through a .env link', async () => {
    const root = path.join(dir, 'ws');
    write(root, { 'mysite/settings.py': `import os\n\nSECRET_KEY = '${KEY}'\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n` });
    const outside = path.join(dir, 'outside.env');
    fs.writeFileSync(outside, 'A=1\n');
    fs.symlinkSync(outside, path.join(root, '.env'));
    const client = new TestClient({ root, server: { debounceMs: 5 } });
    try {
      await client.initialize();
      const uri = await client.open(path.join(root, 'mysite', 'settings.py'));
      const diags = await client.waitFor(uri, (d) => d.some((x) => x.code === 'DJR101'), 10_000);
      const d = diags.find((x) => x.code === 'DJR101')!;
      assert.match(messageOf(d), /is not offered: \.env is a symbolic link/);
      const actions = await client.codeActions(uri, d.range, [d]);
      const touched = actions.flatMap((a) => [...Object.keys(a.edit?.changes ?? {}), ...(a.edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.uri : 'uri' in c ? c.uri : ''))]);
      assert.ok(!touched.some((u) => u.endsWith('/.env')), JSON.stringify(touched));
      assert.equal(fs.readFileSync(outside, 'utf8'), 'A=1\n');
    } finally {
      await client.dispose();
    }
  });

  test('fix-all of a Latin-1 module the editor has not opened is refused, with a log line (the editor would decode it as UTF-8)', async () => {
    const root = path.join(dir, 'latin');
    const latin = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n# caf', 'latin1'), Buffer.from([0xe9]), Buffer.from("\nimport os\nSECRET_KEY = os.environ['K']\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n", 'latin1')]);
    write(root, { 'mysite/settings.py': latin });
    const client = new TestClient({ root, server: { debounceMs: 5 } });
    try {
      await client.initialize();
      const uri = uriOf(path.join(root, 'mysite', 'settings.py'));
      const edit = await client.conn.sendRequest('djangoReadiness/fixAll', { uri, unsafe: true });
      assert.equal(edit, null);
      assert.ok(client.logs.some((l) => /settings\.py is encoded in latin-1/.test(l)), client.logs.join('\n'));
      assert.ok(fs.readFileSync(path.join(root, 'mysite', 'settings.py')).equals(latin));
      // opened, the editor holds the decoded text: the fixes are offered
      await client.open(path.join(root, 'mysite', 'settings.py'), latin.toString('latin1'));
      await client.waitFor(uri, (d) => d.length > 0, 10_000);
      assert.notEqual(await client.conn.sendRequest('djangoReadiness/fixAll', { uri, unsafe: true }), null);
    } finally {
      await client.dispose();
    }
  });
});
