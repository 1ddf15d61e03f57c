/**
 * git's ignore rules, as git applies them (dir.c and wildmatch.c of git, re-implemented; git is
 * never run): the `.gitignore` of the repository root and of every folder down to the file,
 * `.git/info/exclude`, the last matching pattern winning (a deeper `.gitignore` before a shallower
 * one, info/exclude last), a file inside an ignored folder ignored whatever its own patterns
 * say (git does not look inside an ignored folder).
 *
 * Reading a pattern file: lines end at LF (a CR before it is dropped; a lone CR is part of the
 * line), a UTF-8 BOM is skipped, blank lines and lines starting with `#` are skipped, trailing
 * spaces are removed unless escaped with a backslash (tabs and non-breaking spaces are kept:
 * `.env<TAB>` does not ignore `.env`). `!` negates, a trailing `/` matches folders only, a pattern
 * without a `/` (other than a trailing one) matches the name at any depth, one with a `/` matches
 * the path relative to the `.gitignore`'s folder. Matching is done on the UTF-8 bytes, with git's
 * wildmatch: `*` and `?` do not cross `/`, `**` does in `/**`, `**\/` and `/**\/`, `[...]` classes
 * (`!` or `^` to negate, ranges, `[:alpha:]`...), backslash escapes. Case-sensitive (core.ignorecase
 * is not read).
 */
import * as path from 'node:path';
import type { FileSystem } from './project';

const NEGATIVE = 1;
const MUST_BE_DIR = 2;
const NO_DIR = 4;

export interface IgnorePattern {
  /** The pattern's bytes (without `!` and the trailing `/`). */
  pattern: Uint8Array;
  flags: number;
  /** Length of the leading part without wildcard characters. */
  noWildcardLen: number;
  /** The folder of the pattern file relative to the repository root, `/`-terminated ('' at the root). */
  base: string;
  /** The pattern as written (for messages). */
  text: string;
}

const utf8 = new TextEncoder();
const BS = 0x5c; // backslash
const SLASH = 0x2f;
const STAR = 0x2a;

function isGlobSpecial(c: number): boolean {
  return c === STAR || c === 0x3f /* ? */ || c === 0x5b /* [ */ || c === BS;
}

/** git's trim_trailing_spaces: unescaped trailing spaces (only ' ') go. */
function trimTrailingSpaces(line: Uint8Array): Uint8Array {
  let lastSpace = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === 0x20) {
      if (lastSpace < 0) lastSpace = i;
    } else if (c === BS) {
      i++;
      if (i >= line.length) return line;
      lastSpace = -1;
    } else lastSpace = -1;
  }
  return lastSpace >= 0 ? line.subarray(0, lastSpace) : line;
}

function patternFromLine(line: Uint8Array, base: string): IgnorePattern {
  let p = line;
  let flags = 0;
  if (p[0] === 0x21 /* ! */) {
    flags |= NEGATIVE;
    p = p.subarray(1);
  }
  let len = p.length;
  if (len > 0 && p[len - 1] === SLASH) {
    len--;
    flags |= MUST_BE_DIR;
  }
  p = p.subarray(0, len);
  if (!p.includes(SLASH)) flags |= NO_DIR;
  let simple = 0;
  while (simple < p.length && !isGlobSpecial(p[simple])) simple++;
  return { pattern: p, flags, noWildcardLen: simple, base, text: new TextDecoder().decode(line) };
}

/**
 * The patterns of one pattern file. `base`: the file's folder relative to the repository root
 * ('' or `dir/sub/`). Bytes or text (text is matched as its UTF-8 bytes).
 */
export function parseGitignore(content: string | Uint8Array, base = ''): IgnorePattern[] {
  let buf = typeof content === 'string' ? utf8.encode(content) : content;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  const out: IgnorePattern[] = [];
  let start = 0;
  for (let i = 0; i <= buf.length; i++) {
    if (i < buf.length && buf[i] !== 0x0a) continue;
    // the last line counts even without a final LF
    if (i > start && buf[start] !== 0x23 /* # */) {
      let end = i;
      if (i < buf.length && buf[end - 1] === 0x0d) end--;
      let line = buf.subarray(start, end);
      const nul = line.indexOf(0);
      if (nul >= 0) line = line.subarray(0, nul); // git reads the line as a C string
      out.push(patternFromLine(trimTrailingSpaces(line), base));
    }
    start = i + 1;
  }
  return out;
}

// ------------------------------------------------------------------ wildmatch (git's, on bytes)

const MATCH = 0;
const NOMATCH = 1;
const ABORT_ALL = -1;
const ABORT_TO_STARSTAR = -2;

const isAscii = (c: number) => c < 0x80;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isAlpha = (c: number) => isUpper(c) || isLower(c);
/** git's sane ctype: space, \t, \n, \r. */
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isPrint = (c: number) => c >= 0x20 && c <= 0x7e;
const isCntrl = (c: number) => c < 0x20 || c === 0x7f;
const isPunct = (c: number) => isPrint(c) && !isAlpha(c) && !isDigit(c) && c !== 0x20;

function charClass(name: string, c: number): boolean | undefined {
  if (!isAscii(c)) return name in CLASSES ? false : undefined;
  const f = CLASSES[name];
  return f ? f(c) : undefined;
}

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: isAlpha,
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: isCntrl,
  digit: isDigit,
  graph: (c) => isPrint(c) && c !== 0x20,
  lower: isLower,
  print: isPrint,
  punct: isPunct,
  space: isSpace,
  upper: isUpper,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

/**
 * git's dowild(), statement for statement. Patterns and texts are C strings there: byte 0 ends
 * them, and `at()` returns 0 past the end (a pattern line is cut at a NUL byte when read).
 */
function dowild(p: Uint8Array, pi: number, t: Uint8Array, ti: number, pathname: boolean): number {
  const at = (a: Uint8Array, i: number) => (i < a.length ? a[i] : 0);
  for (; at(p, pi) !== 0; ti++, pi++) {
    let pch = p[pi];
    const tch = at(t, ti);
    if (tch === 0 && pch !== STAR) return ABORT_ALL;
    switch (pch) {
      case BS:
        // a literal match with the next character (none: no match)
        pch = at(p, ++pi);
        if (tch !== pch) return NOMATCH;
        continue;
      default:
        if (tch !== pch) return NOMATCH;
        continue;
      case 0x3f: // ?
        if (pathname && tch === SLASH) return NOMATCH;
        continue;
      case STAR: {
        let matchSlash: boolean;
        if (at(p, ++pi) === STAR) {
          const prev = pi - 2;
          while (at(p, ++pi) === STAR) {
            /* the rest of the run */
          }
          const c = at(p, pi);
          if ((prev < 0 || p[prev] === SLASH) && (c === 0 || c === SLASH || (c === BS && at(p, pi + 1) === SLASH))) {
            // `**/`: may match nothing (foo/**/bar matches foo/bar)
            if (c === SLASH && dowild(p, pi + 1, t, ti, pathname) === MATCH) return MATCH;
            matchSlash = true;
          } else matchSlash = false;
        } else matchSlash = !pathname;
        if (at(p, pi) === 0) {
          // a trailing `**` matches everything; a trailing `*` only up to the next slash
          if (!matchSlash && t.indexOf(SLASH, ti) >= 0) return NOMATCH;
          return MATCH;
        } else if (!matchSlash && at(p, pi) === SLASH) {
          // one star before a slash: the rest of this folder name
          const slash = t.indexOf(SLASH, ti);
          if (slash < 0) return NOMATCH;
          ti = slash;
          break; // the slash is matched by the loop
        }
        let tc = at(t, ti);
        for (;;) {
          if (tc === 0) break;
          const pc = at(p, pi);
          if (!isGlobSpecial(pc)) {
            // a literal follows: skip to its next occurrence
            while ((tc = at(t, ti)) !== 0 && (matchSlash || tc !== SLASH)) {
              if (tc === pc) break;
              ti++;
            }
            if (tc !== pc) {
              if (matchSlash) return ABORT_ALL;
              break;
            }
          }
          const matched = dowild(p, pi, t, ti, pathname);
          if (matched !== NOMATCH) {
            if (!matchSlash || matched !== ABORT_TO_STARSTAR) return matched;
          } else if (!matchSlash && tc === SLASH) return ABORT_TO_STARSTAR;
          tc = at(t, ++ti);
        }
        return ABORT_ALL;
      }
      case 0x5b: {
        // [...]
        pch = at(p, ++pi);
        if (pch === 0x5e) pch = 0x21; // ^ is !
        const negated = pch === 0x21;
        if (negated) pch = at(p, ++pi);
        let prev = 0;
        let matched = false;
        do {
          if (pch === 0) return ABORT_ALL;
          if (pch === BS) {
            pch = at(p, ++pi);
            if (pch === 0) return ABORT_ALL;
            if (tch === pch) matched = true;
          } else if (pch === 0x2d /* - */ && prev && at(p, pi + 1) && at(p, pi + 1) !== 0x5d) {
            pch = at(p, ++pi);
            if (pch === BS) {
              pch = at(p, ++pi);
              if (pch === 0) return ABORT_ALL;
            }
            if (tch <= pch && tch >= prev) matched = true;
            pch = 0; // so that prev becomes 0
          } else if (pch === 0x5b && at(p, pi + 1) === 0x3a /* : */) {
            pi += 2;
            const s = pi;
            while ((pch = at(p, pi)) !== 0 && pch !== 0x5d) pi++;
            if (pch === 0) return ABORT_ALL;
            const len = pi - s - 1;
            if (len < 0 || p[pi - 1] !== 0x3a) {
              // no `:]`: a plain `[` member
              pi = s - 2;
              pch = 0x5b;
              if (tch === pch) matched = true;
              continue;
            }
            const r = charClass(new TextDecoder().decode(p.subarray(s, s + len)), tch);
            if (r === undefined) return ABORT_ALL; // malformed [:class:]
            if (r) matched = true;
            pch = 0;
          } else if (tch === pch) matched = true;
        } while (((prev = pch), (pch = at(p, ++pi))) !== 0x5d);
        if (matched === negated || (pathname && tch === SLASH)) return NOMATCH;
        continue;
      }
    }
  }
  return at(t, ti) !== 0 ? NOMATCH : MATCH;
}

/** git's wildmatch; `pathname`: WM_PATHNAME (`*` and `?` do not match `/`). */
export function wildmatch(pattern: string | Uint8Array, text: string | Uint8Array, pathname: boolean): boolean {
  const p = typeof pattern === 'string' ? utf8.encode(pattern) : pattern;
  const t = typeof text === 'string' ? utf8.encode(text) : text;
  return dowild(p, 0, t, 0, pathname) === MATCH;
}

function bytesEqual(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
}

function matchBasename(base: Uint8Array, p: IgnorePattern): boolean {
  const pat = p.pattern;
  if (p.noWildcardLen === pat.length) return pat.length === base.length && bytesEqual(pat, 0, base, 0, pat.length);
  return dowild(pat, 0, base, 0, false) === MATCH;
}

function matchPathname(pathBytes: Uint8Array, p: IgnorePattern): boolean {
  let pat = p.pattern;
  let prefix = p.noWildcardLen;
  if (pat[0] === SLASH) {
    pat = pat.subarray(1);
    prefix--;
  }
  const base = utf8.encode(p.base);
  const baselen = base.length > 0 ? base.length - 1 : 0;
  if (pathBytes.length < baselen + 1 || (baselen && pathBytes[baselen] !== SLASH) || !bytesEqual(pathBytes, 0, base, 0, baselen)) return false;
  let name = baselen ? pathBytes.subarray(baselen + 1) : pathBytes;
  if (prefix > 0) {
    if (prefix > name.length) return false;
    if (!bytesEqual(pat, 0, name, 0, prefix)) return false;
    pat = pat.subarray(prefix);
    name = name.subarray(prefix);
    if (pat.length === 0 && name.length === 0) return true;
  }
  return dowild(pat, 0, name, 0, true) === MATCH;
}

/** The last pattern of `patterns` matching `rel` (relative to the repository root), if any. */
function lastMatching(patterns: IgnorePattern[], rel: string, isDir: boolean): IgnorePattern | undefined {
  const pathBytes = utf8.encode(rel);
  const baseBytes = utf8.encode(rel.slice(rel.lastIndexOf('/') + 1));
  for (let i = patterns.length - 1; i >= 0; i--) {
    const p = patterns[i];
    if (p.flags & MUST_BE_DIR && !isDir) continue;
    if (p.flags & NO_DIR ? matchBasename(baseBytes, p) : matchPathname(pathBytes, p)) return p;
  }
  return undefined;
}

/**
 * Whether the patterns of one `.gitignore` decide about `rel` (a path relative to that file's
 * folder, `/`-separated): true = ignored, false = re-included, undefined = no pattern matches.
 * A folder on the way that the patterns ignore ignores the file.
 */
export function gitignoreDecision(patterns: IgnorePattern[], rel: string, isDir = false): boolean | undefined {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const m = lastMatching(patterns, parts.slice(0, i).join('/'), true);
    if (m && !(m.flags & NEGATIVE)) return true;
  }
  const m = lastMatching(patterns, rel, isDir);
  return m ? !(m.flags & NEGATIVE) : undefined;
}

/** The folder of the repository holding `file` (a folder with `.git`), or undefined. */
export function repositoryRoot(fs: FileSystem, file: string, maxUp = 24): string | undefined {
  let dir = path.dirname(file);
  for (let i = 0; i < maxUp; i++) {
    if (fs.exists(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** Parsed pattern files, by file and text (a changed text is parsed again). */
const parsed = new Map<string, { text: string; base: string; patterns: IgnorePattern[] }>();

function patternsOf(fs: FileSystem, file: string, base: string, overlay?: Map<string, string>): IgnorePattern[] {
  const text = overlay?.get(file) ?? fs.readFile(file);
  if (text === undefined) return [];
  const c = parsed.get(file);
  if (c && c.text === text && c.base === base) return c.patterns;
  const patterns = parseGitignore(text, base);
  if (parsed.size > 512) parsed.clear();
  parsed.set(file, { text, base, patterns });
  return patterns;
}

/**
 * Would git ignore `file` (a path on disk)? By the `.gitignore` files from the repository root
 * down to the file's folder and `.git/info/exclude`. Outside a repository, the `.gitignore` files
 * of the file's folder and up to `maxUp` folders above count, the highest one as the root.
 */
export function isGitIgnored(fs: FileSystem, file: string, overlay?: Map<string, string>, isDir = false): boolean {
  let root = repositoryRoot(fs, file);
  if (!root) {
    let dir = path.dirname(file);
    root = dir;
    for (let i = 0; i < 12; i++) {
      if (overlay?.has(path.join(dir, '.gitignore')) || fs.exists(path.join(dir, '.gitignore'))) root = dir;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel === '' || rel.startsWith('../')) return false;
  const parts = rel.split('/');
  const exclude = patternsOf(fs, path.join(root, '.git', 'info', 'exclude'), '', overlay);
  // .gitignore lists from the root down (the deepest is consulted first)
  const lists: IgnorePattern[][] = [patternsOf(fs, path.join(root, '.gitignore'), '', overlay)];
  const decide = (p: string, dir: boolean): IgnorePattern | undefined => {
    for (let i = lists.length - 1; i >= 0; i--) {
      const m = lastMatching(lists[i], p, dir);
      if (m) return m;
    }
    return lastMatching(exclude, p, dir);
  };
  for (let i = 1; i < parts.length; i++) {
    const dirRel = parts.slice(0, i).join('/');
    const m = decide(dirRel, true);
    if (m && !(m.flags & NEGATIVE)) return true;
    lists.push(patternsOf(fs, path.join(root, ...parts.slice(0, i), '.gitignore'), dirRel + '/', overlay));
  }
  const m = decide(rel, isDir);
  return !!m && !(m.flags & NEGATIVE);
}
