/**
 * Language server start-up and workspace-scan benchmark (not a test). The extension's server
 * (dist/server.js --stdio) is spawned as VS Code would; this process plays the editor.
 *
 *  1. activation to first diagnostics: spawn, initialize, open settings.py, until its first
 *     publishDiagnostics (VS Code's own extension-host start is not included), on a small project
 *     and on a large generated one;
 *  2. on the large one (4,000 files by default): the background scan of the code rules in worker
 *     threads, the server's peak RSS meanwhile (sampled from /proc, all threads) and after it,
 *     and the time from a didChange of settings.py to its diagnostics while the scan runs.
 *
 *   npm run bench -- activation [--files 4000] [--runs 5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { benchRepo } from './repo-generator';

const root = path.resolve(__dirname, '..', '..');
const generated = (files: number, seed = 42) => benchRepo(root, files, seed);
const serverJs = path.join(root, 'dist', 'server.js');
const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : def;
};

function quantiles(xs: number[]): { median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

const fmt = (xs: number[]) => {
  const q = quantiles(xs);
  return `median ${q.median.toFixed(0)} ms, p95 ${q.p95.toFixed(0)} ms, max ${q.max.toFixed(0)} ms (n=${xs.length})`;
};

/** RSS of a process in MB (Linux /proc; all its threads), undefined elsewhere. */
function rssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

class Server {
  readonly conn: MessageConnection;
  readonly child: ChildProcess;
  readonly t0 = performance.now();
  private waiters: { uri: string; version?: number; resolve: () => void }[] = [];
  private logWaiters: { re: RegExp; resolve: (m: string) => void }[] = [];
  peakRss = 0;
  private sampler: NodeJS.Timeout;

  constructor() {
    this.child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const hit = this.waiters.filter((w) => w.uri === p.uri && (w.version === undefined || w.version === p.version));
      this.waiters = this.waiters.filter((w) => !hit.includes(w));
      for (const w of hit) w.resolve();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      const hit = this.logWaiters.filter((w) => w.re.test(p.message));
      this.logWaiters = this.logWaiters.filter((w) => !hit.includes(w));
      for (const w of hit) w.resolve(p.message);
    });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
    this.sampler = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, rssMb(this.child.pid) ?? 0);
    }, 25);
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

  diagnostics(uri: string, version?: number, timeoutMs = 120_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: () => (clearTimeout(t), resolve(performance.now())) });
    });
  }

  log(re: RegExp, timeoutMs = 120_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no log message ${re}`)), timeoutMs);
      this.logWaiters.push({ re, resolve: (m) => (clearTimeout(t), resolve(m)) });
    });
  }

  async close(): Promise<void> {
    clearInterval(this.sampler);
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

/** Spawn to the first diagnostics of the opened settings module. */
async function activation(folder: string, settings: string): Promise<{ total: number; afterInit: number; server: Server }> {
  const s = new Server();
  await s.initialize(folder);
  const t1 = performance.now();
  const uri = pathToFileURL(settings).href;
  const first = s.diagnostics(uri, 1);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(settings, 'utf8') } });
  const at = await first;
  return { total: at - s.t0, afterInit: at - t1, server: s };
}

async function main(): Promise<void> {
  if (!fs.existsSync(serverJs)) throw new Error('dist/server.js is missing: npm run build');
  const runs = opt('--runs', 5);
  const files = opt('--files', 4000);
  console.log(`machine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const small = generated(40, 42);
  const smallSettings = path.join(small, 'config', 'settings', 'production.py');
  const totals: number[] = [];
  const inits: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const r = await activation(small, smallSettings);
    if (i > 0) {
      totals.push(r.total);
      inits.push(r.afterInit);
    }
    await r.server.close();
  }
  console.log(`\nsmall project (40 files): spawn -> first diagnostics of settings: ${fmt(totals)}; of which after initialized: ${fmt(inits)}`);

  const big = generated(files, 42);
  const bigSettings = path.join(big, 'config', 'settings', 'production.py');
  const bigTotals: number[] = [];
  const scans: number[] = [];
  const peaks: number[] = [];
  const during: number[] = [];
  const after: number[] = [];
  let settled = 0;
  let idle = 0;
  for (let i = 0; i < runs; i++) {
    const s = new Server();
    const scanLog = s.log(/in worker threads in/);
    await s.initialize(big);
    const uri = pathToFileURL(bigSettings).href;
    const text = fs.readFileSync(bigSettings, 'utf8');
    const first = s.diagnostics(uri, 1);
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    bigTotals.push((await first) - s.t0);
    // type into settings.py while the scan runs: one character every 40 ms
    let done = false;
    void scanLog.then(() => (done = true));
    const lines = text.split('\n').length - 1;
    let version = 1;
    while (!done) {
      version++;
      const sent = performance.now();
      const got = s.diagnostics(uri, version, 30_000);
      await s.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: lines, character: 0 }, end: { line: lines, character: version > 2 ? 1 : 0 } }, text: String(version % 10) }],
      });
      const at = await got;
      if (!done) during.push(at - sent);
      await new Promise((r) => setTimeout(r, 40));
    }
    const msg = await scanLog;
    scans.push(Number(/in (\d+) ms/.exec(msg)?.[1] ?? NaN));
    peaks.push(s.peakRss);
    // after the scan: keystrokes with every result cached
    for (let k = 0; k < 20; k++) {
      version++;
      const sent = performance.now();
      const got = s.diagnostics(uri, version, 30_000);
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: lines, character: 0 }, end: { line: lines, character: 1 } }, text: String(k % 10) }] });
      after.push((await got) - sent);
    }
    settled = rssMb(s.child.pid) ?? 0;
    if (i === runs - 1) {
      // idle workers stop after 10 s
      await new Promise((r) => setTimeout(r, 11_000));
      idle = rssMb(s.child.pid) ?? 0;
    }
    await s.close();
  }
  console.log(`\nlarge workspace (${files} files): spawn -> first diagnostics of settings: ${fmt(bigTotals)}`);
  console.log(`  background scan of the code rules (worker threads): ${fmt(scans)}`);
  console.log(`  didChange of settings.py -> its diagnostics, during the scan: ${during.length ? fmt(during) : 'the scan ended before the first keystroke'}`);
  console.log(`  didChange of settings.py -> its diagnostics, after the scan:  ${fmt(after)}`);
  console.log(`  server RSS (all threads): peak during activation + scan median ${quantiles(peaks).median.toFixed(0)} MB, max ${quantiles(peaks).max.toFixed(0)} MB; after the scan ${settled.toFixed(0)} MB; workers stopped (idle 10 s) ${idle.toFixed(0)} MB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
