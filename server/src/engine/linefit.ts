/**
 * Fixes formatted like the file: a line a fix writes is no longer than the file's own lines
 * (its longest line, at least 79 and at most 99 characters) where Python lets it break. The
 * break is the one Black makes: the last bracket pair of the line opens on its line, its
 * contents go on the next line one indent deeper (one element per line, with a trailing comma,
 * in a list, dict or set literal of several elements, and in a call's arguments that do not fit
 * on one line; a comprehension at its for / if clauses), the closing bracket on its own line.
 * Breaking inside brackets never changes what the code does. Left as written: a line with a
 * comment or a backslash continuation, a line with no bracket to break, and lines the user
 * already wrote longer than that (a fix changing a value there keeps their layout).
 */
import { indentUnit } from './edits';
import { normalizeEdits } from './fix';
import type { FileSystem } from './project';
import { LineIndex } from './text';
import type { Edit, FixSpec } from './types';

export const MIN_LINE_LIMIT = 79;
export const MAX_LINE_LIMIT = 99;

/** The longest line a fix may write in `text`: the file's own longest, within 79..99. */
export function lineLimit(text: string): number {
  return limitOf(new LineIndex(text));
}

function limitOf(lines: LineIndex): number {
  let longest = 0;
  for (let k = 0; k < lines.lineCount; k++) longest = Math.max(longest, lines.lineEnd(k) - lines.lineStart(k));
  return Math.min(Math.max(longest, MIN_LINE_LIMIT), MAX_LINE_LIMIT);
}

interface Scan {
  /** [open, close] offsets of the brackets at depth 0, in order. */
  pairs: [number, number][];
  ok: boolean;
}

const OPEN = '([{';
const CLOSE = ')]}';

/** Skips a string literal starting at `i` (its quote); returns the offset after it, or -1. */
function skipString(s: string, i: number): number {
  const q = s[i];
  const triple = s.startsWith(q.repeat(3), i);
  const end = triple ? q.repeat(3) : q;
  let j = i + end.length;
  while (j < s.length) {
    if (s[j] === '\\') {
      j += 2;
      continue;
    }
    if (s.startsWith(end, j)) return j + end.length;
    if (!triple && s[j] === '\n') return -1;
    j++;
  }
  return -1;
}

/** Top-level bracket pairs of one line of code; ok = false on a comment, an unclosed bracket or string, a backslash. */
function scan(line: string): Scan {
  const pairs: [number, number][] = [];
  const stack: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' || c === "'") {
      const j = skipString(line, i);
      if (j < 0) return { pairs, ok: false };
      i = j - 1;
    } else if (c === '#' || c === '\\') {
      return { pairs, ok: false };
    } else if (OPEN.includes(c)) {
      stack.push(i);
    } else if (CLOSE.includes(c)) {
      const o = stack.pop();
      if (o === undefined || OPEN.indexOf(line[o]) !== CLOSE.indexOf(c)) return { pairs, ok: false };
      if (stack.length === 0) pairs.push([o, i]);
    }
  }
  return { pairs, ok: stack.length === 0 };
}

/** Splits `s` at depth-0 occurrences of a separator (outside strings and brackets). */
function splitTop(s: string, at: (s: string, i: number) => number): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      const j = skipString(s, i);
      if (j < 0) return [s];
      i = j - 1;
    } else if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth--;
    else if (depth === 0) {
      const n = at(s, i);
      if (n > 0) {
        out.push(s.slice(from, i));
        from = i + n;
        i += n - 1;
      }
    }
  }
  out.push(s.slice(from));
  return out;
}

const comma = (s: string, i: number) => (s[i] === ',' ? 1 : 0);
/** ` for ` / ` if ` of a comprehension (kept at the start of the next part). */
const clause = (s: string, i: number) => (s[i] === ' ' && /^ (async for|for|if) /.test(s.slice(i)) ? 1 : 0);

/**
 * The line broken to fit `limit` (the line itself when it fits or cannot break). `unit` is the
 * file's indentation unit.
 */
export function fitLine(line: string, limit: number, unit: string): string[] {
  if (line.length <= limit) return [line];
  const { pairs, ok } = scan(line);
  if (!ok || pairs.length === 0) return [line];
  const [open, close] = pairs[pairs.length - 1];
  const head = line.slice(0, open + 1);
  const body = line.slice(open + 1, close).trim();
  const tail = line.slice(close);
  if (body === '') return [line];
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  const inner = indent + unit;
  const done = (parts: string[]) => [head, ...parts, indent + tail];
  // a comprehension: on one line if it fits, else at its for / if clauses
  const clauses = splitTop(body, clause);
  if (clauses.length > 1) {
    if ((inner + body).length <= limit) return done([inner + body]);
    return done(clauses.flatMap((p) => fitLine(inner + p.trim(), limit, unit)));
  }
  const elements = splitTop(body, comma).map((e) => e.trim());
  if (elements[elements.length - 1] === '') elements.pop(); // a trailing comma already there
  const before = line.slice(0, open).trimEnd();
  const call = line[open] === '(' && /[\w)\]]$/.test(before) && !/(^|[^\w.])(if|elif|while|for|in|not|and|or|return|assert|with|yield|await|lambda)$/.test(before);
  // a list, dict or set display, or a tuple (parentheses holding several elements)
  const literal = !/[\w)\]'"]$/.test(before);
  // like Black: a list, dict, set or tuple literal of several elements gets one per line with a trailing
  // comma; a call's arguments stay on one line when they fit, else the same
  const plain = !elements.some((e) => /^\*\*?$/.test(e) || e === '/');
  const explode = plain && elements.length > 1 && (literal || (call && (inner + body).length > limit));
  if (!explode) return done(fitLine(inner + body, limit, unit));
  return done(elements.flatMap((e) => fitLine(`${inner}${e},`, limit, unit)));
}

/** Insertions at one point (in the order they apply) as one edit: the lines they write together. */
function mergeInsertions(edits: Edit[]): Edit[] {
  const out: Edit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && last.file === e.file && last.start === last.end && e.start === e.end && e.start === last.start && !last.create && !e.create) out[out.length - 1] = { ...last, newText: last.newText + e.newText };
    else out.push(e);
  }
  return out;
}

interface FileInfo {
  text: string;
  lines: LineIndex;
  limit: number;
  unit: string;
  /** The file's own lines (see oldLines). */
  old?: Set<string>;
}

/**
 * What fitting needs of a file, for the last text seen of each file (a settings module being
 * typed in is a new text on every keystroke, and its settings rules' fixes are fitted each time:
 * nothing here splits the whole text unless a line needs breaking).
 */
const infos = new Map<string, FileInfo>();

function fileInfo(file: string, text: string): FileInfo {
  let i = infos.get(file);
  if (i?.text !== text) {
    if (infos.size > 64) infos.clear();
    const lines = new LineIndex(text);
    i = { text, lines, limit: limitOf(lines), unit: indentUnit(text) };
    infos.set(file, i);
  }
  return i;
}

/** The lines the file already has (one of them is never broken), on first need. */
function oldLines(info: FileInfo): Set<string> {
  return (info.old ??= new Set(info.text.split(/\r\n|\r|\n/)));
}

/**
 * The fix with the lines it writes in Python files fitted to the file (see fitLine). An edit is
 * widened to whole lines only when it writes a line that needs breaking and no other edit of
 * the fix touches those lines.
 */
export function fitFixLines(fs: FileSystem, spec: FixSpec): FixSpec {
  let given: Edit[];
  try {
    given = mergeInsertions(normalizeEdits(spec.edits));
  } catch {
    return spec; // overlapping edits: buildFixes reports them
  }
  let changed = false;
  const edits = given.map((e, k): Edit => {
    if (!e.file.endsWith('.py') || e.create) return e;
    const text = fs.readFile(e.file);
    if (text === undefined) return e;
    const info = fileInfo(e.file, text);
    const lines = info.lines;
    const s = lines.lineStart(lines.positionAt(e.start).line);
    const endPos = lines.positionAt(e.end);
    const t = endPos.character === 0 && e.newText.endsWith(lines.eol) ? e.end : lines.lineEnd(endPos.line);
    if (given.some((o, j) => j !== k && o.file === e.file && o.start <= t && o.end >= s)) return e;
    const limit = info.limit;
    // a line the user already wrote longer keeps its layout (the fix changes only what it must)
    if (text.slice(s, t).split(/\r\n|\r|\n/).some((l) => l.length > limit)) return e;
    const region = text.slice(s, e.start) + e.newText + text.slice(e.end, t);
    const out: string[] = [];
    let wrapped = false;
    for (const l of region.split(/\r\n|\r|\n/)) {
      const f = l.length > limit && !oldLines(info).has(l) ? fitLine(l, limit, info.unit) : [l];
      if (f.length > 1) wrapped = true;
      out.push(...f);
    }
    if (!wrapped) return e;
    changed = true;
    return { ...e, start: s, end: t, newText: out.join(lines.eol) };
  });
  return changed ? { ...spec, edits } : spec;
}
