/**
 * ModuleEditor.appendListItem: inserting an item into a list/tuple literal in the literal's own
 * layout (one line or one item per line, trailing comma or not, comments, closing bracket on
 * the last item's line), after the last item or after a given one. The result must parse.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { applyEdits, ModuleEditor, normalizeEdits, parseOnce } from '../../server/src/engine';
import type { PyExpr } from '../../server/src/engine/ir';
import { ready } from '../helpers/fixtures';

function parses(text: string): boolean | undefined {
  try {
    execFileSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: text, stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'ENOENT' ? undefined : false;
  }
}

/** Appends `item` to the literal assigned by the first statement (after its item number `after`). */
function append(src: string, item: string, after?: number): string {
  const module = parseOnce('/p/settings.py', src);
  const top = module.stmts[0];
  assert.ok(top.ir.t === 'assign');
  const list = top.ir.value as Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }>;
  assert.ok(list.t === 'list' || list.t === 'tuple');
  const ed = new ModuleEditor(module);
  const edits = ed.appendListItem(top, list, item, after === undefined ? undefined : list.items[after]);
  const out = applyEdits(src, normalizeEdits(edits));
  assert.notEqual(parses(out), false, `does not parse:\n${out}`);
  return out;
}

describe('ModuleEditor.appendListItem', () => {
  before(ready);

  test('one-line list, tuple and empty literals', () => {
    assert.equal(append('X = ["a", "b"]\n', '"c"'), 'X = ["a", "b", "c"]\n');
    assert.equal(append('X = ("a",)\n', '"c"'), 'X = ("a", "c",)\n');
    assert.equal(append('X = []\n', '"c"'), 'X = ["c"]\n');
    assert.equal(append('X = ()\n', '"c"'), 'X = ("c",)\n');
    assert.equal(append('X = ["a", "b"]\n', '"c"', 0), 'X = ["a", "c", "b"]\n');
  });

  test('one item per line, with and without a trailing comma, comments kept', () => {
    assert.equal(append('X = [\n    "a",\n    "b",  # note\n]\n', '"c"'), 'X = [\n    "a",\n    "b",  # note\n    "c",\n]\n');
    assert.equal(append('X = [\n    "a",\n    "b"  # note\n]\n', '"c"'), 'X = [\n    "a",\n    "b",  # note\n    "c",\n]\n');
    assert.equal(append('X = [\n    "a",  # first\n    "b",\n]\n', '"c"', 0), 'X = [\n    "a",  # first\n    "c",\n    "b",\n]\n');
  });

  test('closing bracket on the last item\'s line, hanging indentation', () => {
    assert.equal(append('X = ["a",\n     "b"]\n', '"c"'), 'X = ["a",\n     "b",\n     "c",\n]\n');
  });

  test('an empty multi-line literal', () => {
    assert.equal(append('X = [\n]\n', '"c"'), 'X = [\n    "c",\n]\n');
    assert.equal(append('X = [  # none yet\n]\n', '"c"'), 'X = [  # none yet\n    "c",\n]\n');
  });

  test('tab indentation and CRLF line breaks follow the file', () => {
    assert.equal(append('X = [\r\n\t"a",\r\n]\r\n', '"c"'), 'X = [\r\n\t"a",\r\n\t"c",\r\n]\r\n');
  });
});
