/**
 * Hovers and line 1, in-process: the hover does not repeat the diagnostic's message (the client
 * shows it already) but says why, the quick fix (only when there is one; a rule without a fix
 * shows what to write instead) and links the documentation. Findings about the module as a whole
 * (settings missing from production) sit on the module docstring, not on its three opening
 * quotes, and hovering there gives one block that lists them.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver';
import { allRules } from '../../rules/index.generated';
import { messageOf, tempProject, TestClient } from '../helpers/lsp';

const meta = (code: string) => allRules.find((r) => r.meta.code === code)!.meta;

describe('language server: hovers and module-level findings', () => {
  let root: string;
  let client: TestClient;
  let uri: string;
  let diags: Diagnostic[];

  before(async () => {
    root = tempProject('tutorial');
    client = new TestClient({ root });
    await client.initialize();
    uri = await client.open(path.join(root, 'mysite', 'settings.py'));
    diags = await client.waitFor(uri, (d) => d.some((x) => x.code === 'DJR101') && d.some((x) => x.code === 'DJR301'));
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const hoverText = async (line: number, character: number) => {
    const h = await client.hover(uri, line, character);
    assert.ok(h, `a hover at ${line}:${character}`);
    return (h.contents as MarkupContent).value;
  };

  test("a finding's hover: why, the quick fix, the documentation; not the message again", async () => {
    const d = diags.find((x) => x.code === 'DJR101')!;
    const value = await hoverText(d.range.start.line, d.range.start.character + 2);
    const message = messageOf(d).replace(/ \(Django: .*\)$/, '');
    assert.ok(!value.includes(message), 'the diagnostic message is not repeated');
    assert.ok(!value.includes(meta('DJR101').message), "nor the rule's short message");
    assert.ok(value.includes(meta('DJR101').docs.why), 'why it matters');
    assert.match(value, /\*\*Quick fix:\*\* Move SECRET_KEY to \.env .*\(2 more in the quick-fix menu\)/);
    assert.match(value, /Documentation: \[DJR101 hardcoded-secret-key\]\(https:\/\/.*DJR101-hardcoded-secret-key\.md\)/);
    assert.equal(value.split('---').length, 1, 'one block');
  });

  test('a rule without a fix: no "Fix" line, what to write instead', async () => {
    const d = diags.find((x) => x.code === 'DJR701');
    assert.ok(d, 'SQLite in production');
    const value = await hoverText(d.range.start.line, d.range.start.character + 1);
    assert.doesNotMatch(value, /fix/i);
    assert.match(value, /\*\*Instead:\*\*\n\n```python\n/);
    assert.ok(value.includes(meta('DJR701').docs.instead.trim().split('\n')[0]));
  });

  test('settings missing from production sit on the module docstring, not on its opening quotes', () => {
    const missing = diags.filter((x) => ['DJR301', 'DJR302', 'DJR303', 'DJR304', 'DJR801'].includes(String(x.code)));
    assert.equal(missing.length, 5, diags.map((x) => `${x.code}@${x.range.start.line}`).join(' '));
    for (const m of missing) {
      // the docstring is lines 1-8 of the file: """ ... """
      assert.deepEqual(m.range, { start: { line: 0, character: 0 }, end: { line: 7, character: 3 } }, String(m.code));
    }
    // a missing setting with a related one assigned sits on it: STATIC_ROOT beside STATIC_URL
    const staticRoot = diags.find((x) => x.code === 'DJR901')!;
    assert.deepEqual(staticRoot.range, { start: { line: 115, character: 0 }, end: { line: 115, character: 22 } });
  });

  test('hovering there gives one block listing them, each with its quick fix only if it has one', async () => {
    const here = diags.filter((x) => x.range.start.line === 0 && x.range.end.line === 7);
    assert.ok(here.length >= 5);
    const value = await hoverText(3, 5);
    assert.equal((value.match(/django-readiness findings here/g) ?? []).length, 1, 'one block');
    assert.match(value, new RegExp(`^\\*\\*${here.length} django-readiness findings here\\*\\*`));
    const items = value.split('\n').filter((l) => l.startsWith('- '));
    assert.equal(items.length, here.length);
    assert.ok(items.some((l) => /^- \[DJR301 ssl-redirect-disabled\]\(https:.*\): quick fix "Set SECURE_SSL_REDIRECT = True"$/.test(l)), items.join('\n'));
    // DJR314 (Content-Security-Policy) has no fix: its line names no fix
    const csp = items.find((l) => l.includes('DJR314'));
    assert.ok(csp);
    assert.doesNotMatch(csp, /fix/i);
    assert.doesNotMatch(value, /\*\*Fix:\*\*/);
  });

  test('a statement first in the module: the finding covers that statement, not the line', async () => {
    const text = "import os\n\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n";
    await client.replaceAll(uri, text);
    const d = await client.waitFor(uri, (x) => x.some((y) => y.code === 'DJR301') && !x.some((y) => y.code === 'DJR101'));
    const ssl = d.find((y) => y.code === 'DJR301')!;
    assert.deepEqual(ssl.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } });
  });
});
