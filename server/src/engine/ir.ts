/**
 * A small, plain-JS intermediate representation of Python statements and expressions.
 *
 * Walking tree-sitter nodes crosses the WASM boundary at every property access, which is too
 * slow to redo on each keystroke. Each top-level statement is converted once into this IR and
 * cached by its exact text; offsets inside the IR are relative to the start of the top-level
 * statement, so an unchanged statement keeps its IR wherever it moves in the file.
 */
import type { Node } from 'web-tree-sitter';

interface Span {
  /** Start offset, relative to the enclosing top-level statement. */
  s: number;
  /** End offset, relative to the enclosing top-level statement. */
  e: number;
}

export type PyExpr =
  | (Span & { t: 'str'; v: string; fstring: boolean; bytes: boolean; raw: boolean; quote: string; parts?: PyExpr[] })
  | (Span & { t: 'num'; v: number })
  | (Span & { t: 'bool'; v: boolean })
  | (Span & { t: 'none' })
  | (Span & { t: 'name'; id: string })
  | (Span & { t: 'attr'; obj: PyExpr; name: string })
  | (Span & { t: 'sub'; obj: PyExpr; index: PyExpr })
  | (Span & { t: 'call'; fn: PyExpr; args: PyExpr[]; kw: PyKeyword[]; argsSpan: { s: number; e: number } })
  | (Span & { t: 'list' | 'tuple' | 'set'; items: PyExpr[] })
  | (Span & { t: 'dict'; entries: PyDictEntry[] })
  | (Span & { t: 'bin'; op: string; l: PyExpr; r: PyExpr })
  | (Span & { t: 'unary'; op: string; x: PyExpr })
  | (Span & { t: 'not'; x: PyExpr })
  | (Span & { t: 'boolop'; op: 'and' | 'or'; l: PyExpr; r: PyExpr })
  | (Span & { t: 'cmp'; ops: string[]; items: PyExpr[] })
  | (Span & { t: 'cond'; body: PyExpr; test: PyExpr; orelse: PyExpr })
  | (Span & { t: 'splat'; x: PyExpr; double: boolean })
  /** An assignment expression `name := x`. */
  | (Span & { t: 'walrus'; name: string; x: PyExpr })
  | (Span & { t: 'other'; kind: string });

export interface PyKeyword extends Span {
  /** Keyword name; undefined for `**kwargs`. */
  name?: string;
  value: PyExpr;
}

export interface PyDictEntry extends Span {
  /** undefined for a `**splat` entry. */
  k?: PyExpr;
  v: PyExpr;
}

/** A function parameter: `x`, `x=1`, `*args`, `**kw` (keyword-only ones after `*`). */
export interface PyParam {
  name: string;
  default?: PyExpr;
  kind: 'positional' | 'keyword' | 'star' | 'dstar';
}

export interface ImportName {
  name: string;
  asname?: string;
}

export type PyStmt =
  | (Span & { t: 'assign'; targets: PyExpr[]; value: PyExpr })
  | (Span & { t: 'augassign'; target: PyExpr; op: string; value: PyExpr })
  | (Span & { t: 'annassign'; target: PyExpr; value?: PyExpr })
  | (Span & { t: 'expr'; value: PyExpr })
  | (Span & { t: 'import'; names: ImportName[] })
  | (Span & { t: 'from'; module: string; level: number; names: ImportName[] | '*' })
  | (Span & { t: 'if'; branches: { test?: PyExpr; body: PyStmt[] }[] })
  | (Span & { t: 'try'; body: PyStmt[]; handlers: PyStmt[][]; orelse: PyStmt[]; final: PyStmt[] })
  | (Span & { t: 'block'; kind: string; body: PyStmt[] })
  | (Span & {
      t: 'def';
      kind: 'function' | 'class';
      name: string;
      decorators: PyExpr[];
      nameSpan: { s: number; e: number };
      /** A class's bases (positional arguments of its header); keywords (metaclass=) are left out. */
      bases?: PyExpr[];
      /** Parameters and body: only in IR built with bodies (see IrBuilder, functionIR). */
      params?: PyParam[];
      body?: PyStmt[];
    })
  | (Span & { t: 'return'; value?: PyExpr })
  | (Span & { t: 'del'; targets: PyExpr[] })
  | (Span & { t: 'other'; kind: string });

/** Decodes the content of a Python string literal's body (escapes handled for common cases). */
function decodeEscapes(body: string): string {
  if (body.indexOf('\\') < 0) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|\r\n|[\s\S])/g, (_m, esc: string) => {
    const c = esc[0];
    switch (c) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        return String.fromCharCode(parseInt(esc, 8));
      case 'x': case 'u': return String.fromCharCode(parseInt(esc.slice(1), 16));
      case 'U': return String.fromCodePoint(Math.min(parseInt(esc.slice(1), 16), 0x10ffff));
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case '\n': case '\r': return '';
      case 'N': return '?';
      default: return esc === '\r\n' ? '' : c === '\\' || c === "'" || c === '"' ? c : '\\' + esc;
    }
  });
}

export class IrBuilder {
  /**
   * `withBodies`: function definitions keep their parameters and body (the evaluator inlines
   * small helper functions; top-level statements are otherwise converted without them).
   */
  constructor(
    private readonly base: number,
    private readonly withBodies = false,
    /** The text the tree was parsed from (literals are read from it instead of through the tree). */
    private readonly src?: string,
    /** Walk every collection item through the tree (no reading of literal items from the text: the tests' reference). */
    private readonly treeOnly = false,
  ) {}

  /** A node's text, from `src` when given (no crossing into WASM). */
  private textAt(n: Node, sp: Span): string {
    return this.src !== undefined ? this.src.slice(sp.s + this.base, sp.e + this.base) : n.text;
  }

  /**
   * The IR of a simple literal or name read from `src` by its type and offsets, without a Node
   * (collections of many literals are walked with a cursor); undefined for anything else.
   */
  private leaf(type: string, start: number, end: number): PyExpr | undefined {
    if (this.src === undefined || this.treeOnly) return undefined;
    const sp = { s: start - this.base, e: end - this.base };
    switch (type) {
      case 'string':
        return stringLiteral(this.src.slice(start, end), sp);
      case 'integer':
        return { s: sp.s, e: sp.e, t: 'num', v: integerValue(this.src.slice(start, end)) };
      case 'float':
        return { s: sp.s, e: sp.e, t: 'num', v: Number(this.src.slice(start, end).replace(/_/g, '').replace(/[jJ]$/, '')) };
      case 'true':
        return { s: sp.s, e: sp.e, t: 'bool', v: true };
      case 'false':
        return { s: sp.s, e: sp.e, t: 'bool', v: false };
      case 'none':
        return { s: sp.s, e: sp.e, t: 'none' };
      case 'identifier':
        return { s: sp.s, e: sp.e, t: 'name', id: this.src.slice(start, end) };
      default:
        return undefined;
    }
  }

  /** The named children of a collection as IR, walked with a cursor (literals without a Node each). */
  private items(n: Node): PyExpr[] {
    // a collection of plain literals (the common huge case: 100,000 hosts or IPs) is read from
    // the text without visiting its children at all; one with a syntax error never is
    if (this.src !== undefined && !this.treeOnly && n.endIndex - n.startIndex > 2048 && !n.hasError) {
      const quick = literalItems(this.src, n.startIndex, n.endIndex, this.base);
      if (quick) return quick;
    }
    const items: PyExpr[] = [];
    const cur = n.walk();
    try {
      if (cur.gotoFirstChild()) {
        do {
          if (!cur.nodeIsNamed) continue;
          const type = cur.nodeType;
          // tree-sitter gives a `\` line break inside brackets a node of its own: not an item
          if (type === 'comment' || type === 'line_continuation') continue;
          items.push(this.leaf(type, cur.startIndex, cur.endIndex) ?? this.expr(cur.currentNode));
        } while (cur.gotoNextSibling());
      }
    } finally {
      cur.delete();
    }
    return items;
  }

  private span(n: Node): Span {
    return { s: n.startIndex - this.base, e: n.endIndex - this.base };
  }

  stmt(n: Node): PyStmt {
    this.depth++;
    try {
      return this.stmtInner(n);
    } finally {
      this.depth--;
    }
  }

  private stmtInner(n: Node): PyStmt {
    const sp = this.span(n);
    switch (n.type) {
      case 'expression_statement': {
        const first = n.namedChildCount === 1 ? n.namedChild(0) : null;
        if (first && first.type === 'assignment') return this.assignment(first, sp);
        if (first && first.type === 'augmented_assignment') {
          const left = first.childForFieldName('left');
          const right = first.childForFieldName('right');
          const op = first.childForFieldName('operator');
          if (left && right) return { ...sp, t: 'augassign', target: this.expr(left), op: op ? op.text : '+=', value: this.expr(right) };
        }
        if (first) return { ...sp, t: 'expr', value: this.expr(first) };
        return { ...sp, t: 'other', kind: n.type };
      }
      case 'import_statement': {
        const names: ImportName[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'dotted_name') names.push({ name: c.text });
          else if (c.type === 'aliased_import') {
            const nm = c.childForFieldName('name');
            const al = c.childForFieldName('alias');
            if (nm) names.push({ name: nm.text, asname: al?.text });
          }
        }
        return { ...sp, t: 'import', names };
      }
      case 'import_from_statement': {
        const mod = n.childForFieldName('module_name');
        let module = '';
        let level = 0;
        if (mod) {
          if (mod.type === 'relative_import') {
            for (const c of mod.namedChildren) {
              if (!c) continue;
              if (c.type === 'import_prefix') level = c.text.length;
              else if (c.type === 'dotted_name') module = c.text;
            }
          } else module = mod.text;
        }
        let names: ImportName[] | '*' = [];
        for (const c of n.namedChildren) {
          if (!c || c.equals(mod as Node)) continue;
          if (c.type === 'wildcard_import') names = '*';
          else if (names !== '*' && c.type === 'dotted_name') names.push({ name: c.text });
          else if (names !== '*' && c.type === 'aliased_import') {
            const nm = c.childForFieldName('name');
            const al = c.childForFieldName('alias');
            if (nm) names.push({ name: nm.text, asname: al?.text });
          }
        }
        return { ...sp, t: 'from', module, level, names };
      }
      case 'future_import_statement':
        return { ...sp, t: 'other', kind: n.type };
      case 'if_statement': {
        const branches: { test?: PyExpr; body: PyStmt[] }[] = [];
        const cond = n.childForFieldName('condition');
        const cons = n.childForFieldName('consequence');
        branches.push({ test: cond ? this.expr(cond) : undefined, body: cons ? this.block(cons) : [] });
        for (const alt of n.childrenForFieldName('alternative')) {
          if (!alt) continue;
          if (alt.type === 'elif_clause') {
            const c2 = alt.childForFieldName('condition');
            const b2 = alt.childForFieldName('consequence');
            branches.push({ test: c2 ? this.expr(c2) : { s: 0, e: 0, t: 'other', kind: 'missing' }, body: b2 ? this.block(b2) : [] });
          } else if (alt.type === 'else_clause') {
            const b2 = alt.childForFieldName('body');
            branches.push({ body: b2 ? this.block(b2) : [] });
          }
        }
        return { ...sp, t: 'if', branches };
      }
      case 'try_statement': {
        const body = n.childForFieldName('body');
        const handlers: PyStmt[][] = [];
        let orelse: PyStmt[] = [];
        let final: PyStmt[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'except_clause' || c.type === 'except_group_clause') {
            const blk = c.namedChildren.find((x) => x?.type === 'block');
            handlers.push(blk ? this.block(blk) : []);
          } else if (c.type === 'else_clause') {
            const b = c.childForFieldName('body');
            orelse = b ? this.block(b) : [];
          } else if (c.type === 'finally_clause') {
            const blk = c.namedChildren.find((x) => x?.type === 'block');
            final = blk ? this.block(blk) : [];
          }
        }
        return { ...sp, t: 'try', body: body ? this.block(body) : [], handlers, orelse, final };
      }
      case 'with_statement':
      case 'for_statement':
      case 'while_statement': {
        const body = n.childForFieldName('body');
        return { ...sp, t: 'block', kind: n.type, body: body ? this.block(body) : [] };
      }
      case 'function_definition':
      case 'class_definition':
        return this.def(n, [], sp);
      case 'decorated_definition': {
        const decorators: PyExpr[] = [];
        let def: Node | null = null;
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'decorator') {
            const inner = c.namedChild(0);
            if (inner) decorators.push(this.expr(inner));
          } else def = c;
        }
        if (def) return this.def(def, decorators, sp);
        return { ...sp, t: 'other', kind: n.type };
      }
      case 'return_statement': {
        const v = n.namedChildren.find((c) => c && c.type !== 'comment');
        return v ? { ...sp, t: 'return', value: this.expr(v) } : { ...sp, t: 'return' };
      }
      case 'delete_statement': {
        const targets: PyExpr[] = [];
        for (const c of n.namedChildren) if (c) targets.push(this.expr(c));
        return { ...sp, t: 'del', targets };
      }
      default:
        return { ...sp, t: 'other', kind: n.type };
    }
  }

  private def(n: Node, decorators: PyExpr[], sp: Span): PyStmt {
    const name = n.childForFieldName('name');
    const out: PyStmt = {
      ...sp,
      t: 'def',
      kind: n.type === 'class_definition' ? 'class' : 'function',
      name: name?.text ?? '',
      decorators,
      nameSpan: name ? this.span(name) : { s: sp.s, e: sp.s },
    };
    if (n.type === 'class_definition') {
      const sup = n.childForFieldName('superclasses');
      if (sup) out.bases = sup.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment' && c.type !== 'keyword_argument').map((c) => this.expr(c));
    }
    if (this.withBodies) {
      const body = n.childForFieldName('body');
      out.body = body ? this.block(body) : [];
      if (n.type === 'function_definition') out.params = this.params(n.childForFieldName('parameters'));
    }
    return out;
  }

  private params(n: Node | null): PyParam[] {
    const out: PyParam[] = [];
    if (!n) return out;
    let keywordOnly = false;
    for (const c of n.namedChildren) {
      if (!c) continue;
      const kind = keywordOnly ? 'keyword' : 'positional';
      switch (c.type) {
        case 'identifier':
          out.push({ name: c.text, kind });
          break;
        case 'typed_parameter': {
          const id = c.namedChildren.find((x) => x?.type === 'identifier');
          const splat = c.namedChildren.find((x) => x?.type === 'list_splat_pattern' || x?.type === 'dictionary_splat_pattern');
          if (splat) {
            out.push({ name: splat.text.replace(/^\*+/, ''), kind: splat.type === 'list_splat_pattern' ? 'star' : 'dstar' });
            if (splat.type === 'list_splat_pattern') keywordOnly = true;
          } else if (id) out.push({ name: id.text, kind });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const nm = c.childForFieldName('name');
          const v = c.childForFieldName('value');
          if (nm) out.push({ name: nm.text, default: v ? this.expr(v) : undefined, kind });
          break;
        }
        case 'list_splat_pattern':
          out.push({ name: c.text.replace(/^\*+/, ''), kind: 'star' });
          keywordOnly = true;
          break;
        case 'dictionary_splat_pattern':
          out.push({ name: c.text.replace(/^\*+/, ''), kind: 'dstar' });
          break;
        case 'keyword_separator':
          keywordOnly = true;
          break;
        default:
          break;
      }
    }
    return out;
  }

  private assignment(a: Node, sp: Span): PyStmt {
    // `A = B = value` nests: assignment(left=A, right=assignment(left=B, right=value))
    const targets: PyExpr[] = [];
    let cur: Node | null = a;
    while (cur && cur.type === 'assignment') {
      const left = cur.childForFieldName('left');
      const right: Node | null = cur.childForFieldName('right');
      if (left) targets.push(this.expr(left));
      if (!right) {
        if (cur.childForFieldName('type') && left) return { ...sp, t: 'annassign', target: this.expr(left) };
        return { ...sp, t: 'other', kind: 'assignment' };
      }
      if (right.type !== 'assignment') {
        return { ...sp, t: 'assign', targets, value: this.expr(right) };
      }
      cur = right;
    }
    return { ...sp, t: 'other', kind: 'assignment' };
  }

  block(n: Node): PyStmt[] {
    const out: PyStmt[] = [];
    if (this.depth > 150) return out;
    for (const c of n.namedChildren) {
      if (!c || c.type === 'comment') continue;
      out.push(this.stmt(c));
    }
    return out;
  }

  private depth = 0;

  /** Converts an expression; absurdly deep nesting (fuzzed input) becomes an opaque node. */
  expr(n: Node): PyExpr {
    if (this.depth > 150) return { ...this.span(n), t: 'other', kind: 'too-deep' };
    this.depth++;
    try {
      return this.exprInner(n);
    } finally {
      this.depth--;
    }
  }

  private exprInner(n: Node): PyExpr {
    const sp = this.span(n);
    switch (n.type) {
      case 'string':
        return this.string(n, sp);
      case 'concatenated_string': {
        const parts = n.namedChildren.filter((c): c is Node => !!c && c.type === 'string').map((c) => this.string(c, this.span(c)));
        const first = parts[0];
        const anyF = parts.some((p) => p.t === 'str' && p.fstring);
        const v = parts.map((p) => (p.t === 'str' ? p.v : '')).join('');
        const inner = parts.flatMap((p) => (p.t === 'str' && p.parts ? p.parts : []));
        return { ...sp, t: 'str', v, fstring: anyF, bytes: first?.t === 'str' && first.bytes, raw: false, quote: first?.t === 'str' ? first.quote : '"', parts: inner.length ? inner : undefined };
      }
      case 'integer':
        return { ...sp, t: 'num', v: integerValue(this.textAt(n, sp)) };
      case 'float':
        return { ...sp, t: 'num', v: Number(n.text.replace(/_/g, '').replace(/[jJ]$/, '')) };
      case 'true':
        return { ...sp, t: 'bool', v: true };
      case 'false':
        return { ...sp, t: 'bool', v: false };
      case 'none':
        return { ...sp, t: 'none' };
      case 'identifier':
        return { ...sp, t: 'name', id: n.text };
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const attr = n.childForFieldName('attribute');
        if (!obj || !attr) return { ...sp, t: 'other', kind: n.type };
        return { ...sp, t: 'attr', obj: this.expr(obj), name: attr.text };
      }
      case 'subscript': {
        const obj = n.childForFieldName('value');
        const idx = n.childForFieldName('subscript');
        if (!obj || !idx) return { ...sp, t: 'other', kind: n.type };
        return { ...sp, t: 'sub', obj: this.expr(obj), index: this.expr(idx) };
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        const argsNode = n.childForFieldName('arguments');
        if (!fn) return { ...sp, t: 'other', kind: n.type };
        const args: PyExpr[] = [];
        const kw: PyKeyword[] = [];
        if (argsNode) {
          for (const c of argsNode.namedChildren) {
            if (!c || c.type === 'comment') continue;
            if (c.type === 'keyword_argument') {
              const nm = c.childForFieldName('name');
              const val = c.childForFieldName('value');
              if (nm && val) kw.push({ ...this.span(c), name: nm.text, value: this.expr(val) });
            } else if (c.type === 'dictionary_splat') {
              const inner = c.namedChild(0);
              if (inner) kw.push({ ...this.span(c), value: this.expr(inner) });
            } else {
              args.push(this.expr(c));
            }
          }
        }
        return { ...sp, t: 'call', fn: this.expr(fn), args, kw, argsSpan: argsNode ? this.span(argsNode) : { s: sp.e, e: sp.e } };
      }
      case 'list':
      case 'tuple':
      case 'set':
        return { ...sp, t: n.type, items: this.items(n) };
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'expression_list': {
        const items: PyExpr[] = [];
        for (const c of n.namedChildren) if (c && c.type !== 'comment') items.push(this.expr(c));
        return { ...sp, t: n.type === 'list_pattern' ? 'list' : 'tuple', items };
      }
      case 'dictionary': {
        const entries: PyDictEntry[] = [];
        for (const c of n.namedChildren) {
          if (!c || c.type === 'comment') continue;
          if (c.type === 'pair') {
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            if (k && v) entries.push({ ...this.span(c), k: this.expr(k), v: this.expr(v) });
          } else if (c.type === 'dictionary_splat') {
            const inner = c.namedChild(0);
            if (inner) entries.push({ ...this.span(c), v: this.expr(inner) });
          }
        }
        return { ...sp, t: 'dict', entries };
      }
      case 'parenthesized_expression': {
        const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
        return inner ? this.expr(inner) : { ...sp, t: 'other', kind: n.type };
      }
      case 'binary_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator');
        if (!l || !r) return { ...sp, t: 'other', kind: n.type };
        return { ...sp, t: 'bin', op: op ? op.type : '?', l: this.expr(l), r: this.expr(r) };
      }
      case 'unary_operator': {
        const x = n.childForFieldName('argument');
        const op = n.childForFieldName('operator');
        if (!x) return { ...sp, t: 'other', kind: n.type };
        return { ...sp, t: 'unary', op: op ? op.type : '-', x: this.expr(x) };
      }
      case 'not_operator': {
        const x = n.childForFieldName('argument');
        return x ? { ...sp, t: 'not', x: this.expr(x) } : { ...sp, t: 'other', kind: n.type };
      }
      case 'boolean_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator');
        if (!l || !r) return { ...sp, t: 'other', kind: n.type };
        return { ...sp, t: 'boolop', op: op?.type === 'or' ? 'or' : 'and', l: this.expr(l), r: this.expr(r) };
      }
      case 'comparison_operator': {
        const items: PyExpr[] = [];
        const ops: string[] = [];
        for (let i = 0; i < n.childCount; i++) {
          const c = n.child(i);
          if (!c) continue;
          if (c.isNamed) {
            if (c.type !== 'comment') items.push(this.expr(c));
          } else {
            // `not in` and `is not` are two tokens
            const prev = ops.length >= items.length ? ops.pop() : undefined;
            ops.push(prev ? `${prev} ${c.type}` : c.type);
          }
        }
        return { ...sp, t: 'cmp', ops, items };
      }
      case 'conditional_expression': {
        const parts = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
        if (parts.length !== 3) return { ...sp, t: 'other', kind: n.type };
        return { ...sp, t: 'cond', body: this.expr(parts[0]), test: this.expr(parts[1]), orelse: this.expr(parts[2]) };
      }
      case 'named_expression': {
        const nm = n.childForFieldName('name');
        const v = n.childForFieldName('value');
        return nm && v ? { ...sp, t: 'walrus', name: nm.text, x: this.expr(v) } : { ...sp, t: 'other', kind: n.type };
      }
      case 'list_splat':
      case 'dictionary_splat': {
        const inner = n.namedChild(0);
        return inner ? { ...sp, t: 'splat', x: this.expr(inner), double: n.type === 'dictionary_splat' } : { ...sp, t: 'other', kind: n.type };
      }
      default:
        return { ...sp, t: 'other', kind: n.type };
    }
  }

  private string(n: Node, sp: Span): PyExpr {
    const fast = stringLiteral(this.textAt(n, sp), sp);
    if (fast) return fast;
    const start = n.namedChildren.find((c) => c?.type === 'string_start');
    const prefixAndQuote = start?.text ?? '"';
    const m = /^([a-zA-Z]*)(.*)$/.exec(prefixAndQuote);
    const prefix = (m?.[1] ?? '').toLowerCase();
    const quote = m?.[2] ?? '"';
    const raw = prefix.includes('r');
    let v = '';
    const parts: PyExpr[] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'string_content') v += raw ? c.text : decodeEscapes(c.text);
      else if (c.type === 'escape_sequence') v += decodeEscapes(c.text);
      else if (c.type === 'interpolation') {
        const e = c.childForFieldName('expression');
        if (e) parts.push(this.expr(e));
        v += '{…}';
      }
    }
    return {
      ...sp,
      t: 'str',
      v,
      fstring: prefix.includes('f') || prefix.includes('t'),
      bytes: prefix.includes('b'),
      raw,
      quote,
      parts: parts.length ? parts : undefined,
    };
  }
}

function integerValue(text: string): number {
  const txt = text.replace(/_/g, '').replace(/[lLjJ]$/, '');
  if (/^0[xX]/.test(txt)) return parseInt(txt.slice(2), 16);
  if (/^0[oO]/.test(txt)) return parseInt(txt.slice(2), 8);
  if (/^0[bB]/.test(txt)) return parseInt(txt.slice(2), 2);
  return Number(txt);
}

/**
 * A complete string literal without interpolation, from its text (one read instead of a walk
 * over its children: a list of 100,000 strings is built several times faster). Escapes are
 * decoded from the whole body, as IrBuilder.string does piece by piece. Undefined otherwise.
 */
function stringLiteral(text: string, sp: Span): PyExpr | undefined {
  const lit = plainString(text);
  if (!lit) return undefined;
  const prefix = lit[1].toLowerCase();
  const raw = prefix.includes('r');
  const body = text.slice(lit[0].length, text.length - lit[2].length);
  // an object literal, not `{ ...sp }`: spreading costs ten times more per item (measured on
  // 100,000 strings), and the IR of a huge collection is all items
  return { s: sp.s, e: sp.e, t: 'str', v: raw ? body : decodeEscapes(body), fstring: false, bytes: prefix.includes('b'), raw, quote: lit[2], parts: undefined };
}

/** The prefix and quote of a complete string literal without interpolation, or undefined. */
function plainString(text: string): RegExpExecArray | undefined {
  const lit = /^([a-zA-Z]{0,2})('''|"""|'|")/.exec(text);
  if (!lit || /[fFtT]/.test(lit[1]) || text.length < lit[0].length + lit[2].length || !text.endsWith(lit[2])) return undefined;
  // a closing quote escaped by an odd run of backslashes: not a complete literal (a syntax error)
  let k = text.length - lit[2].length;
  while (k > lit[0].length && text.charCodeAt(k - 1) === 92) k--;
  if ((text.length - lit[2].length - k) % 2 === 1) return undefined;
  return lit;
}

const PY_KEYWORDS = new Set(['and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/**
 * The items of a list, tuple or set literal `src[start, end)` read from its text when every item
 * is a plain literal (a string without interpolation or implicit concatenation, a number,
 * True/False/None, a name), separated by commas, blanks, line breaks and comments: the same IR
 * the tree walk builds. Undefined for anything else (the tree is walked then).
 */
export function literalItems(src: string, start: number, end: number, base: number, validateOnly = false): PyExpr[] | undefined {
  const open = src[start];
  const close = src[end - 1];
  if (!((open === '[' && close === ']') || (open === '(' && close === ')') || (open === '{' && close === '}'))) return undefined;
  const items: PyExpr[] = [];
  let count = 0;
  const last = end - 1;
  let i = start + 1;
  const skipBlank = () => {
    for (;;) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) i++;
      else if (c === 92 /* \ */ && (src.charCodeAt(i + 1) === 10 || src.charCodeAt(i + 1) === 13)) i += 2;
      else if (c === 35 /* # */) {
        while (i < last && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
      } else return;
    }
  };
  for (;;) {
    skipBlank();
    if (i >= last) break;
    const s = i;
    const c = src.charCodeAt(i);
    // a string prefix (r, b, u: never f or t) and its quote
    let k = i;
    while (k - i < 2 && STRING_PREFIX.has(src.charCodeAt(k))) k++;
    const qc = src.charCodeAt(k);
    let item: PyExpr | undefined;
    if (qc === 39 || qc === 34) {
      const triple = src.charCodeAt(k + 1) === qc && src.charCodeAt(k + 2) === qc;
      const ql = triple ? 3 : 1;
      let j = k + ql;
      for (;;) {
        if (j >= last) return undefined;
        const d = src.charCodeAt(j);
        if (d === 92) j += 2;
        else if (!triple && (d === 10 || d === 13)) return undefined;
        else if (d === qc && (!triple || (src.charCodeAt(j + 1) === qc && src.charCodeAt(j + 2) === qc))) {
          j += ql;
          break;
        } else j++;
      }
      if (j > last) return undefined;
      if (!validateOnly) {
        item = stringLiteral(src.slice(s, j), { s: s - base, e: j - base });
        if (!item) return undefined;
      }
      i = j;
    } else if ((c >= 48 && c <= 57) || (c === 46 && src.charCodeAt(i + 1) >= 48 && src.charCodeAt(i + 1) <= 57)) {
      let j = i + 1;
      for (;;) {
        const d = src.charCodeAt(j);
        if ((d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || d === 46) j++;
        else if ((d === 43 || d === 45) && (src.charCodeAt(j - 1) === 101 || src.charCodeAt(j - 1) === 69) && !/^0[xX]/.test(src.slice(s, j))) j++;
        else break;
      }
      const tok = src.slice(s, j);
      if (!NUMBER.test(tok)) return undefined;
      if (!validateOnly) item = { s: s - base, e: j - base, t: 'num', v: /^0[xXoObB]/.test(tok) || !/[.eE]/.test(tok) ? integerValue(tok) : Number(tok.replace(/_/g, '')) };
      i = j;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      let j = i + 1;
      for (;;) {
        const d = src.charCodeAt(j);
        if ((d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95) j++;
        else break;
      }
      const tok = src.slice(s, j);
      if (PY_KEYWORDS.has(tok)) return undefined;
      if (!validateOnly) {
        const e = j - base;
        item = tok === 'True' ? { s: s - base, e, t: 'bool', v: true } : tok === 'False' ? { s: s - base, e, t: 'bool', v: false } : tok === 'None' ? { s: s - base, e, t: 'none' } : { s: s - base, e, t: 'name', id: tok };
      }
      i = j;
    } else return undefined;
    if (item) items.push(item);
    count++;
    skipBlank();
    if (i >= last) break;
    if (src.charCodeAt(i) !== 44 /* , */) return undefined;
    i++;
  }
  // `(x)` is not a tuple: a parenthesized item
  if (open === '(' && count === 1 && !/,\s*(?:#[^\n]*\s*)*\)$/.test(src.slice(start, end))) return undefined;
  return items;
}

/** r, R, b, B, u, U: the string prefixes without interpolation. */
const STRING_PREFIX = new Set([114, 82, 98, 66, 117, 85]);
/** A plain number literal as tree-sitter reads an `integer` or `float` (no imaginary part). */
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9_]+)?)$/;

/** Dotted name of an expression such as `os.environ.get`, or undefined. */
export function dottedName(e: PyExpr): string | undefined {
  if (e.t === 'name') return e.id;
  if (e.t === 'attr') {
    const o = dottedName(e.obj);
    return o === undefined ? undefined : `${o}.${e.name}`;
  }
  return undefined;
}

/** The keyword argument `name` of a call, if given. */
export function kwarg(call: Extract<PyExpr, { t: 'call' }>, name: string): PyExpr | undefined {
  for (const k of call.kw) if (k.name === name) return k.value;
  return undefined;
}

/** Visits every expression inside a statement list (not into nested function bodies). */
export function* walkExprs(e: PyExpr): Generator<PyExpr> {
  yield e;
  switch (e.t) {
    case 'attr': yield* walkExprs(e.obj); break;
    case 'sub': yield* walkExprs(e.obj); yield* walkExprs(e.index); break;
    case 'call': yield* walkExprs(e.fn); for (const a of e.args) yield* walkExprs(a); for (const k of e.kw) yield* walkExprs(k.value); break;
    case 'list': case 'tuple': case 'set': for (const i of e.items) yield* walkExprs(i); break;
    case 'dict': for (const en of e.entries) { if (en.k) yield* walkExprs(en.k); yield* walkExprs(en.v); } break;
    case 'bin': case 'boolop': yield* walkExprs(e.l); yield* walkExprs(e.r); break;
    case 'unary': case 'not': case 'splat': case 'walrus': yield* walkExprs(e.x); break;
    case 'cmp': for (const i of e.items) yield* walkExprs(i); break;
    case 'cond': yield* walkExprs(e.body); yield* walkExprs(e.test); yield* walkExprs(e.orelse); break;
    case 'str': if (e.parts) for (const p of e.parts) yield* walkExprs(p); break;
    default: break;
  }
}
