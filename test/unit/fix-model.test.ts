/**
 * The fix model (engine/fix.ts): edits normalised when a fix is built, ids stable and unique,
 * applicability chosen by fix-all, display-only fixes never applied in bulk.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { applyEdits, buildFixes, composeEdits, findFix, fixAllSync, fixToApply, MemoryFileSystem, normalizeEdits, OverlappingEditsError, type Edit, type Finding } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';
import { mount, projectSubjects, ruleFixtureSubjects } from '../helpers/subjects';

const F = '/p/settings.py';
const e = (start: number, end: number, newText: string, file = F): Edit => ({ file, start, end, newText });

describe('normalizeEdits', () => {
  test('sorted by file then offset; exact duplicates dropped; insertions at one point kept in order', () => {
    const out = normalizeEdits([e(10, 12, 'b'), e(0, 0, 'import os\n'), e(5, 5, ','), e(0, 0, 'import os\n'), e(5, 5, 'X'), e(1, 2, 'z', '/p/a.py')]);
    assert.deepEqual(out, [e(1, 2, 'z', '/p/a.py'), e(0, 0, 'import os\n'), e(5, 5, ','), e(5, 5, 'X'), e(10, 12, 'b')]);
  });

  test('insertions followed by a replacement starting at their point become one edit', () => {
    assert.deepEqual(normalizeEdits([e(4, 8, 'new'), e(4, 4, '# c\n'), e(4, 4, '# d\n')]), [e(4, 8, '# c\n# d\nnew')]);
  });

  test('an insertion where a replacement ends, and adjacent replacements, are separate edits', () => {
    assert.deepEqual(normalizeEdits([e(8, 8, '!'), e(4, 8, 'x'), e(0, 4, 'y')]), [e(0, 4, 'y'), e(4, 8, 'x'), e(8, 8, '!')]);
  });

  test('overlapping edits and invalid spans are refused', () => {
    assert.throws(() => normalizeEdits([e(0, 5, 'a'), e(3, 8, 'b')]), OverlappingEditsError);
    assert.throws(() => normalizeEdits([e(0, 5, 'a'), e(0, 5, 'b')]), OverlappingEditsError);
    assert.throws(() => normalizeEdits([e(0, 5, 'a'), e(2, 2, 'b')]), OverlappingEditsError);
    assert.throws(() => normalizeEdits([e(5, 3, 'a')]), OverlappingEditsError);
    assert.throws(() => normalizeEdits([e(-1, 0, 'a')]), OverlappingEditsError);
  });

  test('applyEdits applies normalised edits and refuses edits beyond the text', () => {
    const text = 'DEBUG = True\n';
    assert.equal(applyEdits(text, normalizeEdits([e(8, 12, 'False'), e(0, 0, 'import os\n')])), 'import os\nDEBUG = False\n');
    assert.throws(() => applyEdits('short', [e(3, 10, 'x')]), RangeError);
    // a span that is not one is refused, not applied as if clamped (it used to duplicate text)
    assert.throws(() => applyEdits('abcdef', [e(4, 2, 'x')]), RangeError);
    assert.throws(() => applyEdits('abcdef', [e(1.5, 2, 'x')]), RangeError);
  });

  test('offsets are UTF-16 code units (an astral character counts two)', () => {
    const text = "NAME = '😀'\nDEBUG = True\n";
    const at = text.indexOf('True');
    assert.equal(at, 20);
    assert.equal(applyEdits(text, [e(at, at + 4, 'False')]), "NAME = '😀'\nDEBUG = False\n");
  });
});

describe('buildFixes and fixToApply', () => {
  test('ids name rule, location and kind; kinds default to fix, fix-2...; duplicate kinds get a suffix', () => {
    const fixes = buildFixes('DJR101', F, { line: 3, character: 0 }, [
      { title: 'a', applicability: 'unsafe', kind: 'move-to-dotenv', edits: [] },
      { title: 'b', applicability: 'safe', edits: [] },
      { title: 'c', applicability: 'display-only', kind: 'move-to-dotenv', edits: [] },
    ]);
    assert.deepEqual(fixes.map((f) => f.id), ['DJR101@/p/settings.py:4:1#move-to-dotenv', 'DJR101@/p/settings.py:4:1#fix-2', 'DJR101@/p/settings.py:4:1#move-to-dotenv-2']);
  });

  test('fix-all takes the first safe fix; with unsafe the first unsafe one; display-only never', () => {
    const finding = (apps: ('safe' | 'unsafe' | 'display-only')[]): Finding => ({
      code: 'DJR999', name: 'x', severity: 'error', file: F, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm',
      fixes: buildFixes('DJR999', F, { line: 0, character: 0 }, apps.map((a) => ({ title: a, applicability: a, edits: [] }))),
    });
    assert.equal(fixToApply(finding(['unsafe', 'safe']), false)?.title, 'safe');
    assert.equal(fixToApply(finding(['unsafe', 'safe']), true)?.title, 'safe');
    assert.equal(fixToApply(finding(['display-only', 'unsafe']), false), undefined);
    assert.equal(fixToApply(finding(['display-only', 'unsafe']), true)?.title, 'unsafe');
    assert.equal(fixToApply(finding(['display-only']), true), undefined);
  });
});

describe('fix ids over real analyses', () => {
  before(ready);

  test('unique within a result, the same when the same texts are analysed again, and found again by findFix', () => {
    let checked = 0;
    for (const subject of [...ruleFixtureSubjects(), ...projectSubjects()]) {
      const mem: MemoryFileSystem = mount(subject, '/project');
      const first = analyze(mem, '/project', subject.config ?? {});
      const ids = first.findings.flatMap((f) => f.fixes.map((x) => x.id));
      assert.equal(new Set(ids).size, ids.length, `${subject.name}: duplicate fix ids ${ids.filter((x, i) => ids.indexOf(x) !== i).join(', ')}`);
      const again = analyze(mount(subject, '/project'), '/project', subject.config ?? {});
      assert.deepEqual(again.findings.flatMap((f) => f.fixes.map((x) => x.id)), ids, subject.name);
      for (const id of ids) assert.equal(findFix(again.findings, id)?.fix.id, id);
      for (const f of first.findings) for (const x of f.fixes) assert.deepEqual(normalizeEdits(x.edits), x.edits, `${x.id}: edits not normalised`);
      checked += ids.length;
    }
    assert.ok(checked > 100, `only ${checked} fixes checked`);
  });
});

describe('composeEdits', () => {
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  }
  /** Random sorted, non-overlapping edits of a text (insertions at one point allowed). */
  function randomEdits(r: () => number, text: string): Edit[] {
    const out: Edit[] = [];
    let pos = 0;
    const words = ['', 'x', 'import os\n', ',', '\n    "A": 1,', '😀', '\r\n'];
    while (pos <= text.length && out.length < 6) {
      const start = pos + Math.floor(r() * 4);
      if (start > text.length) break;
      const end = Math.min(text.length, start + (r() < 0.5 ? 0 : Math.floor(r() * 4)));
      out.push(e(start, end, words[Math.floor(r() * words.length)]));
      pos = end + (r() < 0.3 ? 0 : 1);
    }
    return out.filter((x) => !(x.start === x.end && x.newText === ''));
  }

  test('base then next, composed against the original, gives the same text (randomized)', () => {
    const r = rng(7);
    for (let i = 0; i < 3000; i++) {
      const original = ['DEBUG = True\n', 'A = [1, 2]\n', '😀 = 1\n', ''].slice(0, 1 + Math.floor(r() * 4)).join('');
      const base = randomEdits(r, original);
      const mid = applyEdits(original, base);
      const next = randomEdits(r, mid);
      const composed = composeEdits(mid, base, next);
      assert.equal(applyEdits(original, composed), applyEdits(mid, next), JSON.stringify({ original, base, next, composed }));
      for (let k = 1; k < composed.length; k++) assert.ok(composed[k - 1].end <= composed[k].start, 'sorted and non-overlapping');
    }
  });

  test('an edit inside text inserted by an earlier pass becomes part of that insertion', () => {
    const original = 'A = 1\n';
    const base = [e(6, 6, 'REST = {\n}\n')];
    const mid = applyEdits(original, base);
    const next = [e(mid.indexOf('}'), mid.indexOf('}'), '    "K": 1,\n')];
    assert.deepEqual(composeEdits(mid, base, next), [e(6, 6, 'REST = {\n    "K": 1,\n}\n')]);
  });
});

describe('fixAllSync', () => {
  before(ready);

  test('passes until stable, composed edits against the original texts, what was applied, created files', () => {
    // safe fixes over several files: the obsolete setting (Django 5 pinned), .env ignored, .env.example created
    const mem = new MemoryFileSystem({
      '/p/manage.py': '',
      '/p/requirements.txt': 'Django==5.2.1\n',
      '/p/.env': 'DJANGO_SECRET_KEY=abc\n',
      '/p/settings.py': "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nSECURE_BROWSER_XSS_FILTER = True\nDEBUG = False\n",
    });
    const host = { read: (f: string) => mem.readFile(f), analyze: (texts: ReadonlyMap<string, string>) => {
      const m = new MemoryFileSystem(Object.fromEntries(mem.files));
      for (const [f, t] of texts) m.write(f, t);
      return analyze(m, '/p', {}).findings;
    } };
    const res = fixAllSync(host, { applicability: 'safe' });
    assert.ok(res.stable);
    assert.ok(res.passes >= 1);
    assert.ok(res.applied.length > 0);
    assert.ok(res.applied.every((a) => a.applicability === 'safe' && a.id.startsWith(a.code)));
    assert.deepEqual(res.applied.map((a) => a.code).sort(), ['DJR105', 'DJR106', 'DJR311', 'DJR912']);
    assert.deepEqual(res.changes.map((c) => [c.file, c.before === undefined]), [['/p/.env.example', true], ['/p/.github/dependabot.yml', true], ['/p/.gitignore', true], ['/p/settings.py', false]]);
    for (const c of res.changes) {
      assert.equal(applyEdits(c.before ?? '', c.edits), c.after, c.file);
      mem.write(c.file, c.after);
    }
    // a second run changes nothing
    const again = fixAllSync(host, { applicability: 'safe' });
    assert.deepEqual([again.passes, again.changes], [0, []]);
  });
});
