/**
 * Building fixes as text edits that follow the file's own style: its quotes, indentation and
 * line breaks, its environment idiom (python-decouple `config`, a django-environ `Env`, else
 * `os.environ`), and its imports (added once, next to the existing ones).
 */
import type { Node } from 'web-tree-sitter';
import type { ModuleScope } from './evaluator';
import { importSlot, nameSlot, type ImportShape } from './importOrder';
import { lineLimit } from './linefit';
import type { PyDictEntry, PyExpr, PyStmt } from './ir';
import { trailingOverrides } from './overrides';
import type { PyModule, TopStmt } from './parser';
import type { Edit } from './types';

/** Quote counts per top-level statement (by its IR, shared while the statement text is unchanged). */
const quoteCounts = new WeakMap<object, [number, number]>();

function countQuotes(text: string): [number, number] {
  let single = 0;
  let double = 0;
  const re = /(^|[=([,{:\s])(['"])/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text)) && n++ < 2000) {
    if (m[2] === "'") single++;
    else double++;
  }
  return [single, double];
}

/** The quote most string literals of a parsed module use (statement counts are cached). */
export function moduleQuote(module: PyModule): "'" | '"' {
  if (module.stmts.length === 0) return quoteOf(module.text);
  let single = 0;
  let double = 0;
  for (const top of module.stmts) {
    let c = quoteCounts.get(top.ir);
    if (!c) {
      c = countQuotes(module.text.slice(top.start, top.end));
      quoteCounts.set(top.ir, c);
    }
    single += c[0];
    double += c[1];
    if (single + double > 2000) break;
  }
  return single > double ? "'" : '"';
}

/** The families (`SECURE_` of SECURE_HSTS_SECONDS) a statement assigns, per statement IR. */
const familyCache = new WeakMap<object, string[]>();
const NO_FAMILIES: string[] = [];

function familiesOf(ir: PyStmt): string[] {
  if (ir.t !== 'assign') return NO_FAMILIES;
  let f = familyCache.get(ir);
  if (!f) {
    f = [];
    for (const t of ir.targets) {
      if (t.t !== 'name') continue;
      const u = t.id.indexOf('_');
      if (u > 0) f.push(t.id.slice(0, u + 1));
    }
    familyCache.set(ir, f);
  }
  return f;
}

/** The quote character most string literals of a text use. */
export function quoteOf(text: string): "'" | '"' {
  const [single, double] = countQuotes(text);
  return single > double ? "'" : '"';
}

export function pyStr(value: string, quote: "'" | '"'): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(quote === "'" ? /'/g : /"/g, `\\${quote}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `${quote}${escaped}${quote}`;
}

/** The indentation unit used by the module (4 spaces unless it uses something else). */
export function indentUnit(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return '    ';
  return m[1].startsWith('\t') ? '\t' : m[1].length <= 8 ? m[1] : '    ';
}

export type EnvIdiom = { kind: 'decouple'; config: string; csv?: string } | { kind: 'environ'; env: string } | { kind: 'os' };

/** Edits for one module, in its own style. */
export class ModuleEditor {
  private quoteValue: "'" | '"' | undefined;
  private indentValue: string | undefined;

  constructor(
    readonly module: PyModule,
    readonly scope?: ModuleScope,
  ) {}

  /** The module's quote style (computed when a fix first needs it: code rules rarely do). */
  get quote(): "'" | '"' {
    return (this.quoteValue ??= moduleQuote(this.module));
  }

  get eol(): string {
    return this.module.lines.eol;
  }

  get indent(): string {
    return (this.indentValue ??= indentUnit(this.module.text));
  }

  get file(): string {
    return this.module.path;
  }

  str(value: string): string {
    return pyStr(value, this.quote);
  }

  replace(start: number, end: number, newText: string): Edit {
    return { file: this.file, start, end, newText };
  }

  insert(offset: number, newText: string): Edit {
    return this.replace(offset, offset, newText);
  }

  /** Replaces the span of an IR node inside top-level statement `top`. */
  replaceNode(top: TopStmt, node: { s: number; e: number }, newText: string): Edit {
    const a = top.start + node.s;
    const b = top.start + node.e;
    const comments = this.commentsIn(a, b);
    if (comments.length === 0) return this.replace(a, b, newText);
    // The comments inside the replaced value are kept, on their own lines above the line the
    // value starts on (inside brackets or before the statement: valid either way).
    const lines = this.module.lines;
    const start = lines.lineStart(lines.positionAt(a).line);
    const prefix = this.module.text.slice(start, a);
    const indent = /^[ \t]*/.exec(prefix)?.[0] ?? '';
    return this.replace(start, b, comments.map((c) => `${indent}${c}${this.eol}`).join('') + prefix + newText);
  }

  /** The comments inside [a, b) (none when a comment line cannot go above `a`'s line). */
  private commentsIn(a: number, b: number): string[] {
    if (!this.module.text.slice(a, b).includes('#')) return [];
    const lines = this.module.lines;
    const line = lines.positionAt(a).line;
    if (line > 0 && /\\\s*$/.test(lines.lineText(line - 1))) return []; // `a` is on a continuation line
    let comments: Node[];
    try {
      comments = this.module.tree.rootNode.descendantsOfType('comment').filter((n): n is Node => !!n);
    } catch {
      return []; // no tree (released): replace as is
    }
    const found = comments.filter((n) => n.startIndex >= a && n.endIndex <= b).map((n) => ({ at: n.startIndex, text: n.text.trimEnd() }));
    // comment lines blanked before parsing (long runs, see parseInputOf) have no node: read them from the text
    const input = this.module.parseInput;
    if (input !== undefined) {
      for (let l = lines.positionAt(a).line; l < lines.lineCount && lines.lineStart(l) < b; l++) {
        const s = lines.lineStart(l);
        const e = lines.lineEnd(l);
        const raw = this.module.text.slice(s, e);
        if (s >= a && e <= b && /^[ \t]*#/.test(raw) && input.slice(s, e).trim() === '') found.push({ at: s + raw.indexOf('#'), text: raw.trim() });
      }
      found.sort((x, y) => x.at - y.at);
    }
    return found.map((c) => c.text);
  }

  /** Deletes whole lines of a top-level statement (keeping any comment lines around it). */
  deleteStatement(top: TopStmt): Edit {
    const lines = this.module.lines;
    const first = lines.positionAt(top.start).line;
    const last = lines.positionAt(top.end).line;
    return this.replace(lines.lineStart(first), lines.lineStart(last + 1), '');
  }

  /** Names bound by top-level imports of this module (not star-imported ones). */
  private imported: Map<string, string> | undefined;

  private importedNames(): Map<string, string> {
    if (this.imported) return this.imported;
    const out = new Map<string, string>();
    for (const s of this.module.stmts) {
      if (s.ir.t === 'import') for (const n of s.ir.names) out.set(n.asname ?? n.name.split('.')[0], n.name);
      if (s.ir.t === 'from' && s.ir.names !== '*') for (const n of s.ir.names) out.set(n.asname ?? n.name, `${s.ir.module}.${n.name}`);
    }
    this.imported = out;
    return out;
  }

  /**
   * Where a new import goes: after the last import of the leading block (the imports before the
   * first other statement), else after the docstring, else at the top. Never below a statement
   * that is not an import: whatever uses the name comes after it.
   */
  private importPlace(): { offset: number; afterImport: boolean } {
    let after: TopStmt | undefined;
    let docstring: TopStmt | undefined;
    for (const s of this.module.stmts) {
      if (s.ir.t === 'import' || s.ir.t === 'from' || (s.ir.t === 'other' && s.ir.kind === 'future_import_statement')) after = s;
      else if (!after && !docstring && s.ir.t === 'expr' && s.ir.value.t === 'str' && s === this.module.stmts[0]) docstring = s;
      else break;
    }
    const anchor = after ?? docstring;
    if (!anchor) return { offset: 0, afterImport: false };
    const line = this.module.lines.positionAt(anchor.end).line;
    return { offset: this.module.lines.lineStart(line + 1), afterImport: !!after };
  }

  private lineAtOffsetIsStart(offset: number): string {
    // Text to insert at `offset` must start on its own line.
    return offset > 0 && offset >= this.module.text.length && !/[\r\n]$/.test(this.module.text) ? this.eol : '';
  }

  /**
   * Whether `local` is bound by a top-level statement of this module that runs before `at`
   * (an import, an assignment, a def or class, or a star import, which may bind anything).
   */
  boundBefore(local: string, at: TopStmt): boolean {
    for (const s of this.module.stmts) {
      if (s.start >= at.start) return false;
      const ir = s.ir;
      if (ir.t === 'import' && ir.names.some((n) => (n.asname ?? n.name.split('.')[0]) === local)) return true;
      if (ir.t === 'from' && (ir.names === '*' || ir.names.some((n) => (n.asname ?? n.name) === local))) return true;
      if (ir.t === 'assign' && ir.targets.some((t) => t.t === 'name' && t.id === local)) return true;
      if (ir.t === 'def' && ir.name === local) return true;
    }
    return false;
  }

  /**
   * `import os` / `from datetime import timedelta`, unless the name is already imported here
   * (before `at`, the statement that uses it, when given). The import goes with the module's
   * other imports, or right above `at` when those come after it: never below its first use.
   */
  ensureImport(module: string, name?: string, at?: TopStmt): Edit[] {
    const have = this.importedNames();
    const local = name ?? module.split('.')[0];
    const qualified = name ? `${module}.${name}` : module;
    const bound = have.get(local);
    if (bound !== undefined && bound !== qualified) return []; // bound to something else: do not shadow it
    // imported before the statement that uses it at module level (a use inside a function, `at`
    // unknown, runs after the whole module: an import anywhere at its top level will do)
    if (bound !== undefined && (!at || this.boundBefore(local, at))) return [];
    if (name) {
      const merged = this.mergedFromImportEdit(module, name, at);
      if (merged) return [merged];
    }
    const stmt = name ? `from ${module} import ${name}` : `import ${module}`;
    const sorted = this.sortedImportEdit({ module, from: name !== undefined, level: 0 }, stmt, at);
    if (sorted) return [sorted];
    const lines = this.module.lines;
    const place = this.importPlace();
    let off = place.offset;
    let afterImport = place.afterImport;
    if (at && off > at.start) {
      off = lines.lineStart(lines.positionAt(at.start).line);
      afterImport = false;
    }
    const text = this.module.text;
    // a new import block above code is separated from it by a blank line; an import added to
    // existing ones keeps their spacing
    const blank = !afterImport && off < text.length && !/^(import|from)\s/.test(text.slice(off)) && !/^[ \t]*(\r\n|\r|\n)/.test(text.slice(off)) ? this.eol : '';
    return [this.insert(off, this.lineAtOffsetIsStart(off) + stmt + this.eol + blank)];
  }

  /**
   * `name` added to an existing top-level `from module import a, b` line (before `at`), where isort
   * would merge it: in isort's order (constants, classes, then the rest, each by name) when the
   * line's names are in that order, else at the end. Only a one-line statement without brackets,
   * backslash, comment or star, and only when the line stays within the file's line limit;
   * undefined otherwise (a separate import line is written then).
   */
  private mergedFromImportEdit(module: string, name: string, at?: TopStmt): Edit | undefined {
    const text = this.module.text;
    const limit = lineLimit(text);
    for (const s of this.module.stmts) {
      if (at && s.start >= at.start) return undefined;
      const ir = s.ir;
      if (ir.t !== 'from' || ir.level !== 0 || ir.module !== module || ir.names === '*') continue;
      const src = text.slice(s.start, s.end);
      const m = /^from[ \t]+[\w.]+[ \t]+import[ \t]+/.exec(src);
      if (!m || /[()\\#;\r\n]/.test(src)) continue;
      const lineStart = this.module.lines.lineStart(this.module.lines.positionAt(s.start).line);
      const lineEnd = text.slice(s.end).search(/\r\n|\r|\n|$/) + s.end;
      if (/\S/.test(text.slice(s.end, lineEnd))) continue; // something else on the line (a comment)
      if (lineEnd - lineStart + name.length + 2 > limit) continue;
      // the names as written, with their offsets
      const entries: { key: string; start: number; end: number }[] = [];
      const re = /[^,]+/g;
      const body = src.slice(m[0].length);
      for (let e = re.exec(body); e; e = re.exec(body)) {
        const lead = e[0].length - e[0].trimStart().length;
        const trimmed = e[0].trim();
        if (!trimmed) continue;
        const start = s.start + m[0].length + e.index + lead;
        entries.push({ key: trimmed.split(/\s+/)[0], start, end: start + trimmed.length });
      }
      if (entries.length === 0) continue;
      const slot = nameSlot(entries.map((e) => e.key), name);
      return slot < entries.length ? this.insert(entries[slot].start, `${name}, `) : this.insert(entries[entries.length - 1].end, `, ${name}`);
    }
    return undefined;
  }

  /**
   * The import placed among the module's leading imports in isort's order (engine/importOrder.ts):
   * in its section by name, or as a new section with a blank line around it. Undefined when the
   * module has no leading imports, their sections are interleaved, or the place would come after
   * `at` (the statement that uses the name): ensureImport's other placements apply then.
   */
  private sortedImportEdit(added: ImportShape, stmt: string, at?: TopStmt): Edit | undefined {
    const block: { top: TopStmt; shape: ImportShape }[] = [];
    for (const s of this.module.stmts) {
      const ir = s.ir;
      if (ir.t === 'import') block.push({ top: s, shape: { module: ir.names[0]?.name ?? '', from: false, level: 0 } });
      else if (ir.t === 'from') block.push({ top: s, shape: { module: ir.module, from: true, level: ir.level } });
      else if (ir.t === 'other' && ir.kind === 'future_import_statement') block.push({ top: s, shape: { module: '__future__', from: true, level: 0 } });
      else if (block.length === 0 && s === this.module.stmts[0] && ir.t === 'expr' && ir.value.t === 'str') continue;
      else break;
    }
    // runs: a blank (or comment-only) line between two imports starts a new one
    let run = 0;
    for (let k = 0; k < block.length; k++) {
      if (k > 0) {
        const a = this.module.lines.positionAt(block[k - 1].top.end).line;
        const b = this.module.lines.positionAt(block[k].top.start).line;
        if (b > a + 1) run++;
      }
      block[k].shape.run = run;
    }
    const slot = importSlot(block.map((b) => b.shape), added);
    if (!slot) return undefined;
    const lines = this.module.lines;
    const eol = this.eol;
    const target = block[slot.index].top;
    let off: number;
    let text: string;
    if (slot.where === 'before') {
      let line = lines.positionAt(target.start).line;
      // comment lines right above an import belong to it
      const prevEnd = slot.index > 0 ? lines.positionAt(block[slot.index - 1].top.end).line : -1;
      while (line - 1 > prevEnd && /^[ \t]*#/.test(lines.lineText(line - 1))) line--;
      off = lines.lineStart(line);
      text = stmt + eol + (slot.group ? eol : '');
    } else {
      const last = lines.positionAt(target.end).line;
      off = lines.lineStart(last + 1);
      text = this.lineAtOffsetIsStart(off) + (slot.group ? eol : '') + stmt + eol;
      // a new section right above code gets its blank line
      if (slot.group && off < this.module.text.length && !/^[ \t]*(\r\n|\r|\n|$)/.test(this.module.text.slice(off))) text += eol;
    }
    if (at && off > at.start) return undefined;
    return this.insert(off, text);
  }

  /**
   * The environment idiom of this module (or of the modules it star-imports). With `at` (the
   * statement that will use it): a django-environ `env` object defined after that statement in
   * this module cannot be used there, so the idiom falls back to os.environ.
   */
  envIdiom(at?: TopStmt): EnvIdiom {
    if (!this.idiom) this.idiom = this.computeIdiom();
    const idiom = this.idiom;
    if (at && idiom.kind === 'environ' && !this.boundBefore(idiom.env, at)) return { kind: 'os' };
    return idiom;
  }

  private idiom: EnvIdiom | undefined;

  private computeIdiom(): EnvIdiom {
    const names = this.scope?.aliases ?? new Map<string, string>();
    for (const [local, q] of names) if (q === 'decouple.config') return { kind: 'decouple', config: local, csv: [...names].find(([, v]) => v === 'decouple.Csv')?.[0] };
    // Every `x = environ.Env(...)` is recorded as a scheme by the evaluator (values not forced).
    for (const [local] of this.scope?.envSchemes ?? new Map()) return { kind: 'environ', env: local };
    return { kind: 'os' };
  }

  /**
   * An environment lookup expression for `variable` in the module's idiom, with the imports it
   * needs. `kind` says how the value is read; `defaultSrc` is Python source for the default.
   */
  envLookup(variable: string, kind: 'str' | 'bool' | 'int' | 'list', defaultSrc?: string, at?: TopStmt): { expr: string; edits: Edit[] } {
    const idiom = this.envIdiom(at);
    const v = this.str(variable);
    if (idiom.kind === 'decouple') {
      const edits: Edit[] = [];
      const direct = this.importedNames().get(idiom.config) === 'decouple.config';
      // imported here (before the use), or an alias from elsewhere (AutoConfig, a star import) bound before it
      if (!direct || (at && !this.boundBefore(idiom.config, at))) {
        if (direct || idiom.config === 'config') edits.push(...this.ensureImport('decouple', 'config', at));
        else if (at && !this.boundBefore(idiom.config, at)) return this.envLookupOs(variable, kind, defaultSrc, at);
      }
      const d = defaultSrc !== undefined ? `, default=${defaultSrc}` : '';
      switch (kind) {
        case 'bool': return { expr: `${idiom.config}(${v}${d}, cast=bool)`, edits };
        case 'int': return { expr: `${idiom.config}(${v}${d}, cast=int)`, edits };
        case 'list': {
          const csv = idiom.csv ?? 'Csv';
          if (!idiom.csv) edits.push(...this.ensureImport('decouple', 'Csv', at));
          return { expr: `${idiom.config}(${v}${d}, cast=${csv}())`, edits };
        }
        default: return { expr: `${idiom.config}(${v}${d})`, edits };
      }
    }
    if (idiom.kind === 'environ') {
      const d = defaultSrc !== undefined ? `, default=${defaultSrc}` : '';
      switch (kind) {
        case 'bool': return { expr: `${idiom.env}.bool(${v}${d})`, edits: [] };
        case 'int': return { expr: `${idiom.env}.int(${v}${d})`, edits: [] };
        case 'list': return { expr: `${idiom.env}.list(${v}${d})`, edits: [] };
        default: return { expr: `${idiom.env}(${v}${d})`, edits: [] };
      }
    }
    return this.envLookupOs(variable, kind, defaultSrc, at);
  }

  /** envLookup with os.environ. */
  private envLookupOs(variable: string, kind: 'str' | 'bool' | 'int' | 'list', defaultSrc: string | undefined, at: TopStmt | undefined): { expr: string; edits: Edit[] } {
    const v = this.str(variable);
    const edits = this.ensureImport('os', undefined, at);
    const q = this.quote;
    switch (kind) {
      case 'bool': {
        const d = defaultSrc === 'True' ? this.str('True') : this.str('False');
        return { expr: `os.environ.get(${v}, ${d}).lower() in (${q}1${q}, ${q}true${q}, ${q}yes${q})`, edits };
      }
      case 'int':
        return { expr: defaultSrc !== undefined ? `int(os.environ.get(${v}, ${this.str(defaultSrc)}))` : `int(os.environ[${v}])`, edits };
      case 'list':
        return { expr: `[item.strip() for item in os.environ.get(${v}, ${this.str('')}).split(${this.str(',')}) if item.strip()]`, edits };
      default:
        return { expr: defaultSrc !== undefined ? `os.environ.get(${v}, ${defaultSrc})` : `os.environ[${v}]`, edits };
    }
  }

  /**
   * Inserts a new top-level statement right after `after` (a statement it must follow), or, with
   * no `after`, as insertSetting places a new setting.
   */
  insertStatement(source: string, after?: TopStmt): Edit {
    return after ? this.insertAfter(source, after) : this.insertSetting(source);
  }

  /**
   * Inserts a new setting. It goes above the module's first trailing override that follows
   * `floor` (engine/overrides.ts: a star import, include() or exec() after the module's own
   * settings, such as `try: from .local import *`), so that the file it runs can still change the
   * setting, as it can every setting above it; `floor` is the statement the new one must follow
   * (where the setting's current value comes from). Within that, after `near` (a related
   * assignment) when it lies there, else at the end of the module or right above that override.
   * Every new setting of a module is placed by this one rule.
   */
  insertSetting(source: string, opts: { near?: TopStmt; floor?: TopStmt } = {}): Edit {
    const { near, floor } = opts;
    const limit = trailingOverrides(this.module).find((o) => !floor || o.top.start >= floor.end)?.top;
    if (near && (!floor || near.start >= floor.start) && (!limit || near.end <= limit.start)) return this.insertAfter(source, near);
    if (limit) return this.insertAbove(source, limit);
    const text = this.module.text;
    const lead = text.length === 0 ? '' : /(\r?\n){2}$/.test(text) ? '' : /\r?\n$/.test(text) ? this.eol : this.eol + this.eol;
    return this.insert(text.length, lead + source + this.eol);
  }

  private insertAfter(source: string, after: TopStmt): Edit {
    const text = this.module.text;
    const line = this.module.lines.positionAt(after.end).line;
    const off = this.module.lines.lineStart(line + 1);
    const lead = off >= text.length && !/[\r\n]$/.test(text) ? this.eol : '';
    return this.insert(off, lead + source + this.eol);
  }

  /**
   * A new statement above top-level statement `stmt`: right after the statement before it, so
   * the comments above `stmt` (`# Override with local settings`) stay with it; a blank line
   * before the new statement, and after it when none follows.
   */
  private insertAbove(source: string, stmt: TopStmt): Edit {
    const lines = this.module.lines;
    const i = this.module.stmts.indexOf(stmt);
    const prev = i > 0 ? this.module.stmts[i - 1] : undefined;
    const own = lines.lineStart(lines.positionAt(stmt.start).line);
    let off = prev ? lines.lineStart(lines.positionAt(prev.end).line + 1) : own;
    if (off > stmt.start) off = own; // `X = 1; from .local import *` on one line
    const rest = this.module.text.slice(off);
    const blankAfter = /^[ \t]*(\r\n|\r|\n)/.test(rest);
    return this.insert(off, (off > 0 ? this.eol : '') + source + this.eol + (blankAfter ? '' : this.eol));
  }

  /** The last top-level assignment whose target starts with `prefix` (e.g. SECURE_). */
  /** Top-level assignments in order, with their target names (built once per editor). */
  private lastByFamily: Map<string, TopStmt> | undefined;
  private lastByPrefix = new Map<string, TopStmt | undefined>();

  lastAssignmentWithPrefix(prefix: string): TopStmt | undefined {
    if (this.lastByPrefix.has(prefix)) return this.lastByPrefix.get(prefix);
    let found: TopStmt | undefined;
    const family = /^[A-Za-z0-9]+_$/.test(prefix);
    if (family) {
      // one pass indexes every family (`SECURE_`, `SESSION_`...): the common query
      if (!this.lastByFamily) {
        this.lastByFamily = new Map();
        for (const s of this.module.stmts) {
          for (const f of familiesOf(s.ir)) this.lastByFamily.set(f, s);
        }
      }
      found = this.lastByFamily.get(prefix);
    } else {
      for (let k = this.module.stmts.length - 1; k >= 0 && !found; k--) {
        const s = this.module.stmts[k];
        if (s.ir.t === 'assign' && s.ir.targets.some((t) => t.t === 'name' && t.id.startsWith(prefix))) found = s;
      }
    }
    this.lastByPrefix.set(prefix, found);
    return found;
  }




  /**
   * Inserts an item into a list/tuple/set literal (node inside `top`): after the item `after`
   * (default: the last one), on its own line when the literal spans several lines, keeping the
   * items' indentation and adding the commas needed. Comments stay where they are.
   */
  appendListItem(top: TopStmt, list: Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }>, itemSrc: string, after?: PyExpr): Edit[] {
    const start = top.start + list.s;
    const close = top.start + list.e - 1; // the `]` / `)` / `}`
    const text = this.module.text;
    const lines = this.module.lines;
    const anchor = after && list.items.includes(after) ? after : list.items[list.items.length - 1];
    if (!anchor) {
      const inner = list.t === 'tuple' ? `${itemSrc},` : itemSrc;
      if (!text.slice(start, close).includes('\n')) return [this.replace(start, close + 1, `${text[start]}${inner}${text[close]}`)];
      const closeLine = lines.positionAt(close).line;
      const closeOnOwnLine = text.slice(lines.lineStart(closeLine), close).trim() === '';
      const outer = this.indentAt(start);
      const at = closeOnOwnLine ? lines.lineStart(closeLine) : close;
      return [this.insert(at, `${closeOnOwnLine ? '' : this.eol}${outer}${this.indent}${itemSrc},${this.eol}${closeOnOwnLine ? '' : outer}`)];
    }
    const anchorEnd = top.start + anchor.e;
    const hasComma = /^\s*,/.test(text.slice(anchorEnd, close));
    if (!text.slice(start, close).includes('\n')) return [this.insert(anchorEnd, `, ${itemSrc}`)];
    const edits: Edit[] = [];
    if (!hasComma) edits.push(this.insert(anchorEnd, ','));
    const itemIndent = this.indentAt(top.start + anchor.s);
    const anchorLine = lines.positionAt(anchorEnd).line;
    if (lines.positionAt(close).line > anchorLine) {
      // after the anchor's line, comment included (items sharing that line stay before it)
      edits.push(this.insert(lines.lineEnd(anchorLine), `${this.eol}${itemIndent}${itemSrc},`));
    } else {
      // `'a']` closing on the anchor's line
      edits.push(this.insert(close, `${this.eol}${itemIndent}${itemSrc},${this.eol}${this.indentAt(start)}`));
    }
    return edits;
  }

  /** Indentation of the line containing `offset`. */
  indentAt(offset: number): string {
    const line = this.module.lines.positionAt(offset).line;
    return /^[ \t]*/.exec(this.module.lines.lineText(line))?.[0] ?? '';
  }

  /**
   * Inserts `key: value` into a dict literal (node inside `top`), before its closing brace,
   * keeping the entries' indentation and trailing-comma style. Comments stay where they are.
   */
  insertDictEntry(top: TopStmt, dict: Extract<PyExpr, { t: 'dict' }>, keySrc: string, valueSrc: string): Edit[] {
    const start = top.start + dict.s;
    const close = top.start + dict.e - 1; // the `}`
    const text = this.module.text;
    const lines = this.module.lines;
    const entry = `${keySrc}: ${valueSrc}`;
    const last: PyDictEntry | undefined = dict.entries[dict.entries.length - 1];
    if (!text.slice(start, close).includes('\n')) {
      if (!last) return [this.replace(start, close + 1, `{${entry}}`)];
      return [this.insert(top.start + last.e, `, ${entry}`)];
    }
    const outerIndent = this.indentAt(start);
    if (!last) {
      const closeLine = lines.positionAt(close).line;
      const closeOnOwnLine = text.slice(lines.lineStart(closeLine), close).trim() === '';
      const at = closeOnOwnLine ? lines.lineStart(closeLine) : close;
      return [this.insert(at, `${closeOnOwnLine ? '' : this.eol}${outerIndent}${this.indent}${entry},${this.eol}${closeOnOwnLine ? '' : outerIndent}`)];
    }
    const lastEnd = top.start + last.e;
    const entryIndent = this.indentAt(top.start + last.s);
    const afterLast = /^[ \t]*,/.exec(text.slice(lastEnd, close));
    const edits: Edit[] = [];
    if (!afterLast) edits.push(this.insert(lastEnd, ','));
    const lastLine = lines.positionAt(lastEnd).line;
    const closeLine = lines.positionAt(close).line;
    if (closeLine > lastLine) {
      // after the last entry's line, comment included
      edits.push(this.insert(lines.lineEnd(lastLine), `${this.eol}${entryIndent}${entry},`));
    } else {
      // `'A': 1}` closing on the last entry's line
      edits.push(this.insert(close, `${this.eol}${entryIndent}${entry},${this.eol}${outerIndent}`));
    }
    return edits;
  }
}

/** The dict literal of an assignment statement `NAME = {...}`, if that is what it is. */
export function dictLiteralOf(stmt: PyStmt): Extract<PyExpr, { t: 'dict' }> | undefined {
  if ((stmt.t === 'assign' || stmt.t === 'annassign') && stmt.value && stmt.value.t === 'dict') return stmt.value;
  return undefined;
}

/** Finds `key` in a dict literal (string keys only). */
export function dictLiteralEntry(dict: Extract<PyExpr, { t: 'dict' }>, key: string): PyDictEntry | undefined {
  for (let i = dict.entries.length - 1; i >= 0; i--) {
    const k = dict.entries[i].k;
    if (k && k.t === 'str' && k.v === key) return dict.entries[i];
  }
  return undefined;
}
