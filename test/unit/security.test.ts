/**
 * Security properties:
 *
 *  - no secret literal written in any fixture (SECRET_KEY, passwords, tokens, API keys, URL
 *    passwords, .env values) appears in the CLI's text, JSON or SARIF output, the Markdown
 *    report, or the language server's diagnostics, hovers, code action titles, notifications
 *    and logs (a masked prefix is all that may show);
 *  - settings, URL and view modules whose top-level code would write files, run commands or
 *    open sockets are analysed and nothing happens;
 *  - a huge (> 2 MB) or binary file gets one informational note, quickly, in the CLI and in
 *    the language server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { cli } from '../helpers/cli';
import { classify, MAX_FILE_BYTES } from '../../server/src/engine';
import { ready } from '../helpers/fixtures';
import { messageOf, TestClient, uriOf } from '../helpers/lsp';
import { leaks, projectSubjects, ruleFixtureSubjects, secretLiterals, writeTemp, type Subject } from '../helpers/subjects';

function secretsOf(subject: Subject): string[] {
  const out = new Set<string>();
  for (const [file, text] of subject.files) for (const s of secretLiterals(text, file)) out.add(s);
  return [...out];
}

function leaked(output: string, secrets: string[]): string[] {
  return secrets.filter((s) => leaks(output, s)).map((s) => `${s.slice(0, 3)}…(${s.length} chars)`);
}

describe('security: no secret value in any output', () => {
  before(ready);

  const subjects = [...ruleFixtureSubjects(), ...projectSubjects()].filter((s) => secretsOf(s).length > 0);

  test('the fixtures contain secrets to look for', () => {
    const all = new Set(subjects.flatMap(secretsOf));
    assert.ok(all.size >= 15, `only ${all.size} secret literals found in the fixtures`);
    assert.ok(subjects.some((s) => s.name.startsWith('DJR101')));
  });

  test('CLI: text, JSON, SARIF and the Markdown report never contain a secret', async (t) => {
    let runs = 0;
    const problems: string[] = [];
    for (const s of subjects) {
      const secrets = secretsOf(s);
      const dir = writeTemp(s, 'djr-sec-');
      try {
        for (const format of ['text', 'json', 'sarif']) {
          const r = await cli(['check', dir, '--format', format, '--no-color']);
          runs++;
          assert.notEqual(r.code, 2, `${s.name} ${format}: ${r.err}`);
          const l = leaked(r.out + r.err, secrets);
          if (l.length > 0) problems.push(`${s.name} --format ${format}: ${l.join(', ')}`);
        }
        const report = path.join(dir, 'readiness-report.md');
        const r = await cli(['report', dir, '--output', report]);
        const l = leaked(r.out + r.err + (fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : ''), secrets);
        if (l.length > 0) problems.push(`${s.name} report: ${l.join(', ')}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    t.diagnostic(`${subjects.length} subjects with secrets, ${runs} check runs`);
    assert.deepEqual(problems, []);
  });

  test('language server: diagnostics, hovers, code action titles, notifications and logs never contain a secret', async (t) => {
    const problems: string[] = [];
    let hovers = 0;
    for (const s of subjects) {
      const secrets = secretsOf(s);
      const dir = writeTemp(s, 'djr-sec-lsp-');
      const client = new TestClient({ root: dir, server: { debounceMs: 5 } });
      try {
        await client.initialize();
        const uris: string[] = [];
        for (const rel of s.files.keys()) if (classify(path.basename(rel))) uris.push(await client.open(path.join(dir, rel)));
        const seen: unknown[] = [];
        for (const uri of uris) {
          const diags: Diagnostic[] = await client.waitForCurrent(uri);
          for (const d of diags) {
            const h = await client.hover(uri, d.range.start.line, d.range.start.character);
            hovers++;
            const actions = await client.codeActions(uri, d.range, [d]);
            seen.push(messageOf(d), h, actions.map((a) => a.title));
          }
        }
        const output = JSON.stringify([seen, [...client.diagnostics.values()], client.notifications, client.logs]);
        const l = leaked(output, secrets);
        if (l.length > 0) problems.push(`${s.name}: ${l.join(', ')}`);
      } finally {
        await client.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    t.diagnostic(`${subjects.length} subjects opened in the language server, ${hovers} hovers`);
    assert.ok(hovers > 20);
    assert.deepEqual(problems, []);
  });
});

describe('security: user code is never executed', () => {
  before(ready);

  let sandbox: string;
  let server: net.Server;
  let port = 0;
  let connections = 0;

  before(async () => {
    sandbox = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-pwned-')));
    fs.mkdirSync(path.join(sandbox, 'keep'));
    server = net.createServer((sock) => {
      connections++;
      sock.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(sandbox, { recursive: true, force: true });
  });

  /** Top-level code that leaves a trace (a file, a connection, a deleted folder) if it ever runs. */
  const payload = (tag: string) => {
    const p = (name: string) => JSON.stringify(path.join(sandbox, `${tag}-${name}`));
    return [
      'import os, socket, subprocess, shutil, pathlib',
      `open(${p('open')}, 'w').write('x')`,
      `with open(${p('with')}, 'w') as f:`,
      "    f.write('x')",
      `os.system('touch ' + ${p('system')})`,
      `__import__('subprocess').run(['touch', ${p('subprocess')}])`,
      `subprocess.Popen(['touch', ${p('popen')}])`,
      `pathlib.Path(${p('path')}).write_text('x')`,
      `exec("open(${p('exec').slice(1, -1)}, 'w').write('x')")`,
      `eval(compile("open(${p('eval').slice(1, -1)}, 'w')", 'x', 'exec'))`,
      `socket.create_connection(('127.0.0.1', ${port}))`,
      `shutil.rmtree(${JSON.stringify(path.join(sandbox, 'keep'))})`,
      `SECRET_KEY = open(${p('key')}, 'w').write('x') or 'k'`,
      `DEBUG = os.system('touch ' + ${p('debug')}) == 0`,
      `ALLOWED_HOSTS = [socket.create_connection(('127.0.0.1', ${port})) and 'x']`,
      '',
    ].join('\n');
  };

  function project(): string {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-exec-')));
    const w = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    w('manage.py', `import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n${payload('manage')}`);
    w('mysite/__init__.py', payload('init'));
    w('mysite/settings.py', `${payload('settings')}from .local import *\nimport mysite.evil\nINSTALLED_APPS = ['django.contrib.admin', 'corsheaders', 'rest_framework']\n`);
    w('mysite/local.py', payload('local'));
    w('mysite/evil.py', payload('evil'));
    w('mysite/wsgi.py', payload('wsgi'));
    w('mysite/urls.py', payload('urls'));
    w('app/views.py', payload('views'));
    w('requirements.txt', 'django==5.2\n');
    return dir;
  }

  function traces(): string[] {
    const out = fs.readdirSync(sandbox).filter((n) => n !== 'keep');
    if (!fs.existsSync(path.join(sandbox, 'keep'))) out.push('keep/ was deleted');
    if (connections > 0) out.push(`${connections} socket connection(s)`);
    return out;
  }

  test('the payload would leave traces if it ran (sanity check of the test itself)', () => {
    assert.match(payload('x'), /open\(/);
    assert.ok(port > 0);
    assert.deepEqual(traces(), []);
  });

  test('CLI check, --fix --unsafe-fixes and report: nothing happens', async () => {
    const dir = project();
    try {
      const r = await cli(['check', dir, '--format', 'json']);
      assert.notEqual(r.code, 2, r.err);
      const parsed = JSON.parse(r.out) as { diagnostics: { rule: string }[] };
      assert.ok(parsed.diagnostics.length > 0, 'the project was analysed');
      await cli(['check', dir, '--fix', '--unsafe-fixes']);
      await cli(['report', dir, '--output', path.join(dir, 'report.md')]);
      await new Promise((resolve) => setTimeout(resolve, 100)); // a spawned process would have run by now
      assert.deepEqual(traces(), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('language server: opening, editing and fixing such files: nothing happens', async () => {
    const dir = project();
    const client = new TestClient({ root: dir, server: { debounceMs: 5 } });
    try {
      await client.initialize();
      const uri = await client.open(path.join(dir, 'mysite', 'settings.py'));
      await client.open(path.join(dir, 'app', 'views.py'));
      const diags = await client.waitForCurrent(uri, (d) => d.length > 0);
      assert.ok(diags.length > 0);
      await client.replaceAll(uri, client.text(uri) + `\nopen(${JSON.stringify(path.join(sandbox, 'typed'))}, 'w')\n`);
      await client.waitForCurrent(uri);
      const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll']);
      for (const a of actions) if (a.edit) await client.apply(a.edit);
      await client.waitForCurrent(uri);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(traces(), []);
    } finally {
      await client.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('security: huge and binary files', () => {
  before(ready);

  let dir: string;
  const hugeSize = MAX_FILE_BYTES + 512 * 1024;

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-huge-')));
    const w = (rel: string, text: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    w('manage.py', "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
    w('mysite/__init__.py', '');
    const line = "X_SETTING = {'a': [1, 2, 3], 'b': 'some text'}  # filler\n";
    w('mysite/settings.py', "DEBUG = True\n" + line.repeat(Math.ceil(hugeSize / line.length)));
    w('app/views.py', Buffer.concat([Buffer.from('def view(request):\n    return 1\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0]), Buffer.from('\nx = 1\n')]));
    w('app/models.py', 'from django.db import models\n');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('CLI: one clear note per file, quickly', async (t) => {
    const t0 = performance.now();
    const r = await cli(['check', dir, '--no-color']);
    const ms = performance.now() - t0;
    t.diagnostic(`check with a ${(hugeSize / 1024 / 1024).toFixed(1)} MB settings file and a binary file: ${ms.toFixed(0)} ms`);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    const huge = r.out.split('\n').filter((l) => l.startsWith('mysite/settings.py') && /note:/.test(l) && !/note: production settings:/.test(l));
    assert.equal(huge.length, 1, r.out);
    assert.match(huge[0], /Not analysed: the file is larger than 2 MB \(2\.5 MB\)/);
    const binary = r.out.split('\n').filter((l) => l.startsWith('app/views.py'));
    assert.equal(binary.length, 1, r.out);
    assert.match(binary[0], /note: Not analysed: the file looks binary/);
    // JSON: notes go to stderr, once each
    const j = await cli(['check', dir, '--format', 'json']);
    assert.doesNotThrow(() => JSON.parse(j.out));
    assert.equal(j.err.split('\n').filter((l) => l.includes('settings.py') && /larger than/.test(l)).length, 1, j.err);
    assert.equal(j.err.split('\n').filter((l) => l.includes('views.py') && /binary/.test(l)).length, 1, j.err);
  });

  test('language server: one informational diagnostic per file, no stall', async (t) => {
    const client = new TestClient({ root: dir, server: { debounceMs: 5 } });
    try {
      await client.initialize();
      const t0 = performance.now();
      const uri = await client.open(path.join(dir, 'mysite', 'settings.py'));
      const d = await client.waitForCurrent(uri, (x) => x.length > 0, 10_000);
      t.diagnostic(`first diagnostics of the ${(hugeSize / 1024 / 1024).toFixed(1)} MB file after ${(performance.now() - t0).toFixed(0)} ms`);
      assert.equal(d.length, 1, JSON.stringify(d));
      assert.equal(d[0].severity, 3);
      assert.match(messageOf(d[0]), /larger than 2 MB/);
      const views = await client.waitFor(uriOf(path.join(dir, 'app', 'views.py')), (x) => x.length > 0);
      assert.equal(views.length, 1, JSON.stringify(views));
      assert.equal(views[0].severity, 3);
      assert.match(messageOf(views[0]), /looks binary/);
      // typing in the huge file: still one note, and the server answers
      await client.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# edited\n' }]);
      const again = await client.waitForCurrent(uri, () => true, 10_000);
      assert.equal(again.length, 1);
      assert.equal(await client.hover(uri, 0, 0), null);
    } finally {
      await client.dispose();
    }
  });
});
