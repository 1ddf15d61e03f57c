/**
 * Language server benchmark (not a test). Run: npm run bench -- lsp [--edits N] [--files N]
 * (or node --import tsx scripts/bench-lsp.ts after npm run build)
 *
 * The server is bundled like dist/server.js (esbuild, minified) and started as a child process
 * over stdio, driven by an LSP client in this process:
 *
 *  1. keystroke latency: a generated 1,000-line settings module is open; one character is typed
 *     in the middle ~100 times (after warm-up), each time waiting for its publishDiagnostics.
 *     Reported: the server-side time from receiving didChange to sending publishDiagnostics
 *     (with the debounce set to 0: the work itself), and the client-observed round trip.
 *  2. memory: a generated workspace of 2,000 Python files (plus the settings module), analysed
 *     in full; RSS and heap after a GC, and the keystroke latency in that workspace; once with
 *     today's rules, once with a synthetic code rule that parses and queries every file.
 *
 * BENCH_LSP_CPU_PROF=/tmp/prof writes a CPU profile of each server process (node --cpu-prof).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { generateSettings } from '../bench/settings-generator';
import { DEBUG_STATS_REQUEST, type AnalysisTiming, type DebugStats } from '../server/src/protocol/messages';

const root = path.resolve(__dirname, '..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const EDITS = arg('--edits', 100);
const FILES = arg('--files', 2000);
const WARMUP = 20;

function quantiles(xs: number[]): { median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

function fmt(xs: number[]): string {
  const { median, p95, max } = quantiles(xs);
  return `median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${max.toFixed(2)} ms (n=${xs.length})`;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * A server with one more rule: a synthetic code rule that runs a tree-sitter query over every
 * Python file, as the code rules to come will (today's rules only read settings, so the 2,000
 * files of the workspace would otherwise never be parsed).
 */
const CODE_RULE_SERVER = `
import { createConnection } from 'vscode-languageserver/node';
import { attachServer } from './server/src/lsp/connection';
import { allRules } from './rules/index.generated';
import { defineRule, pythonQuery } from './server/src/engine';
const synthetic = defineRule({
  meta: { code: 'DJR999', name: 'bench-code-rule', category: 'api', severity: 'info', kind: 'code', seeds: ['000'], message: 'bench', fix: 'none',
    docs: { what: '', why: '', example: '', instead: '', references: [] } },
  prefilter: /def |class /,
  checkFile(ctx) {
    const calls = pythonQuery('(call function: (attribute attribute: (identifier) @m)) @c').captures(ctx.tree.rootNode);
    const hit = calls.find((c) => c.name === 'm' && c.node.text === 'csrf_exempt');
    if (hit) ctx.report({ at: { file: ctx.file.path, range: ctx.nodeRange(hit.node) } });
  },
});
attachServer(createConnection(), { rules: [...allRules, synthetic] });
`;

async function bundleServer(name: string, stdin?: string): Promise<string> {
  const out = path.join(root, 'bench', 'out');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${name}.js`);
  await esbuild.build({
    ...(stdin ? { stdin: { contents: stdin, resolveDir: root, loader: 'ts' as const, sourcefile: `${name}.ts` } } : { entryPoints: [path.join(root, 'server', 'src', 'lsp', 'main.ts')] }),
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: true,
    logLevel: 'warning',
    alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  });
  const wasm: [string, string][] = [
    [path.join(path.dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'), 'web-tree-sitter.wasm'],
    [path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm', 'tree-sitter-python.wasm'), 'tree-sitter-python.wasm'],
  ];
  for (const [from, to] of wasm) fs.copyFileSync(from, path.join(out, to));
  // the code-rule worker threads of large folders (the server looks for worker.js beside itself)
  const worker = path.join(root, 'dist', 'worker.js');
  if (fs.existsSync(worker)) fs.copyFileSync(worker, path.join(out, 'worker.js'));
  return file;
}

class Session {
  readonly conn: MessageConnection;
  private readonly child: ChildProcess;
  private waiters = new Map<string, { version: number; resolve: (t: number) => void }>();

  constructor(serverJs: string) {
    // BENCH_LSP_CPU_PROF=dir: write a CPU profile of each server process there
    const prof = process.env.BENCH_LSP_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_LSP_CPU_PROF}`] : [];
    this.child = spawn(process.execPath, ['--expose-gc', ...prof, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const w = this.waiters.get(p.uri);
      if (w && p.version === w.version) {
        this.waiters.delete(p.uri);
        w.resolve(performance.now());
      }
    });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.listen();
  }

  async initialize(folder: string): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'bench' }],
      initializationOptions: { debounceMs: 0 },
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } } },
    });
    await this.conn.sendNotification('initialized', {});
  }

  /** Resolves with the arrival time of the diagnostics of `uri` at `version`. */
  diagnosticsFor(uri: string, version: number, timeoutMs = 120_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), timeoutMs);
      this.waiters.set(uri, {
        version,
        resolve: (x) => {
          clearTimeout(t);
          resolve(x);
        },
      });
    });
  }

  stats(): Promise<DebugStats> {
    return this.conn.sendRequest(DEBUG_STATS_REQUEST, { gc: true }) as Promise<DebugStats>;
  }

  async close(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      /* gone */
    }
    // let it exit by itself (a CPU profile is written on exit), else stop it
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 3000);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}

function writeProject(dir: string, settings: string, pyFiles: number): void {
  const w = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  };
  w('manage.py', "import os\nimport sys\n\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n");
  w('mysite/__init__.py', '');
  w('mysite/settings.py', settings);
  w('mysite/wsgi.py', "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\napplication = get_wsgi_application()\n");
  w('requirements.txt', 'django==5.2\ndjangorestframework==3.15.2\ngunicorn\n');
  // apps of 10 modules each: models, views, serializers, urls, admin, tests, migrations...
  const kinds = ['models', 'views', 'serializers', 'urls', 'admin', 'apps', 'forms', 'tasks', 'utils', 'signals'];
  let n = 0;
  for (let app = 0; n < pyFiles; app++) {
    for (const k of kinds) {
      if (n >= pyFiles) break;
      const lines: string[] = [`"""${k} of app${app}."""`, 'from django.db import models', 'from rest_framework import viewsets, permissions, serializers', ''];
      for (let c = 0; c < 8; c++) {
        lines.push(`class Thing${c}${k[0].toUpperCase()}(models.Model):`, `    name = models.CharField(max_length=${50 + c})`, `    created = models.DateTimeField(auto_now_add=True)`, '', `    def __str__(self):`, `        return f"{self.name} #{self.pk}"`, '');
        lines.push(`def helper_${c}(request, pk=None):`, `    items = Thing${c}${k[0].toUpperCase()}.objects.filter(name__icontains=request.GET.get("q", ""))`, `    return [i.name for i in items[:${10 + c}]]`, '');
      }
      w(`app${app}/${k}.py`, lines.join('\n') + '\n');
      n++;
    }
    if (n < pyFiles) {
      w(`app${app}/__init__.py`, '');
      n++;
    }
  }
}

async function typingLatency(s: Session, uri: string, text: string, edits: number): Promise<{ server: number[]; work: number[]; analysis: number[]; publish: number[]; change: number[]; wait: number[]; client: number[] }> {
  const anchor = text.indexOf('TIMEOUT_7 = ');
  if (anchor < 0) throw new Error('anchor not found');
  const before = text.slice(0, anchor + 12);
  const line = before.split('\n').length - 1;
  const character = anchor + 12 - before.lastIndexOf('\n') - 1;
  const client: number[] = [];
  let version = 1;
  const seen = (await s.stats()).timings.length;
  for (let i = 0; i < edits + WARMUP; i++) {
    version++;
    const arrived = s.diagnosticsFor(uri, version);
    const t0 = performance.now();
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: String(i % 10) }],
    });
    const t1 = await arrived;
    if (i >= WARMUP) client.push(t1 - t0);
  }
  const timings: AnalysisTiming[] = (await s.stats()).timings.slice(seen).slice(-edits);
  return { server: timings.map((t) => t.totalMs + t.changeMs), work: timings.map((t) => t.changeMs + t.analysisMs + t.publishMs), analysis: timings.map((t) => t.analysisMs), publish: timings.map((t) => t.publishMs), change: timings.map((t) => t.changeMs), wait: timings.map((t) => t.waitedMs), client };
}

async function main(): Promise<void> {
  const serverJs = await bundleServer('lsp-server');
  const settings = generateSettings(1000);
  console.log(`settings module: ${settings.split('\n').length} lines, ${(settings.length / 1024).toFixed(1)} KB; ${os.cpus().length} CPUs, node ${process.version}`);

  // 1. a small project: just the settings module
  {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-bench-lsp-'));
    writeProject(dir, settings, 0);
    const s = new Session(serverJs);
    try {
      await s.initialize(dir);
      const uri = pathToFileURL(path.join(dir, 'mysite', 'settings.py')).href;
      const first = s.diagnosticsFor(uri, 1);
      const t0 = performance.now();
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: settings } });
      await first;
      console.log(`open -> first diagnostics (cold):        ${(performance.now() - t0).toFixed(1)} ms`);
      const r = await typingLatency(s, uri, settings, EDITS);
      console.log(`\n## keystroke -> publishDiagnostics, 1,000-line settings module (debounce 0)`);
      console.log(`server side (didChange received -> sent): ${fmt(r.server)}`);
      console.log(`  of which work (edit + analysis + publish): ${fmt(r.work)}`);
      console.log(`client round trip (stdio, JSON both ways): ${fmt(r.client)}`);
      console.log(`  analysis ${fmt(r.analysis)}\n  publish ${fmt(r.publish)}\n  didChange ${fmt(r.change)}\n  wait ${fmt(r.wait)}`);
      const st = await s.stats();
      console.log(`memory after GC: RSS ${mb(st.rss)}, heap used ${mb(st.heapUsed)}, external ${mb(st.external)}`);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // 2. a 2,000-file workspace, with today's rules, then with a synthetic code rule too
  await workspaceBench(serverJs, 'today\'s rules (settings rules only: Python files are listed, not parsed)');
  await workspaceBench(await bundleServer('lsp-server-code-rule', CODE_RULE_SERVER), 'plus a synthetic code rule (every Python file parsed and queried)');
}

async function workspaceBench(serverJs: string, label: string): Promise<void> {
  const settings = generateSettings(1000);
  {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-bench-lsp-ws-'));
    writeProject(dir, settings, FILES);
    const s = new Session(serverJs);
    try {
      const base = await (async () => {
        await s.initialize(dir);
        return s.stats();
      })();
      const uri = pathToFileURL(path.join(dir, 'mysite', 'settings.py')).href;
      const first = s.diagnosticsFor(uri, 1);
      const t0 = performance.now();
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: settings } });
      await first;
      const cold = performance.now() - t0;
      const st = await s.stats();
      const folder = st.folders[0];
      console.log(`\n## workspace of ${folder?.pythonFiles ?? '?'} Python files, ${label}`);
      console.log(`open -> first diagnostics (cold, full analysis): ${cold.toFixed(1)} ms`);
      console.log(`memory after initialize: RSS ${mb(base.rss)}, heap used ${mb(base.heapUsed)}`);
      console.log(`memory after analysis (GC): RSS ${mb(st.rss)}, heap used ${mb(st.heapUsed)}, heap total ${mb(st.heapTotal)}, external ${mb(st.external)}`);
      const r = await typingLatency(s, uri, settings, Math.min(EDITS, 60));
      console.log(`keystroke server side: ${fmt(r.server)}`);
      console.log(`  of which work:       ${fmt(r.work)}`);
      console.log(`client round trip:     ${fmt(r.client)}`);
      console.log(`  analysis ${fmt(r.analysis)}\n  publish ${fmt(r.publish)}\n  didChange ${fmt(r.change)}\n  wait ${fmt(r.wait)}`);
      const st2 = await s.stats();
      console.log(`memory after typing (GC): RSS ${mb(st2.rss)}, heap used ${mb(st2.heapUsed)}, external ${mb(st2.external)}`);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
