/**
 * Static evaluation of a settings module: top-level statements in order, star-imports merged in,
 * augmented assignments and list/dict mutations, literals, arithmetic, timedelta, paths, and
 * environment lookups (os.environ, python-decouple, django-environ, dj-database-url), whose
 * production value is their default. `if DEBUG:`-style branches are resolved with the value
 * known at that point; an undecidable condition runs every branch and marks what it sets as
 * conditional ("may be set"). Nothing is executed or imported.
 */
import { dottedName, kwarg, walkExprs, type PyExpr, type PyStmt } from './ir';
import { functionIR, type PyModule, type TopStmt } from './parser';
import { dictGet, isTruthy, keyName, originText, type DictEntry, type EnvInfo, type EnvSource, type Origin, type Value } from './values';

/** What a lazily bound value is computed from: an expression, in a frozen view of the scope. */
interface LazyValue {
  ev: Evaluator;
  view: ScopeState;
  top: TopStmt;
  expr: PyExpr;
}

/**
 * A name bound at module level. Its value is computed on first read: a settings module assigns
 * hundreds of names and the rules read a few dozen, so most values are never evaluated. A binding
 * derived from another (star-import, conditional mark) shares its source's value. One object per
 * assignment: no closures, no value cells (re-evaluated on every keystroke, allocation counts).
 */
export class Binding implements PendingEval {
  private computed: Value | undefined;
  private lazy: LazyValue | undefined;

  constructor(
    readonly name: string,
    /** The binding whose value this one shares (itself unless derived). */
    private readonly source: Binding | undefined,
    value: Value | LazyValue | undefined,
    /** The statement that (last) assigned the name. */
    readonly stmt: Origin,
    /** The assignment target (the name itself). */
    readonly target: Origin,
    /** Set inside a branch whose condition could not be decided. */
    readonly conditional: boolean,
    /** The binding this one replaced, if any. */
    readonly previous: Binding | undefined,
    /** Statements that mutated the value after the assignment (append, +=, X['k'] = ...). */
    readonly mutations: Origin[],
  ) {
    if (value && 'ev' in value) this.lazy = value;
    else this.computed = value;
  }

  get value(): Value {
    if (this.source) return this.source.value;
    if (this.computed === undefined) {
      const l = this.lazy;
      this.lazy = undefined;
      // A re-entrant read (impossible for well-formed input) sees an unknown value.
      this.computed = { kind: 'unknown', reason: 'recursive', origin: this.stmt };
      if (l) this.computed = l.ev.eval(l.view, l.top, l.expr);
    }
    return this.computed;
  }

  /** Whether the value has been computed. */
  get evaluated(): boolean {
    return this.source ? this.source.evaluated : this.computed !== undefined;
  }

  /** PendingEval: the expression a lazy value is computed from. */
  get e(): PyExpr {
    return this.source ? this.source.e : (this.lazy?.expr ?? (this.stmt.node as PyExpr));
  }

  run(): unknown {
    return this.value;
  }

  /** A copy with some fields changed (sharing the lazily computed value unless one is given). */
  derive(changes: { value?: Value; conditional?: boolean; previous?: Binding | undefined; mutations?: Origin[] }): Binding {
    const own = changes.value !== undefined;
    return new Binding(
      this.name,
      own ? undefined : (this.source ?? this),
      own ? changes.value : undefined,
      this.stmt,
      this.target,
      changes.conditional ?? this.conditional,
      'previous' in changes ? changes.previous : this.previous,
      changes.mutations ?? this.mutations,
    );
  }
}

/** A call made at top level, e.g. `sentry_sdk.init(...)` or `load_dotenv()`. */
export interface TopCall {
  qualified: string;
  origin: Origin;
  call: Extract<PyExpr, { t: 'call' }>;
}

export interface EnvRead {
  info: EnvInfo;
  module: PyModule;
}

export interface ModuleScope {
  module: PyModule;
  /** Names bound at module level (settings and everything else). */
  names: Map<string, Binding>;
  /** Import aliases: local name -> qualified name (`config` -> `decouple.config`). */
  aliases: Map<string, string>;
  /** django-environ Env instances: local name -> scheme (VAR -> default). */
  envSchemes: Map<string, Map<string, { cast?: string; default?: Value }>>;
  calls: TopCall[];
  /** Every environment variable the module (and what it star-imports) reads. */
  readonly envReads: EnvRead[];
  /** Modules merged in by `from x import *`, in order. */
  starImports: { module: PyModule; origin: Origin }[];
  /**
   * Files run in this module's namespace by django-split-settings `include(...)`, in the order
   * they ran (a file included twice runs once, as split-settings does).
   */
  includes: { module: PyModule; origin: Origin }[];
  /** Imports that could not be followed (module not found in the project). */
  unresolvedImports: { name: string; origin: Origin }[];
  /** Functions of the project (defined here or imported) whose body reads the environment. */
  envHelpers: Set<string>;
}

/** The evaluator's working state of a module (envReads is complete only after forceAll). */
export interface ScopeState extends ModuleScope {
  envReadList: EnvRead[];
  /** Paths already run by include() in this namespace. */
  includedPaths: Set<string>;
  /** Deferred evaluations: lazily bound values and calls evaluated only for their env reads. */
  pending: PendingEval[];
  imported: ScopeState[];
}

/** Names an expression reads (cached per IR node). */
const refNamesCache = new WeakMap<PyExpr, string[]>();
function refNames(e: PyExpr): string[] {
  let r = refNamesCache.get(e);
  if (!r) {
    const set = new Set<string>();
    for (const x of walkExprs(e)) if (x.t === 'name') set.add(x.id);
    r = [...set];
    refNamesCache.set(e, r);
  }
  return r;
}

const EMPTY_NAMES = new Map<string, Binding>();

export type ModuleResolver = (from: PyModule, module: string, level: number) => PyModule | undefined;

/**
 * The files a django-split-settings `include()` argument names, relative to the including file,
 * in the order they run. `pattern` is a glob; `dynamic`: the pattern has parts computed at start-up
 * (an environment switch such as `f'environments/{ENV}.py'`, written as `*`), of which the
 * resolver keeps the file production would run.
 */
export type IncludeResolver = (from: PyModule, pattern: string, dynamic: boolean) => PyModule[];

/**
 * What a module's evaluation depended on, in the order it happened: the imports it resolved,
 * the include() patterns it expanded, the modules it evaluated (and the scope it got for each).
 * Replaying them answers whether the evaluation can be reused.
 */
type EvalEvent =
  | { t: 'resolve'; from: PyModule; name: string; level: number; result: PyModule | undefined }
  | { t: 'include'; from: PyModule; pattern: string; dynamic: boolean; result: PyModule[] }
  | { t: 'evaluate'; module: PyModule; scope: ScopeState };

interface CachedScope {
  module: PyModule;
  scope: ScopeState;
  events: EvalEvent[];
  /** The namespaces files included by this module ran in (see includeViews). */
  views: [string, ScopeState][];
}

/**
 * Evaluated modules kept between evaluations (the language server re-evaluates the settings on
 * every keystroke): a module whose text is unchanged (the same PyModule object, which the parse
 * cache gives for the same text) and whose imports resolve to the same modules, themselves
 * reused, is not evaluated again: its scope is reused. A keystroke in a settings module then
 * re-evaluates that module and the modules that import it, not what it imports. Modules whose
 * evaluation depended on the evaluation stack (import cycles) are never kept. One cache per
 * project and set of overlays.
 */
export class ScopeCache {
  readonly entries = new Map<string, CachedScope>();
  /** Modules reused / evaluated (for tests and benchmarks). */
  hits = 0;
  misses = 0;
}

export interface EvaluatorOptions {
  /** Resolves split-settings include() patterns (no resolver: include() is not followed). */
  include?: IncludeResolver;
  /** Evaluations to reuse (see ScopeCache). */
  reuse?: ScopeCache;
  /** Whether this evaluator's own evaluations go into `reuse` (default true; false: read only). */
  record?: boolean;
  /**
   * Production overlays (file paths): an `if` whose branch imports one of them (an environment
   * switch such as `if ENV == 'production': from .production import *`) runs that branch.
   */
  overlays?: ReadonlySet<string>;
}
type Call = Extract<PyExpr, { t: 'call' }>;

/** Changes of one name (`X += ...`, `X['k'] = ...`, `X.append(...)`) followed before giving up. */
const MAX_MUTATIONS = 256;

/** The method of an `environ.Env()` call (`env('X')` is str); environs' dj_db_url... read like django-environ's db_url... */
function environMethod(q: string): string {
  const m = q === 'environ.Env()' ? 'str' : q.slice('environ.Env().'.length);
  return m === 'dj_db_url' ? 'db_url' : m === 'dj_cache_url' ? 'cache_url' : m === 'dj_email_url' ? 'email_url' : m;
}

/** Constructors of environment readers: what calling (or using) the instance reads like. */
const ENV_READERS: Record<string, 'environ' | 'decouple' | undefined> = {
  'environ.Env': 'environ',
  'environ.FileAwareEnv': 'environ',
  // environs reads like django-environ: env('X', default), env.bool/int/list/str(..., default=)
  'environs.Env': 'environ',
  'environs.FileAwareEnv': 'environ',
  'decouple.AutoConfig': 'decouple',
  'decouple.Config': 'decouple',
};

const ENVIRON_CASTS = new Set(['str', 'bool', 'int', 'float', 'list', 'tuple', 'dict', 'json', 'url', 'db', 'db_url', 'cache', 'cache_url', 'email', 'email_url', 'search_url', 'path', 'bytes']);

export class Evaluator {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly stack = new Set<string>();
  /** The namespace views included files ran in (by path). */
  private readonly includeViews = new Map<string, ScopeState>();
  /** Every module's scope from the start of its evaluation (functions read their globals there). */
  private readonly live = new Map<string, ScopeState>();
  /** What each module being evaluated depends on so far (innermost last); `cut`: it met an import cycle. */
  private readonly recorders: { path: string; events: EvalEvent[]; views: [string, ScopeState][]; cut: boolean }[] = [];

  constructor(
    private readonly resolve: ModuleResolver,
    private readonly options: EvaluatorOptions = {},
  ) {}

  /**
   * The scope a module's names are resolved in: for a file run by include(), the namespace it
   * ran in (seen from that file); otherwise the module's own evaluation.
   */
  scopeFor(module: PyModule): ModuleScope {
    return this.includeViews.get(module.path) ?? this.evaluate(module);
  }

  evaluate(module: PyModule): ScopeState {
    const cached = this.scopes.get(module.path);
    if (cached) return cached;
    const reused = this.adopt(module);
    if (reused) return reused;
    const reuse = this.options.reuse;
    if (reuse) reuse.misses++;
    const rec = { path: module.path, events: [] as EvalEvent[], views: [] as [string, ScopeState][], cut: false };
    const envReadList: EnvRead[] = [];
    const pending: PendingEval[] = [];
    const imported: ScopeState[] = [];
    const scope: ScopeState = {
      module,
      names: new Map(),
      aliases: new Map(),
      envSchemes: new Map(),
      calls: [],
      starImports: [],
      includes: [],
      includedPaths: new Set(),
      unresolvedImports: [],
      envHelpers: new Set(),
      envReadList,
      pending,
      imported,
      get envReads(): EnvRead[] {
        forceAll(scope, new Set());
        const out: EnvRead[] = [];
        collectEnvReads(scope, out, new Set());
        return out;
      },
    };
    this.stack.add(module.path);
    this.live.set(module.path, scope);
    this.recorders.push(rec);
    try {
      for (const top of module.stmts) this.exec(scope, top, top.ir, false);
    } finally {
      this.stack.delete(module.path);
      this.recorders.pop();
    }
    this.scopes.set(module.path, scope);
    if (reuse && this.options.record !== false && !rec.cut) reuse.entries.set(module.path, { module, scope, events: rec.events, views: rec.views });
    return scope;
  }

  /**
   * The kept evaluation of `module` (ScopeCache), when it is still what evaluating it would
   * give: the same module object, and every import, include and evaluation it made replayed in
   * order gives the same modules and scopes (the modules it evaluated reused in turn). The
   * replay resolves the same imports in the same order as the evaluation did.
   */
  private adopt(module: PyModule): ScopeState | undefined {
    const reuse = this.options.reuse;
    const e = reuse?.entries.get(module.path);
    if (!reuse || !e || e.module !== module) return undefined;
    this.stack.add(module.path);
    try {
      for (const ev of e.events) {
        if (ev.t === 'resolve') {
          if (this.resolve(ev.from, ev.name, ev.level) !== ev.result) return undefined;
        } else if (ev.t === 'include') {
          const now = this.options.include?.(ev.from, ev.pattern, ev.dynamic) ?? [];
          if (now.length !== ev.result.length || now.some((m, i) => m !== ev.result[i])) return undefined;
        } else {
          if (this.stack.has(ev.module.path)) return undefined;
          const now = this.scopes.get(ev.module.path) ?? this.adopt(ev.module);
          if (now !== ev.scope) return undefined;
        }
      }
    } finally {
      this.stack.delete(module.path);
    }
    this.scopes.set(module.path, e.scope);
    this.live.set(module.path, e.scope);
    for (const [p, v] of e.views) this.includeViews.set(p, v);
    reuse.hits++;
    // what imports this module records the reuse as an evaluation, as it would the evaluation
    return e.scope;
  }

  /**
   * The module being evaluated met an import cycle through `target`: what it gives depends on the
   * stack, it is not kept. A module importing itself (`from promise import Promise` in
   * promise.py, resolved next to it) meets itself on the stack every time: that is no cut.
   */
  private cutCycle(target: string): void {
    const rec = this.recorders[this.recorders.length - 1];
    if (rec && rec.path !== target) rec.cut = true;
  }

  /** Resolves an import of `from`, recorded for the module being evaluated. */
  private resolveFrom(from: PyModule, name: string, level: number): PyModule | undefined {
    const result = this.resolve(from, name, level);
    this.recorders[this.recorders.length - 1]?.events.push({ t: 'resolve', from, name, level, result });
    return result;
  }

  // ---------------------------------------------------------------- statements

  /** A view of the scope that sees the current bindings of the names `e` reads, for later. */
  private freeze(scope: ScopeState, e: PyExpr): ScopeState {
    let captured: Map<string, Binding> | undefined;
    for (const n of refNames(e)) {
      const b = scope.names.get(n);
      if (!b) continue;
      if (!captured) captured = new Map();
      captured.set(n, b);
    }
    if (!captured) {
      // Most statements read no module-level name (literals, env lookups through aliases).
      let empty = this.emptyViews.get(scope);
      if (!empty) this.emptyViews.set(scope, (empty = viewOf(scope, EMPTY_NAMES)));
      return empty;
    }
    return viewOf(scope, captured);
  }

  private readonly emptyViews = new WeakMap<ScopeState, ScopeState>();

  private exec(scope: ScopeState, top: TopStmt, st: PyStmt, conditional: boolean): void {
    const origin: Origin = { module: scope.module, top, node: st };
    switch (st.t) {
      case 'assign': {
        const t0 = st.targets[0];
        const reader = st.value.t === 'call' ? ENV_READERS[this.qualify(scope, st.value.fn) ?? ''] : undefined;
        // `config = AutoConfig(...)` / `Config(RepositoryEnv(...))`: calling it is decouple's config()
        if (reader === 'decouple' && t0.t === 'name') scope.aliases.set(t0.id, 'decouple.config');
        if (st.targets.length === 1 && t0.t === 'name' && reader !== 'environ') {
          // Lazy: evaluated when read, against the bindings visible here.
          const prev = scope.names.get(t0.id);
          const b = new Binding(t0.id, undefined, { ev: this, view: this.freeze(scope, st.value), top, expr: st.value }, origin, { module: scope.module, top, node: t0 }, conditional, prev, []);
          scope.names.set(t0.id, b);
          scope.pending.push(b);
          break;
        }
        const value = this.eval(scope, top, st.value);
        for (const target of st.targets) this.assignTo(scope, top, target, value, origin, conditional);
        break;
      }
      case 'annassign':
        break;
      case 'augassign': {
        const cur = this.eval(scope, top, st.target);
        const rhs = this.eval(scope, top, st.value);
        const op = st.op.replace('=', '');
        const value = this.binop(op, cur, rhs, { module: scope.module, top, node: st.value }, true);
        this.mutateTarget(scope, top, st.target, value, origin, conditional);
        break;
      }
      case 'expr':
        this.execExprStmt(scope, top, st.value, origin, conditional);
        break;
      case 'import':
        for (const n of st.names) {
          // `import conf.local_settings as ls`: a project module whose names `ls.X` reads
          const mod = n.asname && !isLibrary(n.name) ? this.moduleValue(scope, n.name, 0, origin) : undefined;
          if (mod && n.asname) {
            scope.aliases.delete(n.asname);
            this.bind(scope, n.asname, mod, origin, origin, conditional);
          } else if (n.asname) scope.aliases.set(n.asname, n.name);
          else scope.aliases.set(n.name.split('.')[0], n.name.split('.')[0]);
        }
        break;
      case 'from':
        this.execFrom(scope, st, origin, conditional);
        break;
      case 'if': {
        const chosen = this.overlayBranch(scope, st);
        if (chosen) {
          for (const s of chosen) this.exec(scope, top, s, conditional);
          return;
        }
        for (const br of st.branches) {
          if (!br.test) {
            for (const s of br.body) this.exec(scope, top, s, conditional);
            return;
          }
          const t = isTruthy(this.evalTest(scope, top, br.test, conditional));
          if (t === true) {
            for (const s of br.body) this.exec(scope, top, s, conditional);
            return;
          }
          if (t === undefined) {
            // Undecidable: this branch may run, and so may the following ones.
            for (const s of br.body) this.exec(scope, top, s, true);
            conditional = true;
          }
        }
        break;
      }
      case 'try': {
        const before = scope.unresolvedImports.length;
        for (const s of st.body) this.exec(scope, top, s, conditional);
        if (scope.unresolvedImports.length > before) {
          // `try: from .local import * / except ImportError: ...`: the handler is what runs in production.
          for (const h of st.handlers) for (const s of h) this.exec(scope, top, s, conditional);
        } else {
          for (const s of st.orelse) this.exec(scope, top, s, conditional);
        }
        for (const s of st.final) this.exec(scope, top, s, conditional);
        break;
      }
      case 'block':
        if (st.kind === 'with_statement') for (const s of st.body) this.exec(scope, top, s, conditional);
        break;
      case 'def':
        this.bind(scope, st.name, { kind: 'unknown', reason: st.kind, origin }, origin, origin, conditional);
        if (st.kind === 'function' && readsEnvironment(origin)) scope.envHelpers.add(st.name);
        else scope.envHelpers.delete(st.name);
        break;
      case 'del':
        for (const t of st.targets) if (t.t === 'name') scope.names.delete(t.id);
        break;
      default:
        break;
    }
  }

  /** An `if` test at module level; `if name := expr:` also binds the name. */
  private evalTest(scope: ScopeState, top: TopStmt, test: PyExpr, conditional: boolean): Value {
    if (test.t !== 'walrus') return this.eval(scope, top, test);
    const v = this.eval(scope, top, test.x);
    const at: Origin = { module: scope.module, top, node: test };
    this.bind(scope, test.name, v, at, at, conditional);
    return v;
  }

  /**
   * The branch of an `if` that imports a production overlay (EvaluatorOptions.overlays): the
   * environment switch production runs, whatever its condition's default says.
   */
  private overlayBranch(scope: ScopeState, st: Extract<PyStmt, { t: 'if' }>): PyStmt[] | undefined {
    const overlays = this.options.overlays;
    if (!overlays || overlays.size === 0) return undefined;
    const importsOverlay = (body: PyStmt[], depth: number): boolean =>
      depth < 4 &&
      body.some((s) => {
        if (s.t === 'from') return !!s.module || s.level > 0 ? overlays.has(this.resolveFrom(scope.module, s.module, s.level)?.path ?? '') : false;
        if (s.t === 'try') return importsOverlay(s.body, depth + 1);
        return false;
      });
    for (const br of st.branches) if (importsOverlay(br.body, 0)) return br.body;
    return undefined;
  }

  /**
   * django-split-settings `include('a.py', 'components/*.py', optional('local.py'))`: each file
   * runs in this module's namespace, in order, like the body of a star-import that shares names
   * both ways.
   */
  private execInclude(scope: ScopeState, top: TopStmt, call: Call, origin: Origin, conditional: boolean): void {
    const items: Value[] = [];
    for (const a of call.args) {
      if (a.t === 'splat' && !a.double) {
        const v = this.eval(scope, top, a.x);
        if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') items.push(...v.items);
        else scope.unresolvedImports.push({ name: 'include(*…)', origin });
      } else if (a.t !== 'splat') items.push(this.eval(scope, top, a));
    }
    for (const it of items) {
      if (it.kind !== 'str') {
        scope.unresolvedImports.push({ name: 'include(…)', origin });
        continue;
      }
      const text = it.template ?? it.value;
      const dynamic = text.includes(UNKNOWN_PART);
      const pattern = dynamic ? text.split(UNKNOWN_PART).join('*') : text;
      const mods = this.options.include?.(scope.module, pattern, dynamic) ?? [];
      this.recorders[this.recorders.length - 1]?.events.push({ t: 'include', from: scope.module, pattern, dynamic, result: mods });
      if (mods.length === 0 && !it.optional) scope.unresolvedImports.push({ name: pattern, origin });
      for (const m of mods) {
        if (this.stack.has(m.path) && m.path !== scope.module.path) this.cutCycle(m.path);
        if (scope.includedPaths.has(m.path) || this.stack.has(m.path) || m.path === scope.module.path) continue;
        scope.includedPaths.add(m.path);
        scope.includes.push({ module: m, origin });
        const view = includeView(scope, m);
        this.includeViews.set(m.path, view);
        this.recorders[this.recorders.length - 1]?.views.push([m.path, view]);
        this.stack.add(m.path);
        try {
          for (const t of m.stmts) this.exec(view, t, t.ir, conditional);
        } finally {
          this.stack.delete(m.path);
        }
      }
    }
  }

  private execFrom(scope: ScopeState, st: Extract<PyStmt, { t: 'from' }>, origin: Origin, conditional: boolean): void {
    const qualifiedBase = st.level > 0 ? '' : st.module;
    const names = st.names;
    // Names imported from well-known libraries become aliases (`from decouple import config`).
    const isProjectImport = st.level > 0 || !isLibrary(st.module);
    let target: PyModule | undefined;
    if (isProjectImport) {
      target = this.resolveFrom(scope.module, st.module, st.level);
      if (!target && names === '*') {
        scope.unresolvedImports.push({ name: '.'.repeat(st.level) + st.module, origin });
        return;
      }
      if (!target && names !== '*') {
        // `from . import x` may import a submodule (bound as a module whose names `x.NAME` read)
        let all = names.length > 0;
        for (const n of names) {
          const mod = this.moduleValue(scope, st.module ? `${st.module}.${n.name}` : n.name, st.level, origin);
          if (mod) this.bind(scope, n.asname ?? n.name, mod, origin, origin, conditional);
          else all = false;
        }
        if (all) return;
        if (st.level > 0 || st.module) scope.unresolvedImports.push({ name: '.'.repeat(st.level) + st.module, origin });
      }
    }
    if (target && this.stack.has(target.path)) this.cutCycle(target.path);
    if (target && !this.stack.has(target.path)) {
      const other = this.evaluate(target);
      this.recorders[this.recorders.length - 1]?.events.push({ t: 'evaluate', module: target, scope: other });
      if (names === '*') {
        scope.starImports.push({ module: target, origin });
        for (const [k, b] of other.names) if (!k.startsWith('_')) this.inherit(scope, k, b, conditional);
        for (const [k, v] of other.aliases) if (!k.startsWith('_')) scope.aliases.set(k, v);
        for (const [k, v] of other.envSchemes) scope.envSchemes.set(k, v);
        for (const h of other.envHelpers) if (!h.startsWith('_')) scope.envHelpers.add(h);
        scope.calls.push(...other.calls);
        scope.imported.push(other);
        scope.starImports.push(...other.starImports.filter((s) => !scope.starImports.some((x) => x.module === s.module)));
        return;
      }
      for (const n of names) {
        const b = other.names.get(n.name);
        if (b) this.inherit(scope, n.asname ?? n.name, b, conditional);
        else if (!other.aliases.has(n.name)) {
          // a submodule of the package (`from mysite import local_settings`)
          const mod = this.moduleValue(scope, st.module ? `${st.module}.${n.name}` : n.name, st.level, origin);
          if (mod) this.bind(scope, n.asname ?? n.name, mod, origin, origin, conditional);
        }
        // an alias too when it has one (`config = AutoConfig(...)` imported elsewhere)
        if (other.aliases.has(n.name)) scope.aliases.set(n.asname ?? n.name, other.aliases.get(n.name) as string);
        const sch = other.envSchemes.get(n.name);
        if (sch) scope.envSchemes.set(n.asname ?? n.name, sch);
        if (other.envHelpers.has(n.name)) scope.envHelpers.add(n.asname ?? n.name);
      }
      return;
    }
    if (names !== '*') {
      for (const n of names) scope.aliases.set(n.asname ?? n.name, qualifiedBase ? `${qualifiedBase}.${n.name}` : n.name);
    }
  }

  private inherit(scope: ScopeState, name: string, b: Binding, conditional: boolean): void {
    const prev = scope.names.get(name);
    scope.names.set(name, b.derive({ conditional: b.conditional || conditional, previous: prev ?? b.previous }));
  }

  private execExprStmt(scope: ScopeState, top: TopStmt, e: PyExpr, origin: Origin, conditional: boolean): void {
    if (e.t !== 'call') return;
    const qualified = this.qualify(scope, e.fn);
    if (qualified === 'split_settings.tools.include') {
      this.execInclude(scope, top, e, origin, conditional);
      return;
    }
    if (qualified === 'django_heroku.settings') {
      this.execHeroku(scope, top, e, origin, conditional);
      return;
    }
    if (qualified) scope.calls.push({ qualified, origin: { module: scope.module, top, node: e }, call: e });
    // Method calls that mutate a setting: X.append(v), X['k'].update({...}), ...
    if (e.fn.t === 'attr') {
      const method = e.fn.name;
      const objExpr = e.fn.obj;
      if (!['append', 'insert', 'extend', 'remove', 'update', 'setdefault'].includes(method)) {
        // evaluated later, only to record env reads (e.g. os.environ.setdefault)
        const view = this.freeze(scope, e);
        scope.pending.push({ e, run: () => this.eval(view, top, e) });
        return;
      }
      const cur = this.eval(scope, top, objExpr);
      const callOrigin: Origin = { module: scope.module, top, node: e };
      const args = e.args.map((a) => this.eval(scope, top, a));
      let next: Value | undefined;
      if ((cur.kind === 'list' || cur.kind === 'tuple') && cur.kind === 'list') {
        if (method === 'append' && args[0]) next = { ...cur, items: [...cur.items, args[0]] };
        else if (method === 'insert' && args.length >= 2) {
          const idx = args[0].kind === 'num' ? args[0].value : cur.items.length;
          const items = [...cur.items];
          const at = idx < 0 ? Math.max(0, items.length + idx) : Math.min(idx, items.length);
          items.splice(at, 0, args[1]);
          next = { ...cur, items };
        } else if (method === 'extend' && args[0]) {
          const a = args[0];
          next = a.kind === 'list' || a.kind === 'tuple' || a.kind === 'set' ? { ...cur, items: [...cur.items, ...a.items] } : { kind: 'unknown', reason: 'extended', origin: cur.origin, env: cur.env };
        } else if (method === 'remove' && args[0]) {
          const a = args[0];
          next = { ...cur, items: cur.items.filter((it) => !(it.kind === 'str' && a.kind === 'str' && it.value === a.value)) };
        }
      } else if (cur.kind === 'dict') {
        if (method === 'update') {
          let entries = [...cur.entries];
          for (const a of args) if (a.kind === 'dict') entries = mergeEntries(entries, a.entries);
          for (const k of e.kw) {
            if (!k.name) continue;
            const ko: Origin = { module: scope.module, top, node: k.value };
            entries = mergeEntries(entries, [{ key: { kind: 'str', value: k.name, origin: ko }, value: this.eval(scope, top, k.value), origin: ko }]);
          }
          next = { ...cur, entries };
        } else if (method === 'setdefault' && args.length >= 2 && args[0].kind === 'str') {
          if (!dictGet(cur, args[0].value)) next = { ...cur, entries: [...cur.entries, { key: args[0], value: args[1], origin: callOrigin }] };
        }
      }
      if (next) this.mutateTarget(scope, top, objExpr, next, origin, conditional);
      return;
    }
    const view = this.freeze(scope, e);
    scope.pending.push({ e, run: () => this.eval(view, top, e) });
  }

  private bind(scope: ScopeState, name: string, value: Value, stmt: Origin, target: Origin, conditional: boolean): void {
    const prev = scope.names.get(name);
    scope.names.set(name, new Binding(name, undefined, value, stmt, target, conditional, prev, []));
  }

  private assignTo(scope: ScopeState, top: TopStmt, target: PyExpr, value: Value, stmt: Origin, conditional: boolean): void {
    const tOrigin: Origin = { module: scope.module, top, node: target };
    if (target.t === 'name') {
      this.bind(scope, target.id, value, stmt, tOrigin, conditional);
      if (value.kind === 'unknown' && value.callee === 'environ.Env') this.recordEnvScheme(scope, top, target.id, stmt);
      return;
    }
    if (target.t === 'tuple' || target.t === 'list') {
      const items = value.kind === 'tuple' || value.kind === 'list' ? value.items : undefined;
      target.items.forEach((t, i) => {
        const v: Value = items && items[i] ? items[i] : { kind: 'unknown', reason: 'unpacked', origin: value.origin, env: value.env };
        this.assignTo(scope, top, t, v, stmt, conditional);
      });
      return;
    }
    if (target.t === 'sub') {
      // X['k'] = v, X['a']['b'] = v
      const idx = this.eval(scope, top, target.index);
      const container = this.eval(scope, top, target.obj);
      if (container.kind === 'dict' && idx.kind === 'str') {
        const entry: DictEntry = { key: { ...idx }, value, origin: stmt };
        const next: Value = { ...container, entries: mergeEntries(container.entries, [entry]) };
        this.mutateTarget(scope, top, target.obj, next, stmt, conditional);
      } else if (container.kind === 'list' && idx.kind === 'num') {
        const items = [...container.items];
        if (idx.value >= 0 && idx.value < items.length) items[idx.value] = value;
        this.mutateTarget(scope, top, target.obj, { ...container, items }, stmt, conditional);
      }
    }
  }

  /** Replaces the value at `target` (a name or a subscript chain) after a mutation. */
  private mutateTarget(scope: ScopeState, top: TopStmt, target: PyExpr, next: Value, stmt: Origin, conditional: boolean): void {
    if (target.t === 'name') {
      const b = scope.names.get(target.id);
      if (!b) {
        this.bind(scope, target.id, next, stmt, { module: scope.module, top, node: target }, conditional);
        return;
      }
      // A name changed hundreds of times (generated code) is not followed further: copying its
      // value and history on each change would make the evaluation quadratic.
      if (b.mutations.length >= MAX_MUTATIONS) {
        if (b.value.kind !== 'unknown') scope.names.set(target.id, b.derive({ value: { kind: 'unknown', reason: 'changed too often to follow', origin: stmt }, conditional: b.conditional || conditional }));
        return;
      }
      scope.names.set(target.id, b.derive({ value: next, mutations: [...b.mutations, stmt], conditional: b.conditional || conditional }));
      return;
    }
    if (target.t === 'sub') {
      const idx = this.eval(scope, top, target.index);
      const container = this.eval(scope, top, target.obj);
      if (container.kind === 'dict' && idx.kind === 'str') {
        const existing = dictGet(container, idx.value);
        const entry: DictEntry = { key: existing?.key ?? idx, value: next, origin: existing?.origin ?? stmt };
        this.mutateTarget(scope, top, target.obj, { ...container, entries: mergeEntries(container.entries, [entry]) }, stmt, conditional);
      }
    }
  }

  private recordEnvScheme(scope: ScopeState, top: TopStmt, name: string, stmt: Origin): void {
    const st = stmt.node;
    if (st.t !== 'assign' || st.value.t !== 'call') return;
    const scheme = new Map<string, { cast?: string; default?: Value }>();
    for (const k of st.value.kw) {
      if (!k.name) continue;
      if (k.value.t === 'tuple' && k.value.items.length >= 1) {
        const cast = k.value.items[0].t === 'name' ? k.value.items[0].id : undefined;
        const def = k.value.items[1] ? this.eval(scope, top, k.value.items[1]) : undefined;
        scheme.set(k.name, { cast, default: def });
      } else if (k.value.t === 'name') {
        scheme.set(k.name, { cast: k.value.id });
      }
    }
    scope.envSchemes.set(name, scheme);
  }

  // ---------------------------------------------------------------- libraries that set or read settings

  /** A project module imported as a name (`from . import local_settings`, `import conf.local as c`). */
  private moduleValue(scope: ScopeState, module: string, level: number, origin: Origin): Value | undefined {
    const target = this.resolveFrom(scope.module, module, level);
    if (target && this.stack.has(target.path)) this.cutCycle(target.path);
    if (!target || this.stack.has(target.path)) return undefined;
    const other = this.evaluate(target);
    this.recorders[this.recorders.length - 1]?.events.push({ t: 'evaluate', module: target, scope: other });
    return { kind: 'unknown', reason: 'module', origin, members: other.names };
  }

  /**
   * `django_heroku.settings(locals())`: what django-heroku sets (DATABASES from DATABASE_URL when
   * it is set, STATIC_ROOT, WhiteNoise first in MIDDLEWARE, ALLOWED_HOSTS = ['*'], LOGGING,
   * SECRET_KEY from the SECRET_KEY variable when set), each switched off by its keyword.
   */
  private execHeroku(scope: ScopeState, top: TopStmt, call: Call, origin: Origin, conditional: boolean): void {
    const on = (name: string): boolean => {
      const k = kwarg(call, name);
      return !k || isTruthy(this.eval(scope, top, k)) !== false;
    };
    const at: Origin = { module: scope.module, top, node: call };
    const str = (value: string): Value => ({ kind: 'str', value, origin: at });
    const entry = (k: string, v: Value): DictEntry => ({ key: str(k), value: v, origin: at });
    const set = (name: string, value: Value) => this.bind(scope, name, value, origin, at, conditional);
    const envInfo = (variable: string, def: Value | undefined): EnvInfo => ({ variable, source: 'django_heroku', hasDefault: !!def && def.kind !== 'unknown', defaultOrigin: def?.origin, lookupOrigin: at });
    if (on('databases')) {
      // DATABASE_URL unset (the production value of a lookup): the previous DATABASES stay
      const dbs = scope.names.get('DATABASES')?.value;
      const prev = dictGet(dbs, 'default')?.value;
      const env = envInfo('DATABASE_URL', prev);
      scope.envReadList.push({ info: env, module: scope.module });
      const entries = dbs?.kind === 'dict' ? dbs.entries.filter((e) => keyName(e.key) !== 'default') : [];
      set('DATABASES', { kind: 'dict', entries: [entry('default', prev ? { ...prev, env } : { kind: 'unknown', reason: 'DATABASE_URL', origin: at, env }), ...entries], origin: at });
    }
    if (on('staticfiles')) {
      set('STATIC_ROOT', { kind: 'path', display: "BASE_DIR / 'staticfiles'", origin: at });
      set('STATIC_URL', str('/static/'));
      const key = scope.names.has('MIDDLEWARE_CLASSES') ? 'MIDDLEWARE_CLASSES' : 'MIDDLEWARE';
      const mw = scope.names.get(key)?.value;
      const items = mw && (mw.kind === 'list' || mw.kind === 'tuple') ? mw.items : undefined;
      set(key, items ? { kind: 'tuple', items: [str('whitenoise.middleware.WhiteNoiseMiddleware'), ...items], origin: at } : { kind: 'unknown', reason: key, origin: at });
      set('STATICFILES_STORAGE', str('whitenoise.storage.CompressedManifestStaticFilesStorage'));
    }
    if (on('allowed_hosts')) set('ALLOWED_HOSTS', { kind: 'list', items: [str('*')], origin: at });
    if (on('logging')) {
      const console: Value = { kind: 'dict', entries: [entry('level', str('DEBUG')), entry('class', str('logging.StreamHandler')), entry('formatter', str('verbose'))], origin: at };
      set('LOGGING', {
        kind: 'dict',
        entries: [
          entry('version', { kind: 'num', value: 1, origin: at }),
          entry('disable_existing_loggers', { kind: 'bool', value: false, origin: at }),
          entry('handlers', { kind: 'dict', entries: [entry('console', console)], origin: at }),
          entry('loggers', { kind: 'dict', entries: [entry('testlogger', { kind: 'dict', entries: [entry('handlers', { kind: 'list', items: [str('console')], origin: at }), entry('level', str('INFO'))], origin: at })], origin: at }),
        ],
        origin: at,
      });
    }
    if (on('secret_key')) {
      // SECRET_KEY from the variable when it is set; otherwise the module's own value stays
      const prev = scope.names.get('SECRET_KEY');
      const env = envInfo('SECRET_KEY', prev?.value);
      scope.envReadList.push({ info: env, module: scope.module });
      if (prev && prev.value.kind !== 'unknown' && !prev.value.env) scope.names.set('SECRET_KEY', prev.derive({ value: { ...prev.value, env } }));
    }
  }

  /**
   * `Settings()` of a pydantic-settings class: an object whose fields read the environment
   * (env_prefix + field name, or the field's alias) with the class defaults as defaults.
   */
  private pydanticInstance(origin: Origin, cls: Binding): Value | undefined {
    if (!this.isSettingsClass(cls, 0)) return undefined;
    const fields = this.pydanticFields(cls, 0);
    if (!fields) return undefined;
    return { kind: 'unknown', reason: 'settings instance', callee: 'pydantic_settings.BaseSettings()', origin, members: fields };
  }

  /** A class deriving (directly or through project classes) from pydantic-settings' BaseSettings. */
  private isSettingsClass(cls: Binding, depth: number): boolean {
    const def = cls.stmt;
    if (def.node.t !== 'def' || def.node.kind !== 'class' || depth > 3) return false;
    const globals = this.includeViews.get(def.module.path) ?? this.live.get(def.module.path);
    if (!globals) return false;
    return (def.node.bases ?? []).some((b) => {
      const q = qualifyExpr(globals, b);
      if (q === 'pydantic_settings.BaseSettings' || q === 'pydantic.BaseSettings' || q === 'pydantic.v1.BaseSettings') return true;
      const parent = b.t === 'name' ? globals.names.get(b.id) : undefined;
      return !!parent && this.isSettingsClass(parent, depth + 1);
    });
  }

  /** The fields of a pydantic-settings class as values read from the environment. */
  private pydanticFields(cls: Binding, depth: number): Map<string, Binding> | undefined {
    const spec = this.pydanticSpec(cls, depth);
    if (!spec) return undefined;
    const out = new Map<string, Binding>();
    for (const f of spec.fields.values()) {
      const top = f.top;
      const def0 = f.defExpr ? this.eval(f.frame, top, f.defExpr) : undefined;
      const info: EnvInfo = {
        variable: f.alias ?? (spec.prefix + f.name).toUpperCase(),
        source: 'pydantic',
        hasDefault: !!def0 && def0.kind !== 'unknown',
        defaultOrigin: f.defExpr ? { module: f.frame.module, top, node: f.defExpr } : undefined,
        lookupOrigin: f.at,
      };
      const value: Value = def0 && def0.kind !== 'unknown' ? ({ ...def0, env: info } as Value) : { kind: 'unknown', reason: 'environment variable without default', origin: f.at, env: info };
      out.set(f.name, new Binding(f.name, undefined, value, f.at, f.at, false, undefined, []));
    }
    return out;
  }

  /** A settings class's fields (its bases' first) and env_prefix (its own config, else inherited). */
  private pydanticSpec(cls: Binding, depth: number): PydanticSpec | undefined {
    const def = cls.stmt;
    if (def.node.t !== 'def' || depth > 3) return undefined;
    const full = functionIR(def.module, def.top);
    const node = full && findDef(full, def.node.s, def.node.e);
    const globals = this.includeViews.get(def.module.path) ?? this.live.get(def.module.path);
    if (!node || node.t !== 'def' || !node.body || !globals) return undefined;
    const top = def.top;
    const frame = frameView(globals, globals.names, []);
    const spec: PydanticSpec = { prefix: '', fields: new Map() };
    for (const b of node.bases ?? []) {
      const parent = b.t === 'name' ? globals.names.get(b.id) : undefined;
      const ps = parent && parent.stmt.node.t === 'def' && parent.stmt.node.kind === 'class' ? this.pydanticSpec(parent, depth + 1) : undefined;
      if (!ps) continue;
      spec.prefix = ps.prefix;
      for (const [k, v] of ps.fields) spec.fields.set(k, v);
    }
    for (const st of node.body) {
      if (st.t === 'assign' && st.targets[0]?.t === 'name' && st.targets[0].id === 'model_config') {
        const v = st.value;
        const p = v.t === 'call' ? kwarg(v, 'env_prefix') : v.t === 'dict' ? v.entries.find((x) => x.k?.t === 'str' && x.k.v === 'env_prefix')?.v : undefined;
        if (p?.t === 'str') spec.prefix = p.v;
      }
      if (st.t === 'def' && st.kind === 'class' && st.name === 'Config') {
        for (const x of st.body ?? []) if (x.t === 'assign' && x.targets[0]?.t === 'name' && x.targets[0].id === 'env_prefix' && x.value.t === 'str') spec.prefix = x.value.v;
      }
    }
    for (const st of node.body) {
      const target = st.t === 'assign' ? st.targets[0] : st.t === 'annassign' ? st.target : undefined;
      if (!target || target.t !== 'name' || target.id === 'model_config' || target.id.startsWith('_')) continue;
      let defExpr: PyExpr | undefined = st.t === 'assign' ? st.value : undefined;
      let alias: string | undefined;
      if (defExpr?.t === 'call' && /(^|\.)Field$/.test(qualifyExpr(globals, defExpr.fn) ?? '')) {
        const f: Call = defExpr;
        const a = kwarg(f, 'alias') ?? kwarg(f, 'validation_alias') ?? kwarg(f, 'env');
        if (a?.t === 'str') alias = a.v;
        defExpr = kwarg(f, 'default') ?? f.args[0];
        if (defExpr?.t === 'other' && defExpr.kind === 'ellipsis') defExpr = undefined;
      }
      spec.fields.set(target.id, { name: target.id, defExpr, alias, at: { module: def.module, top, node: st }, top, frame });
    }
    return spec;
  }

  // ---------------------------------------------------------------- helper functions

  /** Nested inlined calls (a helper calling a helper): deeper ones stay unknown. */
  private callDepth = 0;

  /**
   * A call to a function defined in the project (`envbool('DEBUG', 'False')`, a helper imported
   * from a sibling module): its body is run with the argument values when it is simple (locals,
   * if/elif/else, return, raise; no loop). When the call involves the environment (the body reads
   * a variable, or an argument came from one), the value is an environment lookup whose production
   * value is what the function returns for the defaults; otherwise it is the returned value itself.
   * Anything undecidable stays unknown.
   */
  private callFunction(scope: ScopeState, top: TopStmt, e: Call, origin: Origin, fn: Binding): Value | undefined {
    const def = fn.stmt;
    if (def.node.t !== 'def' || def.node.kind !== 'function' || this.callDepth >= MAX_CALL_DEPTH) return undefined;
    if (def.node.decorators.length > 0) return undefined;
    const full = functionIR(def.module, def.top);
    const node = full && findDef(full, def.node.s, def.node.e);
    if (!node || node.t !== 'def' || !node.params || !node.body) return undefined;
    const globals = this.includeViews.get(def.module.path) ?? this.live.get(def.module.path);
    if (!globals) return undefined;
    // bind the parameters
    const locals = new Map<string, Binding>();
    const argInfo = new Map<string, { value: Value; origin: Origin }>();
    const bindLocal = (name: string, value: Value, at: Origin) => locals.set(name, new Binding(name, undefined, value, at, at, false, undefined, []));
    const positional = node.params.filter((p) => p.kind === 'positional');
    if (e.args.some((a) => a.t === 'splat') || e.kw.some((k) => !k.name)) return undefined;
    if (e.args.length > positional.length && !node.params.some((p) => p.kind === 'star')) return undefined;
    for (let i = 0; i < e.args.length && i < positional.length; i++) {
      const at: Origin = { module: scope.module, top, node: e.args[i] };
      const value = this.eval(scope, top, e.args[i]);
      argInfo.set(positional[i].name, { value, origin: at });
      bindLocal(positional[i].name, value, at);
    }
    for (const k of e.kw) {
      const p = node.params.find((x) => x.name === k.name && (x.kind === 'positional' || x.kind === 'keyword'));
      if (!p || argInfo.has(p.name)) return undefined;
      const at: Origin = { module: scope.module, top, node: k.value };
      const value = this.eval(scope, top, k.value);
      argInfo.set(p.name, { value, origin: at });
      bindLocal(p.name, value, at);
    }
    const defTop = def.top;
    const reads: EnvRead[] = [];
    const frame = frameView(globals, new LayeredNames(locals, globals.names), reads);
    for (const p of node.params) {
      if (locals.has(p.name)) continue;
      if (p.kind === 'star') bindLocal(p.name, { kind: 'tuple', items: [], origin: def }, def);
      else if (p.kind === 'dstar') bindLocal(p.name, { kind: 'dict', entries: [], origin: def }, def);
      else if (p.default) bindLocal(p.name, this.eval(frame, defTop, p.default), { module: def.module, top: defTop, node: p.default });
      else return undefined;
    }
    this.callDepth++;
    let out: Outcome;
    try {
      out = this.runBody(frame, defTop, node.body, locals, 0);
    } finally {
      this.callDepth--;
    }
    const argEnv = [...argInfo.values()].find((a) => a.value.env)?.value.env;
    // a helper that involves no environment variable (`def show_debug(): return DEBUG and
    // USE_SILK`, over settings already evaluated): its decided result is the value, as Python
    // computes it; anything undecided stays unknown
    if (reads.length === 0 && !argEnv) return out.kind === 'return' && out.value.kind !== 'unknown' ? out.value : undefined;
    scope.envReadList.push(...reads);
    // the lookup that supplies the default (`os.getenv(name, default)`) names the variable
    const fromParam = (r: EnvRead) => r.info.defaultOrigin?.node.t === 'name' && argInfo.has((r.info.defaultOrigin.node as { id: string }).id);
    const inner = (reads.find(fromParam) ?? reads.find((r) => r.info.hasDefault && r.info.variable) ?? reads.find((r) => r.info.variable) ?? reads[0])?.info ?? argEnv;
    const result = out.kind === 'return' ? out.value : undefined;
    // the caller's argument that became the default: the one the lookup inside got as its
    // default (`os.getenv(name, default)`), or the one returned as is (`return default`)
    let defaultOrigin: Origin | undefined;
    const innerDefault = inner?.defaultOrigin?.node;
    if (innerDefault?.t === 'name') defaultOrigin = argInfo.get(innerDefault.id)?.origin;
    if (!defaultOrigin && result) for (const a of argInfo.values()) if (a.value === result) defaultOrigin = a.origin;
    // a helper that only converts its argument (`strtobool(os.environ.get('X') or 'False')`): the
    // default is the caller's (the fallback written in the argument)
    if (!defaultOrigin && reads.length === 0 && argEnv?.defaultOrigin) defaultOrigin = argEnv.defaultOrigin;
    const info: EnvInfo = {
      variable: inner?.variable,
      source: 'helper',
      helper: def.node.name,
      hasDefault: !!result && result.kind !== 'unknown',
      defaultOrigin,
      lookupOrigin: origin,
      cast: result?.kind === 'bool' ? 'bool' : result?.kind === 'num' ? 'int' : inner?.cast,
    };
    if (!result || result.kind === 'unknown') return { kind: 'unknown', reason: `helper ${def.node.name}`, origin, env: info };
    return { ...result, env: info } as Value;
  }

  /** Runs a function body: the outcome of the first path that returns, raises, or cannot be decided. */
  private runBody(frame: ScopeState, top: TopStmt, body: PyStmt[], locals: Map<string, Binding>, depth: number): Outcome {
    if (depth > 8) return UNDECIDED;
    for (const st of body) {
      const at: Origin = { module: frame.module, top, node: st };
      switch (st.t) {
        case 'expr':
          // a docstring, a log call: nothing the result depends on
          if (st.value.t === 'str') continue;
          if (st.value.t === 'call') {
            this.eval(frame, top, st.value);
            continue;
          }
          return UNDECIDED;
        case 'assign': {
          if (!st.targets.every((t) => t.t === 'name')) return UNDECIDED;
          const v = this.eval(frame, top, st.value);
          for (const t of st.targets) if (t.t === 'name') locals.set(t.id, new Binding(t.id, undefined, v, at, { module: frame.module, top, node: t }, false, undefined, []));
          continue;
        }
        case 'augassign': {
          if (st.target.t !== 'name') return UNDECIDED;
          const v = this.binop(st.op.replace('=', ''), this.eval(frame, top, st.target), this.eval(frame, top, st.value), at, false);
          locals.set(st.target.id, new Binding(st.target.id, undefined, v, at, at, false, undefined, []));
          continue;
        }
        case 'annassign':
          continue;
        case 'if': {
          let taken: PyStmt[] | undefined;
          for (const br of st.branches) {
            if (!br.test) {
              taken = br.body;
              break;
            }
            const t = isTruthy(this.condition(frame, top, br.test));
            if (t === undefined) return UNDECIDED;
            if (t) {
              taken = br.body;
              break;
            }
          }
          if (taken) {
            const r = this.runBody(frame, top, taken, locals, depth + 1);
            if (r.kind !== 'next') return r;
          }
          continue;
        }
        case 'return':
          return { kind: 'return', value: st.value ? this.eval(frame, top, st.value) : { kind: 'none', origin: at } };
        case 'other':
          if (st.kind === 'pass_statement') continue;
          if (st.kind === 'raise_statement') return { kind: 'raise' };
          return UNDECIDED;
        default:
          return UNDECIDED;
      }
    }
    return depth === 0 ? { kind: 'return', value: { kind: 'none', origin: { module: frame.module, top, node: body[body.length - 1] ?? top.ir } } } : { kind: 'next' };
  }

  /**
   * A condition inside a helper, with the environment unset: `os.environ.get(name)` is None,
   * `name in os.environ` is False.
   */
  private condition(frame: ScopeState, top: TopStmt, test: PyExpr): Value {
    const origin: Origin = { module: frame.module, top, node: test };
    if (test.t === 'cmp' && test.ops.length === 1 && (test.ops[0] === 'in' || test.ops[0] === 'not in') && this.qualify(frame, test.items[1]) === 'os.environ') {
      const name = this.eval(frame, top, test.items[0]);
      const info: EnvInfo = { variable: name.kind === 'str' ? name.value : undefined, source: 'os', hasDefault: false, lookupOrigin: origin };
      frame.envReadList.push({ info, module: frame.module });
      return { kind: 'bool', value: test.ops[0] === 'not in', origin, env: info };
    }
    if (test.t === 'walrus') {
      const v = this.condition(frame, top, test.x);
      (frame.names as LayeredNames).setLocal(test.name, new Binding(test.name, undefined, v, origin, origin, false, undefined, []));
      return v;
    }
    if (test.t === 'not') {
      const x = this.condition(frame, top, test.x);
      const t = isTruthy(x);
      return t === undefined ? x : { kind: 'bool', value: !t, origin };
    }
    const v = this.eval(frame, top, test);
    return isMissingOsGet(v) ? { kind: 'none', origin } : v;
  }

  // ---------------------------------------------------------------- expressions

  /** The qualified name of a callee/attribute through the module's imports. */
  qualify(scope: ScopeState, e: PyExpr): string | undefined {
    // a name bound to an environ.Env(...) value counts as an Env instance too (reads that binding)
    return qualifyExpr(scope, e, true);
  }

  eval(scope: ScopeState, top: TopStmt, e: PyExpr): Value {
    const origin: Origin = { module: scope.module, top, node: e };
    switch (e.t) {
      case 'str':
        if (e.fstring && e.parts) return this.evalFString(scope, top, e, origin);
        return { kind: 'str', value: e.v, origin, fstring: e.fstring || undefined };
      case 'num':
        return { kind: 'num', value: e.v, origin };
      case 'bool':
        return { kind: 'bool', value: e.v, origin };
      case 'none':
        return { kind: 'none', origin };
      case 'name': {
        const b = scope.names.get(e.id);
        if (b) return b.value;
        if (e.id === '__file__') return { kind: 'path', display: '__file__', origin };
        return { kind: 'unknown', reason: `name ${e.id}`, origin };
      }
      case 'list':
      case 'tuple':
      case 'set': {
        const items: Value[] = [];
        for (const it of e.items) {
          if (it.t === 'splat') {
            const inner = this.eval(scope, top, it.x);
            if (inner.kind === 'list' || inner.kind === 'tuple' || inner.kind === 'set') items.push(...inner.items);
            else return { kind: 'unknown', reason: 'splat', origin };
          } else items.push(this.eval(scope, top, it));
        }
        return { kind: e.t, items, origin };
      }
      case 'dict': {
        let entries: DictEntry[] = [];
        for (const en of e.entries) {
          if (!en.k) {
            const inner = this.eval(scope, top, en.v);
            if (inner.kind === 'dict') entries = mergeEntries(entries, inner.entries);
            continue;
          }
          const pair: PyExpr = { t: 'other', kind: 'pair', s: en.s, e: en.e };
          entries = mergeEntries(entries, [{ key: this.eval(scope, top, en.k), value: this.eval(scope, top, en.v), origin: { module: scope.module, top, node: pair } }]);
        }
        return { kind: 'dict', entries, origin };
      }
      case 'attr': {
        const q = this.qualify(scope, e);
        if (q === 'os.environ') return { kind: 'unknown', reason: 'os.environ', callee: q, origin };
        if (q === 'django.conf.settings.DEBUG' || q === 'settings.DEBUG') return scope.names.get('DEBUG')?.value ?? { kind: 'unknown', reason: q, origin };
        const obj = this.eval(scope, top, e.obj);
        if (obj.kind === 'unknown' && obj.members) return obj.members.get(e.name)?.value ?? { kind: 'unknown', reason: `attribute ${e.name}`, origin };
        if (obj.kind === 'path' && (e.name === 'parent' || e.name === 'parents')) return { kind: 'path', display: `${obj.display}.${e.name}`, origin };
        if (obj.kind === 'timedelta' && e.name === 'seconds') return { kind: 'num', value: obj.seconds, origin, env: obj.env };
        return { kind: 'unknown', reason: q ?? 'attribute', callee: q, origin };
      }
      case 'sub': {
        const q = this.qualify(scope, e.obj);
        if (q === 'os.environ') {
          const name = this.eval(scope, top, e.index);
          return this.envValue(scope, origin, 'os', name.kind === 'str' ? name.value : undefined, undefined, undefined);
        }
        const obj = this.eval(scope, top, e.obj);
        const idx = this.eval(scope, top, e.index);
        if (obj.kind === 'dict' && idx.kind === 'str') return dictGet(obj, idx.value)?.value ?? { kind: 'unknown', reason: 'missing key', origin };
        if ((obj.kind === 'list' || obj.kind === 'tuple') && idx.kind === 'num') {
          const i = idx.value < 0 ? obj.items.length + idx.value : idx.value;
          return obj.items[i] ?? { kind: 'unknown', reason: 'index', origin };
        }
        return { kind: 'unknown', reason: 'subscript', origin, env: obj.env };
      }
      case 'call':
        return this.evalCall(scope, top, e, origin);
      case 'bin': {
        const l = this.eval(scope, top, e.l);
        const r = this.eval(scope, top, e.r);
        return this.binop(e.op, l, r, origin, false);
      }
      case 'unary': {
        const x = this.eval(scope, top, e.x);
        if (x.kind === 'num') return { kind: 'num', value: e.op === '-' ? -x.value : e.op === '~' ? ~x.value : x.value, origin, env: x.env };
        return { kind: 'unknown', reason: 'unary', origin, env: x.env };
      }
      case 'not': {
        const x = this.eval(scope, top, e.x);
        const t = isTruthy(x);
        return t === undefined ? { kind: 'unknown', reason: 'not', origin, env: x.env } : { kind: 'bool', value: !t, origin, env: x.env };
      }
      case 'boolop': {
        const l = this.eval(scope, top, e.l);
        const t = isTruthy(l);
        if (e.op === 'or' && l.env && (t === false || isMissingOsGet(l))) {
          // `os.environ.get('X') or 'fallback'`, `lookup('X', '') or 'fallback'`: production runs the fallback.
          const r = this.eval(scope, top, e.r);
          if (r.kind !== 'unknown' && !r.env) return { ...r, env: { ...l.env, hasDefault: true, defaultOrigin: { module: scope.module, top, node: e.r }, lookupOrigin: origin } };
          if (t === false) return r;
          return { kind: 'unknown', reason: 'boolop', origin, env: l.env ?? r.env };
        }
        if (t === undefined) {
          const r = this.eval(scope, top, e.r);
          // `X or default`: unknown X. Keep the env tag of either side.
          return { kind: 'unknown', reason: 'boolop', origin, env: l.env ?? r.env };
        }
        if (e.op === 'and') return t ? this.eval(scope, top, e.r) : l;
        return t ? l : this.eval(scope, top, e.r);
      }
      case 'cmp':
        return this.compare(scope, top, e, origin);
      case 'walrus':
        return this.eval(scope, top, e.x);
      case 'cond': {
        const t = isTruthy(this.eval(scope, top, e.test));
        if (t === true) return this.eval(scope, top, e.body);
        if (t === false) return this.eval(scope, top, e.orelse);
        return { kind: 'unknown', reason: 'conditional', origin };
      }
      default:
        return { kind: 'unknown', reason: e.t, origin };
    }
  }

  /**
   * An f-string: parts whose value is a string or a number are put in; the others stay `{…}`.
   * A part read from the environment is put in with its default, and the value remembers the
   * template with that part unknown (`template`: what include() treats as an environment switch).
   * Only an f-string of literal parts is a literal (`fstring` unset): one with a part from the
   * environment is built at run time, and the rules that judge literals leave it alone.
   */
  private evalFString(scope: ScopeState, top: TopStmt, e: Extract<PyExpr, { t: 'str' }>, origin: Origin): Value {
    const pieces = e.v.split(UNKNOWN_PART);
    const parts = e.parts ?? [];
    if (pieces.length !== parts.length + 1) return { kind: 'str', value: e.v, origin, fstring: true };
    let value = pieces[0];
    let template = pieces[0];
    let env: EnvInfo | undefined;
    let known = true;
    for (let i = 0; i < parts.length; i++) {
      const v = this.eval(scope, top, parts[i]);
      const text = v.kind === 'str' ? v.value : v.kind === 'num' ? String(v.value) : undefined;
      // a part from the environment or computed: still built at run time (not a literal of the source)
      if (text === undefined || v.env || (v.kind === 'str' && v.fstring)) known = false;
      value += (text ?? UNKNOWN_PART) + pieces[i + 1];
      template += (v.env || text === undefined ? UNKNOWN_PART : text) + pieces[i + 1];
      env = env ?? v.env;
    }
    const out: Value = { kind: 'str', value, origin, fstring: known ? undefined : true, env };
    if (template !== value) out.template = template;
    return out;
  }

  private compare(scope: ScopeState, top: TopStmt, e: Extract<PyExpr, { t: 'cmp' }>, origin: Origin): Value {
    // `'DYNO' in os.environ`: a variable the hosting platform sets on every instance it runs is
    // set in production, a CI service's is not (python-getting-started's `IS_HEROKU_APP = "DYNO"
    // in os.environ and "CI" not in os.environ`). Not reads for .env.example: nobody sets them by hand.
    if (e.ops.length === 1 && (e.ops[0] === 'in' || e.ops[0] === 'not in') && e.items[0].t === 'str' && this.qualify(scope, e.items[1]) === 'os.environ') {
      const name = e.items[0].v;
      const set = PLATFORM_MARKERS.has(name) ? true : CI_MARKERS.has(name) ? false : undefined;
      if (set !== undefined) return { kind: 'bool', value: e.ops[0] === 'in' ? set : !set, origin };
    }
    // os.environ.get('X') / os.getenv('X') without a default are None when the variable is missing.
    const vals = e.items.map((i): Value => {
      const v = this.eval(scope, top, i);
      return isMissingOsGet(v) ? { kind: 'none', origin: v.origin, env: v.env } : v;
    });
    const env = vals.find((v) => v.env)?.env;
    let result = true;
    for (let i = 0; i < e.ops.length; i++) {
      const a = vals[i];
      const b = vals[i + 1];
      if (!a || !b) return { kind: 'unknown', reason: 'compare', origin, env };
      const r = compareValues(e.ops[i], a, b);
      if (r === undefined) return { kind: 'unknown', reason: 'compare', origin, env };
      result = result && r;
    }
    return { kind: 'bool', value: result, origin, env };
  }

  binop(op: string, l: Value, r: Value, origin: Origin, inPlace: boolean): Value {
    const env = l.env ?? r.env;
    if (l.kind === 'num' && r.kind === 'num') {
      const a = l.value;
      const b = r.value;
      let v: number | undefined;
      switch (op) {
        case '+': v = a + b; break;
        case '-': v = a - b; break;
        case '*': v = a * b; break;
        case '/': v = b === 0 ? undefined : a / b; break;
        case '//': v = b === 0 ? undefined : Math.floor(a / b); break;
        case '%': v = b === 0 ? undefined : a % b; break;
        case '**': v = Math.abs(b) > 64 ? undefined : a ** b; break;
        default: v = undefined;
      }
      return v === undefined || !Number.isFinite(v) ? { kind: 'unknown', reason: 'arithmetic', origin, env } : { kind: 'num', value: v, origin, env };
    }
    if (l.kind === 'timedelta' && r.kind === 'num' && (op === '*' || op === '/')) {
      return { kind: 'timedelta', seconds: op === '*' ? l.seconds * r.value : l.seconds / r.value, origin, env };
    }
    if (l.kind === 'num' && r.kind === 'timedelta' && op === '*') return { kind: 'timedelta', seconds: l.value * r.seconds, origin, env };
    if (l.kind === 'timedelta' && r.kind === 'timedelta' && (op === '+' || op === '-')) {
      return { kind: 'timedelta', seconds: op === '+' ? l.seconds + r.seconds : l.seconds - r.seconds, origin, env };
    }
    if (l.kind === 'str' && r.kind === 'str' && op === '+') return { kind: 'str', value: l.value + r.value, origin, env, fstring: l.fstring || r.fstring };
    if (l.kind === 'path' && op === '/') return { kind: 'path', display: `${l.display} / …`, origin, env };
    if ((l.kind === 'list' || l.kind === 'tuple') && (r.kind === 'list' || r.kind === 'tuple' || (inPlace && r.kind === 'set')) && op === '+') {
      return { kind: l.kind, items: [...l.items, ...r.items], origin: inPlace ? l.origin : origin, env };
    }
    if (l.kind === 'dict' && r.kind === 'dict' && op === '|') return { kind: 'dict', entries: mergeEntries(l.entries, r.entries), origin: inPlace ? l.origin : origin, env };
    if (l.kind === 'set' && r.kind === 'set' && op === '|') return { kind: 'set', items: [...l.items, ...r.items], origin, env };
    return { kind: 'unknown', reason: `operator ${op}`, origin, env };
  }

  private evalCall(scope: ScopeState, top: TopStmt, e: Call, origin: Origin): Value {
    const q = this.qualify(scope, e.fn) ?? '';
    const arg = (i: number) => (e.args[i] ? this.eval(scope, top, e.args[i]) : undefined);
    const kw = (name: string) => {
      const x = kwarg(e, name);
      return x ? this.eval(scope, top, x) : undefined;
    };
    const kwOrigin = (name: string): Origin | undefined => {
      const x = kwarg(e, name);
      return x ? { module: scope.module, top, node: x } : undefined;
    };
    const argOrigin = (i: number): Origin | undefined => (e.args[i] ? { module: scope.module, top, node: e.args[i] } : undefined);

    // ---- environment lookups
    if (q === 'os.environ.get' || q === 'os.getenv') {
      const name = arg(0);
      const def = e.args[1] ? arg(1) : kw('default');
      return this.envValue(scope, origin, 'os', name?.kind === 'str' ? name.value : undefined, def, e.args[1] ? argOrigin(1) : kwOrigin('default'));
    }
    if (q === 'decouple.config' || q.endsWith('.decouple.config') || q === 'decouple.AutoConfig()') {
      const name = arg(0);
      const castExpr = kwarg(e, 'cast');
      const cast = castExpr ? this.castName(scope, castExpr) : undefined;
      let def = kw('default');
      const defOrigin = kwOrigin('default');
      if (def) def = applyCast(def, cast);
      return this.envValue(scope, origin, 'decouple', name?.kind === 'str' ? name.value : undefined, def, defOrigin, cast);
    }
    if (q.startsWith('environ.Env()')) {
      const method = environMethod(q);
      if (method === 'read_env') return { kind: 'unknown', reason: 'read_env', callee: 'environ.Env.read_env', origin };
      if (ENVIRON_CASTS.has(method) || q === 'environ.Env()') {
        const name = arg(0);
        // env.db() reads DATABASE_URL (and its Env scheme entry) when no variable is named
        const varName = name?.kind === 'str' ? name.value : !e.args[0] && (method === 'db' || method === 'db_url') ? 'DATABASE_URL' : undefined;
        const schemeOwner = e.fn.t === 'attr' ? e.fn.obj : e.fn;
        const scheme = schemeOwner.t === 'name' && varName ? scope.envSchemes.get(schemeOwner.id)?.get(varName) : undefined;
        let def = kw('default') ?? (e.args[1] && method !== 'db' && method !== 'db_url' ? arg(1) : undefined);
        let defOrigin = kwOrigin('default') ?? (e.args[1] ? argOrigin(1) : undefined);
        if (!def && scheme?.default) {
          def = scheme.default;
          defOrigin = scheme.default.origin;
        }
        const cast = method === 'str' && q === 'environ.Env()' ? scheme?.cast ?? this.castFromKw(scope, e) : method;
        if (def) def = applyCast(def, cast);
        if ((method === 'db' || method === 'db_url') && def?.kind === 'str') def = parseDatabaseUrl(def);
        return this.envValue(scope, origin, 'environ', varName ?? (method === 'db' || method === 'db_url' ? 'DATABASE_URL' : undefined), def, defOrigin, cast);
      }
      return { kind: 'unknown', reason: q, callee: q, origin };
    }
    if (q === 'dj_database_url.config' || q === 'dj_database_url.parse') {
      let url: Value | undefined;
      let defOrigin: Origin | undefined;
      let env: EnvInfo | undefined;
      if (q === 'dj_database_url.config') {
        const envName = kw('env');
        url = kw('default');
        defOrigin = kwOrigin('default');
        env = { variable: envName?.kind === 'str' ? envName.value : 'DATABASE_URL', source: 'dj_database_url', hasDefault: !!url, defaultOrigin: defOrigin, lookupOrigin: origin };
        scope.envReadList.push({ info: env, module: scope.module });
      } else {
        url = arg(0);
        env = url?.env;
      }
      const db: Value = url && url.kind === 'str' ? parseDatabaseUrl(url) : { kind: 'dict', entries: [], origin };
      if (db.kind !== 'dict') return { kind: 'unknown', reason: 'database url', origin, env };
      const entries = [...db.entries];
      const cma = kw('conn_max_age');
      if (cma) entries.push({ key: { kind: 'str', value: 'CONN_MAX_AGE', origin }, value: cma, origin: kwOrigin('conn_max_age') ?? origin });
      const hc = kw('conn_health_checks');
      if (hc) entries.push({ key: { kind: 'str', value: 'CONN_HEALTH_CHECKS', origin }, value: hc, origin: kwOrigin('conn_health_checks') ?? origin });
      const ssl = kw('ssl_require');
      if (ssl && isTruthy(ssl)) {
        entries.push({ key: { kind: 'str', value: 'OPTIONS', origin }, value: { kind: 'dict', entries: [{ key: { kind: 'str', value: 'sslmode', origin }, value: { kind: 'str', value: 'require', origin: ssl.origin }, origin: ssl.origin }], origin: ssl.origin }, origin: ssl.origin });
      }
      return { kind: 'dict', entries, origin, env: url && url.kind === 'str' ? env : env ? { ...env } : undefined };
    }
    if (q === 'environ.Env' || q === 'environ.FileAwareEnv' || q === 'environs.Env' || q === 'environs.FileAwareEnv') return { kind: 'unknown', reason: 'environ.Env', callee: 'environ.Env', origin };
    if (q === 'split_settings.tools.optional') {
      const a0 = arg(0);
      return a0?.kind === 'str' ? { ...a0, origin, optional: true } : { kind: 'unknown', reason: 'optional', origin };
    }

    // ---- durations and paths
    if (q === 'datetime.timedelta' || q === 'timedelta') {
      const units: Record<string, number> = { weeks: 604800, days: 86400, hours: 3600, minutes: 60, seconds: 1, milliseconds: 0.001, microseconds: 0.000001 };
      let seconds = 0;
      let env: EnvInfo | undefined;
      const positional = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'];
      for (let i = 0; i < e.args.length; i++) {
        const v = arg(i);
        if (!v || v.kind !== 'num') return { kind: 'unknown', reason: 'timedelta', origin, env: v?.env };
        env = env ?? v.env;
        seconds += v.value * units[positional[i] ?? 'seconds'];
      }
      for (const k of e.kw) {
        if (!k.name || !(k.name in units)) continue;
        const v = this.eval(scope, top, k.value);
        if (v.kind !== 'num') return { kind: 'unknown', reason: 'timedelta', origin, env: v.env };
        env = env ?? v.env;
        seconds += v.value * units[k.name];
      }
      return { kind: 'timedelta', seconds, origin, env };
    }
    if (q === 'pathlib.Path' || q === 'Path' || q === 'os.path.join' || q === 'os.path.dirname' || q === 'os.path.abspath' || q.endsWith('.resolve') || q === 'os.path.realpath') {
      return { kind: 'path', display: q, origin };
    }
    // ---- builtins and methods on known values
    if (e.fn.t === 'attr') {
      const obj = this.eval(scope, top, e.fn.obj);
      if (obj.kind === 'path') return { kind: 'path', display: `${obj.display}.${e.fn.name}()`, origin };
      if (obj.kind === 'str') {
        const m = e.fn.name;
        const a0 = arg(0);
        switch (m) {
          case 'lower': return { kind: 'str', value: obj.value.toLowerCase(), origin, env: obj.env };
          case 'upper': return { kind: 'str', value: obj.value.toUpperCase(), origin, env: obj.env };
          case 'strip': return { kind: 'str', value: obj.value.trim(), origin, env: obj.env };
          case 'split': {
            const sep = a0?.kind === 'str' ? a0.value : undefined;
            const parts = sep === undefined ? obj.value.split(/\s+/).filter((x) => x) : obj.value.split(sep);
            return { kind: 'list', items: parts.map((p) => ({ kind: 'str', value: p, origin: obj.origin, env: obj.env }) as Value), origin, env: obj.env };
          }
          case 'format': return { kind: 'str', value: obj.value, origin, env: obj.env, fstring: true };
          case 'join': return { kind: 'unknown', reason: 'join', origin, env: a0?.env };
          default: return { kind: 'unknown', reason: `str.${m}`, origin, env: obj.env };
        }
      }
      if (obj.env) return { kind: 'unknown', reason: 'method', origin, env: obj.env };
    }
    if (e.fn.t === 'name') {
      const fnBinding = scope.names.get(e.fn.id);
      if (fnBinding && fnBinding.stmt.node.t === 'def') {
        const v = fnBinding.stmt.node.kind === 'class' ? this.pydanticInstance(origin, fnBinding) : this.callFunction(scope, top, e, origin, fnBinding);
        if (v) return v;
      }
    }
    if (e.fn.t === 'name' && !scope.names.has(e.fn.id)) {
      const a0 = arg(0);
      switch (e.fn.id) {
        case 'bool': return a0 ? (isTruthy(a0) === undefined ? { kind: 'unknown', reason: 'bool', origin, env: a0.env } : { kind: 'bool', value: !!isTruthy(a0), origin, env: a0.env }) : { kind: 'bool', value: false, origin };
        case 'int': case 'float': {
          if (a0?.kind === 'num') return { ...a0, value: e.fn.id === 'int' ? Math.trunc(a0.value) : a0.value, origin };
          if (a0?.kind === 'bool') return { kind: 'num', value: a0.value ? 1 : 0, origin, env: a0.env };
          if (a0?.kind === 'str' && a0.value.trim() !== '' && !Number.isNaN(Number(a0.value))) return { kind: 'num', value: Number(a0.value), origin, env: a0.env };
          return { kind: 'unknown', reason: e.fn.id, origin, env: a0?.env };
        }
        case 'getattr': {
          // getattr(configuration, 'NAME', default) on an object the analysis cannot see (netbox's
          // configuration module, loaded at run time from a file the operator writes): a lookup
          // of NAME whose production value is the default. Not an environment variable: no read
          // is recorded (.env.example is not asked to list it).
          const a1 = arg(1);
          if (e.args.length !== 3 || e.kw.length > 0 || !a0 || a0.kind !== 'unknown' || a0.members || a0.env || a1?.kind !== 'str') break;
          const defaultOrigin: Origin = { module: scope.module, top, node: e.args[2] };
          const def = this.eval(scope, top, e.args[2]);
          const info: EnvInfo = { variable: a1.value, source: 'config', hasDefault: def.kind !== 'unknown', defaultOrigin, lookupOrigin: origin };
          if (def.kind === 'unknown' || def.env) return { kind: 'unknown', reason: 'getattr', origin, env: info };
          return { ...def, env: info } as Value;
        }
        case 'str': return a0?.kind === 'str' ? { ...a0, origin } : a0?.kind === 'num' ? { kind: 'str', value: String(a0.value), origin, env: a0.env } : { kind: 'unknown', reason: 'str', origin, env: a0?.env };
        case 'list': case 'tuple': case 'set':
          if (!a0) return { kind: e.fn.id, items: [], origin };
          if (a0.kind === 'list' || a0.kind === 'tuple' || a0.kind === 'set') return { kind: e.fn.id, items: a0.items, origin, env: a0.env };
          return { kind: 'unknown', reason: e.fn.id, origin, env: a0.env };
        case 'dict': {
          const entries: DictEntry[] = [];
          for (const k of e.kw) if (k.name) entries.push({ key: { kind: 'str', value: k.name, origin }, value: this.eval(scope, top, k.value), origin: { module: scope.module, top, node: k.value } });
          return { kind: 'dict', entries, origin };
        }
        default: break;
      }
    }
    // Evaluate arguments anyway so that environment reads inside unknown calls are recorded.
    let env: EnvInfo | undefined;
    for (let i = 0; i < e.args.length; i++) env = env ?? arg(i)?.env;
    for (const k of e.kw) env = env ?? this.eval(scope, top, k.value).env;
    return { kind: 'unknown', reason: `call ${q || dottedName(e.fn) || ''}`, callee: q || undefined, origin, env };
  }

  private castName(scope: ScopeState, castExpr: PyExpr): string | undefined {
    if (castExpr.t === 'name') return scope.aliases.get(castExpr.id)?.split('.').pop() ?? castExpr.id;
    if (castExpr.t === 'call') {
      const q = this.qualify(scope, castExpr.fn);
      if (q?.endsWith('Csv')) return 'list';
      return q?.split('.').pop();
    }
    const q = this.qualify(scope, castExpr);
    return q?.split('.').pop();
  }

  private castFromKw(scope: ScopeState, e: Call): string | undefined {
    const c = kwarg(e, 'cast');
    return c ? this.castName(scope, c) : undefined;
  }

  private envValue(scope: ScopeState, origin: Origin, source: EnvSource, variable: string | undefined, def: Value | undefined, defaultOrigin: Origin | undefined, cast?: string): Value {
    const info: EnvInfo = { variable, source, hasDefault: def !== undefined && def.kind !== 'unknown', defaultOrigin, lookupOrigin: origin, cast };
    scope.envReadList.push({ info, module: scope.module });
    if (def && def.kind !== 'unknown') {
      const castValue = cast && source === 'os' ? def : def;
      return { ...castValue, env: info } as Value;
    }
    return { kind: 'unknown', reason: 'environment variable without default', origin, env: info };
  }
}

/**
 * Variables a hosting platform sets on every instance of the deployed app (never in development):
 * Heroku's DYNO, Render's RENDER, Fly's FLY_APP_NAME, Railway, Cloud Run's K_SERVICE, App Engine,
 * Azure App Service, Platform.sh.
 */
const PLATFORM_MARKERS = new Set(['DYNO', 'RENDER', 'FLY_APP_NAME', 'RAILWAY_ENVIRONMENT', 'K_SERVICE', 'GAE_APPLICATION', 'GAE_ENV', 'WEBSITE_HOSTNAME', 'PLATFORM_APPLICATION']);

/** Variables CI services set (never in production). */
const CI_MARKERS = new Set(['CI', 'GITHUB_ACTIONS', 'GITLAB_CI', 'TRAVIS', 'CIRCLECI', 'BUILDKITE', 'JENKINS_URL']);

const LIBRARIES = new Set([
  'os', 'sys', 'decouple', 'environ', 'dj_database_url', 'datetime', 'pathlib', 'django', 'rest_framework', 'corsheaders', 'sentry_sdk', 'dotenv',
  'logging', 'json', 're', 'typing', 'socket', 'urllib', 'ast', 'split_settings', 'environs', 'django_heroku', 'pydantic', 'pydantic_settings',
]);

/** Placeholder of an f-string part whose value is unknown (ir.ts writes it for every interpolation). */
const UNKNOWN_PART = '{…}';

function isLibrary(module: string): boolean {
  const root = module.split('.')[0];
  return LIBRARIES.has(root);
}

function mergeEntries(base: DictEntry[], extra: DictEntry[]): DictEntry[] {
  const out = [...base];
  for (const en of extra) {
    const k = keyName(en.key);
    const i = k === undefined ? -1 : out.findIndex((x) => keyName(x.key) === k);
    if (i >= 0) out[i] = en;
    else out.push(en);
  }
  return out;
}

/** `os.environ.get('X')` / `os.getenv('X')` with no default: None when the variable is missing. */
function isMissingOsGet(v: Value): boolean {
  return v.kind === 'unknown' && v.reason === 'environment variable without default' && !!v.env && v.env.source === 'os' && !v.env.hasDefault && v.env.lookupOrigin.node.t === 'call';
}

const TRUE_STRINGS = new Set(['true', 'yes', 'y', '1', 'on', 't']);

/** Applies a decouple/environ cast to a default value (a string default is cast like the variable). */
export function applyCast(def: Value, cast: string | undefined): Value {
  if (!cast) return def;
  if (cast === 'bool') {
    if (def.kind === 'str') return { kind: 'bool', value: TRUE_STRINGS.has(def.value.trim().toLowerCase()), origin: def.origin };
    if (def.kind === 'num') return { kind: 'bool', value: def.value !== 0, origin: def.origin };
    return def;
  }
  if (cast === 'int' || cast === 'float') {
    if (def.kind === 'str' && def.value.trim() !== '' && !Number.isNaN(Number(def.value))) return { kind: 'num', value: Number(def.value), origin: def.origin };
    return def;
  }
  if (cast === 'list' || cast === 'tuple' || cast === 'Csv') {
    if (def.kind === 'str') {
      const items = def.value === '' ? [] : def.value.split(',').map((p) => ({ kind: 'str', value: p.trim(), origin: def.origin }) as Value);
      return { kind: 'list', items, origin: def.origin };
    }
  }
  return def;
}

const ENGINES: Record<string, string> = {
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  psql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  mysql: 'django.db.backends.mysql',
  mysql2: 'django.db.backends.mysql',
  mariadb: 'django.db.backends.mysql',
  sqlite: 'django.db.backends.sqlite3',
  spatialite: 'django.contrib.gis.db.backends.spatialite',
  oracle: 'django.db.backends.oracle',
};

/** A database URL as dj-database-url / django-environ would turn it into a DATABASES entry. */
export function parseDatabaseUrl(url: Extract<Value, { kind: 'str' }>): Value {
  const o = url.origin;
  const m = /^([a-z0-9+.-]+):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/:?]*)(?::(\d+))?(?:\/([^?]*))?(?:\?([^#]*))?/i.exec(url.value);
  if (!m) return { kind: 'unknown', reason: 'database url', origin: o, env: url.env };
  const scheme = m[1].toLowerCase().split('+')[0];
  const s = (v: string): Value => ({ kind: 'str', value: decodeURIComponent(v), origin: o });
  const entries: DictEntry[] = [];
  const add = (k: string, v: string | undefined) => {
    if (v !== undefined) entries.push({ key: { kind: 'str', value: k, origin: o }, value: s(v), origin: o });
  };
  add('ENGINE', ENGINES[scheme] ?? scheme);
  add('NAME', scheme === 'sqlite' ? (m[6] ?? ':memory:') : m[6]);
  add('USER', m[2]);
  add('PASSWORD', m[3]);
  add('HOST', m[4] || undefined);
  add('PORT', m[5]);
  // query parameters (`?sslmode=require`) become OPTIONS, as dj-database-url and django-environ do
  const options: DictEntry[] = [];
  for (const pair of (m[7] ?? '').split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const dec = (x: string): string => {
      try {
        return decodeURIComponent(x.replace(/\+/g, ' '));
      } catch {
        return x;
      }
    };
    const v = dec(pair.slice(eq + 1));
    const value: Value = /^\d+$/.test(v) ? { kind: 'num', value: Number(v), origin: o } : { kind: 'str', value: v, origin: o };
    options.push({ key: { kind: 'str', value: dec(pair.slice(0, eq)), origin: o }, value, origin: o });
  }
  if (options.length) entries.push({ key: s('OPTIONS'), value: { kind: 'dict', entries: options, origin: o }, origin: o });
  return { kind: 'dict', entries, origin: o, env: url.env };
}

function compareValues(op: string, a: Value, b: Value): boolean | undefined {
  const prim = (v: Value): string | number | boolean | null | undefined => {
    switch (v.kind) {
      case 'str': case 'num': case 'bool': return v.value;
      case 'none': return null;
      default: return undefined;
    }
  };
  if (op === 'in' || op === 'not in') {
    const x = prim(a);
    if (x === undefined) return undefined;
    let r: boolean | undefined;
    if (b.kind === 'list' || b.kind === 'tuple' || b.kind === 'set') {
      const ps = b.items.map(prim);
      if (ps.some((p) => p === undefined)) return undefined;
      r = ps.includes(x);
    } else if (b.kind === 'str' && typeof x === 'string') r = b.value.includes(x);
    else if (b.kind === 'dict') r = b.entries.some((en) => prim(en.key) === x);
    if (r === undefined) return undefined;
    return op === 'in' ? r : !r;
  }
  const x = prim(a);
  const y = prim(b);
  if (x === undefined || y === undefined) return undefined;
  const nx = typeof x === 'boolean' ? Number(x) : x;
  const ny = typeof y === 'boolean' ? Number(y) : y;
  switch (op) {
    case '==': return nx === ny;
    case '!=': return nx !== ny;
    case 'is': return x === y;
    case 'is not': return x !== y;
    case '<': return nx !== null && ny !== null ? nx < ny : undefined;
    case '<=': return nx !== null && ny !== null ? nx <= ny : undefined;
    case '>': return nx !== null && ny !== null ? nx > ny : undefined;
    case '>=': return nx !== null && ny !== null ? nx >= ny : undefined;
    default: return undefined;
  }
}

/** A deferred evaluation, kept only for the environment variables it may read. */
export interface PendingEval {
  e: PyExpr;
  run(): unknown;
}

/** Leftmost names of the calls and subscripts of an expression (`os` for `os.environ.get(...)`). */
const rootsCache = new WeakMap<PyExpr, string[]>();

function lookupRoots(e: PyExpr): string[] {
  let r = rootsCache.get(e);
  if (!r) {
    const out = new Set<string>();
    collectRoots(e, out, 0);
    r = [...out];
    rootsCache.set(e, r);
  }
  return r;
}

function rootName(e: PyExpr): string | undefined {
  let cur: PyExpr = e;
  for (let i = 0; i < 50; i++) {
    if (cur.t === 'name') return cur.id;
    if (cur.t === 'attr' || cur.t === 'sub') cur = cur.obj;
    else if (cur.t === 'call') cur = cur.fn;
    else return undefined;
  }
  return undefined;
}

function collectRoots(e: PyExpr, out: Set<string>, depth: number): void {
  if (depth > 200) return;
  switch (e.t) {
    case 'call': {
      const r = rootName(e.fn);
      if (r) out.add(r);
      collectRoots(e.fn, out, depth + 1);
      for (const a of e.args) collectRoots(a, out, depth + 1);
      for (const k of e.kw) collectRoots(k.value, out, depth + 1);
      return;
    }
    case 'sub': {
      const r = rootName(e.obj);
      if (r) out.add(r);
      collectRoots(e.obj, out, depth + 1);
      collectRoots(e.index, out, depth + 1);
      return;
    }
    case 'attr':
      collectRoots(e.obj, out, depth + 1);
      return;
    case 'str':
      for (const p of e.parts ?? []) collectRoots(p, out, depth + 1);
      return;
    case 'list':
    case 'tuple':
    case 'set':
      for (const i of e.items) collectRoots(i, out, depth + 1);
      return;
    case 'dict':
      for (const en of e.entries) {
        if (en.k) collectRoots(en.k, out, depth + 1);
        collectRoots(en.v, out, depth + 1);
      }
      return;
    case 'bin':
    case 'boolop':
      collectRoots(e.l, out, depth + 1);
      collectRoots(e.r, out, depth + 1);
      return;
    case 'unary':
    case 'not':
    case 'splat':
      collectRoots(e.x, out, depth + 1);
      return;
    case 'cmp':
      for (const i of e.items) collectRoots(i, out, depth + 1);
      return;
    case 'cond':
      collectRoots(e.body, out, depth + 1);
      collectRoots(e.test, out, depth + 1);
      collectRoots(e.orelse, out, depth + 1);
      return;
    default:
      return;
  }
}

const ENV_MODULES = /^(os|environ|decouple|dj_database_url|dotenv)(\.|$)/;

/**
 * Could evaluating `e` read an environment variable? Only calls and subscripts on `os`,
 * `environ`, `decouple`, `dj_database_url` (through import aliases), on an `environ.Env`
 * instance, or on a module-level name bound to a call (`config = AutoConfig(...)`) can:
 * everything else (literals, `timedelta(...)`, `Path(...)`, `BASE_DIR / 'x'`) is skipped
 * without being evaluated.
 */
function mayReadEnv(scope: ScopeState, e: PyExpr): boolean {
  for (const r of lookupRoots(e)) {
    if (scope.envSchemes.has(r)) return true;
    const alias = scope.aliases.get(r);
    if (ENV_MODULES.test(alias ?? r)) return true;
    if (alias) continue;
    const b = scope.names.get(r);
    if (b && b.stmt.node.t === 'assign' && b.stmt.node.value.t === 'call') return true;
  }
  return false;
}

function forceAll(scope: ScopeState, seen: Set<ScopeState>): void {
  if (seen.has(scope)) return;
  seen.add(scope);
  // pending may grow while forcing (a forced value can record more work): index loop
  for (let i = 0; i < scope.pending.length; i++) {
    const p = scope.pending[i];
    if (mayReadEnv(scope, p.e)) p.run();
  }
  scope.pending.length = 0;
  for (const o of scope.imported) forceAll(o, seen);
}

function collectEnvReads(scope: ScopeState, out: EnvRead[], seen: Set<ScopeState>): void {
  if (seen.has(scope)) return;
  seen.add(scope);
  for (const o of scope.imported) collectEnvReads(o, out, seen);
  out.push(...scope.envReadList);
}

/** A pydantic-settings class: its env_prefix and fields (default expressions, in their class's module). */
interface PydanticSpec {
  prefix: string;
  fields: Map<string, { name: string; defExpr?: PyExpr; alias?: string; at: Origin; top: TopStmt; frame: ScopeState }>;
}

/** How a function body ended: a value returned, an exception, fell through a block, or undecidable. */
type Outcome = { kind: 'return'; value: Value } | { kind: 'raise' } | { kind: 'next' } | { kind: 'unknown' };
const UNDECIDED: Outcome = { kind: 'unknown' };
/** Helper calls inlined inside each other before giving up. */
const MAX_CALL_DEPTH = 4;

/** The definition at [s, e) of a statement IR built with bodies (a def nested in if/try at top level). */
function findDef(st: PyStmt, s: number, e: number): PyStmt | undefined {
  if (st.s === s && st.e === e) return st;
  const inner: PyStmt[] = st.t === 'if' ? st.branches.flatMap((b) => b.body) : st.t === 'try' ? [...st.body, ...st.handlers.flat(), ...st.orelse, ...st.final] : st.t === 'block' ? st.body : [];
  for (const x of inner) {
    if (x.s <= s && x.e >= e) {
      const f = findDef(x, s, e);
      if (f) return f;
    }
  }
  return undefined;
}

/** A function's locals over its module's globals (only get/has are used by the evaluator). */
class LayeredNames extends Map<string, Binding> {
  constructor(
    private readonly locals: Map<string, Binding>,
    private readonly globals: Map<string, Binding>,
  ) {
    super();
  }
  override get(k: string): Binding | undefined {
    return this.locals.get(k) ?? this.globals.get(k);
  }
  override has(k: string): boolean {
    return this.locals.has(k) || this.globals.has(k);
  }
  setLocal(k: string, b: Binding): void {
    this.locals.set(k, b);
  }
}

/** The scope a function body runs in: its names, its module's imports, env reads collected apart. */
function frameView(globals: ScopeState, names: Map<string, Binding>, reads: EnvRead[]): ScopeState {
  return viewOf(globals, names, globals.module, reads, []);
}

/** A scope with other names (same shape for every view, so property access stays fast). */
function viewOf(scope: ScopeState, names: Map<string, Binding>, module: PyModule = scope.module, envReadList = scope.envReadList, pending = scope.pending): ScopeState {
  return {
    module,
    names,
    aliases: scope.aliases,
    envSchemes: scope.envSchemes,
    calls: scope.calls,
    starImports: scope.starImports,
    includes: scope.includes,
    includedPaths: scope.includedPaths,
    unresolvedImports: scope.unresolvedImports,
    envHelpers: scope.envHelpers,
    envReadList,
    pending,
    imported: scope.imported,
    envReads: envReadList,
  };
}

/** Whether a function's source reads the environment (per def node: its text does not change). */
const readsEnvCache = new WeakMap<object, boolean>();
const READS_ENV = /\b(?:environ|getenv)\b|\b(?:config|env)\s*[.(]/;

function readsEnvironment(def: Origin): boolean {
  let r = readsEnvCache.get(def.node);
  if (r === undefined) {
    r = READS_ENV.test(originText(def));
    readsEnvCache.set(def.node, r);
  }
  return r;
}

/** The namespace of `scope`, seen from a file include() runs in it (statements there are that file's). */
function includeView(scope: ScopeState, module: PyModule): ScopeState {
  return viewOf(scope, scope.names, module);
}

/** An environment lookup found in the source: its variable name (a string literal) and where. */
export interface EnvLookupSite {
  variable: string;
  module: PyModule;
  top: TopStmt;
  node: PyExpr;
}

const siteCache = new WeakMap<PyStmt, { sig: string; sites: { variable: string; node: PyExpr }[] }>();

/** The import aliases and environ.Env instances a module's lookups are resolved with. */
function lookupSignature(scope: ModuleScope): string {
  let sig = '';
  for (const [k, v] of scope.aliases) sig += `${k}=${v};`;
  for (const k of scope.envSchemes.keys()) sig += `${k}:Env;`;
  for (const k of scope.envHelpers) sig += `${k}:helper;`;
  return sig;
}

/**
 * The qualified name of a callee through the import aliases (`config` -> `decouple.config`), with
 * environ.Env instances as `environ.Env()`. `viaBindings`: a name whose binding's value came from
 * `environ.Env(...)` is one too (this reads, so evaluates, that binding).
 */
function qualifyExpr(scope: ModuleScope, e: PyExpr, viaBindings = false, depth = 0): string | undefined {
  if (depth > 50) return undefined;
  if (e.t === 'name') {
    if (scope.envSchemes.has(e.id)) return 'environ.Env()';
    if (viaBindings) {
      const b = scope.names.get(e.id);
      if (b && b.value.kind === 'unknown' && b.value.callee === 'environ.Env') return 'environ.Env()';
    }
    const alias = scope.aliases.get(e.id);
    // environs' ready-made instance (`from environs import env`)
    if (alias === 'environs.env') return 'environ.Env()';
    return alias ?? e.id;
  }
  if (e.t === 'attr') {
    const o = qualifyExpr(scope, e.obj, viaBindings, depth + 1);
    return o === undefined ? undefined : `${o}.${e.name}`;
  }
  if (e.t === 'call') {
    const q = qualifyExpr(scope, e.fn, viaBindings, depth + 1);
    if (q === 'environ.Env' || q === 'environ.FileAwareEnv' || q === 'environs.Env' || q === 'environs.FileAwareEnv') return 'environ.Env()';
  }
  return undefined;
}

function literalName(e: PyExpr | undefined): string | undefined {
  return e && e.t === 'str' && !e.fstring && !e.bytes ? e.v : undefined;
}

function scanLookups(scope: ModuleScope, node: unknown, out: { variable: string; node: PyExpr }[], depth: number): void {
  if (depth > 200 || !node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) scanLookups(scope, x, out, depth + 1);
    return;
  }
  const e = node as PyExpr;
  if (e.t === 'call') {
    const q = qualifyExpr(scope, e.fn) ?? '';
    let variable: string | undefined;
    if (q === 'os.environ.get' || q === 'os.getenv' || q === 'decouple.config' || q.endsWith('.decouple.config')) variable = literalName(e.args[0]);
    else if (q.startsWith('environ.Env()')) {
      const method = environMethod(q);
      if (q === 'environ.Env()' || ENVIRON_CASTS.has(method)) variable = literalName(e.args[0]) ?? (!e.args[0] && (method === 'db' || method === 'db_url') ? 'DATABASE_URL' : undefined);
    } else if (q === 'dj_database_url.config') {
      const envKw = e.kw.find((k) => k.name === 'env');
      variable = envKw ? literalName(envKw.value) : 'DATABASE_URL';
    } else if (e.fn.t === 'name' && scope.envHelpers.has(e.fn.id)) {
      // a project helper wrapping a lookup: `envbool('DEBUG', 'False')` reads DEBUG
      const name = literalName(e.args[0]);
      if (name && /^[A-Z_][A-Z0-9_]*$/.test(name)) variable = name;
    }
    if (variable) out.push({ variable, node: e });
  } else if (e.t === 'sub' && qualifyExpr(scope, e.obj) === 'os.environ') {
    const variable = literalName(e.index);
    if (variable) out.push({ variable, node: e });
  }
  for (const key in e) {
    if (key === 's' || key === 'e' || key === 't') continue;
    const v = (e as unknown as Record<string, unknown>)[key];
    if (v && typeof v === 'object') scanLookups(scope, v, out, depth + 1);
  }
}

/**
 * The environment variables a module's source reads, in source order, found syntactically (a
 * lookup through `os.environ`, python-decouple, django-environ or dj_database_url whose variable
 * is a string literal), including lookups under `if`/`try`. Nothing is evaluated, and statements
 * unchanged since the last call are not scanned again.
 */
export function envLookupSites(scope: ModuleScope): EnvLookupSite[] {
  const sig = lookupSignature(scope);
  const out: EnvLookupSite[] = [];
  for (const top of scope.module.stmts) {
    let c = siteCache.get(top.ir);
    if (!c || c.sig !== sig) {
      const sites: { variable: string; node: PyExpr }[] = [];
      scanLookups(scope, top.ir, sites, 0);
      c = { sig, sites };
      siteCache.set(top.ir, c);
    }
    for (const s of c.sites) out.push({ variable: s.variable, module: scope.module, top, node: s.node });
  }
  return out;
}
