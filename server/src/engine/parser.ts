/**
 * Python parsing: web-tree-sitter with the Python grammar from @vscode/tree-sitter-wasm,
 * loaded from files on disk (next to the bundle, or from node_modules in development).
 *
 * Two things on top of tree-sitter:
 *  - re-synchronisation after syntax errors: tree-sitter's recovery swallows the rest of the
 *    file after an unclosed bracket into one ERROR node, so the broken statement is blanked out
 *    (same length, newlines kept, so every offset stays valid) and the rest is parsed again,
 *    starting at the next line that looks like a top-level statement;
 *  - incremental re-parsing: a cached tree is edited with the changed span (found by comparing
 *    the old and new texts) and re-parsed, which is several times faster than a full parse.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Parser, Query, type Node, type Tree } from 'web-tree-sitter';
import { IrBuilder, literalItems, type PyStmt } from './ir';
import { LineIndex } from './text';

let parser: Parser | undefined;
let language: Language | undefined;
let initPromise: Promise<void> | undefined;

function candidateDirs(): string[] {
  const dirs = [__dirname, path.join(__dirname, 'wasm')];
  try {
    dirs.push(path.dirname(require.resolve('web-tree-sitter')));
  } catch {
    /* not installed: bundle-only layout */
  }
  try {
    dirs.push(path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm'));
  } catch {
    /* not installed: bundle-only layout */
  }
  return dirs;
}

function findFile(name: string): string {
  for (const d of candidateDirs()) {
    const p = path.join(d, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`django-readiness: cannot find ${name} (looked in ${candidateDirs().join(', ')})`);
}

/** Loads the parser once; every other engine function is synchronous after this. */
export function initParser(): Promise<void> {
  if (!initPromise) {
    initPromise = (async () => {
      const runtime = findFile('web-tree-sitter.wasm');
      await Parser.init({ locateFile: () => runtime });
      language = await Language.load(fs.readFileSync(findFile('tree-sitter-python.wasm')));
      parser = new Parser();
      parser.setLanguage(language);
    })();
  }
  return initPromise;
}

export function isParserReady(): boolean {
  return parser !== undefined;
}

function getParser(): Parser {
  if (!parser) throw new Error('django-readiness: initParser() must be awaited before parsing');
  return parser;
}

const queryCache = new Map<string, Query>();

/** A compiled tree-sitter query over the Python grammar (cached by source). */
export function pythonQuery(source: string): Query {
  let q = queryCache.get(source);
  if (!q) {
    if (!language) throw new Error('django-readiness: parser not initialised');
    q = new Query(language, source);
    queryCache.set(source, q);
  }
  return q;
}

export interface TopStmt {
  /** Absolute start offset of the statement. */
  start: number;
  end: number;
  /** IR with offsets relative to `start`. */
  ir: PyStmt;
}

export interface SyntaxProblem {
  start: number;
  end: number;
  message: string;
}

/** Consecutive comment-only lines from which a run is blanked before parsing (see parseInputOf). */
const COMMENT_RUN = 32;
const COMMENT_RUN_RE = new RegExp(`(?:^[ \\t]*#[^\\r\\n]*(?:\\r\\n|\\r|\\n)){${COMMENT_RUN}}`, 'm');

/**
 * The text tree-sitter is given for a file. Its Python scanner is quadratic over a run of
 * comment-only lines (1,500 of them take 2 s; the same lines blank take 13 ms), which a file with
 * a big commented-out block would pay on every keystroke. Runs of COMMENT_RUN or more such lines
 * are blanked (spaces; offsets and line breaks kept), so the tree has no comment node there:
 * nothing reads comments from the tree but `ModuleEditor.commentsIn`, which also reads these
 * lines from the text. Lone CR line breaks become LF (see below). Undefined: the text is parsed
 * as it is.
 */
export function parseInputOf(text: string): string | undefined {
  let input = COMMENT_RUN_RE.test(text) ? blankCommentRuns(text) : undefined;
  // Python reads a lone CR as a line break (old Mac files); tree-sitter's grammar does not. One
  // character for one: every offset stays valid.
  if (LONE_CR.test(text)) input = (input ?? text).replace(/\r(?!\n)/g, '\n');
  if (text.length >= HUGE_LITERAL) input = blankHugeLiterals(input ?? text) ?? input;
  return input;
}

/** A list or tuple of plain literals this long (characters) is not given to tree-sitter. */
const HUGE_LITERAL = 64 * 1024;

/**
 * Bounded work on huge literal collections (100,000 allowed hosts or IPs in a settings module):
 * tree-sitter spends most of a second on such a list. A list or tuple display of at least
 * HUGE_LITERAL characters whose items are all plain literals (see `literalItems` in ir.ts, which
 * reads them back from the text for the IR) is blanked between its brackets (line breaks kept):
 * the tree has an empty list there. Code rules look for calls, decorators and names, never inside
 * plain literal collections. Only displays that cannot be a call's arguments or a subscript
 * (the previous token is `=`, `,`, `(`, `[`, `{`, `:` or `+`) qualify.
 */
function blankHugeLiterals(text: string): string | undefined {
  let out: string | undefined;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      } else if ((c === 10 || c === 13) && quote.length === 1) quote = '';
      continue;
    }
    if (c === 35 /* # */) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) i++;
    } else if (c === 39 || c === 34) {
      const q = text[i];
      quote = text.startsWith(q + q + q, i) ? q + q + q : q;
      i += quote.length - 1;
    } else if (c === 91 /* [ */ || c === 40 /* ( */) {
      const close = flatCollectionEnd(text, i);
      if (close === undefined) continue;
      if (close - i >= HUGE_LITERAL && opensDisplay(text, i) && literalItems(text, i, close + 1, 0, true)) {
        out = (out ?? text).slice(0, i + 1) + text.slice(i + 1, close).replace(/[^\r\n]/g, ' ') + (out ?? text).slice(close);
      }
      i = close;
    }
  }
  return out;
}

/** The offset of the bracket closing the one at `open` when no bracket is nested inside (strings and comments skipped). */
function flatCollectionEnd(text: string, open: number): number | undefined {
  const want = text[open] === '[' ? 93 : 41;
  let quote = '';
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      } else if ((c === 10 || c === 13) && quote.length === 1) return undefined;
      continue;
    }
    if (c === 35) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) i++;
    } else if (c === 39 || c === 34) {
      const q = text[i];
      quote = text.startsWith(q + q + q, i) ? q + q + q : q;
      i += quote.length - 1;
    } else if (c === want) return i;
    else if (c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125) return undefined;
  }
  return undefined;
}

/** The bracket at `at` starts a display (not a call's arguments or a subscript). */
function opensDisplay(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r' || text[i] === '\\')) i--;
  return i >= 0 && '=,([{:+'.includes(text[i]);
}

const LONE_CR = /\r(?!\n)/;

function blankCommentRuns(text: string): string {
  const lines = text.split(/(\r\n|\r|\n)/);
  // lines[even] = content, lines[odd] = its line break
  let out = '';
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j < lines.length && /^[ \t]*#/.test(lines[j])) j += 2;
    const run = (j - i) / 2;
    for (let k = i; k < Math.max(j, i + 1) && k < lines.length; k += 2) {
      out += run >= COMMENT_RUN ? lines[k].replace(/[^\t]/g, ' ') : lines[k];
      if (k + 1 < lines.length) out += lines[k + 1];
    }
    i = Math.max(j, i + 2);
  }
  return out;
}

/** IR of top-level statements, cached by their exact text (offsets inside are relative). */
const irCache = new Map<string, PyStmt>();
const IR_CACHE_LIMIT = 50_000;

function irFor(node: Node, text: string): PyStmt {
  const src = text.slice(node.startIndex, node.endIndex);
  let ir = irCache.get(src);
  if (!ir) {
    ir = new IrBuilder(node.startIndex, false, text).stmt(node);
    if (irCache.size >= IR_CACHE_LIMIT) irCache.clear();
    irCache.set(src, ir);
  }
  return ir;
}

/** Looks like the first line of a top-level statement (used to resume after a syntax error). */
const STATEMENT_START = /^(?:@|(?!(?:else|elif|except|finally|case)\b)[A-Za-z_])/;

function nextStatementLine(lines: LineIndex, afterLine: number): number | undefined {
  for (let l = afterLine + 1; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    if (STATEMENT_START.test(t)) return l;
  }
  return undefined;
}

/** Parse windows after syntax errors, and their characters, since the process started (tests check the work is bounded). */
export const resyncStats = { windows: 0, chars: 0 };

/** Syntax errors after which the rest of a file is not analysed. */
const MAX_RESYNC = 64;
/** The longest parse window after a syntax error when no statement boundary is certain (see PyModule.windowEnd). */
const RESYNC_WINDOW = 16_000;

/** A top-level child that is (or starts) a broken statement. */
function isBroken(rootType: string, c: Node): boolean {
  // When recovery fails the root itself is an ERROR whose children are fragments (`pair`, `=`,
  // `string_start`...), none marked as an error: the first fragment is where it broke.
  return c.type === 'ERROR' || c.hasError || c.isMissing || (rootType === 'ERROR' && !TOP_LEVEL.test(c.type));
}

/** Node types that may be children of a module. */
const TOP_LEVEL = /^(?:\w+_statement|function_definition|class_definition|decorated_definition|line_continuation)$/;

/**
 * A parsed Python file. `tree` is valid while the module is the cache's current one for its
 * path; it may be built lazily (after a statement-level re-parse, only code rules need it).
 */
export class PyModule {
  readonly lines: LineIndex;
  readonly stmts: TopStmt[] = [];
  readonly syntaxErrors: SyntaxProblem[] = [];
  private treeValue: Tree | undefined;
  private treeThunk: (() => Tree) | undefined;
  /** The older tree (already edited) that `treeThunk` re-parses; owned by this module. */
  private pendingBase: Tree | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    tree: Tree | { base: Tree | undefined; build: () => Tree },
    stmts?: TopStmt[],
    lines?: LineIndex,
    /** What tree-sitter parsed when it is not `text` (long comment runs blanked, see parseInputOf). */
    readonly parseInput?: string,
  ) {
    this.lines = lines ?? new LineIndex(text);
    if ('build' in tree) {
      this.treeThunk = tree.build;
      this.pendingBase = tree.base;
    } else this.treeValue = tree;
    if (stmts) this.stmts = stmts;
    else this.collect();
  }

  /** The tree-sitter tree of the whole file (parsed on first use after a statement splice). */
  get tree(): Tree {
    if (!this.treeValue) {
      const make = this.treeThunk;
      this.treeThunk = undefined;
      if (!make) throw new Error('django-readiness: the tree of this module was released');
      this.treeValue = make();
      this.pendingBase = undefined; // consumed by make()
    }
    return this.treeValue;
  }

  /** Frees the WASM memory of the tree (the module's statements stay usable). */
  release(): void {
    this.treeValue?.delete();
    this.pendingBase?.delete();
    this.treeValue = undefined;
    this.treeThunk = undefined;
    this.pendingBase = undefined;
  }

  /** Hands the tree (or the edited older tree still to re-parse) over to a newer version. */
  takeTree(): { tree?: Tree; base?: Tree } {
    const out = { tree: this.treeValue, base: this.pendingBase };
    this.treeValue = undefined;
    this.treeThunk = undefined;
    this.pendingBase = undefined;
    return out;
  }

  private collect(): void {
    const tree: Tree = this.tree;
    const input = this.parseInput ?? this.text;
    const root = tree.rootNode;
    const children = root.children;
    let broken: { startIndex: number; endIndex: number } | undefined;
    for (let ci = 0; ci < children.length; ci++) {
      const c = children[ci];
      if (!c || c.type === 'comment') continue;
      if (isBroken(root.type, c)) {
        broken = { startIndex: c.startIndex, endIndex: c.endIndex };
        break;
      }
      // the IR is built on first use (code rules rarely need it)
      if (c.isNamed) this.stmts.push(new LazyTopStmt(this, c.startIndex, c.endIndex, ci));
    }
    if (!broken) return;
    // After a syntax error, tree-sitter's recovery may swallow the rest of the file. The rest is
    // parsed again window by window: from the next line that looks like a top-level statement to
    // the first such line where a statement can end (no open bracket or string), at most
    // RESYNC_WINDOW characters when there is none. Each window is parsed once (a broken statement
    // costs one small parse, not a parse of the whole file: 2,000 broken lines took 8 s).
    for (let errors = 1; ; errors++) {
      const errLine = this.lines.positionAt(broken.startIndex).line;
      const next = nextStatementLine(this.lines, errLine);
      const errEnd = next === undefined ? Math.min(broken.endIndex, this.text.length) : Math.min(broken.endIndex, this.lines.lineStart(next));
      const last = next !== undefined && errors >= MAX_RESYNC;
      this.syntaxErrors.push({ start: broken.startIndex, end: Math.max(broken.startIndex, Math.min(errEnd, this.lines.lineEnd(errLine))), message: last ? `syntax error (${MAX_RESYNC} in this file: the rest of it is not analysed)` : 'syntax error' });
      if (next === undefined || last) break;
      broken = undefined;
      let pos = this.lines.lineStart(next);
      while (pos < input.length && !broken) {
        const end = this.windowEnd(input, pos);
        const snippet = input.slice(pos, end);
        // the IR reads literals from the text itself (what the parse input blanked is there)
        const original = this.text.slice(pos, end);
        resyncStats.windows++;
        resyncStats.chars += snippet.length;
        const t = getParser().parse(snippet) as Tree | null;
        if (!t) {
          pos = end;
          continue;
        }
        try {
          const r = t.rootNode;
          for (const c of r.children) {
            if (!c || c.type === 'comment') continue;
            if (isBroken(r.type, c)) {
              broken = { startIndex: pos + c.startIndex, endIndex: pos + c.endIndex };
              break;
            }
            if (c.isNamed) this.stmts.push({ start: pos + c.startIndex, end: pos + c.endIndex, ir: irFor(c, original) });
          }
        } finally {
          t.delete();
        }
        pos = end;
      }
      if (!broken) break;
    }
  }

  /**
   * Where the parse window starting at `pos` (a line start) ends: the first later line that
   * looks like a top-level statement and starts outside any bracket, string or line
   * continuation (within RESYNC_WINDOW characters), else the first later line that looks like a
   * top-level statement, else the end of the text.
   */
  private windowEnd(input: string, pos: number): number {
    const limit = Math.min(input.length, pos + RESYNC_WINDOW);
    let depth = 0;
    let quote = ''; // the open string's delimiter (' " \'\'\' """)
    let continued = false;
    for (let i = pos; i < limit; i++) {
      const ch = input.charCodeAt(i);
      if (quote) {
        if (ch === 92 /* \\ */) i++;
        else if (input.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = '';
        } else if ((ch === 10 || ch === 13) && quote.length === 1) quote = ''; // an unterminated one-line string ends with its line
        if (!(ch === 10 || ch === 13) || quote) continue;
      }
      if (ch === 35 /* # */) {
        while (i + 1 < limit && input.charCodeAt(i + 1) !== 10 && input.charCodeAt(i + 1) !== 13) i++;
        continue;
      }
      if (ch === 39 || ch === 34) {
        const q = input[i];
        quote = input.startsWith(q + q + q, i) ? q + q + q : q;
        i += quote.length - 1;
        continue;
      }
      if (ch === 40 || ch === 91 || ch === 123) depth++;
      else if (ch === 41 || ch === 93 || ch === 125) depth = Math.max(0, depth - 1);
      else if (ch === 92 /* \\ */) continued = input.charCodeAt(i + 1) === 10 || input.charCodeAt(i + 1) === 13;
      else if (ch === 10 || ch === 13) {
        if (ch === 13 && input.charCodeAt(i + 1) === 10) i++;
        const k = i + 1;
        if (depth === 0 && !continued && !quote && STATEMENT_START.test(input.slice(k, k + 12))) return k;
        continued = false;
      }
    }
    const next = nextStatementLine(this.lines, this.lines.positionAt(pos).line);
    return next === undefined ? input.length : this.lines.lineStart(next);
  }

  /** Absolute range of an IR span inside top-level statement `top`. */
  range(top: TopStmt, span: { s: number; e: number }) {
    return this.lines.range(top.start + span.s, top.start + span.e);
  }

  /** The IR of the top-level statement at [start, end) of this text, from the live tree or a fresh parse. */
  irAt(start: number, end: number, index: number): PyStmt {
    const live = this.treeValue;
    const ir = live ? this.irIn(live, start, end, index) : undefined;
    if (ir) return ir;
    // the tree was handed over (to the next version of the file) or released: parse again, once
    // for every statement still without its IR (a parse per statement was quadratic: the first
    // evaluation after a keystroke in a 1,300-line module took seconds)
    const tree = getParser().parse(this.parseInput ?? this.text) as Tree;
    try {
      for (const s of this.stmts) if (s instanceof LazyTopStmt) s.fillFrom(this, tree);
      return this.irIn(tree, start, end, index) ?? { t: 'other', kind: 'unavailable', s: 0, e: end - start };
    } finally {
      tree.delete();
    }
  }

  /** The IR of the top-level statement at [start, end) (the root's child `index`) in a tree of this text. */
  irIn(tree: Tree, start: number, end: number, index: number): PyStmt | undefined {
    const at = tree.rootNode.child(index);
    if (at && at.startIndex === start && at.endIndex === end) return irFor(at, this.text);
    for (const c of tree.rootNode.children) {
      if (c && c.isNamed && c.startIndex === start && c.endIndex === end) return irFor(c, this.text);
      if (c && c.startIndex > start) break;
    }
    return undefined;
  }
}

/** A top-level statement whose IR is built on first read. */
class LazyTopStmt implements TopStmt {
  private value: PyStmt | undefined;

  constructor(
    private readonly module: PyModule,
    readonly start: number,
    readonly end: number,
    /** Its index among the root's children (for a constant-time lookup). */
    private readonly index: number,
  ) {}

  get ir(): PyStmt {
    if (!this.value) this.value = this.module.irAt(this.start, this.end, this.index);
    return this.value;
  }

  /** Takes its IR from a tree of its module's text, when it has none yet. */
  fillFrom(module: PyModule, tree: Tree): void {
    if (!this.value && module === this.module) this.value = module.irIn(tree, this.start, this.end, this.index);
  }
}

interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The single changed span between two texts (common prefix and suffix removed). */
function diffTexts(oldText: string, newText: string): TextChange {
  let start = 0;
  const minLen = Math.min(oldText.length, newText.length);
  while (start < minLen && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/**
 * Re-parses only the top-level statements an edit touches. Returns the new statement list, or
 * undefined when the edit may change the structure around it (then a full parse is needed):
 * the old file must have parsed cleanly, and the re-parsed region must be complete statements.
 */
function spliceStatements(old: PyModule, newText: string, ch: TextChange): TopStmt[] | undefined {
  if (old.syntaxErrors.length > 0) return undefined;
  const stmts = old.stmts;
  const L = old.lines;
  // Affected statements: those overlapping [start, oldEnd] (touching counts).
  let i = 0;
  while (i < stmts.length && stmts[i].end < ch.start) i++;
  let j = i;
  while (j < stmts.length && stmts[j].start <= ch.oldEnd) j++;
  // Region in the old text: whole lines, covering the edit and the affected statements.
  let a = ch.start;
  let b = ch.oldEnd;
  if (j > i) {
    a = Math.min(a, stmts[i].start);
    b = Math.max(b, stmts[j - 1].end);
  }
  a = L.lineStart(L.positionAt(a).line);
  // An edit that ends inside a CRLF (its '\r' deleted) ends past its line's end: take the next line.
  const bLine = L.positionAt(b).line;
  b = b > L.lineEnd(bLine) ? L.lineEnd(bLine + 1) : L.lineEnd(bLine);
  // The region must not cut through a statement.
  if ((i > 0 && stmts[i - 1].end > a) || (j < stmts.length && stmts[j].start < b)) return undefined;
  const delta = ch.newEnd - ch.oldEnd;
  const snippet = newText.slice(a, b + delta);
  if (snippet.length > 20_000) return undefined;
  // Explicit line joining (a backslash at a line end) can glue the snippet to what follows.
  if (/\\\s*$/m.test(snippet)) return undefined;
  // Indentation decides what belongs to a block: every line of the snippet that holds code and
  // the first such line after it must start at column 0 unless they continue a statement of the
  // snippet; checked below for statements, here for the text after the region.
  const after = /\r?\n([^\r\n]*)/g;
  after.lastIndex = b + delta;
  for (let m = after.exec(newText); m; m = after.exec(newText)) {
    if (m[1].trim() === '') continue;
    if (/^\s/.test(m[1])) return undefined;
    break;
  }
  const tree = getParser().parse(snippet);
  if (!tree) return undefined;
  try {
    const root = tree.rootNode;
    if (root.hasError) return undefined;
    const fresh: TopStmt[] = [];
    for (const c of root.children) {
      if (!c) continue;
      if (c.startPosition.column !== 0) return undefined; // indented: part of a block above
      if (!c.isNamed || c.type === 'comment') continue;
      if (c.type === 'line_continuation') return undefined;
      fresh.push({ start: a + c.startIndex, end: a + c.endIndex, ir: irFor(c, snippet) });
    }
    const out = stmts.slice(0, i);
    out.push(...fresh);
    for (let k = j; k < stmts.length; k++) out.push({ start: stmts[k].start + delta, end: stmts[k].end + delta, ir: stmts[k].ir });
    return out;
  } finally {
    tree.delete();
  }
}

interface CacheEntry {
  module: PyModule;
}

/**
 * Parses files, keeping the last version of each for incremental re-parsing: an edit inside
 * complete top-level statements re-parses just those statements; otherwise the cached tree is
 * edited and re-parsed incrementally. Least recently used entries are dropped (and their WASM
 * memory freed) beyond `limit` files.
 */
export class ParseCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly limit = 256) {}

  parse(filePath: string, text: string): PyModule {
    const old = this.entries.get(filePath);
    if (old && old.module.text === text) {
      this.entries.delete(filePath);
      this.entries.set(filePath, old);
      return old.module;
    }
    let module: PyModule;
    const input = parseInputOf(text);
    if (input !== undefined || (old && old.module.parseInput !== undefined)) {
      // a file with a long comment run: parsed whole from its blanked text (incremental paths
      // assume the tree was parsed from the text itself)
      old?.module.release();
      const tree = getParser().parse(input ?? text);
      if (!tree) throw new Error(`django-readiness: the parser returned no tree for ${filePath}`);
      module = new PyModule(filePath, text, tree, undefined, undefined, input);
      this.entries.delete(filePath);
    } else if (old) {
      const ch = diffTexts(old.module.text, text);
      const spliced = spliceStatements(old.module, text, ch);
      // Error recovery after an incremental re-parse can differ from a fresh parse's, so a tree
      // with errors (before or after) is never reused: results stay deterministic.
      const oldClean = old.module.syntaxErrors.length === 0;
      const prev = old.module.takeTree();
      // The previous tree (or the one still waiting to be re-parsed) is edited now, cheaply; it
      // is re-parsed only when someone needs the full tree.
      let base: Tree | undefined = prev.tree ?? prev.base;
      if (base && !oldClean) {
        base.delete();
        base = undefined;
      }
      if (base) editTree(base, text, old.module.lines, ch);
      const pendingBase = base;
      const buildTree = (): Tree => {
        if (!pendingBase) return getParser().parse(text) as Tree;
        let t = getParser().parse(text, pendingBase) as Tree;
        pendingBase.delete();
        if (t.rootNode.hasError) {
          t.delete();
          t = getParser().parse(text) as Tree;
        }
        return t;
      };
      const lines = LineIndex.edited(old.module.lines, text, ch.start, ch.oldEnd, ch.newEnd);
      module = spliced ? new PyModule(filePath, text, { base: pendingBase, build: buildTree }, spliced, lines) : new PyModule(filePath, text, buildTree(), undefined, lines);
      this.entries.delete(filePath);
    } else {
      const tree = getParser().parse(text);
      if (!tree) throw new Error(`django-readiness: the parser returned no tree for ${filePath}`);
      module = new PyModule(filePath, text, tree);
    }
    this.entries.set(filePath, { module });
    while (this.entries.size > this.limit) {
      const first = this.entries.keys().next().value as string;
      this.entries.get(first)?.module.release();
      this.entries.delete(first);
    }
    return module;
  }

  /** Forgets a file (closed, deleted). */
  drop(filePath: string): void {
    const e = this.entries.get(filePath);
    if (e) {
      e.module.release();
      this.entries.delete(filePath);
    }
  }

  clear(): void {
    for (const e of this.entries.values()) e.module.release();
    this.entries.clear();
  }
}

/** Top-level function definitions with their bodies, cached by their exact text. */
const bodyCache = new Map<string, PyStmt>();
const BODY_CACHE_LIMIT = 2_000;
/** Longest function (in characters) whose body is converted: helpers are short. */
export const MAX_FUNCTION_CHARS = 20_000;

/**
 * The IR of a top-level statement with function bodies and parameters (see IrBuilder): the
 * statement's text is parsed on its own, once per distinct text. Undefined for statements that
 * are too long or do not parse cleanly.
 */
export function functionIR(module: PyModule, top: TopStmt): PyStmt | undefined {
  if (top.end - top.start > MAX_FUNCTION_CHARS) return undefined;
  const src = module.text.slice(top.start, top.end);
  let ir = bodyCache.get(src);
  if (ir) return ir;
  const tree = getParser().parse(src);
  if (!tree) return undefined;
  try {
    const root = tree.rootNode;
    if (root.hasError) return undefined;
    const first = root.namedChildren.find((c) => c && c.type !== 'comment');
    if (!first || first.startIndex !== 0) return undefined;
    ir = new IrBuilder(0, true).stmt(first);
  } finally {
    tree.delete();
  }
  if (bodyCache.size >= BODY_CACHE_LIMIT) bodyCache.clear();
  bodyCache.set(src, ir);
  return ir;
}

/**
 * `text` parsed as a variant of `module` (a fix checked before it is applied), leaving `module`
 * as it is: when the change stays within whole top-level statements only those are parsed (the
 * variant's tree is parsed on first use); otherwise the whole text. The caller releases it.
 */
export function parseVariant(module: PyModule, text: string): PyModule {
  if (module.parseInput === undefined && parseInputOf(text) === undefined) {
    const ch = diffTexts(module.text, text);
    const spliced = spliceStatements(module, text, ch);
    if (spliced) {
      const lines = LineIndex.edited(module.lines, text, ch.start, ch.oldEnd, ch.newEnd);
      return new PyModule(module.path, text, { base: undefined, build: () => getParser().parse(text) as Tree }, spliced, lines);
    }
  }
  return parseOnce(module.path, text);
}

/** Parses once without caching; the caller must call `module.tree.delete()`. */
export function parseOnce(filePath: string, text: string): PyModule {
  const input = parseInputOf(text);
  const tree = getParser().parse(input ?? text);
  if (!tree) throw new Error(`django-readiness: the parser returned no tree for ${filePath}`);
  return new PyModule(filePath, text, tree, undefined, undefined, input);
}

/** Applies a text change to a tree, for incremental parsing. */
function editTree(tree: Tree, newText: string, oldLines: LineIndex, ch: TextChange): void {
  const { start, oldEnd, newEnd } = ch;
  const point = (p: { line: number; character: number }) => ({ row: p.line, column: p.character });
  const startPosition = point(oldLines.positionAt(start));
  // The new end: the start position advanced over the inserted text.
  const inserted = newText.slice(start, newEnd);
  const breaks = inserted.split(/\r\n|\r|\n/);
  const newEndPosition =
    breaks.length === 1
      ? { row: startPosition.row, column: startPosition.column + inserted.length }
      : { row: startPosition.row + breaks.length - 1, column: breaks[breaks.length - 1].length };
  tree.edit(
    new Edit({
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: newEnd,
      startPosition,
      oldEndPosition: point(oldLines.positionAt(oldEnd)),
      newEndPosition,
    }),
  );
}
