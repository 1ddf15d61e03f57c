/**
 * Protocol hygiene (issue 17, point 9): the LSP lifecycle as the specification requires it
 * (requests before `initialize` answered with ServerNotInitialized, after `shutdown` with
 * InvalidRequest, notifications dropped then, `initialize` only once); a didChange whose range
 * lies outside the document is rejected with a log line instead of being applied clamped; a
 * workspace folder deleted while it is scanned is logged and its diagnostics withdrawn.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createConnection, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { attachServer } from '../../server/src/lsp/connection';
import { ready } from '../helpers/fixtures';
import { codesOf, TestClient, tempProject, uriOf } from '../helpers/lsp';

/** A bare connection to an in-process server (no initialize sent). */
function bare(): { conn: MessageConnection; published: string[]; diags: Map<string, { codes: string[]; version?: number }>; logs: string[]; close: () => void } {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = attachServer(createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)), { debounceMs: 5 });
  const conn = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const published: string[] = [];
  const diags = new Map<string, { codes: string[]; version?: number }>();
  const logs: string[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: { code?: string }[] }) => {
    published.push(p.uri);
    diags.set(p.uri, { codes: p.diagnostics.map((d) => String(d.code)), version: p.version });
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.onRequest(() => null);
  conn.listen();
  return {
    conn,
    published,
    diags,
    logs,
    close: () => {
      server.dispose();
      conn.dispose();
      up.end();
      down.end();
    },
  };
}

async function errorCode(p: Promise<unknown>): Promise<number | string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as { code?: number }).code ?? 'no code';
  }
}

const HOVER = { textDocument: { uri: 'file:///nowhere/settings.py' }, position: { line: 0, character: 0 } };

describe('LSP lifecycle and hygiene', () => {
  let root: string;
  before(async () => {
    await ready();
    root = tempProject('tutorial');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('requests before initialize: ServerNotInitialized (-32002); notifications dropped; initialize only once', async () => {
    const b = bare();
    try {
      assert.equal(await errorCode(b.conn.sendRequest('textDocument/hover', HOVER)), -32002);
      assert.equal(await errorCode(b.conn.sendRequest('textDocument/codeAction', { textDocument: HOVER.textDocument, range: { start: HOVER.position, end: HOVER.position }, context: { diagnostics: [] } })), -32002);
      assert.equal(await errorCode(b.conn.sendRequest('djangoReadiness/getStatus', {})), -32002);
      assert.equal(await errorCode(b.conn.sendRequest('djangoReadiness/checklist', {})), -32002);
      assert.equal(await errorCode(b.conn.sendRequest('shutdown')), -32002);
      // a document opened before initialize is not known afterwards: the folder's scan publishes
      // settings.py as it is on disk (DEBUG = True), not the text opened too early (DEBUG = False)
      const settings = path.join(root, 'mysite', 'settings.py');
      const uri = uriOf(settings);
      const edited = fs.readFileSync(settings, 'utf8').replace('DEBUG = True', 'DEBUG = False');
      await b.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 7, text: edited } });
      const rootUri = uriOf(root);
      await b.conn.sendRequest('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'p' }], capabilities: {} });
      assert.equal(await errorCode(b.conn.sendRequest('initialize', { processId: null, rootUri, capabilities: {} })), -32600);
      await b.conn.sendNotification('initialized', {});
      const wait = async (pred: () => boolean, what: string) => {
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline && !pred()) await new Promise((r) => setTimeout(r, 20));
        assert.ok(pred(), what);
      };
      await wait(() => !!b.diags.get(uri)?.codes.includes('DJR201'), 'settings.py is analysed from the disk (DEBUG = True)');
      assert.notEqual(b.diags.get(uri)?.version, 7, 'the document opened before initialize was taken as open');
      // opened now, it is the editor's text that counts
      await b.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 8, text: edited } });
      await wait(() => b.diags.get(uri)?.version === 8 && !b.diags.get(uri)!.codes.includes('DJR201'), 'the document opened after initialize is analysed');
    } finally {
      b.close();
    }
  });

  test('after shutdown: InvalidRequest (-32600); notifications dropped', async () => {
    const b = bare();
    try {
      const rootUri = uriOf(root);
      await b.conn.sendRequest('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'p' }], capabilities: {} });
      await b.conn.sendNotification('initialized', {});
      assert.equal(await b.conn.sendRequest('textDocument/hover', HOVER), null);
      await b.conn.sendRequest('shutdown');
      assert.equal(await errorCode(b.conn.sendRequest('textDocument/hover', HOVER)), -32600);
      assert.equal(await errorCode(b.conn.sendRequest('djangoReadiness/getStatus', {})), -32600);
      assert.equal(await errorCode(b.conn.sendRequest('shutdown')), -32600);
      // nothing is published after shutdown, not even for a document opened then
      const n = b.published.length;
      const settings = path.join(root, 'mysite', 'settings.py');
      await b.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(settings), languageId: 'python', version: 1, text: fs.readFileSync(settings, 'utf8').replace('DEBUG = True', 'DEBUG = False') } });
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(b.published.slice(n), []);
    } finally {
      b.close();
    }
  });

  test('a didChange with a range outside the document is rejected with a log line, not applied clamped', async () => {
    const client = new TestClient({ root, server: { debounceMs: 5 } });
    try {
      await client.initialize();
      const file = path.join(root, 'mysite', 'settings.py');
      const text = fs.readFileSync(file, 'utf8');
      const uri = await client.open(file, text);
      await client.waitFor(uri, (d) => codesOf(d).includes('DJR201'), 10_000);
      const line = text.split('\n').findIndex((l) => l.startsWith('DEBUG = True'));
      // past the end: rejected (the client keeps its text too, as a misbehaving client would not)
      await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 9999, character: 0 }, end: { line: 9999, character: 3 } }, text: 'x = 1\n' }] });
      await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 2, character: 5 }, end: { line: 1, character: 0 } }, text: '' }] });
      await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }] });
      // a valid edit computed on the original text still lands where it should
      await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 5 }, contentChanges: [{ range: { start: { line, character: 8 }, end: { line, character: 12 } }, text: 'False' }] });
      await client.waitFor(uri, (d, p) => p.version === 5 && !codesOf(d).includes('DJR201'), 10_000);
      const rejected = client.logs.filter((l) => /didChange of .*settings\.py .*rejected/.test(l));
      assert.equal(rejected.length, 3, client.logs.join('\n'));
      assert.match(rejected[0], /lies outside the document/);
      assert.match(rejected[1], /starts after it ends/);
    } finally {
      await client.dispose();
    }
  });

  test('a workspace folder deleted while it is scanned: logged, its diagnostics withdrawn', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-gone-')));
    const ws = path.join(dir, 'ws');
    fs.cpSync(root, ws, { recursive: true });
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(ws, 'snippets', `extra_${i}.py`), `from django.db import connection\n\ndef v${i}(request):\n    connection.cursor().execute(f"SELECT {request.GET['q']}")\n`);
    // worker threads from the first file on: the scan runs in the background
    const client = new TestClient({ root: ws, server: { debounceMs: 5, workers: 1, parallelMinFiles: 1 } });
    try {
      await client.initialize();
      await client.waitForNotification('djangoReadiness/status', () => true, 15_000).catch(() => undefined);
      fs.rmSync(ws, { recursive: true, force: true });
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(ws), type: 3 }] });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !client.logs.some((l) => /was deleted/.test(l))) await new Promise((r) => setTimeout(r, 50));
      const line = client.logs.find((l) => /was deleted/.test(l));
      assert.match(line ?? '', new RegExp(`The workspace folder ${ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was deleted (while it was being scanned|since it was opened)`), client.logs.join('\n'));
    } finally {
      await client.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
