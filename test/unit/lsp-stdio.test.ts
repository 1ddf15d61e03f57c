/**
 * A plain LSP client (no VS Code) talking to `django-readiness server --stdio`, the built CLI
 * bundle, as Neovim, Helix or Zed would.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { fixturesRoot, repoRoot } from '../helpers/fixtures';

interface Diag { code?: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity?: number; codeDescription?: { href: string }; message: string }
interface TextEdit { range: Diag['range']; newText: string }
interface Action { title: string; kind?: string; isPreferred?: boolean; edit?: { changes?: Record<string, TextEdit[]>; documentChanges?: { textDocument: { uri: string }; edits: TextEdit[] }[] } }

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

function editsFor(a: Action, uri: string): TextEdit[] {
  if (a.edit?.changes?.[uri]) return a.edit.changes[uri];
  return (a.edit?.documentChanges ?? []).filter((d) => d.textDocument?.uri === uri).flatMap((d) => d.edits);
}

describe('language server over stdio (plain LSP client)', () => {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  let dir: string;
  let proc: ChildProcess;
  let conn: MessageConnection;
  const published = new Map<string, Diag[][]>();
  let uri: string;
  let version = 1;
  let text: string;

  async function waitFor(pred: (d: Diag[]) => boolean, ms: number): Promise<Diag[]> {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      const all = published.get(uri) ?? [];
      const last = all[all.length - 1];
      if (last && pred(last)) return last;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out; last diagnostics: ${JSON.stringify((published.get(uri) ?? []).slice(-1)[0]?.map((d) => d.code))}`);
  }

  before(async () => {
    assert.ok(fs.existsSync(cli), 'dist/cli.js missing: run npm run build');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-stdio-'));
    fs.cpSync(path.join(fixturesRoot, 'projects', 'tutorial'), dir, { recursive: true });
    proc = spawn(process.execPath, [cli, 'server', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) => {
      const list = published.get(p.uri) ?? [];
      list.push(p.diagnostics);
      published.set(p.uri, list);
    });
    conn.onRequest(() => null);
    conn.listen();
    const rootUri = pathToFileURL(dir).href;
    await conn.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'tutorial' }], capabilities: { textDocument: { publishDiagnostics: {}, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } }, workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } } });
    conn.sendNotification('initialized', {});
    const file = path.join(dir, 'mysite', 'settings.py');
    uri = pathToFileURL(file).href;
    text = fs.readFileSync(file, 'utf8');
  });

  after(async () => {
    const exited = new Promise((r) => proc.once('exit', r));
    try {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    conn.dispose();
    proc.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('opening settings.py publishes DJR101 with a documentation link within 1 s', async () => {
    const t0 = Date.now();
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
    const diags = await waitFor((d) => d.some((x) => x.code === 'DJR101'), 5000);
    assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
    const d = diags.find((x) => x.code === 'DJR101')!;
    assert.match(d.codeDescription?.href ?? '', /DJR101/);
    assert.ok(!d.message.includes('^8w!f3c@2b'), 'the secret must be masked');
  });

  test('at least two quick fixes for DJR101; the preferred one removes the literal; DJR101 disappears', async () => {
    const diags = await waitFor((d) => d.some((x) => x.code === 'DJR101'), 2000);
    const d = diags.find((x) => x.code === 'DJR101')!;
    const actions = (await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } })) as Action[];
    const quick = actions.filter((a) => a.kind === 'quickfix' || a.kind === undefined);
    assert.ok(quick.length >= 2, quick.map((a) => a.title).join(' | '));
    const preferred = quick.find((a) => a.isPreferred && editsFor(a, uri).length > 0) ?? quick.find((a) => editsFor(a, uri).length > 0 && /SECRET_KEY/.test(a.title))!;
    text = applyEdits(text, editsFor(preferred, uri));
    assert.ok(!text.includes('django-insecure-^8w'), 'the literal is still there');
    version++;
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    await waitFor((x) => !x.some((y) => y.code === 'DJR101') && x.length > 0, 3000);
  });

  test('a source.fixAll action exists', async () => {
    const actions = (await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } })) as Action[];
    assert.ok(actions.some((a) => (a.kind ?? '').startsWith('source.fixAll')), JSON.stringify(actions.map((a) => a.kind)));
  });

  test('an unclosed [ above INSTALLED_APPS does not hide the warnings below it', async () => {
    const at = text.indexOf('INSTALLED_APPS = [');
    text = text.slice(0, at) + 'EXTRA_APPS = [\n    "x",\n\n' + text.slice(at);
    version++;
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    const line = text.slice(0, text.indexOf('DATABASES = {')).split('\n').length - 1;
    // DJR701 (SQLite) sits below the broken statement: it must be reported at its new line.
    const diags = await waitFor((d) => d.some((x) => x.code === 'DJR701' && x.range.start.line >= line), 3000);
    assert.ok(diags.some((x) => x.code === 'DJR201'), 'DEBUG = True (above the break) is still reported');
  });
});
