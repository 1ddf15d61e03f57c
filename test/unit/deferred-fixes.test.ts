/**
 * Deferred fixes (rule.ts DeferredFix): DJR202 checks its fix by evaluating the settings again
 * with the new default. That check is not keystroke work: it runs when the finding's fixes are
 * first read (a quick fix, fix-all, --fix, the checklist, the CLI's output), and a fix it does not
 * confirm is never listed, in the editor or in the CLI's JSON.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { applyEdits, fixToApply, MemoryFileSystem, normalizeEdits, pendingFixIds, type Finding } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';
import { cli } from '../helpers/cli';
import { TestClient } from '../helpers/lsp';

const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
const TAIL = "SECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['example.com']\n";
/** The default is the fix: DEBUG is off when the variable is missing. */
const FIXABLE = `import os\n\nDEBUG = os.environ.get('DEBUG', True)\n${TAIL}`;
/** A later statement turns DEBUG back on when it is off: no default makes it False, so no fix. */
const UNFIXABLE = `import os\n\nDEBUG = os.environ.get('DEBUG', True)\nif not DEBUG:\n    DEBUG = True\n${TAIL}`;

function djr202(settings: string): { finding: Finding; fsys: MemoryFileSystem } {
  const fsys = new MemoryFileSystem({ 'manage.py': MANAGE, 'mysite/__init__.py': '', 'mysite/settings.py': settings }, '/p');
  const r = analyze(fsys, '/p', { select: ['DJR202'] });
  const finding = r.findings.find((f) => f.code === 'DJR202');
  assert.ok(finding, JSON.stringify(r.findings.map((f) => f.code)));
  return { finding, fsys };
}

describe('deferred fixes (DJR202)', () => {
  before(ready);

  test('the analysis does not check the fix; reading the fixes does, and gives the checked fix', () => {
    const { finding, fsys } = djr202(FIXABLE);
    // not computed by the analysis (nor by the ids dedupe needs)
    assert.deepEqual(pendingFixIds(finding), ['DJR202@/p/mysite/settings.py:3:1#fix']);
    const fix = fixToApply(finding, true);
    assert.ok(fix);
    assert.equal(pendingFixIds(finding), undefined, 'checked once read, then kept');
    assert.equal(fix.id, 'DJR202@/p/mysite/settings.py:3:1#fix');
    assert.equal(fix.title, 'Default DEBUG to False: DEBUG is off when the variable is missing');
    assert.equal(fix.applicability, 'unsafe');
    const text = fsys.readFile('/p/mysite/settings.py') as string;
    assert.equal(applyEdits(text, normalizeEdits(fix.edits)), FIXABLE.replace("'DEBUG', True)", "'DEBUG', False)"));
    assert.equal(finding.fixes, finding.fixes, 'the same list on every read');
  });

  test('asked for after its file changed (a result older than the texts), the fix is not offered', () => {
    const { finding, fsys } = djr202(FIXABLE);
    fsys.write('/p/mysite/settings.py', `# a line above\n${FIXABLE}`);
    assert.deepEqual(finding.fixes, []);
  });

  test('a fix the check does not confirm is not listed (the finding stays)', () => {
    const { finding } = djr202(UNFIXABLE);
    assert.ok(pendingFixIds(finding));
    assert.deepEqual(finding.fixes, []);
    assert.equal(fixToApply(finding, true), undefined);
  });

  test('a target a fix may not write: checked now, named in the message as before, not offered', () => {
    const fsys = new MemoryFileSystem({ 'manage.py': MANAGE, 'mysite/__init__.py': '', 'mysite/settings.py': FIXABLE }, '/p');
    const locked = Object.assign(fsys, { writable: (p: string) => (p.endsWith('settings.py') ? 'settings.py is a symbolic link' : undefined) });
    const finding = analyze(locked, '/p', { select: ['DJR202'] }).findings.find((f) => f.code === 'DJR202');
    assert.ok(finding);
    assert.match(finding.message, /\("Default DEBUG to False: DEBUG is off when the variable is missing" is not offered: settings\.py is a symbolic link\)$/);
    assert.deepEqual(finding.fixes, []);
    // not confirmed: nothing to name
    const unfixable = new MemoryFileSystem({ 'manage.py': MANAGE, 'mysite/__init__.py': '', 'mysite/settings.py': UNFIXABLE }, '/p');
    const f2 = analyze(Object.assign(unfixable, { writable: locked.writable }), '/p', { select: ['DJR202'] }).findings.find((f) => f.code === 'DJR202');
    assert.ok(f2);
    assert.doesNotMatch(f2.message, /not offered/);
  });

  test("the CLI's JSON says fix only for a confirmed fix", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-deferred-'));
    try {
      fs.writeFileSync(path.join(dir, 'manage.py'), MANAGE);
      fs.mkdirSync(path.join(dir, 'mysite'));
      fs.writeFileSync(path.join(dir, 'mysite', '__init__.py'), '');
      const json = async (settings: string) => {
        fs.writeFileSync(path.join(dir, 'mysite', 'settings.py'), settings);
        const r = await cli(['check', dir, '--format', 'json', '--select', 'DJR202']);
        const d = (JSON.parse(r.out) as { diagnostics: { rule: string; fix: { title: string; applicability: string } | null }[] }).diagnostics;
        assert.equal(d.length, 1);
        return d[0].fix;
      };
      assert.equal((await json(FIXABLE))?.title, 'Default DEBUG to False: DEBUG is off when the variable is missing');
      assert.equal(await json(UNFIXABLE), null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('in the editor: the quick fix after typing is the checked one; none when not confirmed', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-deferred-lsp-')));
    fs.writeFileSync(path.join(root, 'manage.py'), MANAGE);
    fs.mkdirSync(path.join(root, 'mysite'));
    fs.writeFileSync(path.join(root, 'mysite', '__init__.py'), '');
    fs.writeFileSync(path.join(root, 'mysite', 'settings.py'), FIXABLE);
    const client = new TestClient({ root });
    try {
      await client.initialize();
      const uri = await client.open(path.join(root, 'mysite', 'settings.py'));
      await client.waitFor(uri, (d) => d.some((x) => x.code === 'DJR202'));
      // a keystroke below, then the quick fixes of the DEBUG line
      await client.edit(uri, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: 'X = 1\n' }]);
      const diags = await client.waitForCurrent(uri, (d) => d.some((x) => x.code === 'DJR202'));
      const d = diags.find((x) => x.code === 'DJR202')!;
      assert.deepEqual(d.data, { kind: 'finding', code: 'DJR202' });
      const titles = (await client.codeActions(uri, d.range, [d])).map((a) => a.title);
      assert.ok(titles.includes('Default DEBUG to False: DEBUG is off when the variable is missing'), titles.join(' | '));
      // the same file made unfixable: the diagnostic stays, the fix is gone
      await client.replaceAll(uri, UNFIXABLE);
      const after = await client.waitForCurrent(uri, (x) => x.some((y) => y.code === 'DJR202'));
      const d2 = after.find((x) => x.code === 'DJR202')!;
      const titles2 = (await client.codeActions(uri, d2.range, [d2])).map((a) => a.title);
      assert.ok(!titles2.some((t) => t.startsWith('Default DEBUG')), titles2.join(' | '));
      assert.ok(titles2.some((t) => t.startsWith('Disable DJR202')), titles2.join(' | '));
    } finally {
      await client.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
