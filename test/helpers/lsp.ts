/**
 * An in-process language client for the LSP tests: the server runs on one end of a pair of
 * in-memory streams, a vscode-jsonrpc connection plays the editor on the other. It keeps the
 * open documents' texts, answers workspace/configuration from `settings`, applies
 * WorkspaceEdits (as the editor would, then sending didChange) and collects diagnostics.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeActionParams, Diagnostic, Hover, InitializeResult, PublishDiagnosticsParams, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { createConnection, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { attachServer } from '../../server/src/lsp/connection';
import type { DjangoReadinessServer, ServerOptions } from '../../server/src/lsp/server';
import type { DjangoReadinessSettings } from '../../server/src/protocol/settings';
import { LineIndex } from '../../server/src/engine/text';

export const fixturesRoot = path.resolve(__dirname, '..', 'fixtures');

/** Applies non-overlapping LSP text edits (any order) to a text, as an editor would. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const li = new LineIndex(text);
  const sorted = edits.map((e, i) => ({ s: li.offsetAt(e.range.start), e: li.offsetAt(e.range.end), t: e.newText, i })).sort((x, y) => x.s - y.s || x.e - y.e || x.i - y.i);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.s < pos) throw new Error('overlapping edits');
    out += text.slice(pos, e.s) + e.t;
    pos = e.e;
  }
  return out + text.slice(pos);
}

export function uriOf(p: string): string {
  return pathToFileURL(p).href;
}

/** Copies a fixture project (test/fixtures/projects/NAME) to a fresh temporary folder. */
export function tempProject(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `djr-lsp-${name}-`));
  fs.cpSync(path.join(fixturesRoot, 'projects', name), dir, { recursive: true });
  return fs.realpathSync(dir);
}

export interface ClientOptions {
  root: string;
  settings?: DjangoReadinessSettings;
  server?: ServerOptions;
  /** Capabilities (defaults: what VS Code announces for the parts the server uses). */
  documentChanges?: boolean;
  resolveSupport?: boolean;
  watchers?: boolean;
}

export class TestClient {
  readonly conn: MessageConnection;
  readonly server: DjangoReadinessServer;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly logs: string[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly docs = new Map<string, { text: string; version: number; languageId: string }>();
  /** The workspace/applyEdit requests the server sent. */
  readonly appliedEdits: { label?: string; edit: WorkspaceEdit }[] = [];
  settings: DjangoReadinessSettings;
  private waiters: (() => void)[] = [];
  private readonly up = new PassThrough();
  private readonly down = new PassThrough();

  constructor(readonly opts: ClientOptions) {
    this.settings = opts.settings ?? {};
    const serverConn = createConnection(new StreamMessageReader(this.up), new StreamMessageWriter(this.down));
    this.server = attachServer(serverConn, opts.server ?? { debounceMs: 20 });
    this.conn = createMessageConnection(new StreamMessageReader(this.down), new StreamMessageWriter(this.up));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.wake();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.conn.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    // the server asks the editor to apply an edit (the checklist's "Apply fix"): applied like the editor would
    this.conn.onRequest('workspace/applyEdit', async (p: { label?: string; edit: WorkspaceEdit }) => {
      this.appliedEdits.push(p);
      try {
        await this.apply(p.edit);
        return { applied: true };
      } catch (e) {
        return { applied: false, failureReason: (e as Error).message };
      }
    });
    this.conn.listen();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async initialize(): Promise<InitializeResult> {
    const root = this.opts.root;
    const res = (await this.conn.sendRequest('initialize', {
      processId: null,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: this.opts.watchers ?? true },
          workspaceEdit: { documentChanges: this.opts.documentChanges ?? true, resourceOperations: ['create', 'rename', 'delete'] },
          workspaceFolders: true,
        },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true, tagSupport: { valueSet: [1, 2] } },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
            dataSupport: true,
            resolveSupport: { properties: this.opts.resolveSupport === false ? [] : ['edit'] },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    })) as InitializeResult;
    await this.conn.sendNotification('initialized', {});
    return res;
  }

  async open(file: string, text = fs.readFileSync(file, 'utf8'), languageId = 'python'): Promise<string> {
    const uri = uriOf(file);
    this.docs.set(uri, { text, version: 1, languageId });
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Applies text edits to an open document and sends them as incremental changes. */
  async edit(uri: string, edits: TextEdit[]): Promise<void> {
    const d = this.docs.get(uri);
    if (!d) throw new Error(`not open: ${uri}`);
    // send in reverse document order so earlier ranges stay valid (insertions at one point: the
    // last one first, so they end up in the order given, as LSP specifies)
    const sorted = edits
      .map((e, i) => ({ e, i }))
      .sort((a, b) => b.e.range.start.line - a.e.range.start.line || b.e.range.start.character - a.e.range.start.character || b.i - a.i)
      .map((x) => x.e);
    let text = d.text;
    for (const e of sorted) text = applyEdits(text, [e]);
    d.text = text;
    d.version++;
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: d.version }, contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })) });
  }

  async replaceAll(uri: string, text: string): Promise<void> {
    const d = this.docs.get(uri);
    if (!d) throw new Error(`not open: ${uri}`);
    d.text = text;
    d.version++;
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: d.version }, contentChanges: [{ text }] });
  }

  /** Applies a WorkspaceEdit like the editor: open documents get didChange, others are written. */
  async apply(edit: WorkspaceEdit): Promise<void> {
    const perUri = new Map<string, TextEdit[]>();
    const add = (uri: string, edits: TextEdit[]) => perUri.set(uri, [...(perUri.get(uri) ?? []), ...edits]);
    for (const dc of edit.documentChanges ?? []) {
      if ('kind' in dc) {
        if (dc.kind === 'create') {
          const p = new URL(dc.uri).pathname;
          if (!fs.existsSync(p)) fs.writeFileSync(p, '');
        }
        continue;
      }
      const tde = dc as TextDocumentEdit;
      const d = this.docs.get(tde.textDocument.uri);
      if (d && tde.textDocument.version !== null && tde.textDocument.version !== d.version) throw new Error(`stale edit: version ${tde.textDocument.version}, document at ${d.version}`);
      add(tde.textDocument.uri, tde.edits as TextEdit[]);
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) add(uri, edits);
    for (const [uri, edits] of perUri) {
      if (this.docs.has(uri)) await this.edit(uri, edits);
      else {
        const p = new URL(uri).pathname;
        const before = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '';
        fs.writeFileSync(p, applyEdits(before, edits));
        await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: before ? 2 : 1 }] });
      }
    }
  }

  text(uri: string): string {
    return this.docs.get(uri)?.text ?? '';
  }

  /** Waits until the diagnostics of `uri` satisfy `pred` (checks the current ones first). */
  async waitFor(uri: string, pred: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean, timeoutMs = 3000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.diagnostics.get(uri);
      if (p && pred(p.diagnostics, p)) return p.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for diagnostics of ${uri}; last: ${JSON.stringify(p?.diagnostics.map((d) => `${d.code}@${d.range.start.line}`))} v${p?.version}; logs: ${this.logs.join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the diagnostics of the document's current version. */
  waitForCurrent(uri: string, pred: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 3000): Promise<Diagnostic[]> {
    return this.waitFor(uri, (d, p) => p.version === this.docs.get(uri)?.version && pred(d), timeoutMs);
  }

  async waitForNotification(method: string, pred: (p: unknown) => boolean = () => true, timeoutMs = 3000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = [...this.notifications].reverse().find((n) => n.method === method && pred(n.params));
      if (hit) return hit.params;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${method}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = [], only?: string[], triggerKind: 1 | 2 = 1): Promise<CodeAction[]> {
    const params: CodeActionParams = { textDocument: { uri }, range, context: { diagnostics, only, triggerKind } };
    return this.conn.sendRequest('textDocument/codeAction', params) as Promise<CodeAction[]>;
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.conn.sendRequest('codeAction/resolve', action) as Promise<CodeAction>;
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } }) as Promise<Hover | null>;
  }

  async changeSettings(settings: DjangoReadinessSettings): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  async dispose(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
    } catch {
      /* already gone */
    }
    this.server.dispose();
    this.conn.dispose();
    this.up.end();
    this.down.end();
  }
}

export function codesOf(d: Diagnostic[]): string[] {
  return d.map((x) => String(x.code));
}

/** A diagnostic's message as text (LSP 3.18 also allows MarkupContent). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
