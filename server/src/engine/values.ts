/**
 * Static values of settings. Every value remembers where it came from (`origin`), so a finding
 * about a value points at the assignment that produced it, even in another module.
 */
import type { PyExpr, PyStmt } from './ir';
import type { PyModule, TopStmt } from './parser';
import type { Range } from './types';

/** Where an expression or statement lives: module + top-level statement + relative span. */
export interface Origin {
  module: PyModule;
  top: TopStmt;
  node: PyExpr | PyStmt;
}

export function originRange(o: Origin): Range {
  return o.module.range(o.top, o.node);
}

export function originOffsets(o: Origin): { start: number; end: number } {
  return { start: o.top.start + o.node.s, end: o.top.start + o.node.e };
}

export function originText(o: Origin): string {
  const { start, end } = originOffsets(o);
  return o.module.text.slice(start, end);
}

/**
 * Where an environment value is read: `helper` is a project function wrapping a lookup
 * (`envbool(...)`); `config` an attribute of a configuration object the repository does not hold
 * (`getattr(configuration, 'NAME', default)`, netbox's operator-written configuration.py): not an
 * environment variable, but set at deploy time the same way.
 */
export type EnvSource = 'os' | 'decouple' | 'environ' | 'dj_database_url' | 'helper' | 'pydantic' | 'django_heroku' | 'config';

/** The value comes from an environment lookup. Its production value is the default. */
export interface EnvInfo {
  variable?: string;
  source: EnvSource;
  hasDefault: boolean;
  /** The default expression, when one is given. */
  defaultOrigin?: Origin;
  /** The whole lookup call/subscript. */
  lookupOrigin: Origin;
  cast?: string;
  /** For source `helper`: the function's name. */
  helper?: string;
}

interface Base {
  origin: Origin;
  env?: EnvInfo;
}

export type Value =
  | (Base & {
      kind: 'str';
      value: string;
      /** Built at run time from parts not all known (`{…}` stands for each unknown part). */
      fstring?: boolean;
      /** An f-string with parts read from the environment: the value with those parts as `{…}`. */
      template?: string;
      /** django-split-settings `optional('local.py')`: an include that may be missing. */
      optional?: boolean;
    })
  | (Base & { kind: 'num'; value: number })
  | (Base & { kind: 'bool'; value: boolean })
  | (Base & { kind: 'none' })
  | (Base & { kind: 'list' | 'tuple' | 'set'; items: Value[] })
  | (Base & { kind: 'dict'; entries: DictEntry[] })
  /** A duration, in seconds. */
  | (Base & { kind: 'timedelta'; seconds: number })
  | (Base & { kind: 'path'; display: string })
  /** Anything we cannot compute: a call, a name from elsewhere, an env var with no default. */
  | (Base & {
      kind: 'unknown';
      reason: string;
      callee?: string;
      /** Known attributes of the object: a project module (`from . import local_settings`), a pydantic-settings instance. */
      members?: ReadonlyMap<string, { readonly value: Value }>;
    });

export interface DictEntry {
  key: Value;
  value: Value;
  /** The `key: value` pair (or the subscript assignment that set it). */
  origin: Origin;
}

export type ValueKind = Value['kind'];

export function isTruthy(v: Value): boolean | undefined {
  switch (v.kind) {
    case 'str': return v.value.length > 0;
    case 'num': return v.value !== 0;
    case 'bool': return v.value;
    case 'none': return false;
    case 'list': case 'tuple': case 'set': return v.items.length > 0;
    case 'dict': return v.entries.length > 0;
    case 'timedelta': return v.seconds !== 0;
    case 'path': return true;
    default: return undefined;
  }
}

/** The string key of a dict entry, when it is a literal string. */
export function keyName(v: Value): string | undefined {
  return v.kind === 'str' ? v.value : undefined;
}

export function dictGet(d: Value | undefined, key: string): DictEntry | undefined {
  if (!d || d.kind !== 'dict') return undefined;
  for (let i = d.entries.length - 1; i >= 0; i--) {
    if (keyName(d.entries[i].key) === key) return d.entries[i];
  }
  return undefined;
}

/** String items of a list/tuple/set value (non-strings skipped). */
export function stringItems(v: Value | undefined): { value: string; item: Value }[] {
  if (!v || (v.kind !== 'list' && v.kind !== 'tuple' && v.kind !== 'set')) return [];
  const out: { value: string; item: Value }[] = [];
  for (const it of v.items) if (it.kind === 'str') out.push({ value: it.value, item: it });
  return out;
}

export function isSequence(v: Value | undefined): v is Extract<Value, { kind: 'list' | 'tuple' | 'set' }> {
  return !!v && (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set');
}

/** Short, secret-free description of a value for messages. */
export function describe(v: Value): string {
  switch (v.kind) {
    case 'str': return 'a string';
    case 'num': return String(v.value);
    case 'bool': return v.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'list': case 'tuple': case 'set': return `a ${v.kind} of ${v.items.length}`;
    case 'dict': return 'a dict';
    case 'timedelta': return formatDuration(v.seconds);
    case 'path': return 'a path';
    default: return 'an unknown value';
  }
}

export function formatDuration(seconds: number): string {
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [n, name] of units) {
    if (seconds >= n && seconds % n === 0) {
      const c = seconds / n;
      return `${c} ${name}${c === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}
