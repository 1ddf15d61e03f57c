/**
 * Helpers for the code rules, over tree-sitter nodes of ordinary Python files (views, models,
 * urls...): dotted names, string literals and f-strings, strings built at run time (f-strings,
 * `%`, `.format()`, `+`), and the assignments a local name received before a call.
 * Nothing is evaluated: the answers come from the syntax alone.
 */
import type { Node } from 'web-tree-sitter';
import type { ModuleEditor } from './edits';
import { field } from './semantic';
import type { Edit } from './types';

/** Strips parentheses: `((x))` -> `x`. */
export function unparen(n: Node): Node {
  let cur = n;
  while (cur.type === 'parenthesized_expression') {
    const inner = cur.namedChildren.find((c) => c && c.type !== 'comment');
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

/** `a.b.c` for identifier/attribute chains, `a.b()` calls are written `a.b()`; else undefined. */
export function exprDottedName(n: Node, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') {
    const obj = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!obj || !attr) return undefined;
    const left = exprDottedName(obj, depth + 1);
    return left === undefined ? undefined : `${left}.${attr.text}`;
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    const left = fn ? exprDottedName(fn, depth + 1) : undefined;
    return left === undefined ? undefined : `${left}()`;
  }
  return undefined;
}

/** The last segment of a dotted callee: `models.Manager.raw` -> `raw`. */
export function lastName(n: Node | null): string | undefined {
  if (!n) return undefined;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') return field(n, 'attribute')?.text;
  return undefined;
}

/** Positional arguments and keyword arguments of a call. */
export function callArgs(call: Node): { positional: Node[]; keywords: Map<string, Node>; splat: boolean } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  let splat = false;
  const args = field(call, 'arguments');
  if (args && args.type === 'argument_list') {
    for (const a of args.namedChildren) {
      if (!a || a.type === 'comment') continue;
      if (a.type === 'keyword_argument') {
        const name = field(a, 'name')?.text;
        const value = field(a, 'value');
        if (name && value) keywords.set(name, value);
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
      else positional.push(a);
    }
  }
  return { positional, keywords, splat };
}

export interface StringLiteralInfo {
  /** String prefix letters, lower-cased (`f`, `rb`, `fr`...). */
  prefix: string;
  /** The quote: ', ", ''' or """. */
  quote: string;
  /** Pieces in order: raw source text between the quotes, or an interpolation. */
  pieces: StringPiece[];
}

export type StringPiece =
  | { kind: 'text'; raw: string }
  | { kind: 'expr'; node: Node; expr: Node; plain: boolean };

/** Decomposes one `string` node (not a concatenation). */
export function stringInfo(n: Node): StringLiteralInfo | undefined {
  if (n.type !== 'string') return undefined;
  const start = n.children.find((c) => c?.type === 'string_start');
  const end = n.children.find((c) => c?.type === 'string_end');
  if (!start || !end) return undefined;
  const m = /^([A-Za-z]*)('''|"""|'|")$/.exec(start.text);
  if (!m) return undefined;
  const pieces: StringPiece[] = [];
  let pos = start.endIndex;
  const src = n.text;
  const base = n.startIndex;
  for (const c of n.children) {
    if (!c || c.type !== 'interpolation') continue;
    if (c.startIndex > pos) pieces.push({ kind: 'text', raw: src.slice(pos - base, c.startIndex - base) });
    const expr = field(c, 'expression');
    if (!expr) return undefined;
    const plain = !field(c, 'type_conversion') && !field(c, 'format_specifier') && !c.children.some((x) => x?.type === '=');
    pieces.push({ kind: 'expr', node: c, expr, plain });
    pos = c.endIndex;
  }
  if (end.startIndex > pos) pieces.push({ kind: 'text', raw: src.slice(pos - base, end.startIndex - base) });
  return { prefix: m[1].toLowerCase(), quote: m[2], pieces };
}

/** The text between the quotes of one string literal, as written (interpolations included). */
export function stringContent(n: Node | null | undefined): string | undefined {
  const info = n ? stringInfo(unparen(n)) : undefined;
  return info?.pieces.map((p) => (p.kind === 'text' ? p.raw : p.node.text)).join('');
}

/** One string literal that is neither bytes nor an f-string with values: its parts, else undefined. */
export function plainStringInfo(n: Node | null | undefined): StringLiteralInfo | undefined {
  const info = n ? stringInfo(unparen(n)) : undefined;
  return info && !/[fb]/.test(info.prefix) && info.pieces.every((p) => p.kind === 'text') ? info : undefined;
}

/** The raw text of a plain string literal (see plainStringInfo; escapes as written). */
export function plainText(info: StringLiteralInfo): string {
  return info.pieces.map((p) => (p.kind === 'text' ? p.raw : '')).join('');
}

/** One f-string (not bytes): its parts, else undefined. */
export function fStringInfo(n: Node | null | undefined): StringLiteralInfo | undefined {
  const info = n ? stringInfo(unparen(n)) : undefined;
  return info && info.prefix.includes('f') && !info.prefix.includes('b') ? info : undefined;
}

/** A string literal with no interpolation (possibly implicitly concatenated, parenthesized). */
export function isPlainStringLiteral(n: Node): boolean {
  const u = unparen(n);
  if (u.type === 'string') return !u.children.some((c) => c?.type === 'interpolation');
  if (u.type === 'concatenated_string') return u.namedChildren.every((c) => !c || c.type === 'comment' || isPlainStringLiteral(c));
  return false;
}

/** Literals and names that stand for constants in a module (`TABLE = 'x'` at top level). */
export class Constants {
  private readonly names = new Set<string>();

  constructor(root: Node) {
    for (const stmt of root.namedChildren) {
      if (!stmt || stmt.type !== 'expression_statement') continue;
      const a = stmt.namedChildren[0];
      if (!a || a.type !== 'assignment') continue;
      const left = field(a, 'left');
      const right = field(a, 'right');
      if (left?.type === 'identifier' && right && /^[A-Z][A-Z0-9_]*$/.test(left.text) && isConstantExpr(right, this, 0)) this.names.add(left.text);
    }
  }

  has(name: string): boolean {
    return this.names.has(name);
  }
}

/** An expression made only of literals and module constants. */
export function isConstantExpr(n: Node, constants: Constants, depth: number): boolean {
  if (depth > 30) return false;
  const u = unparen(n);
  switch (u.type) {
    case 'string':
      return stringInfo(u)?.pieces.every((p) => p.kind === 'text' || isConstantExpr(p.expr, constants, depth + 1)) ?? false;
    case 'concatenated_string':
      return u.namedChildren.every((c) => !c || c.type === 'comment' || isConstantExpr(c, constants, depth + 1));
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return true;
    case 'identifier':
      return constants.has(u.text);
    case 'attribute':
      // `settings.TABLE_NAME`, `Model._meta.db_table`: configuration, not user input
      return /(^|\.)(settings|_meta)\.[A-Za-z_]\w*$/.test(exprDottedName(u) ?? '');
    case 'tuple':
    case 'list':
      return u.namedChildren.every((c) => !c || c.type === 'comment' || isConstantExpr(c, constants, depth + 1));
    case 'binary_operator': {
      const l = field(u, 'left');
      const r = field(u, 'right');
      return !!l && !!r && isConstantExpr(l, constants, depth + 1) && isConstantExpr(r, constants, depth + 1);
    }
    default:
      return false;
  }
}

export type BuildKind = 'f-string' | '%-formatting' | '.format()' | 'concatenation';

export interface BuiltString {
  how: BuildKind;
  /** The expression that builds the string (maybe an earlier assignment's right-hand side). */
  node: Node;
  /** The literal text of the string's constant parts (to recognise SQL, HTML...). */
  literalText: string;
  /** When the argument was a local name: the assignment that built it. */
  via?: Node;
}

function literalText(n: Node, depth = 0): string {
  if (depth > 30) return '';
  const u = unparen(n);
  if (u.type === 'string') return (stringInfo(u)?.pieces ?? []).map((p) => (p.kind === 'text' ? p.raw : ' ')).join('');
  if (u.type === 'concatenated_string' || u.type === 'binary_operator') return u.namedChildren.map((c) => (c ? literalText(c, depth + 1) : '')).join(' ');
  if (u.type === 'call') {
    const fn = field(u, 'function');
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : null;
    return obj ? literalText(obj, depth + 1) : '';
  }
  return '';
}

/** Is `n` a string literal (plain or f-string), ignoring parentheses? */
function isStringish(n: Node): boolean {
  const u = unparen(n);
  return u.type === 'string' || u.type === 'concatenated_string';
}

/**
 * How `n` builds a string from run-time values, if it does: an f-string with a non-constant
 * interpolation, `'...' % x`, `'...'.format(x)`, or `'...' + x`. A local name is followed to
 * the assignments it received before `at` in the same function (or module).
 */
export function builtString(n: Node, constants: Constants, at?: Node, depth = 0): BuiltString | undefined {
  if (depth > 8) return undefined;
  const u = unparen(n);
  const built = (how: BuildKind): BuiltString => ({ how, node: u, literalText: literalText(u) });
  switch (u.type) {
    case 'string': {
      const info = stringInfo(u);
      if (info?.pieces.some((p) => p.kind === 'expr' && !isConstantExpr(p.expr, constants, 0))) return built('f-string');
      return undefined;
    }
    case 'concatenated_string':
      for (const c of u.namedChildren) {
        if (c && c.type === 'string' && builtString(c, constants, at, depth + 1)) return built('f-string');
      }
      return undefined;
    case 'binary_operator': {
      const op = field(u, 'operator')?.type;
      const l = field(u, 'left');
      const r = field(u, 'right');
      if (!l || !r) return undefined;
      if (op === '%') {
        if ((isStringish(l) || builtString(l, constants, at, depth + 1) || stringValued(l, at, depth)) && !isConstantExpr(r, constants, 0)) return built('%-formatting');
        return builtString(l, constants, at, depth + 1);
      }
      if (op === '+') {
        const lb = builtString(l, constants, at, depth + 1);
        const rb = builtString(r, constants, at, depth + 1);
        if (lb || rb) return { ...(lb ?? rb)!, how: 'concatenation', node: u, literalText: literalText(u) + ' ' + (lb?.literalText ?? '') + ' ' + (rb?.literalText ?? '') };
        const ls = isStringish(l) || stringValued(l, at, depth);
        const rs = isStringish(r) || stringValued(r, at, depth);
        if ((ls || rs) && !(isConstantExpr(l, constants, 0) && isConstantExpr(r, constants, 0))) return built('concatenation');
      }
      return undefined;
    }
    case 'call': {
      const fn = field(u, 'function');
      if (fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'format') {
        const obj = field(fn, 'object');
        const { positional, keywords, splat } = callArgs(u);
        const args = [...positional, ...keywords.values()];
        if (obj && (isStringish(obj) || stringValued(obj, at, depth)) && (splat || args.some((a) => !isConstantExpr(a, constants, 0)))) return built('.format()');
      }
      return undefined;
    }
    case 'identifier': {
      if (!at || constants.has(u.text)) return undefined;
      const assignments = assignmentsBefore(u.text, at);
      for (const a of [...assignments].reverse()) {
        if (a.type === 'augmented_assignment') {
          const right = field(a, 'right');
          if (right && field(a, 'operator')?.text === '+=' && !isConstantExpr(right, constants, 0)) {
            return { how: 'concatenation', node: a, literalText: literalTextOf(assignments), via: a };
          }
          continue;
        }
        const right = field(a, 'right');
        const b = right ? builtString(right, constants, a, depth + 1) : undefined;
        if (b) return { ...b, via: a, literalText: literalTextOf(assignments) };
        // the latest plain assignment decides (an earlier built value was overwritten)
        return undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The literal text of the values a name was assigned (to recognise SQL in `q = "SELECT ..."; q += x`). */
function literalTextOf(assignments: Node[]): string {
  return assignments
    .map((a) => {
      const r = field(a, 'right');
      return r ? literalText(r) : '';
    })
    .join(' ');
}

/** A local name assigned a string (literal or built) before `at`. */
function stringValued(n: Node, at: Node | undefined, depth: number): boolean {
  const u = unparen(n);
  if (u.type !== 'identifier' || !at || depth > 6) return false;
  const list = assignmentsBefore(u.text, at);
  const last = list[list.length - 1];
  const right = (last ? field(last, 'right') : undefined);
  return !!right && (isStringish(right) || (right.type === 'binary_operator' && isStringish(field(right, 'left') ?? right)));
}

const SCOPES = new Set(['function_definition', 'lambda', 'class_definition', 'module']);

/** The function (or class body, or module) whose local names `n` sees. */
export function enclosingScope(n: Node): Node {
  let cur: Node | null = n.parent;
  while (cur && !SCOPES.has(cur.type)) cur = cur.parent;
  return cur ?? n.tree.rootNode;
}

/**
 * Plain (`name = ...`) and augmented (`name += ...`) assignments to `name` in the scope of `at`,
 * that end before `at` starts, in source order (nested functions and classes are not entered).
 */
export function assignmentsBefore(name: string, at: Node): Node[] {
  const scope = enclosingScope(at);
  const out: Node[] = [];
  const limit = at.startIndex;
  const visit = (node: Node, depth: number) => {
    if (depth > 200 || node.startIndex >= limit) return;
    for (const c of node.namedChildren) {
      if (!c || c.startIndex >= limit) break;
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      if ((c.type === 'assignment' || c.type === 'augmented_assignment') && c.endIndex <= limit) {
        const left = field(c, 'left');
        if (left?.type === 'identifier' && left.text === name) out.push(c);
      }
      visit(c, depth + 1);
    }
  };
  const body = scope.type === 'module' ? scope : (field(scope, 'body') ?? scope);
  visit(body, 0);
  return out;
}

/** Calls `fn` for every node of the given types below `root`, in document order. */
export function forEachNode(root: Node, types: ReadonlySet<string>, fn: (n: Node) => void): void {
  // the matching is done inside tree-sitter: no JS object for the nodes that do not match
  for (const n of root.descendantsOfType([...types])) if (n) fn(n);
}

/** Escapes text for a `str.format` template (format_html): braces doubled. */
export function escapeBraces(raw: string): string {
  return raw.replace(/[{}]/g, (c) => c + c);
}

/** The raw text of an f-string's literal piece as a plain-string literal piece (`{{` -> `{`). */
export function unescapeFBraces(raw: string): string {
  return raw.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
}

/**
 * The edit that appends an argument (`timeout=10`) to a call's argument list, in its layout: on
 * its own line after a trailing comma when the arguments are one per line, else `, arg` after the
 * last one.
 */
export function appendArgumentEdit(editor: ModuleEditor, text: string, args: Node, argSrc: string): Edit {
  const items = args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const last = items[items.length - 1];
  if (!last) return editor.insert(args.startIndex + 1, argSrc);
  const after = text.slice(last.endIndex, args.endIndex - 1);
  const lineStart = text.lastIndexOf('\n', last.startIndex) + 1;
  const ownLine = /^[ \t]*$/.test(text.slice(lineStart, last.startIndex));
  if (/^\s*,/.test(after) && ownLine) {
    const indent = text.slice(lineStart, last.startIndex);
    return editor.insert(last.endIndex + after.indexOf(',') + 1, `\n${indent}${argSrc},`);
  }
  return editor.insert(last.endIndex, `, ${argSrc}`);
}
