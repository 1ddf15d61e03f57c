/**
 * Calls of a few names read from Python source text without parsing it, for prefilters that
 * must let through every file where a rule can report and as few others as possible (a
 * migration module is parsed only when one of its operations can be reported).
 *
 * The text is masked first (comments and string contents become spaces, so brackets, commas
 * and names are code), then each occurrence of a name is classified:
 *
 *  - `name(...)`, alone or as the last part of a dotted name (`migrations.RunPython(`): a call,
 *    its arguments split at the top-level commas;
 *  - `name.attr` (`RunPython.noop`), or `name` in an import statement without `as`: nothing
 *    that can be called under that name;
 *  - anything else (an alias `import RunPython as RP`, a reference passed around, a call of the
 *    call's result `name(...)(...)`, unbalanced brackets, the name inside an f-string, where
 *    tree-sitter reads code): `unsure`, and the prefilter must match.
 */

export interface TextCall {
  name: string;
  /** The offset of the name. */
  at: number;
  /** The arguments (masked text), top-level commas split; a trailing comma gives no empty one. */
  args: TextArg[];
}

export interface TextArg {
  /** `name=value`: the keyword. */
  keyword?: string;
  /** The value (masked text, trimmed; the whole argument when positional). */
  value: string;
  /** `*x` or `**x`. */
  splat: boolean;
}

export interface CallScan {
  calls: TextCall[];
  /** Some occurrence could not be read as a call or a harmless reference (see above). */
  unsure: boolean;
}

export interface Masked {
  /** The text with comments and the contents of string literals blanked (same length, quotes kept). */
  masked: string;
  /** The bodies of f-strings (offsets): their braces hold code. */
  fstrings: [number, number][];
}

/** Masks comments and string contents (see Masked). */
export function maskPython(text: string): Masked {
  const out: string[] = [];
  let last = 0;
  const fstrings: [number, number][] = [];
  const n = text.length;
  let i = 0;
  const blank = (from: number, to: number) => {
    out.push(text.slice(last, from), ' '.repeat(to - from));
    last = to;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      let j = i;
      while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      blank(i, j);
      i = j;
      continue;
    }
    if (c === 34 || c === 39) {
      // the prefix letters before the quote (r, b, u, f and their combinations)
      let p = i;
      while (p > 0 && /[rRbBuUfF]/.test(text[p - 1])) p--;
      const prefix = p > 0 && /[\w]/.test(text[p - 1]) ? '' : text.slice(p, i);
      const q = text[i];
      const triple = text.startsWith(q + q + q, i);
      const quote = triple ? q + q + q : q;
      let j = i + quote.length;
      let closed = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92 /* \ */) {
          j += 2;
          continue;
        }
        if (!triple && (d === 10 || d === 13)) break;
        if (text.startsWith(quote, j)) {
          closed = true;
          break;
        }
        j++;
      }
      const end = Math.min(n, j);
      if (/f/i.test(prefix)) fstrings.push([i + quote.length, end]);
      blank(i + quote.length, end);
      i = closed ? end + quote.length : end;
      continue;
    }
    i++;
  }
  out.push(text.slice(last));
  return { masked: out.join(''), fstrings };
}

const IDENT = /[A-Za-z_0-9]/;

/** The last masking (several rules' prefilters scan the same text in turn). */
let lastMask: { text: string; out: Masked } | undefined;

function masked(text: string): Masked {
  if (lastMask && lastMask.text === text) return lastMask.out;
  const out = maskPython(text);
  lastMask = { text, out };
  return out;
}

/** The index of the bracket closing the one at `open` in masked text, or -1. */
function closing(m: string, open: number): number {
  let depth = 0;
  for (let i = open; i < m.length; i++) {
    const c = m[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** The arguments between the parenthesis at `open` and its match `close` (masked text). */
function textArgs(m: string, open: number, close: number): TextArg[] {
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  // a lambda's parameters are separated by commas too: `RunPython(lambda apps, editor: None)`
  let lambdas = 0;
  for (let i = open + 1; i < close; i++) {
    const c = m[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth !== 0) continue;
    else if (c === 'l' && m.startsWith('lambda', i) && !IDENT.test(m[i - 1]) && !IDENT.test(m[i + 6] ?? '')) lambdas++;
    else if (c === ':' && lambdas > 0 && m[i + 1] !== '=') lambdas--;
    else if (c === ',' && lambdas === 0) {
      parts.push(m.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(m.slice(start, close));
  const args: TextArg[] = [];
  for (const raw of parts) {
    const s = raw.trim();
    if (!s) continue;
    if (s.startsWith('*')) {
      args.push({ value: s, splat: true });
      continue;
    }
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(s);
    args.push(kw ? { keyword: kw[1], value: s.slice(kw[0].length).trim(), splat: false } : { value: s, splat: false });
  }
  return args;
}

/** Strips parentheses that wrap a whole expression: `((x))` -> `x` (masked text, trimmed). */
export function unwrap(value: string): string {
  let v = value.trim();
  while (v.startsWith('(') && closing(v, 0) === v.length - 1) v = v.slice(1, -1).trim();
  return v;
}

/**
 * A call written `a.b.name(...)` or `name(...)` (after unwrap): its last name and arguments;
 * undefined when the value is no call at all (it does not end with `)`); `'other'` when it
 * ends with `)` in another shape (a call of a call, of a subscript...).
 */
export function dottedCall(value: string): { name: string; dotted: boolean; args: TextArg[] } | 'other' | undefined {
  const v = unwrap(value);
  if (!v.endsWith(')')) return undefined;
  const m = /^[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*\s*\(/.exec(v);
  if (!m || closing(v, m[0].length - 1) !== v.length - 1) return 'other';
  const callee = m[0].slice(0, -1).trim();
  return { name: callee.slice(callee.lastIndexOf('.') + 1).trim(), dotted: callee.includes('.'), args: textArgs(v, m[0].length - 1, v.length - 1) };
}

/**
 * The ranges of import statements (masked text): a line starting with `import` or `from ...
 * import`, with its parenthesised name list when there is one. A backslash continuation or an
 * import after `;` is not recognised (its names are then `unsure`: the prefilter matches).
 */
function importRanges(m: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import\b[ \t]*(\([^)]*\)|[^\r\n]*)/gm;
  for (let hit = re.exec(m); hit; hit = re.exec(m)) out.push([hit.index, hit.index + hit[0].length]);
  return out;
}

/** The calls of `names` in `text` (see the module comment). */
export function scanCalls(text: string, names: ReadonlySet<string>, pattern: RegExp): CallScan {
  const { masked: m, fstrings } = masked(text);
  const calls: TextCall[] = [];
  // a name inside an f-string's braces is code tree-sitter reads: not read here
  let unsure = fstrings.some(([s, e]) => [...names].some((n) => text.slice(s, e).includes(n)));
  const re = new RegExp(pattern.source, 'g');
  let imports: [number, number][] = [];
  let importsRead = false;
  for (let hit = re.exec(m); hit; hit = re.exec(m)) {
    const at = hit.index;
    const name = hit[0];
    if (!names.has(name) || (at > 0 && IDENT.test(m[at - 1])) || IDENT.test(m[at + name.length] ?? '')) continue;
    let j = at + name.length;
    while (j < m.length && /[ \t\r\n\\]/.test(m[j])) j++;
    const next = m[j];
    if (next === '(') {
      const close = closing(m, j);
      if (close < 0) {
        unsure = true;
        continue;
      }
      // the call's result called again: `name(...)(...)` has the name as well
      let k = close + 1;
      while (k < m.length && /[ \t\r\n\\]/.test(m[k])) k++;
      if (m[k] === '(') unsure = true;
      calls.push({ name, at, args: textArgs(m, j, close) });
      continue;
    }
    if (next === '.') continue;
    if (!importsRead) {
      imports = importRanges(m);
      importsRead = true;
    }
    if (imports.some(([s, e]) => s <= at && at < e) && !/^\s*as\b/.test(m.slice(j, j + 8))) continue;
    unsure = true;
  }
  return { calls, unsure };
}
