/**
 * The parts of the language server on their own, without a connection: a fake ServerHost, an
 * in-memory disk, and the folders, scheduler, publisher and fixes wired by hand.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { PublishDiagnosticsParams, WorkspaceEdit } from 'vscode-languageserver';
import { allRules } from '../../rules/index.generated';
import { MemoryFileSystem } from '../../server/src/engine';
import { ServerContext, type ServerHost } from '../../server/src/lsp/context';
import { Fixes } from '../../server/src/lsp/fixes';
import { Folders } from '../../server/src/lsp/folders';
import { Publisher } from '../../server/src/lsp/publisher';
import { Scheduler } from '../../server/src/lsp/scheduler';
import { pathToUri } from '../../server/src/lsp/uri';
import { ready } from '../helpers/fixtures';

function fakeHost(): ServerHost & { published: PublishDiagnosticsParams[]; applied: WorkspaceEdit[] } {
  const published: PublishDiagnosticsParams[] = [];
  const applied: WorkspaceEdit[] = [];
  return {
    published,
    applied,
    publishDiagnostics: (p) => void published.push(p),
    sendNotification: () => undefined,
    getConfiguration: async () => [],
    registerFileWatchers: async () => undefined,
    registerConfigurationChange: async () => undefined,
    applyEdit: async (_label, edit) => {
      applied.push(edit);
      return { applied: true };
    },
    log: () => undefined,
  };
}

describe('language server parts, wired by hand', () => {
  before(ready);

  test('folders + scheduler + publisher: a change is debounced, analysed and published; fixes answer from the same state', async () => {
    const disk = new MemoryFileSystem({ '/ws/manage.py': '', '/ws/requirements.txt': 'Django==5.2.1\n', '/ws/mysite/__init__.py': '', '/ws/mysite/settings.py': "DEBUG = True\nSECURE_BROWSER_XSS_FILTER = True\nSECRET_KEY = 'django-insecure-0123456789abcdefghijklmnopqrstuvwxyz'\n" });
    const host = fakeHost();
    const ctx = new ServerContext(host, allRules, disk);
    ctx.caps = { workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } };
    const late: { scheduler?: Scheduler } = {};
    const folders = new Folders(ctx, { settingsChanged: (f) => late.scheduler?.touch(f, 'config'), removed: () => undefined });
    const publisher = new Publisher(ctx, folders);
    const scheduler = (late.scheduler = new Scheduler(ctx, folders, publisher, { debounceMs: 5, workers: 0, registry: allRules }));
    scheduler.parserReady = true;
    const f = folders.add(pathToUri('/ws'), 'ws', false);
    assert.ok(f);
    await folders.loadSettings([f]); // no workspace/configuration: the defaults
    await new Promise((r) => setTimeout(r, 50));
    const settings = host.published.find((p) => p.uri === pathToUri('/ws/mysite/settings.py'));
    assert.ok(settings, 'settings.py published');
    assert.ok(settings.diagnostics.some((d) => d.code === 'DJR201'));
    assert.equal(publisher.statusOf(f).counts.error > 0, true);

    const fixes = new Fixes(ctx, folders, scheduler);
    const edit = fixes.fixAllEdit(f, '/ws/mysite/settings.py', false);
    assert.ok(edit?.documentChanges?.length, 'safe fixes for settings.py');
    const secret = f.result?.findings.find((x) => x.code === 'DJR101');
    const move = secret?.fixes.find((x) => x.preferred);
    assert.ok(move);
    const res = await fixes.applyFix({ uri: f.uri, id: move.id });
    assert.equal(res.applied, true, res.message);
    assert.equal(host.applied.length, 1);
  });
});
