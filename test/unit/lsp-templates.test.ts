/**
 * The language server and Django templates, in-process: an open template gets its diagnostics
 * while it is edited, the DJR611 quick fix and fix-all insert the token, the ignore action writes
 * a template comment, hover shows the rule; an .html file outside the template folders gets
 * nothing, and a closed template's findings are published from the workspace analysis.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver';
import { FIX_ALL_KIND } from '../../server/src/protocol/messages';
import { codesOf, tempProject, TestClient, uriOf } from '../helpers/lsp';

describe('language server: Django templates', () => {
  let root: string;
  let client: TestClient;
  let uri: string;

  before(async () => {
    root = tempProject('templates');
    client = new TestClient({ root });
    await client.initialize();
    uri = await client.open(path.join(root, 'templates', 'account', 'delete.html'), undefined, 'django-html');
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an open template gets its diagnostics, with the document version; hover shows the rule', async () => {
    const d = await client.waitForCurrent(uri, (x) => codesOf(x).includes('DJR611'));
    const csrf = d.find((x) => x.code === 'DJR611')!;
    assert.deepEqual(csrf.range.start, { line: 3, character: 2 });
    const h = await client.hover(uri, 3, 5);
    assert.match((h?.contents as MarkupContent).value, /Documentation: \[DJR611 form-without-csrf-token\]/);
  });

  test('a closed template\'s findings come with the workspace analysis (DIRS and app templates/)', async () => {
    const detail = uriOf(path.join(root, 'orders', 'templates', 'orders', 'detail.html'));
    const d = await client.waitFor(detail, (x) => codesOf(x).includes('DJR609'));
    // DJR610 is opt-in: not reported without being asked for
    assert.deepEqual(codesOf(d), ['DJR609']);
  });

  test('typing: a second POST form without a token is reported as it is written, then fixed by the quick fix', async () => {
    const text = client.text(uri);
    const at = text.indexOf('{% endblock %}');
    const li = text.slice(0, at).split('\n');
    const pos = { line: li.length - 1, character: 0 };
    await client.edit(uri, [{ range: { start: pos, end: pos }, newText: '  <form method="post" action="/logout/">\n    <button>Log out</button>\n  </form>\n' }]);
    const d = await client.waitForCurrent(uri, (x) => x.filter((y) => y.code === 'DJR611').length === 2);
    const second = d.filter((x) => x.code === 'DJR611').sort((a, b) => a.range.start.line - b.range.start.line)[1];
    const actions = await client.codeActions(uri, second.range, [second]);
    const fix = actions.find((a) => a.title === 'Add {% csrf_token %} to the form');
    assert.ok(fix?.edit && fix.isPreferred);
    await client.apply(fix.edit);
    assert.match(client.text(uri), /<form method="post" action="\/logout\/">\n {4}\{% csrf_token %\}\n {4}<button>Log out<\/button>/);
    await client.waitForCurrent(uri, (x) => x.filter((y) => y.code === 'DJR611').length === 1);
  });

  test('"Disable DJR611 for this line" writes a template comment, not a # line', async () => {
    const d = (await client.waitForCurrent(uri)).find((x) => x.code === 'DJR611')!;
    const actions = await client.codeActions(uri, d.range, [d]);
    const ignore = actions.find((a) => a.title === 'Disable DJR611 for this line');
    // and for the whole template: a template comment at the top
    const whole = actions.find((a) => a.title === 'Disable DJR611 for this file');
    assert.ok(whole?.edit);
    assert.match(JSON.stringify(whole.edit), /\{# django-readiness: ignore-file\[DJR611\] #\}/);
    assert.ok(ignore?.edit);
    const before = client.text(uri);
    await client.apply(ignore.edit);
    assert.match(client.text(uri), /<form method="post" action="\{% url 'account-delete' %\}"> \{# django-readiness: ignore\[DJR611\] #\}\n/);
    await client.waitForCurrent(uri, (x) => !codesOf(x).includes('DJR611'));
    // back to the unfixed text for the fix-all test
    await client.replaceAll(uri, before);
    await client.waitForCurrent(uri, (x) => codesOf(x).includes('DJR611'));
  });

  test('source.fixAll leaves a template alone (DJR611 changes the page: unsafe); the DJR611 fix-all inserts the token with the form\'s indentation; a second run changes nothing', async () => {
    const safe = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_KIND]);
    assert.deepEqual(safe, [], 'no safe fix in the template');
    const d = (await client.waitForCurrent(uri)).find((x) => x.code === 'DJR611');
    assert.ok(d);
    const quick = await client.codeActions(uri, d.range, [d]);
    const fix = quick.find((a) => a.title === 'Add {% csrf_token %} to the form');
    assert.ok(fix?.edit, quick.map((a) => a.title).join(' | '));
    await client.apply(fix.edit);
    assert.match(client.text(uri), /<form method="post" action="\{% url 'account-delete' %\}">\n {4}\{% csrf_token %\}\n {4}<p>This cannot be undone\.<\/p>/);
    await client.waitForCurrent(uri, (x) => !codesOf(x).includes('DJR611'));
    const again = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_KIND]);
    assert.ok(again.every((a) => !a.edit || (a.edit.documentChanges ?? []).length === 0));
  });

  test('an .html file outside the template folders gets no diagnostics', async () => {
    const demo = await client.open(path.join(root, 'docs', 'demo.html'), undefined, 'html');
    const d = await client.waitForCurrent(demo);
    assert.deepEqual(codesOf(d), []);
  });

  test('opting in to DJR610 from the editor settings reports |safe without a restart', async () => {
    await client.changeSettings({ rules: { severity: { DJR610: 'info' } } });
    const detail = uriOf(path.join(root, 'orders', 'templates', 'orders', 'detail.html'));
    const d = await client.waitFor(detail, (x) => codesOf(x).includes('DJR610'));
    assert.equal(d.find((x) => x.code === 'DJR610')?.severity, 3);
  });
});
