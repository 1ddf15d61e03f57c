/** LineIndex.edited (the language server's per-keystroke path) equals a full scan, for random edits. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/engine';

function lineStarts(li: LineIndex): number[] {
  const out: number[] = [];
  for (let l = 0; l < li.lineCount; l++) out.push(li.lineStart(l));
  return out;
}

test('LineIndex.edited gives the same line starts as a fresh index (20,000 random edits, LF, CRLF and CR)', () => {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = ['a', 'b', ' ', '\n', '\r', '\r\n', 'x = 1\n', '"""\n', '\t'];
  const piece = () => {
    let s = '';
    const n = rnd(6);
    for (let i = 0; i < n; i++) s += alphabet[rnd(alphabet.length)];
    return s;
  };
  let text = 'A = 1\r\nB = 2\nC = 3\rD = 4\n';
  let li = new LineIndex(text);
  for (let i = 0; i < 20_000; i++) {
    const start = rnd(text.length + 1);
    const oldEnd = Math.min(text.length, start + rnd(8));
    const insert = piece();
    const next = text.slice(0, start) + insert + text.slice(oldEnd);
    const edited = LineIndex.edited(li, next, start, oldEnd, start + insert.length);
    const fresh = new LineIndex(next);
    assert.deepEqual(lineStarts(edited), lineStarts(fresh), `edit ${i}: [${start}, ${oldEnd}) -> ${JSON.stringify(insert)} in ${JSON.stringify(text)}`);
    text = next.length > 400 ? next.slice(0, 200) : next;
    li = text === next ? edited : new LineIndex(text);
  }
});
