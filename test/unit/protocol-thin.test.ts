/**
 * The thin protocol (issue 13 item 4): the checklist the client gets is the small wire report
 * of protocol/checklist.ts (fixes by id and title, never their edits), and the Markdown report
 * is rendered by the server on request (djangoReadiness/checklistMarkdown), so the client
 * bundles no engine code (layers/allowed-imports, test/unit/layers.test.ts).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CHECKLIST_CHANGED_NOTIFICATION, CHECKLIST_MARKDOWN_REQUEST, CHECKLIST_REQUEST, type ChecklistChangedParams, type ChecklistMarkdownResult, type WireChecklistReport } from '../../server/src/protocol/checklist';
import { repoRoot } from '../helpers/fixtures';
import { tempProject, TestClient, uriOf } from '../helpers/lsp';

describe('thin protocol: the checklist on the wire', () => {
  let root: string;
  let client: TestClient;
  let folder: string;

  before(async () => {
    root = tempProject('tutorial');
    folder = uriOf(root);
    client = new TestClient({ root });
    await client.initialize();
    await client.open(path.join(root, 'mysite', 'settings.py'));
    await client.waitForNotification(CHECKLIST_CHANGED_NOTIFICATION, (x) => (x as ChecklistChangedParams).uri === folder);
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the report carries fixes by id, title and applicability, never their edits', async () => {
    const r = (await client.conn.sendRequest(CHECKLIST_REQUEST, { uri: folder })) as WireChecklistReport;
    const fixes = r.items.flatMap((i) => i.findings.flatMap((f) => f.fixes));
    assert.ok(fixes.length > 0, 'the tutorial has fixable findings');
    for (const x of fixes) {
      assert.deepEqual(Object.keys(x).filter((k) => k !== 'preferred').sort(), ['applicability', 'id', 'title']);
      assert.match(x.id, /^DJR\d{3}@/);
    }
    assert.doesNotMatch(JSON.stringify(r), /"edits"|"newText"/);
    assert.equal(r.root, root);
    assert.ok(r.items.every((i) => typeof i.why === 'string' && Array.isArray(i.ruleRefs)));
  });

  test('djangoReadiness/checklistMarkdown: the server renders the report, links relative to where it will be written', async () => {
    const target = path.join(root, 'docs', 'READINESS.md');
    const res = (await client.conn.sendRequest(CHECKLIST_MARKDOWN_REQUEST, { uri: folder, target })) as ChecklistMarkdownResult;
    assert.match(res.markdown, /^# Production readiness report: /);
    assert.match(res.markdown, /## Summary/);
    assert.match(res.markdown, /\]\(\.\.\/mysite\/settings\.py#L\d+\)/, 'file links relative to docs/');
    const here = (await client.conn.sendRequest(CHECKLIST_MARKDOWN_REQUEST, { uri: folder })) as ChecklistMarkdownResult;
    assert.match(here.markdown, /\]\(mysite\/settings\.py#L\d+\)/);
    assert.equal(await client.conn.sendRequest(CHECKLIST_MARKDOWN_REQUEST, { uri: uriOf(path.join(root, 'nope')) }), null);
  });

  test('the client bundle holds no engine code (no checklist items, no report renderer)', () => {
    const bundle = path.join(repoRoot, 'dist', 'client.js');
    assert.ok(fs.existsSync(bundle), 'dist/client.js: npm test builds it before the unit tests (npm run build)');
    const text = fs.readFileSync(bundle, 'utf8');
    assert.doesNotMatch(text, /Production readiness report/, 'renderMarkdownReport is bundled in the client');
    assert.doesNotMatch(text, /secrets\.secret-key-env/, 'the checklist items are bundled in the client');
  });
});
