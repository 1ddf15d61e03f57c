/** Parsing: re-synchronisation after syntax errors, incremental re-parse, positions. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { LineIndex, ParseCache, parseOnce, type PyModule } from '../../server/src/engine';
import { ready } from '../helpers/fixtures';

function names(m: PyModule): string[] {
  const out: string[] = [];
  for (const s of m.stmts) {
    if (s.ir.t === 'assign') for (const t of s.ir.targets) if (t.t === 'name') out.push(t.id);
    if (s.ir.t === 'def') out.push(`def ${s.ir.name}`);
  }
  return out;
}

describe('parser', () => {
  before(ready);

  test('an unclosed [ does not swallow the statements after it', () => {
    const m = parseOnce('/s.py', 'A = 1\nB = [\n    "x",\n\nDEBUG = True\nINSTALLED_APPS = [\n    "a",\n]\nC = 3\n');
    assert.deepEqual(names(m), ['A', 'DEBUG', 'INSTALLED_APPS', 'C']);
    assert.equal(m.syntaxErrors.length, 1);
    assert.equal(m.lines.positionAt(m.syntaxErrors[0].start).line, 1);
    m.tree.delete();
  });

  test('a half-written def, an unclosed string and an unclosed call', () => {
    const m = parseOnce('/s.py', 'def f(:\n    pass\nA = 1\nB = "oops\nC = foo(1,\nD = 4\n');
    assert.ok(names(m).includes('A'));
    assert.ok(names(m).includes('D'));
    m.tree.delete();
  });

  test('statements inside a broken region that start at column 0 are recovered one by one', () => {
    const lines = ['X = ['];
    for (let i = 0; i < 20; i++) lines.push(`S${i} = ${i}`);
    const m = parseOnce('/s.py', lines.join('\n') + '\n');
    assert.equal(names(m).length, 20);
    m.tree.delete();
  });

  test('incremental re-parse gives the same statements as a fresh parse', () => {
    const cache = new ParseCache();
    let text = 'A = 1\nB = [1, 2]\nC = {"k": "v"}\n';
    cache.parse('/s.py', text);
    const edits: [string, string][] = [['B = [1, 2]', 'B = [1, 2, 3]'], ['A = 1\n', ''], ['C =', 'D = ['], ['D = [', 'C =']];
    for (const [from, to] of edits) {
      text = text.replace(from, to);
      const inc = cache.parse('/s.py', text);
      const fresh = parseOnce('/s.py', text);
      assert.deepEqual(names(inc), names(fresh));
      assert.deepEqual(inc.stmts.map((s) => [s.start, s.end]), fresh.stmts.map((s) => [s.start, s.end]));
      fresh.tree.delete();
    }
    cache.clear();
  });

  test('random edits: the cache (statement splice or incremental parse) always equals a fresh parse', () => {
    let seed = Number(process.env.SEED ?? 12345);
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ['\n', ' ', '[', ']', '(', ')', '"', "'", ':', ',', '=', '#', 'x', '1', 'def ', '    ', '\\', '"""', 'if DEBUG:\n    ', 'A = 2\n'];
    let text = 'import os\n\nDEBUG = True\nAPPS = [\n    "a",\n    "b",\n]\n\ndef f():\n    return 1\n\nX = {"k": [1, 2]}\nY = os.environ.get("Y", "d")\n';
    const cache = new ParseCache();
    // tree-sitter's error recovery is not guaranteed to pick the same error span twice, so error
    // positions are compared by their start only (statements must be equal).
    const describeModule = (m: PyModule) => JSON.stringify([m.stmts.map((st) => [st.start, st.end, st.ir]), m.syntaxErrors.map((e) => e.start)]);
    for (let i = 0; i < Number(process.env.N ?? 400); i++) {
      const at = rand(text.length + 1);
      if (rand(3) === 0 && text.length > 0) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + rand(4)));
      else text = text.slice(0, at) + pieces[rand(pieces.length)] + text.slice(at);
      if (rand(25) === 0) text = 'import os\nDEBUG = False\nZ = [1,\n 2]\n';
      const inc = cache.parse('/s.py', text);
      const fresh = parseOnce('/s.py', text);
      assert.equal(describeModule(inc), describeModule(fresh), `after edit ${i}: ${JSON.stringify(text)}`);
      // the lazily built full tree matches too
      if (i % 20 === 0) assert.equal(inc.tree.rootNode.toString(), fresh.tree.rootNode.toString());
      fresh.tree.delete();
    }
    cache.clear();
  });

  test('typing statement by statement into a clean file keeps equal to a fresh parse', () => {
    const cache = new ParseCache();
    const target = 'import os\nDEBUG = False\nAPPS = [\n    "a",\n]\nX = os.environ.get("X", "1") == "1"\n\n\ndef g(a, b):\n    return a\n';
    for (let n = 1; n <= target.length; n++) {
      const text = target.slice(0, n);
      const inc = cache.parse('/t.py', text);
      const fresh = parseOnce('/t.py', text);
      assert.deepEqual(inc.stmts.map((s) => [s.start, s.end, JSON.stringify(s.ir)]), fresh.stmts.map((s) => [s.start, s.end, JSON.stringify(s.ir)]), JSON.stringify(text));
      fresh.tree.delete();
    }
    cache.clear();
  });

  test('positions are UTF-16 code units (LSP positions)', () => {
    const text = 'A = "é😀"\nSECRET_KEY = "k"\n';
    const m = parseOnce('/s.py', text);
    const s = m.stmts[0];
    assert.deepEqual(m.lines.positionAt(s.end), { line: 0, character: 9 });
    assert.equal(m.stmts[1].start, text.indexOf('SECRET_KEY'));
    m.tree.delete();
  });

  test('CRLF line endings', () => {
    const li = new LineIndex('a = 1\r\nb = 2\r\n');
    assert.deepEqual(li.positionAt(7), { line: 1, character: 0 });
    assert.equal(li.lineText(0), 'a = 1');
    assert.equal(li.eol, '\r\n');
    const m = parseOnce('/s.py', 'A = 1\r\nB = [\r\nC = 3\r\n');
    assert.deepEqual(names(m), ['A', 'C']);
    m.tree.delete();
  });

  test('empty, whitespace-only and comment-only files', () => {
    for (const t of ['', '\n\n', '# just a comment\n', '   ']) {
      const m = parseOnce('/s.py', t);
      assert.equal(m.stmts.length, 0);
      m.tree.delete();
    }
  });
});
