/**
 * Where things are in a TOML file. smol-toml gives the values but no positions; this scanner
 * walks the text once (strings, comments, brackets, table headers) and records, for every key
 * and table header, its dotted path, its line, and the string literals of its value with their
 * positions. Values are always taken from smol-toml; this only says where they were written.
 */

export interface TomlString {
  value: string;
  line: number;
  /** Columns of the literal on its line, quotes included. */
  start: number;
  end: number;
}

export interface TomlEntry {
  /** Dotted path: the table header's keys then the key's (unquoted). */
  path: string[];
  /** A table header (`[a.b]` / `[[a.b]]`) rather than a `key = value`. */
  header: boolean;
  line: number;
  /** Columns of the key (or header) on its line. */
  start: number;
  end: number;
  /** String literals inside the value, in order (nested arrays and inline tables included). */
  strings: TomlString[];
}

class Cursor {
  i = 0;
  line = 0;
  col = 0;
  constructor(readonly s: string) {}
  get ch(): string {
    return this.s[this.i];
  }
  peek(n = 0): string {
    return this.s[this.i + n];
  }
  eof(): boolean {
    return this.i >= this.s.length;
  }
  next(): string {
    const c = this.s[this.i++];
    if (c === '\n') {
      this.line++;
      this.col = 0;
    } else this.col++;
    return c;
  }
  startsWith(t: string): boolean {
    return this.s.startsWith(t, this.i);
  }
}

/** Reads a string literal at the cursor (any of TOML's four kinds); returns its value. */
function readString(c: Cursor): string {
  const q = c.ch;
  const triple = c.startsWith(q.repeat(3));
  const delim = triple ? q.repeat(3) : q;
  for (let k = 0; k < delim.length; k++) c.next();
  let out = '';
  while (!c.eof()) {
    if (c.startsWith(delim)) {
      // a triple-quoted string may end with up to two extra quotes
      while (triple && c.peek(3) === q) out += c.next();
      for (let k = 0; k < delim.length; k++) c.next();
      return out;
    }
    const ch = c.ch;
    if (!triple && ch === '\n') return out; // unterminated: stop at the line end
    if (q === '"' && ch === '\\') {
      c.next();
      const e = c.next();
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
      if (e in map) out += map[e];
      else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        let hex = '';
        for (let k = 0; k < n; k++) hex += c.next();
        const cp = parseInt(hex, 16);
        if (Number.isFinite(cp) && cp <= 0x10ffff) out += String.fromCodePoint(cp);
      } else if (e === '\n' || e === ' ' || e === '\t' || e === '\r') {
        while (!c.eof() && /\s/.test(c.ch)) c.next(); // line-ending backslash
      } else out += e;
      continue;
    }
    out += c.next();
  }
  return out;
}

function skipComment(c: Cursor): void {
  while (!c.eof() && c.ch !== '\n') c.next();
}

/** Reads a dotted key (`a."b.c".d`) up to `=` or `]`; its parts and the column after its last non-blank. */
function readKey(c: Cursor, stop: string): { parts: string[]; end: number } {
  const parts: string[] = [];
  let cur = '';
  let end = c.col;
  while (!c.eof() && c.ch !== '\n' && !stop.includes(c.ch)) {
    const ch = c.ch;
    if (ch === '"' || ch === "'") {
      cur += readString(c);
      end = c.col;
      continue;
    }
    if (ch === '.') {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
    c.next();
    if (ch !== ' ' && ch !== '\t') end = c.col;
  }
  parts.push(cur.trim());
  return { parts, end };
}

/** Every key and table header of a TOML text, with positions. Never throws. */
export function scanToml(text: string): TomlEntry[] {
  const c = new Cursor(text);
  const out: TomlEntry[] = [];
  let table: string[] = [];
  while (!c.eof()) {
    // at the start of a line (or after a value): skip blanks
    while (!c.eof() && (c.ch === ' ' || c.ch === '\t' || c.ch === '\r' || c.ch === '\n')) c.next();
    if (c.eof()) break;
    if (c.ch === '#') {
      skipComment(c);
      continue;
    }
    if (c.ch === '[') {
      const line = c.line;
      const start = c.col;
      const arr = c.peek(1) === '[';
      c.next();
      if (arr) c.next();
      const path = readKey(c, ']').parts;
      if (c.peek() === ']') c.next();
      if (arr && c.peek() === ']') c.next();
      table = path;
      out.push({ path, header: true, line, start, end: c.col, strings: [] });
      skipComment(c);
      continue;
    }
    const line = c.line;
    const start = c.col;
    const key = readKey(c, '=');
    if (c.ch !== '=') {
      skipComment(c);
      continue;
    }
    c.next();
    const entry: TomlEntry = { path: [...table, ...key.parts], header: false, line, start, end: Math.max(start + 1, key.end), strings: [] };
    out.push(entry);
    readValue(c, entry.strings);
  }
  return out;
}

/** Skips a value (to the end of its line, or of its brackets), collecting its string literals. */
function readValue(c: Cursor, strings: TomlString[]): void {
  let depth = 0;
  while (!c.eof()) {
    const ch = c.ch;
    if (ch === '"' || ch === "'") {
      const line = c.line;
      const start = c.col;
      const value = readString(c);
      strings.push({ value, line, start, end: c.line === line ? c.col : start + 1 });
      continue;
    }
    if (ch === '#') {
      skipComment(c);
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === '\n' && depth === 0) {
      c.next();
      return;
    }
    c.next();
  }
}
