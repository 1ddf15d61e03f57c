/**
 * Small helpers shared by rules (kept here so each rule file stays one rule).
 */
import type { PyExpr } from './ir';
import { ParseCache, type PyModule } from './parser';
import { settingsEvaluator } from './settingsLoader';
import type { EnvInfo, Origin, Value } from './values';
import { originOffsets, originText } from './values';
import { maskUrlPassword } from './mask';
import type { SettingsContext, Where } from './rule';
import type { Edit, FixSpec } from './types';
import type { Binding } from './evaluator';
import type { ModuleEditor } from './edits';
import { isSequence, stringItems } from './values';

/** The source text a literal of the same kind as `like` would need to hold `value`. */
export function literalLike(ctx: SettingsContext, like: Origin, value: boolean | number | string): string {
  const text = originText(like).trim();
  const ed = ctx.editorFor(like.module);
  const quote = /^[rRbBuU]*(['"])/.exec(text)?.[1] as "'" | '"' | undefined;
  if (quote) {
    const s = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
    return `${quote}${s}${quote}`;
  }
  if (typeof value === 'boolean') return /^[01]$/.test(text) ? (value ? '1' : '0') : value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return ed.str(value);
}

/** Replaces an environment lookup's default with `value`, written like the current default. */
export function replaceEnvDefault(ctx: SettingsContext, env: EnvInfo, value: boolean | number | string): Edit[] {
  if (!env.defaultOrigin) return [];
  const o = env.defaultOrigin;
  const { start, end } = originOffsets(o);
  return [ctx.editorFor(o.module).replace(start, end, literalLike(ctx, o, value))];
}

/** Removes the default argument of an environment lookup call (`default=...` or 2nd positional). */
export function dropEnvDefault(ctx: SettingsContext, env: EnvInfo): Edit[] {
  // a project helper's parameter may be required: dropping the argument could break the call;
  // a configuration attribute is not an environment variable (.env would not feed it)
  if (env.source === 'helper' || env.source === 'config') return [];
  const call = env.lookupOrigin.node;
  if (call.t === 'boolop' && env.defaultOrigin && call.r === env.defaultOrigin.node) return dropOrFallback(ctx, env.lookupOrigin, call);
  if (call.t !== 'call' || !env.defaultOrigin) return [];
  const mod = env.lookupOrigin.module;
  const top = env.lookupOrigin.top;
  const text = mod.text;
  const ed = ctx.editorFor(mod);
  const kw = call.kw.find((k) => k.value === env.defaultOrigin?.node);
  const pos = call.args.indexOf(env.defaultOrigin.node as never);
  const target = kw ? { s: kw.s, e: kw.e } : pos > 0 ? { s: call.args[pos].s, e: call.args[pos].e } : undefined;
  if (!target) return dropSchemeDefault(ctx, env.defaultOrigin);
  // remove ", <arg>" (the comma before it), or "<arg>, " when it is the first argument
  let s = top.start + target.s;
  let e = top.start + target.e;
  const before = text.slice(top.start + call.argsSpan.s, s);
  const comma = before.lastIndexOf(',');
  if (comma >= 0) s = top.start + call.argsSpan.s + comma;
  else e += /^\s*,\s*/.exec(text.slice(e, top.start + call.argsSpan.e))?.[0].length ?? 0;
  if (env.source === 'os' && call.fn.t === 'attr' && (call.fn.name === 'get' || call.fn.name === 'getenv')) {
    // os.environ.get('X', 'd') / os.getenv('X', 'd') -> os.environ['X']
    const nameArg = call.args[0];
    if (nameArg) return [ed.replace(top.start + call.s, top.start + call.e, `os.environ[${text.slice(top.start + nameArg.s, top.start + nameArg.e)}]`), ...ed.ensureImport('os', undefined, top)];
  }
  return [ed.replace(s, e, '')];
}

/** `os.environ.get('X') or 'fallback'` -> `os.environ['X']` (other shapes: no edit). */
function dropOrFallback(ctx: SettingsContext, at: Origin, expr: Extract<PyExpr, { t: 'boolop' }>): Edit[] {
  const l = expr.l;
  if (l.t !== 'call' || !l.args[0] || l.args.length > 2 || l.kw.length > 0) return [];
  const fn = l.fn.t === 'attr' ? l.fn.name : l.fn.t === 'name' ? l.fn.id : '';
  if (fn !== 'get' && fn !== 'getenv') return [];
  const ed = ctx.editorFor(at.module);
  const name = at.module.text.slice(at.top.start + l.args[0].s, at.top.start + l.args[0].e);
  return [ed.replaceNode(at.top, expr, `os.environ[${name}]`), ...ed.ensureImport('os', undefined, at.top)];
}

/** django-environ `Env(VAR=(cast, default))`: the scheme entry becomes `VAR=cast`. */
function dropSchemeDefault(ctx: SettingsContext, d: Origin): Edit[] {
  const visit = (x: unknown, depth: number): Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }> | undefined => {
    if (!x || typeof x !== 'object' || depth > 12) return undefined;
    const n = x as { t?: string; items?: unknown[] };
    if (n.t === 'tuple' && n.items && n.items.length === 2 && n.items[1] === d.node) return n as Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }>;
    for (const v of Object.values(x)) {
      const f = visit(v, depth + 1);
      if (f) return f;
    }
    return undefined;
  };
  const found = visit(d.top.ir, 0);
  if (!found) return [];
  const cast = found.items[0];
  const text = d.module.text.slice(d.top.start + cast.s, d.top.start + cast.e);
  return [ctx.editorFor(d.module).replaceNode(d.top, found, text)];
}

/**
 * Edits that set several keys of the dict setting `dictName` in one fix (each: a key path below
 * the dict, as for `ctx.setDictKeyEdits`, and the value's source). When the dict does not exist
 * it is created once with all of them. Keys whose edits would collide with earlier ones (an
 * empty one-line `{}` can only be rewritten once per pass) are left for the next fix-all pass.
 */
export function setDictKeysEdits(ctx: SettingsContext, dictName: string, entries: { keys: string[]; valueSrc: string }[]): Edit[] {
  if (entries.length === 0) return [];
  if (!ctx.setting(dictName)) {
    const ed = ctx.editor;
    type Tree = Map<string, Tree | string>;
    const tree: Tree = new Map();
    for (const { keys, valueSrc } of entries) {
      let node = tree;
      keys.forEach((k, i) => {
        if (i === keys.length - 1) node.set(k, valueSrc);
        else {
          const next = node.get(k);
          if (next instanceof Map) node = next;
          else node.set(k, (node = new Map()));
        }
      });
    }
    const render = (t: Tree, depth: number): string => {
      const inner = ed.indent.repeat(depth + 1);
      const items = [...t].map(([k, v]) => `${inner}${ed.str(k)}: ${typeof v === 'string' ? v : render(v, depth + 1)},${ed.eol}`);
      return `{${ed.eol}${items.join('')}${ed.indent.repeat(depth)}}`;
    };
    return [ed.insertStatement(`${dictName} = ${render(tree, 0)}`)];
  }
  const out: Edit[] = [];
  // overlapping replacements, or two different rewrites of the same span (insertions at one point are fine)
  const collides = (a: Edit, b: Edit): boolean => {
    if (a.file !== b.file) return false;
    if (a.start < b.end && b.start < a.end) return true;
    return a.start === b.start && a.end === b.end && a.start !== a.end && a.newText !== b.newText;
  };
  for (const { keys, valueSrc } of entries) {
    const edits = ctx.setDictKeyEdits(dictName, keys, valueSrc);
    if (edits.some((e) => out.some((o) => collides(e, o)))) continue;
    out.push(...edits);
  }
  return out;
}

/** Truthy production value of a setting (undefined when unknown). */
export function truthy(v: Value | undefined): boolean | undefined {
  if (!v) return undefined;
  switch (v.kind) {
    case 'bool': return v.value;
    case 'num': return v.value !== 0;
    case 'str': return v.value.length > 0;
    case 'none': return false;
    case 'list': case 'tuple': case 'set': return v.items.length > 0;
    case 'dict': return v.entries.length > 0;
    default: return undefined;
  }
}

/** True when `v` is a literal string that does not come from the environment. */
export function isHardcodedString(v: Value | undefined): v is Extract<Value, { kind: 'str' }> {
  return !!v && v.kind === 'str' && !v.env && !v.fstring && v.value.length > 0;
}

// ---------------------------------------------------------------- credentials (DJR103, DJR104)

/** Setting names and dict keys that hold a credential. SECRET_KEY itself is DJR101/DJR102's. */
const CREDENTIAL_SUFFIX = /_(PASSWORD|SECRET|SECRET_KEY|API_KEY|TOKEN)$/;
const CREDENTIAL_KEY = /^(PASSWORD|SECRET|SECRET_KEY|API_KEY|TOKEN)$/;
/** A URL/DSN with a password: scheme://user:password@host. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s]+)@/i;
/** Statements worth evaluating for credentials (a cheap filter on their text). */
const CREDENTIAL_HINT = /pass|secret|token|api_?key|signing_key|@/i;
const ALWAYS_WALKED = new Set(['DATABASES', 'CACHES', 'SIMPLE_JWT', 'CHANNEL_LAYERS']);

export interface CredentialValue {
  /** The setting path for messages: `DATABASES['default']['PASSWORD']`, `EMAIL_HOST_PASSWORD`. */
  label: string;
  /** The environment variable a fix reads instead (derived from the path: DATABASE_PASSWORD). */
  variable: string;
  /** The string holding the secret, and the expression that wrote it (what a fix replaces). */
  value: Extract<Value, { kind: 'str' }>;
  /** Set when the secret is the password of a URL/DSN: the URL with the password masked. */
  maskedUrl?: string;
  /** Where to report: `NAME = ...` for a setting, the `key: value` entry or the list item. */
  at: Where;
  /** The environment lookup whose default the value is (for URL-derived dicts: the dict's lookup). */
  env?: EnvInfo;
}

/** An action on a credential, not one: ACCOUNT_FORMS['reset_password'], URLS['change_password']. */
const CREDENTIAL_ACTION = /(?:^|_)(?:RESET|SET|CHANGE|FORGOT|FORGOTTEN|CONFIRM|VERIFY|VALIDATE|REQUIRE|OBTAIN|REVOKE|ROTATE)_(?:PASSWORD|SECRET|TOKEN)$/;

function credentialName(path: string[]): boolean {
  const last = path[path.length - 1].toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  if (CREDENTIAL_ACTION.test(last)) return false;
  if (path.length === 1) return CREDENTIAL_SUFFIX.test(last);
  if (path[0] === 'SIMPLE_JWT' && path.length === 2 && last === 'SIGNING_KEY') return true;
  return CREDENTIAL_KEY.test(last) || CREDENTIAL_SUFFIX.test(last);
}

/** DATABASES/default/PASSWORD -> DATABASE_PASSWORD; CACHES/default/OPTIONS/PASSWORD -> CACHE_PASSWORD. */
export function credentialVariable(path: string[]): string {
  const first: Record<string, string> = { DATABASES: 'DATABASE', CACHES: 'CACHE', SIMPLE_JWT: 'JWT' };
  const parts: string[] = [];
  path.forEach((p, i) => {
    if (/^\[\d+\]$/.test(p)) return;
    let s = p.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    if (i === 0) s = first[s] ?? s;
    else if (i < path.length - 1 && (s === 'DEFAULT' || s === 'OPTIONS' || s === 'CONFIG')) return;
    if (s) parts.push(s);
  });
  return parts.join('_') || 'SECRET';
}

function credentialLabel(path: string[]): string {
  return path[0] + path.slice(1).map((k) => (k.startsWith('[') ? k : `['${k}']`)).join('');
}

function usableSecret(s: string): boolean {
  return s.trim().length > 0 && !/^\$\{?\w+\}?$/.test(s.trim());
}

/** A dotted import path (`myapp.forms.ResetPasswordForm`, `pkg.auth.services.jwt_secret`): a reference to code. */
const IMPORT_PATH = /^[A-Za-z_]\w{0,63}(?:\.[A-Za-z_]\w{0,63})+$/;
/** A rate (`'1/m/user'`, `'100/day'`): django-ratelimit, DRF throttles. */
const RATE = /^\d+\s*\/\s*\d*[a-z]+(?:\s*\/\s*[\w.-]+)?$/i;
/** A regular expression (`'^[@.+-_]+$'`, `r'password=(?P<x>\w+)'`): anchored, with a class, escape or group. */
const REGEX_ANCHOR = /^\^|\$$/;
const REGEX_PART = /\\[dwsSWDbA]|\[[^\]]+\]|\(\?|\.[*+]/;

/**
 * Whether a string held by a credential-named setting can be a credential: not a reference to
 * code (an import path), a rate, a pattern, a path or a URL without a password, a word such as
 * 'true'/'none'. Those are what such names hold in real projects (`ACCOUNT_FORMS['reset_password']`
 * is a form class, `RATELIMITS['token']` a rate).
 */
export function canBeCredential(s: string): boolean {
  const v = s.trim();
  if (!usableSecret(v)) return false;
  if (v.startsWith('eyJ')) return true; // a JWT has dots too
  if (IMPORT_PATH.test(v) && (v.split('.').length >= 3 || /\.[A-Z][A-Za-z0-9]*$/.test(v))) return false;
  if (RATE.test(v) || (REGEX_ANCHOR.test(v) && REGEX_PART.test(v)) || /\(\?P</.test(v)) return false;
  if (/^\/[\w./{}<>:-]*$/.test(v)) return false;
  if (/^(?:[a-z][a-z0-9+.-]*:)?\/\/[^@\s]*$/i.test(v)) return false;
  if (/^(?:true|false|none|null|yes|no|on|off)$/i.test(v)) return false;
  // a namespaced key of words (`'sumo:wiki:full-rebuild'`: a cache or lock key named *_TOKEN);
  // `'user:password'` (one colon) stays a credential
  if (/^[a-z][a-z_-]*(?::[a-z][a-z_-]*){2,}$/.test(v)) return false;
  return true;
}

/**
 * Every credential held by the production settings as a string: credential-named settings and
 * dict keys (`*_PASSWORD`, `DATABASES[*]['PASSWORD']`, `SIMPLE_JWT['SIGNING_KEY']`...) and
 * URLs/DSNs with a password, anywhere in a setting. One entry per expression that wrote it.
 */
/** Per evaluated scope (one analysis run): DJR103 and DJR104 both read the list. */
const credentialCache = new WeakMap<object, CredentialValue[]>();
/** Whether a statement's text hints at a credential, per statement IR (shared while its text is unchanged). */
const hintCache = new WeakMap<object, boolean>();

function hintsCredential(o: Origin): boolean {
  let h = hintCache.get(o.node);
  if (h === undefined) {
    h = CREDENTIAL_HINT.test(originText(o));
    hintCache.set(o.node, h);
  }
  return h;
}

export function credentialValues(ctx: SettingsContext): CredentialValue[] {
  const cached = credentialCache.get(ctx.scope);
  if (cached) return cached;
  const out: CredentialValue[] = [];
  credentialCache.set(ctx.scope, out);
  const seen = new Set<string>();
  const secretKey = ctx.setting('SECRET_KEY');
  const keyOf = (o: Origin) => `${o.module.path}:${originOffsets(o).start}:${originOffsets(o).end}`;
  const skipKey = secretKey ? keyOf(secretKey.value.origin) : '';
  const add = (c: CredentialValue) => {
    const k = keyOf(c.value.origin);
    if (k === skipKey || seen.has(k)) return;
    seen.add(k);
    out.push(c);
  };
  const visit = (v: Value, path: string[], at: Where, inherited: EnvInfo | undefined, depth: number): void => {
    if (depth > 6) return;
    const env = v.env ?? inherited;
    if (v.kind === 'str') {
      if (v.fstring) return;
      // A field of a parsed database URL: the secret is the URL literal that wrote it.
      const node = v.origin.node;
      const fromUrl = node.t === 'str' && node.v !== v.value && URL_WITH_PASSWORD.test(node.v) ? node.v : undefined;
      if (credentialName(path) && canBeCredential(v.value)) {
        if (fromUrl) add({ label: credentialLabel(path.slice(0, -1)), variable: credentialVariable([...path.slice(0, -1), 'URL']), value: v, maskedUrl: maskUrlPassword(fromUrl), at, env });
        else add({ label: credentialLabel(path), variable: credentialVariable(path), value: v, at, env });
        return;
      }
      const m = URL_WITH_PASSWORD.exec(v.value);
      if (m && usableSecret(m[1])) add({ label: credentialLabel(path), variable: credentialVariable(path), value: v, maskedUrl: maskUrlPassword(v.value), at, env });
      return;
    }
    if (v.kind === 'dict') {
      for (const e of v.entries) if (e.key.kind === 'str') visit(e.value, [...path, e.key.value], e.origin, env, depth + 1);
      return;
    }
    if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') v.items.forEach((it, i) => visit(it, [...path, `[${i}]`], it.origin, env, depth + 1));
  };
  for (const [name, b] of ctx.scope.names) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name) || name === 'SECRET_KEY' || name === 'SECRET_KEY_FALLBACKS') continue;
    if (!ALWAYS_WALKED.has(name) && !CREDENTIAL_SUFFIX.test(name) && !hintsCredential(b.stmt) && !b.mutations.some(hintsCredential)) continue;
    visit(b.value, [name], ctx.bindingAt(b), undefined, 0);
  }
  return out;
}

// ---------------------------------------------------------------- CORS (DJR401-DJR403)

const CORS_LEGACY = {
  CORS_ALLOW_ALL_ORIGINS: 'CORS_ORIGIN_ALLOW_ALL',
  CORS_ALLOWED_ORIGINS: 'CORS_ORIGIN_WHITELIST',
  CORS_ALLOWED_ORIGIN_REGEXES: 'CORS_ORIGIN_REGEX_WHITELIST',
} as const;

/**
 * A django-cors-headers setting as the package reads it: the current name, else its pre-3.5
 * alias (CORS_ORIGIN_ALLOW_ALL, CORS_ORIGIN_WHITELIST, CORS_ORIGIN_REGEX_WHITELIST).
 */
export function corsSetting(ctx: SettingsContext, name: keyof typeof CORS_LEGACY): Binding | undefined {
  return ctx.setting(name) ?? ctx.setting(CORS_LEGACY[name]);
}

/** A Python `re` pattern as a JS RegExp anchored like `re.match` (undefined when it does not translate). */
function pyMatchRegex(pattern: string): RegExp | undefined {
  let p = pattern;
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    if (/[aLux]/.test(inline[1])) return undefined;
    flags = [...new Set(inline[1])].join('');
    p = p.slice(inline[0].length);
  }
  p = p.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\A/g, '^').replace(/\\Z/g, '$');
  try {
    return new RegExp(`^(?:${p})`, flags);
  } catch {
    return undefined;
  }
}

/** Origins no project means to trust. */
const UNRELATED_ORIGINS = ['https://attacker.invalid', 'https://evil.example.org'];

/**
 * An origin regex that accepts any site: r'.*', r'^.*$', r'^https?://.*$', r'^https://[\w.-]+$'...
 * (tested the way django-cors-headers applies it, `re.match(pattern, origin)`, on unrelated origins).
 */
export function regexAllowsAnyOrigin(pattern: string): boolean {
  const re = pyMatchRegex(pattern);
  if (re) return UNRELATED_ORIGINS.every((o) => re.test(o));
  const core = pattern.replace(/^\^/, '').replace(/\$$/, '').replace(/^\(?https\??:?(\\\/|\/){2}\)?\??/, '');
  return /^(\.[*+]\??)?$/.test(core);
}

/** A regex that matches an open-ended set of origins: an unescaped `*`, `+` or `{n,}` quantifier. */
export function regexIsWildcard(pattern: string): boolean {
  const unescaped = pattern.replace(/\\./g, '');
  return /[*+]|\{\d*,\d*\}/.test(unescaped);
}

// ---------------------------------------------------------------- edits shared by settings rules

/**
 * Edits setting a key of a dict setting (as ctx.setDictKeyEdits) to a value whose source depends
 * on the module the key lands in (its imports, its env idiom): `build` receives that module's editor.
 */
export function dictKeyEditsWith(ctx: SettingsContext, dictName: string, keys: string[], build: (ed: ModuleEditor) => { expr: string; edits: Edit[] }): Edit[] {
  const b = ctx.setting(dictName);
  const probe = ctx.setDictKeyEdits(dictName, keys, 'None');
  const module = b && probe[0]?.file === b.stmt.module.path ? b.stmt.module : ctx.module;
  const { expr, edits } = build(ctx.editorFor(module));
  return [...ctx.setDictKeyEdits(dictName, keys, expr), ...edits];
}

/**
 * `timedelta(<args>)` written the way the module refers to timedelta (`timedelta`, an alias, or
 * `datetime.timedelta` after `import datetime`), with `from datetime import timedelta` added
 * when the module has neither.
 */
export function timedeltaExpr(ed: ModuleEditor, args: string): { expr: string; edits: Edit[] } {
  const aliases = ed.scope?.aliases ?? new Map<string, string>();
  for (const [local, q] of aliases) if (q === 'datetime.timedelta') return { expr: `${local}(${args})`, edits: [] };
  for (const [local, q] of aliases) if (q === 'datetime') return { expr: `${local}.timedelta(${args})`, edits: [] };
  return { expr: `timedelta(${args})`, edits: ed.ensureImport('datetime', 'timedelta') };
}

/** The list/tuple/set literal of `top` whose items include the node `item`. */
export function listLiteralContaining(top: { ir: unknown }, item: unknown): Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }> | undefined {
  const visit = (x: unknown, depth: number): Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }> | undefined => {
    if (!x || typeof x !== 'object' || depth > 16) return undefined;
    const n = x as { t?: string; items?: unknown[] };
    if ((n.t === 'list' || n.t === 'tuple' || n.t === 'set') && n.items?.includes(item)) return n as Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }>;
    for (const v of Object.values(x)) {
      const f = visit(v, depth + 1);
      if (f) return f;
    }
    return undefined;
  };
  return visit(top.ir, 0);
}

/**
 * Edits adding `app` to INSTALLED_APPS: inside the list literal that holds `near` (right after
 * it), else at the end of the INSTALLED_APPS literal, else `INSTALLED_APPS += [app]` in the
 * production module. None when INSTALLED_APPS is not a value we can read.
 */
export function addInstalledAppEdits(ctx: SettingsContext, app: string, near?: string): Edit[] {
  const b = ctx.setting('INSTALLED_APPS');
  if (!b || !isSequence(b.value)) return [];
  const anchor = near ? stringItems(b.value).find((s) => s.value === near)?.item : undefined;
  if (anchor) {
    const o = anchor.origin;
    const list = listLiteralContaining(o.top, o.node);
    if (list) {
      const ed = ctx.editorFor(o.module);
      return ed.appendListItem(o.top, list, ed.str(app), o.node as PyExpr);
    }
  }
  const st = b.stmt.node;
  if (st.t === 'assign' && (st.value.t === 'list' || st.value.t === 'tuple') && !b.conditional) {
    const ed = ctx.editorFor(b.stmt.module);
    return ed.appendListItem(b.stmt.top, st.value, ed.str(app));
  }
  const ed = ctx.editor;
  const m = b.mutations[b.mutations.length - 1];
  const after = m && m.module === ctx.module ? m.top : b.stmt.module === ctx.module ? b.stmt.top : undefined;
  const added = b.value.kind === 'tuple' ? `(${ed.str(app)},)` : `[${ed.str(app)}]`;
  return [ed.insertStatement(`INSTALLED_APPS += ${added}`, after)];
}

/**
 * Edits bringing a too-long SIMPLE_JWT lifetime (DJR501, DJR502) down to `max` seconds: a
 * lifetime read from the environment (`timedelta(minutes=env.int('X', default=60))`) gets a new
 * default in the same unit; anything else becomes `timedelta(<unit>=<count>)`.
 */
export function jwtLifetimeEdits(ctx: SettingsContext, key: string, v: Extract<Value, { kind: 'timedelta' }>, max: number, unit: 'minutes' | 'days', count: number): Edit[] {
  const env = v.env;
  const call = v.origin.node;
  if (env?.defaultOrigin && call.t === 'call' && call.args.length + call.kw.length === 1) {
    const d = Number(originText(env.defaultOrigin).replace(/^[rRuU]?(['"])(.*)\1$/, '$2'));
    if (d > 0 && v.seconds > 0) {
      const per = v.seconds / d;
      const next = max / per;
      if (Number.isInteger(next) && next > 0) return replaceEnvDefault(ctx, env, next);
    }
  }
  return dictKeyEditsWith(ctx, 'SIMPLE_JWT', [key], (ed) => timedeltaExpr(ed, `${unit}=${count}`));
}

// ---------------------------------------------------------------- HTTPS and header settings

export const SECURITY_MIDDLEWARE = 'django.middleware.security.SecurityMiddleware';

/**
 * Django's header checks need SecurityMiddleware: like Django, these rules stay quiet when
 * MIDDLEWARE exists without it (DJR309 reports the cause once). The calling rule is then marked
 * "not checked" (its setting has no effect without the middleware), as it is when MIDDLEWARE
 * cannot be read.
 */
export function securityMiddlewareActive(ctx: SettingsContext): boolean {
  if (!ctx.setting('MIDDLEWARE')) {
    // keep reporting what is missing, but a pass would be a guess: the middleware may not be there
    ctx.notChecked('MIDDLEWARE is not set in the production settings, so whether SecurityMiddleware applies the setting is unknown.');
    return true;
  }
  if (ctx.middleware.includes(SECURITY_MIDDLEWARE)) return true;
  ctx.notChecked(middlewareMissing(ctx, 'SecurityMiddleware', 'the setting has no effect without it'));
  return false;
}

/**
 * The "not checked" reason of a rule that needs a middleware MIDDLEWARE lacks (or that cannot be
 * read): `SecurityMiddleware is not in MIDDLEWARE: the setting has no effect without it.`
 */
export function middlewareMissing(ctx: SettingsContext, middleware: string, consequence: string): string {
  const mw = ctx.setting('MIDDLEWARE');
  if (!mw) return 'MIDDLEWARE is not set in the production settings.';
  if (!listFullyKnown(mw.value)) return `${isSequence(mw.value) ? 'MIDDLEWARE has entries the static analysis cannot read' : 'MIDDLEWARE cannot be read statically'}, so whether it holds ${middleware} is unknown.`;
  return `${middleware} is not in MIDDLEWARE: ${consequence}.`;
}

/**
 * Whether the project uses Django's sessions (django.contrib.sessions or SessionMiddleware); when
 * it does not, the calling rule is not applicable. When INSTALLED_APPS is not set or cannot be
 * read, the rule is not checked, and `whenUnknown` says whether it still looks at its setting.
 */
export function usesSessions(ctx: SettingsContext, whenUnknown: boolean): boolean {
  if (ctx.installedApps.includes('django.contrib.sessions') || ctx.middleware.includes('django.contrib.sessions.middleware.SessionMiddleware')) return true;
  const apps = ctx.setting('INSTALLED_APPS');
  if (apps && listFullyKnown(apps.value)) {
    ctx.notApplicable('The project does not use sessions (django.contrib.sessions is not installed).');
    return false;
  }
  ctx.notChecked(apps ? unreadable('INSTALLED_APPS', apps.value) : 'INSTALLED_APPS is not set in the production settings, so whether the project uses sessions is unknown.');
  return whenUnknown;
}

/** A list/tuple/set whose items are all literal strings (nothing computed or unknown). */
export function listFullyKnown(v: Value | undefined): boolean {
  return isSequence(v) && v.items.every((i) => i.kind === 'str');
}

/**
 * The "not checked" reason for a setting whose production value the analysis cannot read: an
 * environment lookup without a default (its value is chosen at deploy time), or an expression
 * it cannot evaluate. Never includes the value.
 */
export function unreadable(name: string, v?: Value): string {
  if (v?.env && !v.env.hasDefault) return `${name} comes from ${v.env.variable ?? 'an environment variable'} with no default: its production value is only known at deploy time.`;
  if (isSequence(v)) return `${name} has entries the static analysis cannot read, so what it holds in production is not fully known.`;
  return `${name} is computed in a way the static analysis cannot follow${v?.kind === 'unknown' && v.callee ? ` (${v.callee}(...))` : ''}, so its production value is unknown.`;
}

export interface BooleanSettingCheck {
  name: string;
  /** Django's default for the setting (used when it is absent). */
  djangoDefault: boolean;
  /** Message when the setting is absent (and its default is False). */
  missing: string;
  /** Message when it is set to a falsy value. */
  disabled: string;
}

/**
 * Reports a setting that must be True in production: absent with a False default, or False
 * (literal or environment default). The fix (unsafe: True changes what the application does)
 * sets True, or turns the environment default True.
 */
export function requireTrue(ctx: SettingsContext, check: BooleanSettingCheck): void {
  const b = ctx.setting(check.name);
  const title = `Set ${check.name} = True`;
  if (!b) {
    if (check.djangoDefault) return;
    ctx.report({ at: ctx.missingNear(check.name), message: check.missing, fixes: [{ title, applicability: 'unsafe', edits: ctx.setSettingEdits(check.name, 'True') }] });
    return;
  }
  const v = b.value;
  const on = truthy(v);
  if (on === undefined) return ctx.notChecked(unreadable(check.name, v));
  if (on) return;
  if (v.env) {
    const d = v.env.defaultOrigin;
    if (!d) return ctx.notChecked(unreadable(check.name, v));
    // The default is the fix only when the setting is that lookup (a cast of it): derived values
    // (`not DEBUG`, `ENV == 'production'`) would turn the wrong way; checked by re-evaluating.
    const edits = replaceEnvDefault(ctx, v.env, true);
    const { start, end } = originOffsets(d);
    const after = edits.length === 1 ? settingWith(ctx, check.name, d.module, start, end, edits[0].newText) : undefined;
    if (after && truthy(after) === true) {
      ctx.report({
        at: d,
        message: `${check.disabled} (default of the ${v.env.variable ?? 'environment'} lookup)`,
        fixes: [{ title: `Make the default of ${check.name} True`, applicability: 'unsafe', edits }],
      });
      return;
    }
  }
  ctx.report({ at: ctx.bindingAt(b), message: check.disabled, fixes: [{ title, applicability: 'unsafe', edits: ctx.setSettingEdits(check.name, 'True') }] });
}

/**
 * The production value of setting `name` if the text `[start, end)` of `module` read
 * `replacement` instead: the settings are evaluated again (a fix is checked before it is offered).
 */
export function settingWith(ctx: SettingsContext, name: string, module: PyModule, start: number, end: number, replacement: string): Value | undefined {
  const changed = module.text.slice(0, start) + replacement + module.text.slice(end);
  // the analyzer's way: only what depends on the changed module is evaluated again
  if (ctx.withSettings) return ctx.withSettings(module, changed, (scope) => scope.names.get(name)?.value);
  const cache = new ParseCache(32);
  // the other modules of the closure as this analysis parsed them (parsed again: the changed one)
  const parsed = new Map<string, PyModule>();
  for (const m of ctx.modules ?? []) if (m.path !== module.path) parsed.set(m.path, m);
  try {
    const load = (p: string): PyModule | undefined => {
      const known = parsed.get(p);
      if (known) return known;
      const text = p === module.path ? changed : p === ctx.module.path ? ctx.module.text : ctx.fs.readFile(p);
      return text === undefined ? undefined : cache.parse(p, text);
    };
    const ev = settingsEvaluator(ctx.fs, ctx.project.root, load, ctx.project.overlays);
    const prod = load(ctx.module.path);
    return prod ? ev.evaluate(prod).names.get(name)?.value : undefined;
  } finally {
    cache.clear();
  }
}

/** Edits inserting `itemSrc` as the first item of a list/tuple literal (node inside `top`). */
export function insertFirstListItem(ed: ModuleEditor, top: { start: number }, list: Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }>, itemSrc: string): Edit[] {
  const first = list.items[0];
  const text = ed.module.text;
  const listStart = top.start + list.s;
  if (!first) return [ed.replace(listStart, top.start + list.e, list.t === 'tuple' ? `(${itemSrc},)` : `[${itemSrc}]`)];
  const firstStart = top.start + first.s;
  const multiline = text.slice(listStart, firstStart).includes('\n');
  if (multiline) return [ed.insert(firstStart, `${itemSrc},${ed.eol}${ed.indentAt(firstStart)}`)];
  return [ed.insert(firstStart, `${itemSrc}, `)];
}

// ---------------------------------------------------------------- project files

/** Dockerfiles / compose files / Procfiles meant for development only (deploySettings.ts). */
export { isDevDeploymentFile } from './deploySettings';

// ---------------------------------------------------------------- DEBUG read without a cast (DJR205, DJR202)

/** A DEBUG that is the raw value of an environment lookup (or `bool()` of one). */
export interface UncastLookup {
  env: EnvInfo;
  /** Where to report: the lookup (or the `bool(...)` around it). */
  at: Origin;
  /** The lookup call or subscript. */
  lookup: Origin;
  /** `bool(<lookup>)`: the call a fix replaces as a whole. */
  wrapper?: Origin;
}

/**
 * The environment lookup DEBUG is assigned without a boolean cast: `os.environ.get('DEBUG', x)`,
 * `os.environ['DEBUG']`, decouple `config('DEBUG')` without `cast=`, django-environ
 * `env('DEBUG')` without a scheme cast or `env.str('DEBUG')`, or `bool()` of one of them.
 */
export function uncastDebugLookup(b: Binding): UncastLookup | undefined {
  const st = b.stmt.node;
  const env = b.value.env;
  if (st.t !== 'assign' || !env || b.mutations.length > 0) return undefined;
  if (env.source === 'os') {
    /* never cast */
  } else if (env.source === 'decouple' || env.source === 'environ') {
    if (env.cast !== undefined && env.cast !== 'str') return undefined;
  } else return undefined;
  let expr: PyExpr = st.value;
  let wrapper: Origin | undefined;
  if (expr.t === 'call' && expr.fn.t === 'name' && expr.fn.id === 'bool' && expr.args.length === 1 && expr.kw.length === 0) {
    wrapper = { module: b.stmt.module, top: b.stmt.top, node: expr };
    expr = expr.args[0];
  }
  if (expr !== env.lookupOrigin.node) return undefined;
  return { env, at: wrapper ?? env.lookupOrigin, lookup: env.lookupOrigin, wrapper };
}

/** The unsafe fix that casts such a DEBUG lookup to a boolean, in the lookup's own idiom. */
export function debugCastFix(ctx: SettingsContext, found: UncastLookup): FixSpec | undefined {
  const { module, top, node } = found.lookup;
  const ed = ctx.editorFor(module);
  const text = module.text;
  const src = (x: { s: number; e: number }) => text.slice(top.start + x.s, top.start + x.e);
  let replacement: string | undefined;
  if (found.env.source === 'decouple' && node.t === 'call') {
    const last = [...node.args, ...node.kw].reduce((m, a) => Math.max(m, a.e), node.fn.e);
    if (node.kw.some((k) => k.name === 'cast')) return undefined;
    replacement = text.slice(top.start + node.s, top.start + last) + ', cast=bool' + text.slice(top.start + last, top.start + node.e);
  } else if (found.env.source === 'environ' && node.t === 'call' && !node.kw.some((k) => k.name === 'cast')) {
    const fn = node.fn;
    if (fn.t === 'name') replacement = `${fn.id}.bool` + text.slice(top.start + fn.e, top.start + node.e);
    else if (fn.t === 'attr' && fn.name === 'str') replacement = `${src(fn.obj)}.bool` + text.slice(top.start + fn.e, top.start + node.e);
  } else if (found.env.source === 'os') {
    const words = `(${ed.str('1')}, ${ed.str('true')}, ${ed.str('yes')})`;
    if (node.t === 'sub') replacement = `${src(node)}.lower() in ${words}`;
    else if (node.t === 'call' && node.args.length >= 1 && node.args[0].t !== 'splat') {
      // a default that is not a string (False, None, 0) becomes 'False'; none is added as 'False'
      const d = found.env.defaultOrigin?.node;
      let call: string;
      if (!d) call = text.slice(top.start + node.s, top.start + node.args[0].e) + `, ${ed.str('False')}` + text.slice(top.start + node.args[0].e, top.start + node.e);
      else if (d.t === 'str') call = src(node);
      else call = text.slice(top.start + node.s, top.start + d.s) + ed.str('False') + text.slice(top.start + d.e, top.start + node.e);
      replacement = `${call}.lower() in ${words}`;
    }
  }
  if (replacement === undefined) return undefined;
  const target = found.wrapper?.node ?? node;
  return { title: 'Cast DEBUG to a boolean (DEBUG=False, 0, no then mean off)', applicability: 'unsafe', kind: 'cast', edits: [ed.replace(top.start + target.s, top.start + target.e, replacement)] };
}
