/**
 * "Is this value built only from trusted pieces?": the question behind the precision of the
 * injection rules (DJR606 SQL, DJR607 HTML). An expression is trusted when every piece it is made
 * of is: a literal, a value the policy trusts (an escaping function's result for HTML, the SQL the
 * ORM's compiler produced for SQL, a model's `_meta` for both...), or a name every binding of which
 * is trusted (followed through assignments, `+=`, loops over trusted sequences, tuple unpacking),
 * or the result of a function of the same file whose every `return` is trusted given the trust of
 * the arguments at the call. Anything else (a parameter, an attribute of an object, a call the
 * policy does not know) is untrusted: the answer "trusted" is a proof, "untrusted" is "not proven".
 */
import type { Node } from 'web-tree-sitter';
import { field, type Scope, type SemBinding, type SemanticModel } from './semantic';
import type { ProjectSource } from './projectsource';

export interface TrustPolicy {
  /** A call whose result is trusted whatever its arguments (e.g. `format_html(...)`). */
  call?(qualified: string | undefined, call: Node, model: SemanticModel): boolean;
  /** A call whose result is trusted when its arguments are (e.g. `connection.ops.quote_name(x)`). */
  passThrough?(qualified: string | undefined, call: Node, model: SemanticModel): boolean;
  /** An attribute read that is trusted (`Model._meta.db_table`, `settings.TABLE`). */
  attribute?(attr: Node, model: SemanticModel): boolean;
  /** Element `index` of the tuple a call returns (`sql, params = qs.query.sql_with_params()`: index 0). */
  element?(call: Node, index: number, model: SemanticModel): boolean;
  /** A name imported from another module (`from dojo import __docs__`): trusted when it is a constant there. */
  imported?(qualified: string): boolean;
  /** Values of Django's or markupsafe's safe-string types (`if isinstance(x, SafeString): ...`) are trusted. */
  safeTypes?: boolean;
}

/** Builtins whose result is a number or a boolean: never text an attacker chose. */
const NUMERIC = new Set(['int', 'float', 'len', 'bool', 'abs', 'round', 'hash', 'ord', 'min', 'max', 'sum', 'id']);
/** Methods whose result is a number or a boolean (`qs.count()`, `s.find(x)`, `qs.exists()`). */
const NUMERIC_METHODS = new Set(['count', 'index', 'find', 'rfind', 'exists', 'isdigit', 'isalpha', 'startswith', 'endswith', 'total_seconds', 'timestamp']);
/** Methods that write a date or time out (`d.strftime("%b %d")`, `d.isoformat()`). */
const DATE_METHODS = new Set(['strftime', 'isoformat', 'ctime']);
/** Class methods of a choices/enum class that list its constants. */
const CHOICES_METHODS = new Set(['values', 'labels', 'choices', 'names']);
/** str methods whose result is trusted when the string and the arguments are. */
const STR_METHODS = new Set(['replace', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'title', 'capitalize', 'casefold', 'encode', 'decode', 'zfill', 'center', 'ljust', 'rjust', 'splitlines', 'split', 'rsplit', 'items', 'keys', 'values', 'copy', 'removeprefix', 'removesuffix', 'expandtabs', 'swapcase']);
/** gettext and friends: a literal message id gives developer-written (translated) text. */
const GETTEXT = /(^|\.)(_|gettext|gettext_lazy|ugettext|ugettext_lazy|pgettext|pgettext_lazy|ngettext|ngettext_lazy|npgettext|gettext_noop)$/;

function unparen(n: Node): Node {
  let cur = n;
  for (let i = 0; i < 50 && cur.type === 'parenthesized_expression'; i++) {
    const inner = cur.namedChildren.find((c) => c && c.type !== 'comment');
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

function named(n: Node | null | undefined): Node[] {
  return n ? n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

/** Trust of the parameters of a local function being evaluated for one call. */
interface Frame {
  scope: Scope;
  params: Map<string, boolean>;
}

const MAX_DEPTH = 40;
const MAX_CALL_DEPTH = 4;

export class TrustAnalysis {
  /** Bindings being evaluated (co-induction: a name assigned only trusted values and itself is trusted). */
  private readonly assuming = new Set<string>();
  private readonly calling = new Set<number>();
  private readonly memo = new Map<string, boolean>();

  constructor(
    private readonly model: SemanticModel,
    private readonly policy: TrustPolicy,
  ) {}

  /** After trusted() returned false: the first piece found untrusted (a parameter, an unknown call...). */
  culprit: Node | undefined;

  /** Whether every piece of `expr` is trusted. */
  trusted(expr: Node): boolean {
    this.culprit = undefined;
    return this.check(expr, undefined, 0);
  }

  private fail(n: Node): false {
    this.culprit ??= n;
    return false;
  }

  /**
   * The pieces of a built string that are not trusted, outermost first: the interpolations of an
   * f-string, the values of `%` and `.format()`, the operands of `+`, or the expression itself.
   * For messages ("`user.name` is not escaped").
   */
  untrustedPieces(expr: Node): Node[] {
    const out: Node[] = [];
    const visit = (n: Node, depth: number) => {
      const u = unparen(n);
      if (depth > 20 || this.trusted(u)) return;
      if (u.type === 'string') {
        for (const c of u.children) {
          const e = c?.type === 'interpolation' ? field(c, 'expression') : null;
          if (e) visit(e, depth + 1);
        }
        return;
      }
      if (u.type === 'concatenated_string' || u.type === 'tuple' || u.type === 'list') {
        for (const c of named(u)) visit(c, depth + 1);
        return;
      }
      if (u.type === 'binary_operator' || u.type === 'boolean_operator' || u.type === 'list_splat') {
        for (const c of named(u)) visit(c, depth + 1);
        return;
      }
      if (u.type === 'conditional_expression') {
        const parts = named(u);
        if (parts.length === 3) {
          visit(parts[0], depth + 1);
          visit(parts[2], depth + 1);
          return;
        }
      }
      if (u.type === 'dictionary') {
        for (const p of named(u)) if (p.type === 'pair') visit(field(p, 'value') ?? p, depth + 1);
        return;
      }
      if (u.type === 'identifier') {
        // a name holding one value: what in that value is not trusted
        const v = this.model.valueOf(u);
        if (v) {
          visit(v, depth + 1);
          return;
        }
      }
      if (u.type === 'call') {
        const fn = field(u, 'function');
        const method = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
        if (method === 'format' || method === 'join') {
          const obj = (fn ? field(fn, 'object') : undefined);
          if (obj) visit(obj, depth + 1);
          const args = field(u, 'arguments');
          for (const a of args?.type === 'generator_expression' ? [args] : named(args)) visit(a.type === 'keyword_argument' ? (field(a, 'value') ?? a) : a, depth + 1);
          return;
        }
      }
      out.push(u);
    };
    visit(expr, 0);
    // nothing more precise found (a name whose values were all fine alone): the expression itself
    if (out.length === 0 && !this.trusted(expr)) out.push(unparen(expr));
    return out;
  }

  private check(n: Node, frame: Frame | undefined, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const u = unparen(n);
    switch (u.type) {
      case 'string':
        for (const c of u.children) {
          if (c?.type !== 'interpolation') continue;
          const e = field(c, 'expression');
          if (!e || !this.check(e, frame, depth + 1)) return false;
        }
        return true;
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
        return true;
      case 'concatenated_string':
      case 'tuple':
      case 'list':
      case 'set':
      case 'expression_list':
      case 'boolean_operator':
      case 'list_splat':
        return named(u).every((c) => this.check(c, frame, depth + 1));
      case 'binary_operator':
      case 'comparison_operator':
        return named(u).every((c) => this.check(c, frame, depth + 1));
      case 'unary_operator':
      case 'not_operator':
        return named(u).every((c) => this.check(c, frame, depth + 1));
      case 'conditional_expression': {
        // a if cond else b: the value is a or b
        const parts = named(u);
        return parts.length === 3 && this.check(parts[0], frame, depth + 1) && this.check(parts[2], frame, depth + 1);
      }
      case 'dictionary':
        return named(u).every((p) => p.type === 'pair' && this.check(field(p, 'key') ?? p, frame, depth + 1) && this.check(field(p, 'value') ?? p, frame, depth + 1));
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
        // the loop variables are checked through their `for` clause (see binding)
        return this.check(field(u, 'body') ?? u, frame, depth + 1);
      case 'dictionary_comprehension': {
        const body = field(u, 'body');
        return !!body && this.check(field(body, 'key') ?? body, frame, depth + 1) && this.check(field(body, 'value') ?? body, frame, depth + 1);
      }
      case 'call':
        return this.call(u, frame, depth);
      case 'identifier':
        return this.identifier(u, frame, depth) || this.allowListed(u, frame, depth);
      case 'attribute':
        return !!this.policy.attribute?.(u, this.model) || this.selfAttribute(u, depth) || this.allowListed(u, frame, depth) || this.fail(u);
      case 'subscript': {
        const value = field(u, 'value');
        const index = field(u, 'subscript');
        if (!value) return false;
        // compiled[0], where compiled = query.sql_with_params()
        if (index?.type === 'integer') {
          const call = this.callValue(value);
          if (call && this.policy.element?.(call, Number(index.text), this.model)) return true;
        }
        // an element of a trusted container (a constant dict or list) is trusted
        return this.check(value, frame, depth + 1);
      }
      default:
        return this.fail(u);
    }
  }

  /**
   * `self.name` inside a class: trusted when every value the class gives it is (a class attribute,
   * `self.name = ...` in any method).
   */
  private selfAttribute(attr: Node, depth: number): boolean {
    const obj = field(attr, 'object');
    const name = field(attr, 'attribute')?.text;
    if (obj?.type !== 'identifier' || obj.text !== 'self' || !name) return false;
    const cls = this.model.enclosingClass(attr);
    if (!cls) return false;
    const key = `self:${cls.node.id}:${name}`;
    if (this.assuming.has(key)) return true;
    const values: Node[] = [];
    for (const b of cls.bindings.get(name) ?? []) {
      if (b.kind !== 'assignment' || !b.value) return false;
      values.push(b.value);
    }
    // the class and its subclasses in this file (a base method reading what subclasses set)
    const classes = [cls.node];
    for (const other of this.model.allScopes()) {
      if (other.kind === 'class' && other !== cls && this.inheritsLocally(other.node, cls.node)) classes.push(other.node);
    }
    for (const c of classes) {
      for (const b of c.id === cls.node.id ? [] : (this.model.scopeFor(c)?.bindings.get(name) ?? [])) {
        if (b.kind !== 'assignment' || !b.value) return false;
        values.push(b.value);
      }
      for (const a of c.descendantsOfType(['assignment', 'augmented_assignment'])) {
        const left = (a ? field(a, 'left') : undefined);
        if (left?.type !== 'attribute' || left.text !== `self.${name}`) continue;
        const right = (a ? field(a, 'right') : undefined);
        if (!right) return false;
        values.push(right);
      }
    }
    if (values.length === 0) return false;
    this.assuming.add(key);
    try {
      return values.every((v) => this.check(v, undefined, depth + 1));
    } finally {
      this.assuming.delete(key);
    }
  }

  /**
   * Checked against an allow-list before use: inside `if x in ALLOWED:`, or after
   * `if x not in ALLOWED: raise/return/continue/break` in a block that holds the use, where
   * ALLOWED is trusted (a literal set, list, dict or tuple, or a name only given one).
   */
  private allowListed(n: Node, frame: Frame | undefined, depth: number): boolean {
    const text = n.text;
    const stop = this.model.enclosingFunction(n)?.node.id ?? this.model.root.id;
    const guard = (cond: Node | null, negated: boolean): boolean => {
      const c = cond ? unparen(cond) : undefined;
      if (c?.type !== 'comparison_operator') return false;
      const ops = c.children.filter((x): x is Node => !!x && !x.isNamed).map((x) => x.type);
      const parts = named(c);
      if (parts.length !== 2 || unparen(parts[0]).text !== text) return false;
      const op = ops.join(' ');
      if (negated ? op !== 'not in' : op !== 'in') return false;
      return this.check(parts[1], frame, depth + 1);
    };
    const exits = (block: Node | null) => {
      const last = named(block).pop();
      return !!last && ['raise_statement', 'return_statement', 'continue_statement', 'break_statement'].includes(last.type);
    };
    // str(x) inside `if isinstance(x, SafeString):` (x is already safe)
    const isSafeType = (cond: Node | null): boolean => {
      const c = cond ? unparen(cond) : undefined;
      if (c?.type !== 'call' || field(c, 'function')?.text !== 'isinstance') return false;
      const [obj, types] = named(field(c, 'arguments'));
      if (!obj || !types || unparen(obj).text !== text) return false;
      const ts = unparen(types).type === 'tuple' ? named(unparen(types)) : [types];
      return ts.length > 0 && ts.every((t) => /(^|\.)(SafeData|SafeString|SafeText|Markup)$/.test(this.model.qualifiedName(t) ?? t.text));
    };
    let child: Node = n;
    for (let p = n.parent; p && p.id !== stop; child = p, p = p.parent) {
      if (this.policy.safeTypes && p.type === 'if_statement' && field(p, 'consequence')?.id === child.id && isSafeType(field(p, 'condition'))) return true;
      // inside `if x in ALLOWED:`
      if (p.type === 'if_statement' && field(p, 'consequence')?.id === child.id && guard(field(p, 'condition'), false)) return true;
      // an earlier `if x not in ALLOWED: raise` in this block
      if (p.type === 'block' || p.type === 'module') {
        for (const stmt of named(p)) {
          if (stmt.startIndex >= child.startIndex) break;
          if (stmt.type === 'if_statement' && !field(stmt, 'alternative') && guard(field(stmt, 'condition'), true) && exits(field(stmt, 'consequence'))) return true;
        }
      }
    }
    return false;
  }

  /** Whether `cls` derives from `base` through classes of this file. */
  private inheritsLocally(cls: Node, base: Node, depth = 0): boolean {
    if (depth > 10) return false;
    for (const b of this.model.baseNodes(cls)) {
      const local = this.model.localClass(b);
      if (local && (local.id === base.id || this.inheritsLocally(local, base, depth + 1))) return true;
    }
    return false;
  }

  /** The call a name or expression holds (`x = f()`; `x` -> `f()`), if it is one. */
  private callValue(n: Node): Node | undefined {
    const u = unparen(n);
    if (u.type === 'call') return u;
    if (u.type === 'identifier') {
      const v = this.model.valueOf(u);
      return v && unparen(v).type === 'call' ? unparen(v) : undefined;
    }
    return undefined;
  }

  private call(call: Node, frame: Frame | undefined, depth: number): boolean {
    const fn = field(call, 'function');
    if (!fn) return false;
    const q = this.model.qualifiedName(fn);
    if (this.policy.call?.(q, call, this.model)) return true;
    const args = field(call, 'arguments');
    // f(x for x in y): the generator is the argument list itself
    const argNodes = args?.type === 'generator_expression' ? [args] : named(args);
    const argsTrusted = () => argNodes.every((a) => a.type !== 'list_splat' && a.type !== 'dictionary_splat' && this.check(a.type === 'keyword_argument' ? (field(a, 'value') ?? a) : a, frame, depth + 1));
    if (this.policy.passThrough?.(q, call, this.model)) return argsTrusted();
    if (q && q.startsWith('builtins.')) {
      const b = q.slice('builtins.'.length);
      if (NUMERIC.has(b)) return true;
      if (b === 'str' || b === 'repr' || b === 'sorted' || b === 'reversed' || b === 'list' || b === 'tuple' || b === 'set' || b === 'frozenset' || b === 'dict' || b === 'enumerate' || b === 'zip' || b === 'range') return argsTrusted();
      return this.fail(call);
    }
    if (q && GETTEXT.test(q)) return argsTrusted();
    // re.sub(pattern, repl, string): the result is the string with matches replaced by repl
    if (q === 're.sub' || q === 're.subn') {
      const positional = argNodes.filter((a) => a.type !== 'keyword_argument');
      if (positional.length < 3 || !this.check(positional[1], frame, depth + 1)) return this.fail(call);
      // re.sub(r"[^A-Za-z0-9_]", "_", s): only the kept characters survive, whatever s is
      if (keepsOnlySafeCharacters(positional[0])) return true;
      return this.check(positional[2], frame, depth + 1);
    }
    if (!q && fn.type === 'identifier' && GETTEXT.test(fn.text) && this.model.resolve(fn).kind !== 'binding') return argsTrusted();
    if (fn.type === 'attribute') {
      const method = field(fn, 'attribute')?.text ?? '';
      const obj = field(fn, 'object');
      if (NUMERIC_METHODS.has(method)) return true;
      // s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"): escaped by hand
      if (obj && method === 'replace' && escapesByHand(call)) return true;
      // s.replace(old, new): `old` never reaches the result
      if (obj && method === 'replace') {
        const rest = argNodes.filter((a) => a.type !== 'comment');
        return this.check(obj, frame, depth + 1) && (!rest[1] || this.check(rest[1], frame, depth + 1));
      }
      // dates written out: digits, month and day names, and the format's own (trusted) text
      if (method === 'isoformat' || method === 'ctime') return true;
      if (DATE_METHODS.has(method)) return argsTrusted();
      // Status.values(), Colors.choices(): the constants of a choices class
      if (obj && CHOICES_METHODS.has(method) && /^[A-Z][A-Za-z0-9]*$/.test(obj.text) && importedOrClass(obj, this.model)) return true;
      if (obj && (method === 'format' || method === 'join' || STR_METHODS.has(method))) {
        return this.check(obj, frame, depth + 1) && argsTrusted();
      }
    }
    // a function of this file: trusted when every return is, given the arguments
    const local = this.localFunction(fn);
    if (local) return this.localCall(local, argNodes, frame, depth) || this.fail(call);
    return this.fail(call);
  }

  /** The scope of a function of this file that `fn` names (`helper`, `self.helper`). */
  private localFunction(fn: Node): Scope | undefined {
    const u = unparen(fn);
    if (u.type === 'identifier') {
      const b = this.model.bindingOf(u);
      return b?.kind === 'function' ? this.model.scopeFor(b.node) : undefined;
    }
    // self.method() inside a class: the method of that class (not an override in a subclass)
    if (u.type === 'attribute' && field(u, 'object')?.text === 'self') {
      const cls = this.model.enclosingClass(u);
      const name = field(u, 'attribute')?.text;
      const b = name ? cls?.bindings.get(name)?.find((x) => x.kind === 'function') : undefined;
      return b ? this.model.scopeFor(b.node) : undefined;
    }
    return undefined;
  }

  private localCall(fnScope: Scope, argNodes: Node[], frame: Frame | undefined, depth: number): boolean {
    if (this.calling.has(fnScope.node.id) || this.calling.size >= MAX_CALL_DEPTH) return false;
    const paramsNode = field(fnScope.node, 'parameters');
    const params = named(paramsNode);
    const isMethod = fnScope.parent?.kind === 'class' && !fnScope.node.parent?.text.startsWith('@staticmethod');
    const trust = new Map<string, boolean>();
    const paramName = (p: Node): string | undefined => {
      if (p.type === 'identifier') return p.text;
      if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') return field(p, 'name')?.text;
      if (p.type === 'typed_parameter') return p.namedChildren.find((c) => c?.type === 'identifier')?.text;
      return undefined;
    };
    const positional = argNodes.filter((a) => a.type !== 'keyword_argument');
    const keywords = new Map(argNodes.filter((a) => a.type === 'keyword_argument').map((a) => [field(a, 'name')?.text ?? '', field(a, 'value')] as const));
    if (argNodes.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return false;
    let pi = 0;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator' || p.type === 'positional_separator') continue;
      const name = paramName(p);
      if (!name) continue;
      if (isMethod && i === 0) {
        trust.set(name, false);
        continue;
      }
      const arg = pi < positional.length ? positional[pi++] : keywords.get(name);
      const dflt = field(p, 'value');
      const src = arg ?? dflt;
      trust.set(name, !!src && this.check(src, arg ? frame : undefined, depth + 1));
    }
    const key = `${fnScope.node.id}:${[...trust.values()].map((v) => (v ? 1 : 0)).join('')}`;
    const cached = this.memo.get(key);
    if (cached !== undefined) return cached;
    this.calling.add(fnScope.node.id);
    let ok = true;
    try {
      const inner: Frame = { scope: fnScope, params: trust };
      const body = field(fnScope.node, 'body');
      if (!body) return false;
      for (const y of body.descendantsOfType(['yield'])) if (y && this.model.enclosingFunction(y) === fnScope) return false;
      for (const r of body.descendantsOfType(['return_statement'])) {
        if (!r || this.model.enclosingFunction(r) !== fnScope) continue;
        const value = named(r)[0];
        if (value && !this.check(value, inner, depth + 1)) {
          ok = false;
          break;
        }
      }
    } finally {
      this.calling.delete(fnScope.node.id);
    }
    this.memo.set(key, ok);
    return ok;
  }

  /**
   * The bindings of a name that can reach a use: in the use's own scope, those before it, and
   * those after it inside a loop that also holds the use (the next iteration sees them); from a
   * nested function, all of them (it may run after any of them).
   */
  private reaching(b: SemBinding, use: Node): SemBinding[] {
    const all = b.scope.bindings.get(b.name) ?? [];
    if (all.length < 2 || this.model.scopeOf(use) !== b.scope) return all;
    const stop = b.scope.node.id;
    const loops = new Set<number>();
    for (let p = use.parent; p && p.id !== stop; p = p.parent) if (p.type === 'for_statement' || p.type === 'while_statement') loops.add(p.id);
    const inLoop = (n: Node) => {
      if (loops.size === 0) return false;
      for (let p = n.parent; p && p.id !== stop; p = p.parent) if (loops.has(p.id)) return true;
      return false;
    };
    const reach = all.filter((x) => x.from <= use.startIndex || inLoop(x.node));
    // an assignment in a block that holds the use, before it, hides the bindings before it
    // (`value = conditional_escape(value)` then `f"<pre>{value}</pre>"`)
    let dominator: SemBinding | undefined;
    for (const x of reach) {
      if (x.kind !== 'assignment' || x.from > use.startIndex) continue;
      const stmt = x.node.parent?.type === 'expression_statement' ? x.node.parent : x.node;
      const block = stmt.parent;
      if (!block || block.startIndex > use.startIndex || use.endIndex > block.endIndex) continue;
      if (!dominator || x.from > dominator.from) dominator = x;
    }
    return dominator ? reach.filter((x) => x.from >= (dominator as SemBinding).from) : reach;
  }

  private identifier(id: Node, frame: Frame | undefined, depth: number): boolean {
    const r = this.model.resolve(id);
    if (r.kind !== 'binding') return this.fail(id);
    const b = r.binding;
    if (b.kind === 'parameter') return (!!frame && frame.scope === b.scope && frame.params.get(b.name) === true) || this.fail(id);
    if (b.kind === 'import') return (!!b.qualified && !!this.policy.imported?.(b.qualified)) || this.fail(id);
    if (b.kind === 'function' || b.kind === 'class') return this.fail(id);
    const all = this.reaching(b, id);
    const key = `${b.scope.node.id}:${b.name}:${all.map((x) => x.node.id).join(',')}:${frame ? frame.scope.node.id + [...frame.params.values()].join() : ''}`;
    if (this.assuming.has(key)) return true;
    this.assuming.add(key);
    try {
      // values put into the object in place (`parts.append(x)`, `d[k] = v`) are part of it
      for (const m of this.model.mutationsOf(b)) if (!this.check(m, frame, depth + 1)) return false;
      for (const x of all) {
        switch (x.kind) {
          case 'assignment':
            if (x.value) {
              if (!this.check(x.value, frame, depth + 1)) return false;
            } else if (x.unpacked) {
              const v = unparen(x.unpacked.value);
              if (v.type === 'call' && this.policy.element?.(v, x.unpacked.index, this.model)) break;
              const items = v.type === 'tuple' || v.type === 'list' || v.type === 'expression_list' ? named(v) : undefined;
              if (items && items.length > x.unpacked.index) {
                if (!this.check(items[x.unpacked.index], frame, depth + 1)) return false;
              } else if (!this.check(v, frame, depth + 1)) return false;
            } else return this.fail(x.node);
            break;
          case 'augmented': {
            const right = field(x.node, 'right');
            if (!right || !this.check(right, frame, depth + 1)) return false;
            break;
          }
          case 'walrus':
            if (!x.value || !this.check(x.value, frame, depth + 1)) return false;
            break;
          case 'loop': {
            const right = field(x.node, 'right');
            if (!right || !this.check(right, frame, depth + 1)) return false;
            break;
          }
          case 'delete':
          case 'annotation':
            break;
          default:
            return this.fail(x.node);
        }
      }
      return true;
    } finally {
      this.assuming.delete(key);
    }
  }
}

/** `settings.X` through `from django.conf import settings`: configuration, not request data. */
export function isSettingsAttribute(attr: Node, model: SemanticModel): boolean {
  const q = model.qualifiedName(attr);
  return !!q && /(^|\.)settings\.[A-Za-z_]\w*$/.test(q) && !/\.settings\.[A-Za-z_]\w*\./.test(q);
}

/** `Model._meta.db_table`, `self.model._meta.verbose_name`, `field.column`: what the model classes declare. */
export function isModelMetaAttribute(attr: Node): boolean {
  const text = attr.text;
  return /(^|\.)_meta\.[A-Za-z_]\w*$/.test(text) || /\._meta\.[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(text);
}

/** `obj.pk`, `obj.id`, `project.id`: a primary key the database produced (a number or a UUID). */
export function isPrimaryKeyAttribute(attr: Node): boolean {
  const name = field(attr, 'attribute')?.text;
  return name === 'pk' || name === 'id';
}

/** A piece of code for a message: one line, at most `max` characters. */
export function codeSnippet(n: Node, max = 40): string {
  const t = n.text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * A class constant: `Status.ACTIVE`, `DebateSide.AFF.value`, `Product.HIGH.label`, where the class
 * (CamelCase) is imported or defined in the file and the member is UPPER_CASE, by convention a
 * value written in the class body (Django's TextChoices/IntegerChoices, enum.Enum, class attributes).
 */
export function isClassConstant(attr: Node, model: SemanticModel): boolean {
  const m = /^([A-Z][A-Za-z0-9]*)(?:\.[A-Z][A-Za-z0-9]*)*\.[A-Z][A-Z0-9_]*(?:\.(?:value|label|name))?$/.exec(attr.text);
  if (!m) return false;
  let root: Node = attr;
  while (root.type === 'attribute') root = field(root, 'object') ?? root;
  return root.type === 'identifier' && importedOrClass(root, model);
}

/**
 * `NotifyLevel.none`: a member of a class imported from another module of the project that its
 * class body sets once to a number or a string literal (an enum member, a class constant in any case).
 */
export function isImportedClassLiteral(attr: Node, model: SemanticModel, source: Pick<ProjectSource, 'classConstant'> | undefined): boolean {
  if (!source) return false;
  const obj = field(attr, 'object');
  const member = field(attr, 'attribute')?.text;
  if (obj?.type !== 'identifier' || !member || !/^[A-Z]/.test(obj.text)) return false;
  const r = model.resolve(obj);
  if (r.kind !== 'binding' || r.binding.kind !== 'import' || !r.binding.qualified) return false;
  return source.classConstant(r.binding.qualified, member);
}

/** A name that is imported (also through `from m import *`) or a class of the file. */
function importedOrClass(id: Node, model: SemanticModel): boolean {
  const r = model.resolve(id);
  if (r.kind === 'unbound') return r.starModules.length > 0;
  return r.kind === 'binding' && (r.binding.kind === 'import' || r.binding.kind === 'class');
}

/**
 * `self.owner_id` in a model class: the column Django keeps a foreign key's value in (a number or
 * a UUID). The class must derive from a model (`models.Model`, or a base named like one).
 */
export function isForeignKeyId(attr: Node, model: SemanticModel): boolean {
  const name = field(attr, 'attribute')?.text ?? '';
  if (!/^[a-z]\w*_id$/.test(name) || field(attr, 'object')?.text !== 'self') return false;
  const cls = model.enclosingClass(attr);
  return !!cls && model.ancestors(cls.node).some((a) => a.qualified === 'django.db.models.Model' || /(^|\.)Model$|Model$/.test(a.text));
}

/** The text of a plain (non-f, non-bytes) string literal, escapes as written. */
function literalText(n: Node | undefined): string | undefined {
  const u = n ? unparen(n) : undefined;
  if (u?.type !== 'string' || u.children.some((c) => c?.type === 'interpolation')) return undefined;
  const m = /^([rRuU]*)('''|"""|'|")([\s\S]*)\2$/.exec(u.text);
  return m ? m[3] : undefined;
}

/**
 * A pattern that matches every character outside a safe class: `[^A-Za-z0-9_]`, `[^\w\s-]+`.
 * What re.sub leaves are characters of the class, none of which can start markup or end a quote.
 */
function keepsOnlySafeCharacters(pattern: Node): boolean {
  const p = literalText(pattern);
  const m = p ? /^\[\^((?:\\[wsd]|[A-Za-z0-9_ .,:@+-]|[A-Za-z0-9]-[A-Za-z0-9])+)\][+*]?$/.exec(p) : null;
  return !!m && !/[<>"'&`=]/.test(m[1]);
}

/** `.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")...`: the chain escapes &, < and >. */
function escapesByHand(call: Node): boolean {
  const replaced = new Map<string, string>();
  let cur: Node | null = call;
  for (let i = 0; i < 10 && cur?.type === 'call'; i++) {
    const fn: Node | null = field(cur, 'function');
    if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'replace') break;
    const [a, b] = named(field(cur, 'arguments'));
    const from = literalText(a);
    const to = literalText(b);
    if (from !== undefined && to !== undefined) replaced.set(from, to);
    cur = unparen(field(fn, 'object') ?? fn);
  }
  return replaced.get('&') === '&amp;' && replaced.get('<') === '&lt;' && replaced.get('>') === '&gt;';
}
