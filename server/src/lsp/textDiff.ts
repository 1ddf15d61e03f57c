/**
 * Minimal text edits between two versions of a file: a line diff (Myers) whose hunks are then
 * trimmed to the characters that differ. Fix results are texts (the engine applies its own
 * edits, with its de-duplication rules); the editor gets small edits that keep the cursor,
 * the undo stop and the markers of untouched lines where they were.
 */
import { LineIndex } from '../engine/text';
import type { Range } from '../engine/types';

export interface SimpleTextEdit {
  range: Range;
  newText: string;
}

/** Lines with their terminators (joining them gives the text back). */
export function splitLinesKeep(t: string): string[] {
  const out: string[] = [];
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 10) {
      out.push(t.slice(s, i + 1));
      s = i + 1;
    } else if (c === 13) {
      if (t.charCodeAt(i + 1) === 10) i++;
      out.push(t.slice(s, i + 1));
      s = i + 1;
    }
  }
  if (s < t.length) out.push(t.slice(s));
  return out;
}

interface Hunk {
  /** Old lines [a0, a1) replaced by new lines [b0, b1). */
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/** Myers' O(ND) diff; undefined when more than `maxD` lines differ. */
function myers(a: string[], b: string[], maxD: number): Hunk[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  outer: for (let d = 0; d <= Math.min(max, maxD); d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[k - 1 + off] < v[k + 1 + off]) ? v[k + 1 + off] : v[k - 1 + off] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + off] = x;
      if (x >= n && y >= m) {
        found = d;
        break outer;
      }
    }
  }
  if (found < 0) return undefined;
  const delA = new Uint8Array(n);
  const insB = new Uint8Array(m);
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vv = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vv[k - 1 + off] < vv[k + 1 + off]) ? k + 1 : k - 1;
    const prevX = vv[prevK + off];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (x === prevX) insB[prevY] = 1;
    else delA[prevX] = 1;
    x = prevX;
    y = prevY;
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && !delA[i] && !insB[j]) {
      i++;
      j++;
      continue;
    }
    const h: Hunk = { a0: i, a1: i, b0: j, b1: j };
    while ((i < n && delA[i]) || (j < m && insB[j])) {
      while (i < n && delA[i]) i++;
      while (j < m && insB[j]) j++;
    }
    h.a1 = i;
    h.b1 = j;
    hunks.push(h);
  }
  return hunks;
}

/** The edits that turn `oldText` into `newText` (non-overlapping, in document order). */
export function diffEdits(oldText: string, newText: string): SimpleTextEdit[] {
  if (oldText === newText) return [];
  const A = splitLinesKeep(oldText);
  const B = splitLinesKeep(newText);
  let p = 0;
  while (p < A.length && p < B.length && A[p] === B[p]) p++;
  let s = 0;
  while (s < A.length - p && s < B.length - p && A[A.length - 1 - s] === B[B.length - 1 - s]) s++;
  const a = A.slice(p, A.length - s);
  const b = B.slice(p, B.length - s);
  // bound the work (and the trace memory) of the diff; fall back to one replacement
  const width = 2 * (a.length + b.length) + 3;
  const maxD = Math.max(1, Math.min(1000, Math.floor(4_000_000 / width)));
  const hunks = myers(a, b, maxD) ?? [{ a0: 0, a1: a.length, b0: 0, b1: b.length }];
  const lineOffsets = new Array<number>(A.length + 1);
  lineOffsets[0] = 0;
  for (let i = 0; i < A.length; i++) lineOffsets[i + 1] = lineOffsets[i] + A[i].length;
  const li = new LineIndex(oldText);
  const edits: SimpleTextEdit[] = [];
  for (const h of hunks) {
    let start = lineOffsets[p + h.a0];
    let end = lineOffsets[p + h.a1];
    let text = b.slice(h.b0, h.b1).join('');
    const old = oldText.slice(start, end);
    // trim to the characters that differ
    let pre = 0;
    const lim = Math.min(old.length, text.length);
    while (pre < lim && old.charCodeAt(pre) === text.charCodeAt(pre)) pre++;
    let suf = 0;
    while (suf < lim - pre && old.charCodeAt(old.length - 1 - suf) === text.charCodeAt(text.length - 1 - suf)) suf++;
    // never split a CRLF pair
    if (pre > 0 && old.charCodeAt(pre - 1) === 13 && old.charCodeAt(pre) === 10) pre--;
    if (suf > 0 && old.charCodeAt(old.length - suf - 1) === 13 && old.charCodeAt(old.length - suf) === 10) suf--;
    text = text.slice(pre, text.length - suf);
    start += pre;
    end -= suf;
    edits.push({ range: li.range(start, end), newText: text });
  }
  return edits;
}

/** Applies non-overlapping edits (any order) to a text. For tests and the fix-all loop. */
export function applyEdits(text: string, edits: SimpleTextEdit[]): string {
  const li = new LineIndex(text);
  const sorted = edits.map((e) => ({ s: li.offsetAt(e.range.start), e: li.offsetAt(e.range.end), t: e.newText })).sort((x, y) => x.s - y.s || x.e - y.e);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.s) + e.t;
    pos = e.e;
  }
  return out + text.slice(pos);
}
