/**
 * Hostile repositories, reading side (issue 17, point 1): only regular files are read, never
 * without a bound. A `.env` that is a link to /dev/zero, a FIFO, a socket, a device, a link out
 * of the project or to nothing, a folder where a file is expected: not read, one clear note each,
 * and the CLI and the language server finish.
 *
 * The CLI and the server run as child processes (the built bundle): a regression would hang or
 * exhaust memory, which must fail the test, not the test runner. The time limits below only
 * detect a hang; they measure nothing.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { allRules } from '../../rules/index.generated';
import { Analyzer, listFiles, MAX_FILE_BYTES, NodeFileSystem } from '../../server/src/engine';
import { config, fixturesRoot, ready, repoRoot } from '../helpers/fixtures';

const cliJs = path.join(repoRoot, 'dist', 'cli.js');
/** Generous: only a hang (or a run that reads /dev/zero until memory runs out) exceeds it. */
const HANG_MS = 60_000;

function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** The tutorial project in `<tmp>/project`, with `<tmp>/outside` beside it. */
function hostileProject(): { tmp: string; root: string; outside: string } {
  const tmp = tempDir('djr-hostile-');
  const root = path.join(tmp, 'project');
  const outside = path.join(tmp, 'outside');
  fs.cpSync(path.join(fixturesRoot, 'projects', 'tutorial'), root, { recursive: true });
  fs.mkdirSync(outside);
  // a file outside the project that must never be read: findings from it would show
  fs.writeFileSync(path.join(outside, 'settings.py'), "DEBUG = True\nSECRET_KEY = 'outside-outside-outside-outside-outside-outside-0000'\nALLOWED_HOSTS = ['*']\n");
  fs.writeFileSync(path.join(outside, 'secrets.env'), "SECRET_KEY='outside-secret'\n");
  return { tmp, root, outside };
}

function runCli(args: string[]): { code: number | null; out: string; err: string; signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', cliJs, ...args], { encoding: 'utf8', timeout: HANG_MS, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', signal: r.signal };
}

describe('hostile files: only regular files are read, never unbounded', () => {
  before(ready);
  let tmp: string;
  let root: string;
  let outside: string;
  let server: net.Server | undefined;

  before(async () => {
    assert.ok(fs.existsSync(cliJs), 'dist/cli.js missing: run npm run build');
    ({ tmp, root, outside } = hostileProject());
    fs.symlinkSync('/dev/zero', path.join(root, '.env'));
    spawnSync('mkfifo', [path.join(root, 'mysite', '.env')]);
    fs.symlinkSync('/dev/urandom', path.join(root, 'Dockerfile.prod'));
    fs.symlinkSync(path.join(outside, 'secrets.env'), path.join(root, '.env.production'));
    fs.symlinkSync(path.join(root, 'nowhere.txt'), path.join(root, 'requirements-dev.txt'));
    fs.symlinkSync('loop-b.txt', path.join(root, 'requirements-loop.txt'));
    fs.symlinkSync('requirements-loop.txt', path.join(root, 'loop-b.txt'));
    // the settings module itself is a link out of the project
    fs.rmSync(path.join(root, 'mysite', 'settings.py'));
    fs.symlinkSync(path.join(outside, 'settings.py'), path.join(root, 'mysite', 'settings.py'));
    // a socket named like a requirements file
    const sock = path.join(root, 'requirements-sock.txt');
    server = net.createServer();
    await new Promise<void>((resolve) => server!.listen(sock, resolve));
  });

  after(() => {
    server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('NodeFileSystem refuses each one and says why', () => {
    const disk = new NodeFileSystem({ roots: [root] });
    const why = (rel: string) => disk.unreadable(path.join(root, rel));
    assert.equal(disk.readFile(path.join(root, '.env')), undefined);
    assert.match(why('.env') ?? '', /symbolic link to \/dev\/zero, outside the project/);
    assert.equal(disk.readFile(path.join(root, 'mysite', '.env')), undefined);
    assert.match(why('mysite/.env') ?? '', /named pipe \(FIFO\)/);
    assert.match(why('requirements-sock.txt') ?? '', /socket/);
    assert.match(why('Dockerfile.prod') ?? '', /outside the project/);
    assert.match(why('.env.production') ?? '', /symbolic link to .*outside[/]secrets\.env, outside the project/);
    assert.match(why('requirements-dev.txt') ?? '', /does not exist/);
    assert.match(why('requirements-loop.txt') ?? '', /loop/);
    assert.match(why('mysite') ?? '', /a folder/);
    assert.equal(disk.readFile(path.join(root, 'mysite', 'settings.py')), undefined);
    // a regular file: read, nothing to say
    assert.ok(disk.readFile(path.join(root, 'manage.py'))?.includes('DJANGO_SETTINGS_MODULE'));
    assert.equal(why('manage.py'), undefined);
    // the listing: links and special files are not files
    const inv = listFiles(root, disk, { exclude: [] });
    const rel = (p: string) => path.relative(root, p);
    assert.ok(!inv.files.some((f) => ['.env', 'mysite/.env', 'mysite/settings.py', 'requirements-sock.txt'].includes(rel(f.path))), inv.files.map((f) => rel(f.path)).join(' '));
    // (loop-b.txt: a .txt file may be a Django template, so it is listed too)
    assert.deepEqual((inv.special ?? []).map(rel).sort(), ['.env', '.env.production', 'Dockerfile.prod', 'loop-b.txt', 'mysite/.env', 'mysite/settings.py', 'requirements-dev.txt', 'requirements-loop.txt', 'requirements-sock.txt']);
  });

  test('a link inside the project is followed', () => {
    const dir = tempDir('djr-inside-');
    try {
      fs.cpSync(path.join(fixturesRoot, 'projects', 'tutorial'), dir, { recursive: true });
      fs.mkdirSync(path.join(dir, 'shared'));
      fs.renameSync(path.join(dir, 'mysite', 'settings.py'), path.join(dir, 'shared', 'real_settings.py'));
      fs.symlinkSync(path.join('..', 'shared', 'real_settings.py'), path.join(dir, 'mysite', 'settings.py'));
      const disk = new NodeFileSystem({ roots: [dir] });
      const r = new Analyzer({ rules: allRules, fs: disk }).analyze(dir, config());
      assert.ok(r.findings.some((f) => f.code === 'DJR101' && f.file === path.join(dir, 'mysite', 'settings.py')), r.findings.map((f) => f.code).join(' '));
      assert.ok(!r.notes.some((n) => n.kind === 'skipped'), JSON.stringify(r.notes));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file above the size cap is not read', () => {
    const disk = new NodeFileSystem({ roots: [tmp], maxBytes: 1024 });
    const big = path.join(tmp, 'big.txt');
    fs.writeFileSync(big, 'x'.repeat(2048));
    assert.equal(disk.readFile(big), undefined);
    assert.match(disk.unreadable(big) ?? '', /larger than/);
    fs.writeFileSync(big, 'x'.repeat(1000));
    assert.equal(disk.readFile(big)?.length, 1000);
    assert.equal(MAX_FILE_BYTES, 2 * 1024 * 1024);
  });

  test('CLI: the check finishes, one note per such file, nothing read from outside', () => {
    const r = runCli(['check', root, '--no-color']);
    assert.equal(r.signal, null, `killed (${r.signal}): the check hung or ran out of memory`);
    assert.notEqual(r.code, 2, r.err);
    const notes = r.out.split('\n').filter((l) => / note: /.test(l));
    const noteFor = (rel: string) => notes.filter((l) => l.startsWith(`${rel}: note:`));
    for (const rel of ['.env', 'mysite/.env', 'Dockerfile.prod', '.env.production', 'requirements-dev.txt', 'requirements-loop.txt', 'requirements-sock.txt', 'mysite/settings.py']) {
      assert.equal(noteFor(rel).length, 1, `${rel}: ${notes.join('\n')}`);
    }
    assert.match(noteFor('.env')[0], /Not read: a symbolic link to \/dev\/zero, outside the project/);
    assert.match(noteFor('mysite/.env')[0], /named pipe/);
    // the settings outside were not analysed: no finding about their DEBUG / SECRET_KEY / hosts
    assert.ok(!/DJR101|DJR201|DJR203/.test(r.out), r.out);
    assert.ok(!r.out.includes('outside-'), 'a value from outside the project was printed');
  });

  test('language server (stdio): publishes diagnostics with a FIFO .env and a link to /dev/zero', async () => {
    const proc = spawn(process.execPath, ['--max-old-space-size=512', cliJs, 'server', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const published = new Map<string, { code?: string; message: string; severity?: number }[]>();
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code?: string; message: string }[] }) => {
      published.set(p.uri, p.diagnostics);
    });
    conn.onRequest(() => null);
    conn.listen();
    const killer = setTimeout(() => proc.kill('SIGKILL'), HANG_MS);
    try {
      const rootUri = pathToFileURL(root).href;
      await conn.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'p' }], capabilities: { textDocument: { publishDiagnostics: {} } } });
      await conn.sendNotification('initialized', {});
      const views = path.join(root, 'snippets', 'views.py');
      const uri = pathToFileURL(views).href;
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(views, 'utf8') } });
      const envUri = pathToFileURL(path.join(root, '.env')).href;
      for (let i = 0; i < HANG_MS / 20 && !(published.has(uri) && published.has(envUri)); i++) {
        if (proc.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(proc.exitCode, null, 'the server exited');
      assert.ok(published.get(uri)?.some((d) => d.code === 'DJR404'), JSON.stringify(published.get(uri)));
      const envNotes = published.get(envUri) ?? [];
      assert.equal(envNotes.length, 1, JSON.stringify([...published.keys()]));
      assert.match(envNotes[0].message, /symbolic link to \/dev\/zero/);
      await conn.sendRequest('shutdown');
    } finally {
      clearTimeout(killer);
      conn.dispose();
      proc.kill();
    }
  });
});
