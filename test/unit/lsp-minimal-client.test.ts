/**
 * Other clients (issue 17, point 10): the server driven by a minimal client that announces none
 * of the optional capabilities (no workspace/configuration, no workspaceEdit.documentChanges nor
 * file creation, no dynamic registration), as a bare Neovim or a hand-written client would be:
 *
 *  - settings come from initializationOptions, then from workspace/didChangeConfiguration;
 *  - a fix that creates a file (Move SECRET_KEY to .env) is offered as the server command, which
 *    creates the file and sends the text edits with workspace/applyEdit (a plain `changes` map);
 *  - fixes that only edit existing files stay plain WorkspaceEdits;
 *  - fix-all leaves out the fixes that create a file, and says so in the log.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createConnection, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { applyEdits } from '../../server/src/engine/fix';
import { LineIndex } from '../../server/src/engine/text';
import { attachServer } from '../../server/src/lsp/connection';
import { SERVER_APPLY_FIX_COMMAND } from '../../server/src/protocol/messages';
import { ready } from '../helpers/fixtures';
import { tempProject, uriOf } from '../helpers/lsp';

interface Diag {
  code?: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
}
interface TextEdit {
  range: Diag['range'];
  newText: string;
}
interface Action {
  title: string;
  edit?: { changes?: Record<string, TextEdit[]>; documentChanges?: unknown[] };
  command?: { command: string; arguments?: unknown[] };
}

/** Applies LSP text edits to a text (as an editor would). */
function applyLsp(text: string, edits: TextEdit[]): string {
  const li = new LineIndex(text);
  const engine = edits.map((e) => ({ file: '', start: li.offsetAt(e.range.start), end: li.offsetAt(e.range.end), newText: e.newText })).sort((a, b) => a.start - b.start);
  return applyEdits(text, engine);
}

describe('a minimal LSP client (no workspace/configuration, no documentChanges, no dynamic registration)', () => {
  let root: string;
  let conn: MessageConnection;
  let close: () => void;
  const published = new Map<string, Diag[]>();
  const applied: unknown[] = [];
  const logs: string[] = [];
  const open = new Map<string, { text: string; version: number }>();

  before(async () => {
    await ready();
    root = tempProject('tutorial');
    const up = new PassThrough();
    const down = new PassThrough();
    const server = attachServer(createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)), { debounceMs: 5 });
    conn = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) => {
      published.set(p.uri, p.diagnostics);
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      logs.push(p.message);
    });
    // workspace/applyEdit with a `changes` map only: edit open documents (didChange), write the others
    conn.onRequest('workspace/applyEdit', async (p: { edit: { changes?: Record<string, TextEdit[]>; documentChanges?: unknown } }) => {
      applied.push(p.edit);
      if (p.edit.documentChanges) return { applied: false, failureReason: 'documentChanges not supported' };
      for (const [uri, edits] of Object.entries(p.edit.changes ?? {})) {
        const file = fileURLToPath(uri);
        const doc = open.get(uri);
        if (doc) {
          doc.text = applyLsp(doc.text, edits);
          doc.version++;
          await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: [{ text: doc.text }] });
        } else {
          if (!fs.existsSync(file)) return { applied: false, failureReason: `${file} does not exist (this client cannot create files)` };
          fs.writeFileSync(file, applyLsp(fs.readFileSync(file, 'utf8'), edits));
        }
      }
      return { applied: true };
    });
    conn.onRequest(() => null);
    conn.listen();
    close = () => {
      server.dispose();
      conn.dispose();
      up.end();
      down.end();
    };
    const rootUri = uriOf(root);
    const init = (await conn.sendRequest('initialize', {
      processId: null,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'tutorial' }],
      capabilities: { textDocument: { publishDiagnostics: {}, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } } },
      initializationOptions: { settings: { rules: { ignore: ['DJR909'] } } },
    })) as { capabilities: { executeCommandProvider?: { commands: string[] } } };
    assert.deepEqual(init.capabilities.executeCommandProvider?.commands, [SERVER_APPLY_FIX_COMMAND]);
    await conn.sendNotification('initialized', {});
  });

  after(() => {
    close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function waitFor(uri: string, pred: (d: Diag[]) => boolean): Promise<Diag[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const d = published.get(uri);
      if (d && pred(d)) return d;
      if (Date.now() > deadline) throw new Error(`timeout; last: ${JSON.stringify(d?.map((x) => x.code))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const settingsFile = () => path.join(root, 'mysite', 'settings.py');

  test('settings from initializationOptions, then from didChangeConfiguration', async () => {
    const uri = uriOf(settingsFile());
    const text = fs.readFileSync(settingsFile(), 'utf8');
    open.set(uri, { text, version: 1 });
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const d = await waitFor(uri, (x) => x.some((y) => y.code === 'DJR101'));
    assert.ok(!d.some((x) => x.code === 'DJR909'), 'DJR909 is ignored by initializationOptions');
    assert.ok(d.some((x) => x.code === 'DJR201'));
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { djangoReadiness: { rules: { ignore: ['DJR909', 'DJR201'] } } } });
    await waitFor(uri, (x) => x.some((y) => y.code === 'DJR101') && !x.some((y) => y.code === 'DJR201'));
  });

  test('a fix that creates .env is the server command; running it creates the file and applies the edits through workspace/applyEdit', async () => {
    const uri = uriOf(settingsFile());
    const d = (await waitFor(uri, (x) => x.some((y) => y.code === 'DJR101'))).find((x) => x.code === 'DJR101')!;
    const actions = (await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as Action[];
    const move = actions.find((a) => /^Move SECRET_KEY to \.env/.test(a.title));
    assert.ok(move?.command, JSON.stringify(actions.map((a) => [a.title, !!a.edit, a.command?.command])));
    assert.equal(move.command.command, SERVER_APPLY_FIX_COMMAND);
    // an edit of the open file alone stays a plain WorkspaceEdit
    const ignore = actions.find((a) => a.title.startsWith('Disable DJR101 for this line'));
    assert.ok(ignore?.edit?.changes && !ignore.edit.documentChanges);
    const before = open.get(uri)!.text;
    const key = /SECRET_KEY = '([^']+)'/.exec(before)?.[1];
    assert.ok(key);
    const r = (await conn.sendRequest('workspace/executeCommand', { command: move.command.command, arguments: move.command.arguments })) as { applied: boolean; message?: string };
    assert.equal(r.applied, true, r.message);
    assert.ok(applied.length > 0 && applied.every((e) => !(e as { documentChanges?: unknown }).documentChanges));
    assert.ok(!open.get(uri)!.text.includes(key), 'the literal is still in settings.py');
    assert.ok(fs.readFileSync(path.join(root, '.env'), 'utf8').includes(`DJANGO_SECRET_KEY='${key}'`), 'the key is not in .env');
  });

  test('fix-all leaves out a fix that creates a file, with a log line saying why and what to do', async () => {
    // DJR912 (safe) writes .github/dependabot.yml: a file this client cannot create in an edit
    const req = path.join(root, 'requirements.txt');
    const uri = uriOf(req);
    const actions = (await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } })) as Action[];
    for (const a of actions) assert.ok(!JSON.stringify(a.edit ?? {}).includes('dependabot'), JSON.stringify(a));
    assert.equal(fs.existsSync(path.join(root, '.github', 'dependabot.yml')), false);
    const line = logs.find((l) => /^Fix-all left out 1 fix that creates a file \(Write \.github\/dependabot\.yml/.test(l));
    assert.ok(line, logs.join('\n'));
    assert.match(line, new RegExp(SERVER_APPLY_FIX_COMMAND.replace(/\./g, '\\.')));
  });
});
