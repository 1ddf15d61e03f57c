/**
 * Server robustness: rules that throw (an Error, a string, null), injected into the in-process
 * language server next to the real rules. Each failure becomes exactly one diagnostic per rule
 * per file and one logged error with its stack; the other rules' diagnostics are still
 * published, the server keeps answering, and a rule that stops failing stops being reported.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { allRules } from '../../rules/index.generated';
import { defineRule, type Rule, type RuleMeta } from '../../server/src/engine';
import { codesOf, messageOf, tempProject, TestClient, uriOf } from '../helpers/lsp';

function meta(code: string, name: string, kind: RuleMeta['kind']): RuleMeta {
  return {
    code,
    name,
    category: 'debug',
    severity: 'warning',
    kind,
    seeds: [],
    message: `${name} (test rule)`,
    fix: 'none',
    docs: { what: 'A test rule that throws.', why: 'Robustness tests.', example: '', instead: '', references: [] },
  };
}

/** Throws while the production settings contain the marker comment (so a test can make it stop). */
let settingsThrows = true;

function explodeInSettingsRule(): never {
  throw new Error('settings rule exploded');
}

const THROWING: Rule[] = [
  defineRule({
    meta: meta('DJR991', 'throws-in-settings', 'settings'),
    checkSettings() {
      if (settingsThrows) explodeInSettingsRule();
    },
  }),
  defineRule({
    meta: meta('DJR992', 'throws-in-every-file', 'code'),
    checkFile(ctx) {
      if (ctx.module.text.length >= 0) throw new TypeError(`cannot read ${path.basename(ctx.file.path)}`);
    },
  }),
  defineRule({
    meta: meta('DJR993', 'throws-a-string', 'project'),
    checkProject() {
      throw 'a string, not an Error';
    },
  }),
  defineRule({
    meta: meta('DJR994', 'throws-null', 'settings'),
    checkSettings() {
      throw null;
    },
  }),
];

const failures = (d: Diagnostic[], code: string) => d.filter((x) => x.code === code);

describe('language server: rules that throw', () => {
  let root: string;
  let client: TestClient;
  let settingsUri: string;
  let settingsFile: string;

  before(async () => {
    root = tempProject('tutorial');
    settingsFile = path.join(root, 'mysite', 'settings.py');
    client = new TestClient({ root, server: { debounceMs: 10, rules: [...allRules, ...THROWING] } });
    await client.initialize();
    settingsUri = await client.open(settingsFile);
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('one diagnostic per failed rule per file, next to the other rules’ diagnostics', async () => {
    const d = await client.waitForCurrent(settingsUri, (x) => x.some((y) => y.code === 'DJR991'));
    assert.ok(codesOf(d).includes('DJR101'), 'the real rules still report');
    for (const code of ['DJR991', 'DJR992', 'DJR994']) {
      const f = failures(d, code);
      assert.equal(f.length, 1, `${code}: ${JSON.stringify(f)}`);
      assert.match(messageOf(f[0]), new RegExp(`^${code} \\(.+\\) failed: `));
      assert.equal(f[0].source, 'django-readiness');
    }
    assert.match(messageOf(failures(d, 'DJR991')[0]), /settings rule exploded/);
    assert.match(messageOf(failures(d, 'DJR994')[0]), /failed: null/);
    // the code rule failed in every Python file: one diagnostic in each of them
    for (const rel of ['snippets/views.py', 'snippets/models.py', 'mysite/urls.py']) {
      const other = await client.waitFor(uriOf(path.join(root, rel)), (x) => x.some((y) => y.code === 'DJR992'));
      assert.equal(failures(other, 'DJR992').length, 1, rel);
      assert.match(messageOf(failures(other, 'DJR992')[0]), new RegExp(`cannot read ${path.basename(rel)}`));
    }
    // the project rule fails "on" the project: shown once, on manage.py
    const manage = await client.waitFor(uriOf(path.join(root, 'manage.py')), (x) => x.some((y) => y.code === 'DJR993'));
    assert.equal(failures(manage, 'DJR993').length, 1);
    assert.match(messageOf(failures(manage, 'DJR993')[0]), /a string, not an Error/);
  });

  test('each failure is logged once, as an error with its stack', async () => {
    await client.waitForCurrent(settingsUri, (x) => x.some((y) => y.code === 'DJR991'));
    const logged = () => client.logs.filter((l) => l.includes('DJR991'));
    await waitUntil(() => logged().length > 0);
    assert.match(logged()[0], /explodeInSettingsRule/, 'the stack names the throwing function');
    assert.match(logged()[0], /lsp-robustness\.test\.ts/);
    const views = () => client.logs.filter((l) => l.includes('DJR992') && l.includes('views.py'));
    await waitUntil(() => views().length > 0);
    // re-analysing with the same failures does not log them again
    const before = client.logs.length;
    const text = client.text(settingsUri);
    await client.replaceAll(settingsUri, text + '\n# a comment\n');
    await client.waitForCurrent(settingsUri);
    assert.equal(logged().length, 1);
    assert.equal(views().length, 1);
    assert.ok(client.logs.slice(before).every((l) => !/DJR99\d/.test(l)), client.logs.slice(before).join('\n'));
  });

  test('the server keeps answering, and a rule that stops failing stops being reported', async () => {
    const d = await client.waitForCurrent(settingsUri);
    const f = failures(d, 'DJR101')[0];
    assert.ok(f);
    const hover = await client.hover(settingsUri, f.range.start.line, f.range.start.character + 1);
    assert.ok(hover, 'hover still answered');
    const actions = await client.codeActions(settingsUri, f.range, [f]);
    assert.ok(actions.length > 0, 'code actions still answered');
    settingsThrows = false;
    await client.replaceAll(settingsUri, client.text(settingsUri) + '\n# another edit\n');
    const after = await client.waitForCurrent(settingsUri, (x) => !x.some((y) => y.code === 'DJR991'));
    assert.equal(failures(after, 'DJR994').length, 1, 'the other failing rule is still reported');
    assert.ok(codesOf(after).includes('DJR101'));
  });
});

async function waitUntil(pred: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
}
