/**
 * Long runs of comment lines (a commented-out block): tree-sitter's Python scanner is quadratic
 * over them, so they are blanked before parsing. The statements, the findings and the comments
 * kept by fixes must not notice.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { MemoryFileSystem, ParseCache, parseInputOf, parseOnce } from '../../server/src/engine';
import { analyze, fixUntilStable, ready } from '../helpers/fixtures';

const run = (n: number, indent = '') => Array.from({ length: n }, (_, i) => `${indent}# old_setting_${i} = 'commented out'\n`).join('');

describe('long comment runs', () => {
  before(ready);

  test('short runs are parsed as they are; long ones blanked, offsets and line breaks kept', () => {
    assert.equal(parseInputOf(`X = 1\n${run(10)}Y = 2\n`), undefined);
    const text = `X = 1\r\n${run(40).replace(/\n/g, '\r\n')}Y = '# not a comment'\r\n`;
    const input = parseInputOf(text);
    assert.ok(input);
    assert.equal(input.length, text.length);
    assert.deepEqual(input.split(/\r\n/).map((l) => l.length), text.split(/\r\n/).map((l) => l.length));
    assert.ok(input.includes("Y = '# not a comment'"));
    assert.ok(!input.includes('old_setting_'));
  });

  test('a 5,000-line commented-out block parses in well under a second, with the same statements', () => {
    const text = `import os\n\ndef view(request):\n    return 1\n${run(5000)}DEBUG = True\n${run(3000, '    ')}SECRET_KEY = os.environ['K']\n`;
    const t = performance.now();
    const m = parseOnce('/p/settings.py', text);
    const ms = performance.now() - t;
    try {
      assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
      assert.deepEqual(m.syntaxErrors, []);
      assert.deepEqual(m.stmts.map((s) => s.ir.t), ['import', 'def', 'assign', 'assign']);
    } finally {
      m.tree.delete();
    }
  });

  test('the parse cache: editing such a file gives what a fresh parse gives', () => {
    const cache = new ParseCache();
    let text = `A = 1\n${run(50)}B = 2\n`;
    cache.parse('/p/s.py', text);
    for (const edit of [(t: string) => t.replace('B = 2', 'B = 3'), (t: string) => t.replace('# old_setting_7', 'C = 4 # old_setting_7'), (t: string) => t.replace(/# old_setting_1\d.*\n/g, ''), (t: string) => `${t}D = [\n`]) {
      text = edit(text);
      const m = cache.parse('/p/s.py', text);
      const fresh = parseOnce('/p/s.py', text);
      try {
        assert.deepEqual(m.stmts.map((s) => [s.start, s.end, s.ir.t]), fresh.stmts.map((s) => [s.start, s.end, s.ir.t]));
        assert.deepEqual(m.syntaxErrors.map((e) => e.start), fresh.syntaxErrors.map((e) => e.start));
      } finally {
        fresh.tree.delete();
      }
    }
  });

  test('a fix replacing a value keeps the comment lines of a long run inside it', () => {
    const mem = new MemoryFileSystem();
    mem.write('/p/settings.py', `ALLOWED_HOSTS = [\n    '*',\n${run(40, '    ')}]\nDEBUG = False\n`);
    const before = analyze(mem, '/p', { select: ['DJR203'] }).findings;
    assert.equal(before.length, 1);
    fixUntilStable(mem, '/p', { unsafe: true, codes: ['DJR203'] });
    const out = mem.readFile('/p/settings.py') ?? '';
    assert.doesNotMatch(out, /'\*'/);
    for (let i = 0; i < 40; i++) assert.ok(out.includes(`# old_setting_${i} = 'commented out'`), `comment ${i} kept`);
  });
});
