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
