/**
 * The semantic model of one Python file (what Ruff's SemanticModel and ESLint's scope manager give
 * their rules), built from the tree-sitter tree without importing or running anything:
 *
 *  - scopes (module, class, function, lambda, comprehension) and the names bound in each, with
 *    how (import, def, class, assignment, parameter, loop target, `with ... as`, ...);
 *  - qualified names: a call, decorator or base class resolved through the file's imports
 *    (`from django.views.decorators import csrf as c; c.csrf_exempt` is
 *    `django.views.decorators.csrf.csrf_exempt`; a local function named `csrf_exempt` is not);
 *  - the enclosing function and class of a node;
 *  - simple value tracking: a name bound exactly once in its scope, by `name = value`, gives that
 *    value (a literal, `request.GET['q']`...).
 *
 * It is built on the first query (most files that reach the code rules never need it: a rule may
 * take `ctx.semantic` in `create` and never ask it anything), from one walk of the tree inside
 * tree-sitter (`descendantsOfType`): the code-rule runner hands it the nodes of its own walk
 * (`supply`), so a file is walked once. It lives as long as the file's check.
 */
import type { Node } from 'web-tree-sitter';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

export type BindingKind =
  | 'import'
  | 'function'
  | 'class'
  | 'assignment'
  | 'augmented'
  | 'annotation'
  | 'parameter'
  | 'loop'
  | 'as'
  | 'walrus'
  | 'delete'
  | 'other';

export interface SemBinding {
  name: string;
  kind: BindingKind;
  scope: Scope;
  /** The offset from which the binding is in effect (the end of its statement, or the def's start). */
  from: number;
  /** The node that binds: the import statement, the definition, the assignment, the parameter... */
  node: Node;
  /** Imports: the qualified name the local name stands for (`c` -> `django.views.decorators.csrf`). */
  qualified?: string;
  /** `name = value` (a single plain target): the value. */
  value?: Node;
  /** `a, b = value`: the value and the position of this name in the target list. */
  unpacked?: { value: Node; index: number };
}

export interface Scope {
  kind: ScopeKind;
  node: Node;
  start: number;
  end: number;
  parent?: Scope;
  /** For functions and classes: their name. */
  name?: string;
  readonly bindings: Map<string, SemBinding[]>;
  /** Names declared `global` / `nonlocal` here (they do not bind in this scope). */
  readonly declared: Map<string, 'global' | 'nonlocal'>;
  /** Modules imported with `from m import *` in this scope. */
  readonly starImports: string[];
  readonly children: Scope[];
}

/** What a name refers to at a place. */
export type Resolution =
  | { kind: 'binding'; binding: SemBinding }
  | { kind: 'builtin'; name: string }
  /** Not bound anywhere: maybe from a star import (`modules`), or simply undefined. */
  | { kind: 'unbound'; starModules: string[] };

const SCOPE_TYPES: Record<string, ScopeKind> = {
  function_definition: 'function',
  class_definition: 'class',
  lambda: 'lambda',
  list_comprehension: 'comprehension',
  set_comprehension: 'comprehension',
  dictionary_comprehension: 'comprehension',
  generator_expression: 'comprehension',
};

/** The node types the model is built from (the code-rule runner adds them to its walk: see `supply`). */
export const BINDER_TYPES: readonly string[] = [
  ...Object.keys(SCOPE_TYPES),
  'import_statement',
  'import_from_statement',
  'assignment',
  'augmented_assignment',
  'for_statement',
  'for_in_clause',
  'as_pattern',
  'named_expression',
  'global_statement',
  'nonlocal_statement',
  'delete_statement',
];

/** Methods that put values into a list, set or dict in place. */
const MUTATORS = new Set(['append', 'extend', 'insert', 'add', 'update', 'setdefault', 'appendleft', 'extendleft']);

/** Python's builtins that rules may ask about (a name not bound in the file and in this set). */
const BUILTINS = new Set(
  (
    'abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex delattr dict dir divmod ' +
    'enumerate eval exec filter float format frozenset getattr globals hasattr hash help hex id input int isinstance ' +
    'issubclass iter len list locals map max memoryview min next object oct open ord pow print property range repr ' +
    'reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip __import__ ' +
    'Exception BaseException ValueError TypeError KeyError IndexError AttributeError RuntimeError NotImplementedError ' +
    'ImportError StopIteration OSError IOError True False None NotImplemented Ellipsis __name__ __file__'
  ).split(' '),
);

/** Field ids by name (childForFieldName looks the name up in the language's list on every call). */
const fieldIds = new Map<string, number>();

/** `n.childForFieldName(name)`, with the field's id looked up once. */
export function field(n: Node, name: string): Node | null {
  let id = fieldIds.get(name);
  if (id === undefined) {
    id = n.tree.language.fields.indexOf(name);
    fieldIds.set(name, id);
  }
  return id < 0 ? null : n.childForFieldId(id);
}

/**
 * Whether `SemanticModel.qualifiedName(expr)` can be one of `names` or end with `.name` for one of
 * them, told without the model: an attribute's qualified name ends with its attribute, a call's
 * is its callee's, anything but an identifier (which may be an alias: ask the model) has none.
 * False means it cannot; true means ask qualifiedName. For rules that look at every call for a
 * few callee names (most calls are none of them).
 */
export function mayBeNamed(expr: Node | null | undefined, names: ReadonlySet<string>, depth = 0): boolean {
  if (!expr || depth > 30) return false;
  const n = unparen(expr);
  switch (n.type) {
    case 'identifier':
      return true;
    case 'attribute': {
      const attr = field(n, 'attribute');
      return !!attr && names.has(attr.text);
    }
    case 'call':
      return mayBeNamed(field(n, 'function'), names, depth + 1);
    default:
      return false;
  }
}

/** Strips parentheses: `((x))` -> `x`. */
function unparen(n: Node): Node {
  let cur = n;
  for (let i = 0; i < 50 && cur.type === 'parenthesized_expression'; i++) {
    const inner = cur.namedChildren.find((c) => c && c.type !== 'comment');
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

/** The identifiers a binding target binds (`a`, `a, (b, *c)`, `[x, y]`); attributes and subscripts bind nothing. */
export function targetNames(n: Node, out: Node[] = [], depth = 0): Node[] {
  if (depth > 30) return out;
  switch (n.type) {
    case 'identifier':
      out.push(n);
      break;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'expression_list':
    case 'parenthesized_expression':
    case 'list_splat_pattern':
    case 'list_splat':
    case 'as_pattern_target':
      for (const c of n.namedChildren) if (c && c.type !== 'comment') targetNames(c, out, depth + 1);
      break;
    default:
      break;
  }
  return out;
}

/** The dotted text of a `dotted_name` node (`a.b.c`). */
function dottedText(n: Node | null): string {
  return n ? n.namedChildren.filter((c): c is Node => !!c && c.type === 'identifier').map((c) => c.text).join('.') : '';
}

/** BINDER_TYPES as a set. */
export const BINDER_TYPE_SET: ReadonlySet<string> = new Set(BINDER_TYPES);

export class SemanticModel {
  private moduleScope: Scope | undefined;
  /** Every scope, in document order of their start. */
  private readonly scopes: Scope[] = [];
  private readonly scopeByNode = new Map<number, Scope>();
  /** The binder nodes of the whole tree in document order, when the code-rule runner walked it already. */
  private supplied: (Node | null)[] | undefined;

  /**
   * @param root the module node of the file's tree
   * @param dotted the file's dotted module name (`shop.views`, `shop` for `shop/__init__.py`), for relative imports
   * @param isPackage the file is a package's `__init__.py`
   */
  constructor(
    readonly root: Node,
    readonly dotted = '',
    readonly isPackage = false,
  ) {}

  /** The module's scope (the model is built on first use). */
  get module(): Scope {
    return this.moduleScope ?? this.ensure();
  }

  /** Whether the model was built already (a query was made). */
  get built(): boolean {
    return this.moduleScope !== undefined;
  }

  /**
   * Gives the model the nodes of BINDER_TYPES in the whole tree, in document order (what
   * `root.descendantsOfType(BINDER_TYPES)` returns; other types among them are ignored), so
   * that building it needs no walk of its own. Ignored once built.
   */
  supply(nodes: (Node | null)[]): void {
    if (!this.moduleScope) this.supplied = nodes;
  }

  private ensure(): Scope {
    if (this.moduleScope) return this.moduleScope;
    const module = (this.moduleScope = this.newScope('module', this.root, undefined));
    const nodes = this.supplied ?? this.root.descendantsOfType(BINDER_TYPES as string[]);
    this.supplied = undefined;
    this.build(nodes);
    return module;
  }

  private newScope(kind: ScopeKind, node: Node, parent: Scope | undefined, name?: string): Scope {
    const s: Scope = { kind, node, start: node.startIndex, end: node.endIndex, parent, name, bindings: new Map(), declared: new Map(), starImports: [], children: [] };
    parent?.children.push(s);
    this.scopes.push(s);
    this.scopeByNode.set(node.id, s);
    return s;
  }

  private bind(scope: Scope, name: string, kind: BindingKind, node: Node, from: number, extra: Partial<SemBinding> = {}): void {
    // `global x` / `nonlocal x`: the binding belongs to the module / the enclosing function
    let target = scope;
    const decl = scope.declared.get(name);
    if (decl === 'global') target = this.module;
    else if (decl === 'nonlocal') {
      for (let p = scope.parent; p; p = p.parent) {
        if (p.kind === 'function' && (p.bindings.has(name) || p === this.module)) {
          target = p;
          break;
        }
      }
    }
    const b: SemBinding = { name, kind, scope: target, from, node, ...extra };
    const list = target.bindings.get(name);
    if (list) list.push(b);
    else target.bindings.set(name, [b]);
  }

  /** The scope a binding at `n` goes to: comprehension variables stay in theirs, walrus targets do not. */
  private build(nodes: (Node | null)[]): void {
    const stack: Scope[] = [this.module];
    for (const n of nodes) {
      if (!n) continue;
      const t = n.type;
      if (!BINDER_TYPE_SET.has(t)) continue;
      while (stack.length > 1 && stack[stack.length - 1].end <= n.startIndex) stack.pop();
      const scope = stack[stack.length - 1];
      const scopeKind = SCOPE_TYPES[t];
      if (scopeKind) {
        const nameNode = scopeKind === 'function' || scopeKind === 'class' ? field(n, 'name') : null;
        // the name is bound in the enclosing scope once the definition has run
        if (nameNode) this.bind(scope, nameNode.text, scopeKind === 'function' ? 'function' : 'class', n, n.startIndex);
        const inner = this.newScope(scopeKind, n, scope, nameNode?.text);
        stack.push(inner);
        if (scopeKind === 'function' || scopeKind === 'lambda') this.bindParameters(inner, field(n, 'parameters'));
        continue;
      }
      switch (t) {
        case 'import_statement':
          this.bindImport(scope, n);
          break;
        case 'import_from_statement':
          this.bindFromImport(scope, n);
          break;
        case 'assignment': {
          const left = field(n, 'left');
          let right = field(n, 'right');
          // `a = b = 1`: the inner assignment is visited on its own; both names get the value
          while (right && right.type === 'assignment') right = field(right, 'right');
          if (!left) break;
          const names = targetNames(left);
          if (!right) {
            // `x: int` declares without binding
            break;
          }
          const single = left.type === 'identifier';
          const stmtEnd = this.statementEnd(n);
          if (single) {
            this.bind(scope, left.text, 'assignment', n, stmtEnd, { value: right });
            break;
          }
          // `a, b = f()`: each top-level name remembers its position
          const top = left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern' ? left.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
          for (const id of names) {
            const index = top.findIndex((c) => c.id === id.id);
            this.bind(scope, id.text, 'assignment', n, stmtEnd, index >= 0 && !top.some((c) => c.type === 'list_splat_pattern') ? { unpacked: { value: right, index } } : {});
          }
          break;
        }
        case 'augmented_assignment': {
          const left = field(n, 'left');
          if (left?.type === 'identifier') this.bind(scope, left.text, 'augmented', n, this.statementEnd(n));
          break;
        }
        case 'for_statement':
        case 'for_in_clause': {
          const left = field(n, 'left');
          if (left) for (const id of targetNames(left)) this.bind(scope, id.text, 'loop', n, n.startIndex);
          break;
        }
        case 'as_pattern': {
          const alias = field(n, 'alias');
          if (alias) for (const id of targetNames(alias)) this.bind(scope, id.text, 'as', n, n.startIndex);
          break;
        }
        case 'named_expression': {
          const name = field(n, 'name');
          let s = scope;
          while (s.kind === 'comprehension' && s.parent) s = s.parent;
          if (name) this.bind(s, name.text, 'walrus', n, n.endIndex, { value: field(n, 'value') ?? undefined });
          break;
        }
        case 'global_statement':
        case 'nonlocal_statement':
          for (const c of n.namedChildren) if (c?.type === 'identifier') scope.declared.set(c.text, t === 'global_statement' ? 'global' : 'nonlocal');
          break;
        case 'delete_statement':
          for (const c of n.namedChildren) if (c) for (const id of targetNames(c)) this.bind(scope, id.text, 'delete', n, n.endIndex);
          break;
      }
    }
  }

  /** The end of the statement holding `n` (a binding is in effect after its statement has run). */
  private statementEnd(n: Node): number {
    return n.endIndex;
  }

  private bindParameters(scope: Scope, params: Node | null): void {
    if (!params) return;
    for (const p of params.namedChildren) {
      if (!p) continue;
      let id: Node | null | undefined;
      switch (p.type) {
        case 'identifier':
          id = p;
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          id = field(p, 'name');
          break;
        case 'typed_parameter':
          id = p.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'list_splat_pattern' || c?.type === 'dictionary_splat_pattern');
          if (id && id.type !== 'identifier') id = id.namedChildren.find((c) => c?.type === 'identifier');
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          id = p.namedChildren.find((c) => c?.type === 'identifier');
          break;
      }
      if (id) this.bind(scope, id.text, 'parameter', p, scope.start);
    }
  }

  private bindImport(scope: Scope, n: Node): void {
    const end = this.statementEnd(n);
    for (const c of n.childrenForFieldName('name')) {
      if (!c) continue;
      if (c.type === 'aliased_import') {
        const alias = field(c, 'alias');
        const target = dottedText(field(c, 'name'));
        if (alias && target) this.bind(scope, alias.text, 'import', n, end, { qualified: target });
      } else if (c.type === 'dotted_name') {
        // `import a.b.c` binds `a` (to the package `a`)
        const first = c.namedChildren.find((x) => x?.type === 'identifier');
        if (first) this.bind(scope, first.text, 'import', n, end, { qualified: first.text });
      }
    }
  }

  /** The module a `from X import` names, made absolute for relative imports. */
  private fromModule(n: Node): string | undefined {
    const m = field(n, 'module_name');
    if (!m) return undefined;
    if (m.type === 'dotted_name') return dottedText(m);
    if (m.type !== 'relative_import') return undefined;
    const prefix = m.namedChildren.find((c) => c?.type === 'import_prefix')?.text ?? '';
    const rest = dottedText(m.namedChildren.find((c) => c?.type === 'dotted_name') ?? null);
    const parts = this.dotted ? this.dotted.split('.') : [];
    // the package of this module: the module itself for __init__.py
    let pkg = this.isPackage ? parts : parts.slice(0, -1);
    for (let i = 1; i < prefix.length; i++) pkg = pkg.slice(0, -1);
    return [...pkg, ...(rest ? rest.split('.') : [])].join('.');
  }

  private bindFromImport(scope: Scope, n: Node): void {
    const mod = this.fromModule(n);
    if (mod === undefined || mod === '__future__') return;
    const end = this.statementEnd(n);
    const prefix = mod ? `${mod}.` : '';
    if (n.namedChildren.some((c) => c?.type === 'wildcard_import')) {
      scope.starImports.push(mod);
      return;
    }
    for (const c of n.childrenForFieldName('name')) {
      if (!c) continue;
      if (c.type === 'aliased_import') {
        const alias = field(c, 'alias');
        const target = dottedText(field(c, 'name'));
        if (alias && target) this.bind(scope, alias.text, 'import', n, end, { qualified: prefix + target });
      } else if (c.type === 'dotted_name') {
        const name = dottedText(c);
        if (name) this.bind(scope, name, 'import', n, end, { qualified: prefix + name });
      }
    }
  }

  // ── queries ─────────────────────────────────────────────────────────────────────────────

  /** The innermost scope containing `offset` (a definition's own name belongs to the outer scope). */
  scopeAt(offset: number): Scope {
    let s = this.module;
    for (;;) {
      const next = s.children.find((c) => c.start <= offset && offset < c.end);
      if (!next) return s;
      s = next;
    }
  }

  /** The scope of a node: the innermost scope containing it. */
  scopeOf(n: Node): Scope {
    const s = this.scopeAt(n.startIndex);
    // the `def` line of a function (its name, decorators are outside) belongs to the outer scope
    if (s.node.id === n.id && s.parent) return s.parent;
    return s;
  }

  /** The scope a class/function/lambda/comprehension node opens. */
  scopeFor(n: Node): Scope | undefined {
    this.ensure();
    return this.scopeByNode.get(n.id);
  }

  /** The function (def or lambda) a node is inside, if any. */
  enclosingFunction(n: Node): Scope | undefined {
    for (let s: Scope | undefined = this.scopeOf(n); s; s = s.parent) if (s.kind === 'function' || s.kind === 'lambda') return s;
    return undefined;
  }

  /** The class a node is inside (directly, or in one of its methods), if any. */
  enclosingClass(n: Node): Scope | undefined {
    for (let s: Scope | undefined = this.scopeOf(n); s; s = s.parent) if (s.kind === 'class') return s;
    return undefined;
  }

  /** What the name `name` refers to at `offset` (Python's LEGB rule; class scopes are skipped from inside methods). */
  resolveAt(name: string, offset: number): Resolution {
    const start = this.scopeAt(offset);
    const stars: string[] = [];
    let first = true;
    for (let s: Scope | undefined = start; s; s = s.parent, first = false) {
      if (s.kind === 'class' && !first) continue;
      const decl = s.declared.get(name);
      if (decl === 'global') {
        const b = this.pick(this.module, name, offset, false);
        if (b) return { kind: 'binding', binding: b };
        break;
      }
      const b = this.pick(s, name, offset, first);
      if (b) return { kind: 'binding', binding: b };
      stars.push(...s.starImports);
    }
    if (stars.length === 0 && BUILTINS.has(name)) return { kind: 'builtin', name };
    return { kind: 'unbound', starModules: stars };
  }

  /** The binding of `name` in `scope` that is in effect at `offset`. */
  private pick(scope: Scope, name: string, offset: number, sameScope: boolean): SemBinding | undefined {
    const list = scope.bindings.get(name);
    if (!list || list.length === 0) return undefined;
    if (sameScope) {
      let found: SemBinding | undefined;
      for (const b of list) if (b.from <= offset) found = b;
      if (found) return found.kind === 'delete' ? undefined : found;
      // a function-local name is local throughout the function (used before assignment: still it)
      if (scope.kind === 'function' || scope.kind === 'lambda' || scope.kind === 'comprehension') return list[0];
      return undefined;
    }
    // from a nested function: the name is looked up when it runs, usually after the whole scope ran
    const live = list.filter((b) => b.kind !== 'delete');
    return live.find((b) => b.kind === 'import') ?? live[live.length - 1];
  }

  /** What an identifier node refers to. */
  resolve(id: Node): Resolution {
    return this.resolveAt(id.text, id.startIndex);
  }

  /** The binding an identifier refers to, if it is bound in the file. */
  bindingOf(id: Node): SemBinding | undefined {
    const r = this.resolve(id);
    return r.kind === 'binding' ? r.binding : undefined;
  }

  /**
   * The qualified name of an expression through the imports: `csrf_exempt`, `csrf.csrf_exempt`,
   * `django.views.decorators.csrf.csrf_exempt` all give `django.views.decorators.csrf.csrf_exempt`
   * when imported so; a call gives its callee's name. Builtins give `builtins.<name>`. A name
   * bound locally (def, class, assignment, parameter) or not bound at all gives undefined, except
   * a name that only a single `from m import *` can supply (`m.<name>`).
   */
  qualifiedName(expr: Node | null | undefined, depth = 0): string | undefined {
    if (!expr || depth > 30) return undefined;
    const n = unparen(expr);
    if (n.type === 'identifier') {
      const r = this.resolve(n);
      if (r.kind === 'binding') return r.binding.kind === 'import' ? r.binding.qualified : undefined;
      if (r.kind === 'builtin') return `builtins.${n.text}`;
      return r.starModules.length === 1 ? `${r.starModules[0]}.${n.text}` : undefined;
    }
    if (n.type === 'attribute') {
      const obj = field(n, 'object');
      const attr = field(n, 'attribute');
      const left = this.qualifiedName(obj, depth + 1);
      return left !== undefined && attr ? `${left}.${attr.text}` : undefined;
    }
    if (n.type === 'call') return this.qualifiedName(field(n, 'function'), depth + 1);
    return undefined;
  }

  /** The qualified name of the class or function a local definition of this module declares. */
  localName(scope: Scope): string | undefined {
    const parts: string[] = [];
    for (let s: Scope | undefined = scope; s && s !== this.module; s = s.parent) {
      if (!s.name) return undefined;
      parts.unshift(s.name);
    }
    return [this.dotted, ...parts].filter(Boolean).join('.');
  }

  /** The class definition a name refers to, when it is a class of this file. */
  localClass(expr: Node | null | undefined): Node | undefined {
    if (!expr) return undefined;
    const n = unparen(expr);
    if (n.type !== 'identifier') return undefined;
    const b = this.bindingOf(n);
    return b?.kind === 'class' ? b.node : undefined;
  }

  /** The base-class expressions of a class definition (keyword arguments such as `metaclass=` excluded). */
  baseNodes(cls: Node): Node[] {
    const list = field(cls, 'superclasses');
    if (!list) return [];
    return list.namedChildren.filter((c): c is Node => !!c && c.type !== 'keyword_argument' && c.type !== 'comment' && c.type !== 'list_splat' && c.type !== 'dictionary_splat');
  }

  /** The qualified names of a class's bases (undefined for a base that does not resolve). */
  classBases(cls: Node): (string | undefined)[] {
    return this.baseNodes(cls).map((b) => this.qualifiedName(b));
  }

  /**
   * Every base class, transitively through the classes of this file: the qualified name of each
   * base that resolves through an import, and the dotted text of each that does not (`Base` of a
   * module this file cannot see), each once.
   */
  ancestors(cls: Node): { qualified?: string; text: string; node: Node }[] {
    const out: { qualified?: string; text: string; node: Node }[] = [];
    const seen = new Set<number>();
    const visit = (c: Node, depth: number) => {
      if (depth > 20 || seen.has(c.id)) return;
      seen.add(c.id);
      for (const b of this.baseNodes(c)) {
        const local = this.localClass(b);
        if (local) {
          visit(local, depth + 1);
          continue;
        }
        out.push({ qualified: this.qualifiedName(b), text: unparen(b).text, node: b });
      }
    };
    visit(cls, 0);
    return out;
  }

  /**
   * The single value a name holds at `id`: the name is bound exactly once in its scope, by
   * `name = value` (or `name := value`), and not declared global/nonlocal. Undefined otherwise
   * (a parameter, a loop variable, reassigned, augmented, imported...).
   */
  valueOf(id: Node): Node | undefined {
    if (id.type !== 'identifier') return undefined;
    const r = this.resolve(id);
    if (r.kind !== 'binding') return undefined;
    const b = r.binding;
    const all = b.scope.bindings.get(b.name) ?? [];
    if (all.length !== 1 || !b.value) return undefined;
    if (b.scope.declared.has(b.name)) return undefined;
    // a module-level name some function rebinds with `global`
    for (const s of this.scopes) if (s !== b.scope && s.declared.get(b.name) === 'global' && b.scope === this.module) return undefined;
    return b.value;
  }

  /** The assignments (and other bindings) of a name in the scope `id` resolves to. */
  bindingsOf(id: Node): SemBinding[] {
    const b = this.bindingOf(id);
    return b ? (b.scope.bindings.get(b.name) ?? []) : [];
  }

  private readonly mutationCache = new Map<string, Node[]>();

  /**
   * The places where the object a name holds is changed in place, in the scope of `b` (and the
   * functions nested in it that see the same name): `name.append(v)`, `.extend`, `.insert`,
   * `.add`, `.update`, `.setdefault`, `name[k] = v`. Returns the values put in (the arguments, or
   * the assigned value). A name passed to another function that changes it is not seen.
   */
  mutationsOf(b: SemBinding): Node[] {
    const key = `${b.scope.node.id}:${b.name}`;
    const cached = this.mutationCache.get(key);
    if (cached) return cached;
    const out: Node[] = [];
    for (const n of b.scope.node.descendantsOfType(['call', 'assignment', 'augmented_assignment'])) {
      if (!n) continue;
      if (n.type === 'call') {
        const fn = field(n, 'function');
        if (fn?.type !== 'attribute') continue;
        const obj = field(fn, 'object');
        const method = field(fn, 'attribute')?.text ?? '';
        if (obj?.type !== 'identifier' || obj.text !== b.name || !MUTATORS.has(method)) continue;
        if (this.bindingOf(obj)?.scope !== b.scope) continue;
        const args = field(n, 'arguments');
        if (args?.type === 'generator_expression') {
          out.push(args);
          continue;
        }
        for (const a of args?.namedChildren ?? []) {
          if (!a || a.type === 'comment') continue;
          out.push(a.type === 'keyword_argument' ? (field(a, 'value') ?? a) : a);
        }
      } else {
        const left = field(n, 'left');
        const value = left?.type === 'subscript' ? field(left, 'value') : null;
        if (value?.type !== 'identifier' || value.text !== b.name || this.bindingOf(value)?.scope !== b.scope) continue;
        const right = field(n, 'right');
        if (right) out.push(right);
      }
    }
    this.mutationCache.set(key, out);
    return out;
  }

  /** Whether the file imports `module` (or something from it) anywhere. */
  importsModule(prefix: string): boolean {
    this.ensure();
    for (const s of this.scopes) {
      for (const list of s.bindings.values()) for (const b of list) if (b.kind === 'import' && b.qualified && (b.qualified === prefix || b.qualified.startsWith(prefix + '.'))) return true;
      if (s.starImports.some((m) => m === prefix || m.startsWith(prefix + '.'))) return true;
    }
    return false;
  }

  /** Every scope of the file, in document order. */
  allScopes(): readonly Scope[] {
    this.ensure();
    return this.scopes;
  }
}

/** Literals: strings (no interpolation), numbers, booleans, None, and tuples/lists/dicts/sets of them. */
export function isLiteral(n: Node, depth = 0): boolean {
  if (depth > 30) return false;
  const u = unparen(n);
  switch (u.type) {
    case 'string':
      return !u.children.some((c) => c?.type === 'interpolation');
    case 'concatenated_string':
    case 'tuple':
    case 'list':
    case 'set':
    case 'expression_list':
      return u.namedChildren.every((c) => !c || c.type === 'comment' || isLiteral(c, depth + 1));
    case 'dictionary':
      return u.namedChildren.every((c) => !c || c.type === 'comment' || (c.type === 'pair' && isLiteral(field(c, 'key') ?? c, depth + 1) && isLiteral(field(c, 'value') ?? c, depth + 1)));
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return true;
    case 'unary_operator':
      return isLiteral(field(u, 'argument') ?? u, depth + 1) && field(u, 'argument') !== null;
    default:
      return false;
  }
}

const REQUEST_DATA = /^(GET|POST|data|query_params|body|headers|META|COOKIES|FILES|content_params|path|path_info|get_full_path)$/;

/**
 * `request.GET['q']`, `request.POST.get('x')`, `self.request.query_params.getlist('k')`,
 * `request.data`, `request.body`, `request.headers['X']`: data the client sent. Returns what it
 * reads (`request.GET`), else undefined.
 */
export function requestData(n: Node, depth = 0): string | undefined {
  if (depth > 10) return undefined;
  let u = unparen(n);
  // str(...) keeps the text as it is
  if (u.type === 'call') {
    const fn = field(u, 'function');
    if (fn?.type === 'identifier' && fn.text === 'str') {
      const arg = field(u, 'arguments')?.namedChildren.find((c) => c && c.type !== 'comment');
      return arg ? requestData(arg, depth + 1) : undefined;
    }
    if (fn?.type === 'attribute' && /^(get|getlist|pop|decode|strip|lower|upper)$/.test(field(fn, 'attribute')?.text ?? '')) {
      u = field(fn, 'object') ?? u;
    }
  }
  if (u.type === 'subscript') u = field(u, 'value') ?? u;
  if (u.type !== 'attribute') return undefined;
  const attr = field(u, 'attribute')?.text ?? '';
  const obj = field(u, 'object');
  if (!obj || !REQUEST_DATA.test(attr)) return undefined;
  const o = unparen(obj);
  const isRequest = (o.type === 'identifier' && /^(request|req)$/.test(o.text)) || (o.type === 'attribute' && field(o, 'attribute')?.text === 'request' && field(o, 'object')?.text === 'self');
  return isRequest ? `request.${attr}` : undefined;
}
