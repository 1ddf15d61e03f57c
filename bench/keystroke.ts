/**
 * Keystrokes through the language server (dist/server.js --stdio, spawned as an editor would),
 * in a large repository's settings module and in a standalone 1,000-line settings module, in
 * one run: the two servers run side by side and the keystrokes alternate between them, so both
 * suffer the same load. Not a test.
 *
 *   npm run bench -- keystroke [PATH] [--edits 200] [--memory 2000] [--server OTHER/dist/server.js]
 *
 * PATH: a Django repository (its production settings module is typed in); default: the
 * generated 4,000-file repository (bench/repo-generator.ts). Each keystroke changes the digit of
 * a setting appended at the end of the module (`BENCH_KEYSTROKE = 0`), waits for the
 * module's publishDiagnostics at that version; the server's own time (didChange received to
 * publishDiagnostics sent, debounce 0: the work itself) comes from its debug statistics.
 *
 * --memory N: afterwards, N more keystrokes in the large repository, then the server at rest
 * (15 s without a change: idle worker threads stop after 10 s), its RSS (all threads, from
 * /proc) and heap after a garbage collection.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { DEBUG_STATS_REQUEST, SERVER_NODE_FLAGS, type AnalysisTiming, type DebugStats } from '../server/src/protocol/messages';
import { benchRepo } from './repo-generator';
import { generateSettings } from './settings-generator';

const root = path.resolve(__dirname, '..', '..');
const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const WITH_VALUE = new Set(['--edits', '--memory', '--server']);
const positional = argv.filter((a, i) => !a.startsWith('-') && !WITH_VALUE.has(argv[i - 1]) && a !== 'keystroke');
const serverJs = argv.includes('--server') ? path.resolve(argv[argv.indexOf('--server') + 1]) : path.join(root, 'dist', 'server.js');

function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}
const fmt = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

function rssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process by mapping (BENCH_SMAPS=1: where the RSS is). */
function smapsSummary(pid: number | undefined): string {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps`, 'utf8');
    const by = new Map<string, number>();
    let name = '';
    for (const line of text.split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) name = head[1] ? path.basename(head[1]) : '[anon]';
      const m = /^Rss:\s+(\d+) kB/.exec(line);
      if (m) by.set(name, (by.get(name) ?? 0) + Number(m[1]));
    }
    return [...by].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} MB`).join(', ');
  } catch {
    return '';
  }
}

class Server {
  readonly conn: MessageConnection;
  readonly child: ChildProcess;
  private waiters: { uri: string; version: number; resolve: () => void }[] = [];
  private logWaiters: { re: RegExp; resolve: () => void }[] = [];

  constructor(profile = false) {
    // BENCH_CPU_PROF=DIR: a CPU profile of the large repository's server (node --cpu-prof)
    const prof = profile && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    // the node flags the VS Code client starts the server with (SERVER_NODE_FLAGS); BENCH_NODE_FLAGS
    // replaces them for both servers (BENCH_NODE_FLAGS= : none, as before they existed)
    const flags = (process.env.BENCH_NODE_FLAGS ?? SERVER_NODE_FLAGS.join(' ')).split(' ').filter(Boolean);
    this.child = spawn(process.execPath, ['--expose-gc', ...flags, ...prof, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const hit = this.waiters.filter((w) => w.uri === p.uri && p.version === w.version);
      this.waiters = this.waiters.filter((w) => !hit.includes(w));
      for (const w of hit) w.resolve();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      const hit = this.logWaiters.filter((w) => w.re.test(p.message));
      this.logWaiters = this.logWaiters.filter((w) => !hit.includes(w));
      for (const w of hit) w.resolve();
    });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
  }

  async initialize(folder: string): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: path.basename(folder) }],
      initializationOptions: { debounceMs: 0 },
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await this.conn.sendNotification('initialized', {});
  }

  diagnostics(uri: string, version: number, timeoutMs = 120_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  log(re: RegExp): Promise<void> {
    return new Promise((resolve) => this.logWaiters.push({ re, resolve }));
  }

  stats(gc = false): Promise<DebugStats> {
    return this.conn.sendRequest(DEBUG_STATS_REQUEST, { gc }) as Promise<DebugStats>;
  }

  async close(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      /* gone */
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => (this.child.kill(), resolve()), 3000);
      this.child.once('exit', () => (clearTimeout(t), resolve()));
    });
    this.conn.dispose();
  }
}

/** A document being typed in: a setting appended at the end, its digit changed per keystroke. */
class Typist {
  version = 1;
  readonly uri: string;
  private readonly line: number;
  readonly text: string;

  constructor(
    readonly server: Server,
    file: string,
  ) {
    const original = fs.readFileSync(file, 'utf8');
    this.text = original + (original.endsWith('\n') ? '' : '\n') + 'BENCH_KEYSTROKE = 0\n';
    this.line = this.text.split('\n').length - 2;
    this.uri = pathToFileURL(file).href;
  }

  async open(): Promise<void> {
    const first = this.server.diagnostics(this.uri, 1);
    await this.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri, languageId: 'python', version: 1, text: this.text } });
    await first;
  }

  /** One keystroke; resolves with the client's round trip (ms). */
  async type(): Promise<number> {
    this.version++;
    const got = this.server.diagnostics(this.uri, this.version);
    const t0 = performance.now();
    const col = 'BENCH_KEYSTROKE = '.length;
    await this.server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges: [{ range: { start: { line: this.line, character: col }, end: { line: this.line, character: col + 1 } }, text: String(this.version % 10) }],
    });
    await got;
    return performance.now() - t0;
  }
}

/** The server's own time for the last `n` analyses: didChange received to publishDiagnostics sent. */
const serverSide = (t: AnalysisTiming[]) => t.map((x) => x.totalMs + x.changeMs);

/** The production settings module of a repository (bench/out/floor.js discover: the engine's own discovery). */
function settingsOf(repo: string): string {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'floor.js'), 'discover', repo], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const file = (JSON.parse(r.stdout) as { settings: string[] }).settings[0];
  if (!file) throw new Error(`no production settings module found in ${repo}`);
  return file;
}

async function main(): Promise<void> {
  if (!fs.existsSync(serverJs)) throw new Error(`${serverJs} is missing: npm run build`);
  const edits = opt('--edits', 200);
  const memoryEdits = opt('--memory', 0);
  const large = positional[0] ? path.resolve(positional[0]) : benchRepo(root, 4000, 42);
  const largeSettings = settingsOf(large);
  // the standalone module: a project of manage.py + the generated settings, in a temporary folder
  const small = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-keystroke-'));
  fs.mkdirSync(path.join(small, 'mysite'));
  fs.writeFileSync(path.join(small, 'manage.py'), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
  fs.writeFileSync(path.join(small, 'mysite', '__init__.py'), '');
  const settings = generateSettings(1000);
  fs.writeFileSync(path.join(small, 'mysite', 'settings.py'), settings);
  console.log(`server: ${serverJs}, node flags: ${(process.env.BENCH_NODE_FLAGS ?? SERVER_NODE_FLAGS.join(' ')) || 'none'}`);
  console.log(`large: ${path.relative(large, largeSettings)} of ${large}; standalone: a ${settings.split('\n').length}-line settings module`);
  console.log(`machine: ${os.availableParallelism()} cores, node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const a = new Server();
  const b = new Server(true);
  try {
    await a.initialize(small);
    const scanned = b.log(/in worker threads in/);
    await b.initialize(large);
    const ta = new Typist(a, path.join(small, 'mysite', 'settings.py'));
    const tb = new Typist(b, largeSettings);
    await ta.open();
    await tb.open();
    // the background scan of a large folder ends before the measurement (or never starts)
    await Promise.race([scanned, new Promise((r) => setTimeout(r, 60_000))]);
    const warm = 20;
    for (let i = 0; i < warm; i++) {
      await ta.type();
      await tb.type();
    }
    const seenA = (await a.stats()).timings.length;
    const seenB = (await b.stats()).timings.length;
    const clientA: number[] = [];
    const clientB: number[] = [];
    for (let i = 0; i < edits; i++) {
      // alternate which goes first
      if (i % 2 === 0) {
        clientA.push(await ta.type());
        clientB.push(await tb.type());
      } else {
        clientB.push(await tb.type());
        clientA.push(await ta.type());
      }
    }
    const sa = serverSide((await a.stats()).timings.slice(seenA).slice(-edits));
    const sb = serverSide((await b.stats()).timings.slice(seenB).slice(-edits));
    console.log(`\n${edits} keystrokes each, alternating (after ${warm} of warm-up), debounce 0:`);
    console.log(`  standalone 1,000-line module: server ${fmt(sa)}; client round trip ${fmt(clientA)}`);
    console.log(`  large repository:             server ${fmt(sb)}; client round trip ${fmt(clientB)}`);
    console.log(`  ratio large / standalone: server p50 ${(quantile(sb, 0.5) / quantile(sa, 0.5)).toFixed(2)}, p95 ${(quantile(sb, 0.95) / quantile(sa, 0.95)).toFixed(2)}; client p95 ${(quantile(clientB, 0.95) / quantile(clientA, 0.95)).toFixed(2)}`);
    console.log(`load average: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    await a.close();
    if (memoryEdits > 0) {
      const before = await b.stats(true);
      const st0 = (await b.stats()).folders[0];
      console.log(`\nmemory, large repository (${st0?.files ?? '?'} files): RSS after the scan ${rssMb(b.child.pid)?.toFixed(0)} MB (heap ${(before.heapUsed / 1048576).toFixed(0)} MB)`);
      for (let i = 0; i < memoryEdits; i++) await tb.type();
      const busy = rssMb(b.child.pid) ?? 0;
      await new Promise((r) => setTimeout(r, 15_000));
      // at rest as the server left itself (no request since the last keystroke), then after a GC the bench asks for
      const idle = rssMb(b.child.pid) ?? 0;
      if (process.env.BENCH_SMAPS) console.log(`  at rest, resident by mapping: ${smapsSummary(b.child.pid)}`);
      const rest = await b.stats(true);
      await new Promise((r) => setTimeout(r, 500));
      console.log(`  after ${memoryEdits} keystrokes: RSS ${busy.toFixed(0)} MB; at rest (15 s later): RSS ${idle.toFixed(0)} MB; after a GC the bench asks for: RSS ${rssMb(b.child.pid)?.toFixed(0)} MB, heap used ${(rest.heapUsed / 1048576).toFixed(0)} MB, heap total ${(rest.heapTotal / 1048576).toFixed(0)} MB, external ${(rest.external / 1048576).toFixed(0)} MB`);
      if (process.env.BENCH_SMAPS) console.log(smapsSummary(b.child.pid));
    }
  } finally {
    await a.close();
    await b.close();
    fs.rmSync(small, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
