import type { Position, Range } from './types';

/** Pushes the starts of the lines that begin after a line break found in text[from, to). */
function scanLineStarts(text: string, from: number, to: number, out: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) out.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      out.push(i + 1);
    }
  }
}

/** Maps UTF-16 offsets to LSP positions and back, for one text. */
export class LineIndex {
  private readonly starts: number[];

  constructor(
    readonly text: string,
    starts?: number[],
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    this.starts = [0];
    scanLineStarts(text, 0, text.length, this.starts);
  }

  /**
   * The index of `text`, made from the index of the text before a single edit (the span
   * [start, oldEnd) of the old text became [start, newEnd)): lines away from the edit are
   * shifted, not scanned again. Same result as `new LineIndex(text)`.
   */
  static edited(old: LineIndex, text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    const os = old.starts;
    const delta = newEnd - oldEnd;
    // rescan from the start of the line before the edit (a CR LF pair may straddle it) ...
    const a = os[Math.max(0, old.lineAt(Math.max(0, start - 1)))];
    // ... to the first line start after the line holding oldEnd + 1 (so > oldEnd + 1)
    const k = old.lineAt(Math.min(old.text.length, oldEnd + 1)) + 1;
    const bOld = k < os.length ? os[k] : old.text.length + 1;
    const starts: number[] = [];
    for (let i = 0; i < os.length && os[i] <= a; i++) starts.push(os[i]);
    const bNew = Math.min(text.length, bOld + delta);
    scanLineStarts(text, a, bNew, starts);
    for (let i = k + 1; i < os.length; i++) starts.push(os[i] + delta); // os[k] itself was found by the scan
    return new LineIndex(text, starts);
  }

  /** The line holding an offset (binary search). */
  private lineAt(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    return this.starts[line];
  }

  /** Offset just past the line's content (before its line break). */
  lineEnd(line: number): number {
    if (line >= this.starts.length - 1) return this.text.length;
    let end = this.starts[line + 1];
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.lineStart(pos.line);
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The range of a whole line's content. */
  lineRange(line: number): Range {
    return this.range(this.lineStart(line), this.lineEnd(line));
  }

  /** The line break used by the text: "\r\n" when it uses CRLF, "\r" when it only has lone CRs, else "\n". */
  get eol(): string {
    return eolOf(this.text) ?? '\n';
  }
}

/**
 * The line break a text uses throughout: '\r\n', '\r' or '\n' (the first one found when the
 * text mixes them), undefined when it has none.
 */
export function eolOf(text: string): string | undefined {
  const i = text.search(/[\r\n]/);
  if (i < 0) return undefined;
  if (text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/**
 * Edits whose inserted line breaks follow `text`'s own (a fix written with "\n" keeps a CRLF or
 * CR-only file in its style). A text that has no line break yet keeps what the edits insert.
 */
export function withTextEol<E extends { newText: string }>(text: string, edits: readonly E[]): E[] {
  const eol = eolOf(text);
  if (eol === undefined) return [...edits];
  return edits.map((e) => (/[\r\n]/.test(e.newText) ? { ...e, newText: e.newText.replace(/\r\n|\r|\n/g, eol) } : e));
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(outer: Range, p: Position): boolean {
  return comparePositions(outer.start, p) <= 0 && comparePositions(p, outer.end) <= 0;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

/** A relative path with forward slashes. */
export function toPosix(p: string): string {
  return p.split('\\').join('/');
}
