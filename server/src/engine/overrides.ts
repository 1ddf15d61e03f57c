/**
 * Override statements of a settings module: the places where it runs another settings file in
 * its own namespace after its own settings (`from .local import *`, `try: from settings_local
 * import * / except ImportError: pass`, django-split-settings `include(...)`,
 * `exec(open('local_settings.py').read(), globals())`). What such a file sets replaces what the
 * module set above it: that is how operators keep production values (ALLOWED_HOSTS, LOGGING,
 * secrets) out of the repository. A fix that adds a setting therefore goes above the first of
 * them (ModuleEditor.insertStatement), and a setting the repository does not set may still be set
 * there (the production module's decision line and "not set" findings say so).
 */
import * as path from 'node:path';
import { isGitIgnored } from './gitignore';
import type { PyExpr, PyStmt } from './ir';
import type { PyModule, TopStmt } from './parser';
import { resolveModuleFile, type FileSystem } from './project';

export type OverrideKind = 'star-import' | 'include' | 'exec';

export interface SettingsOverride {
  /** The top-level statement that holds it (a `try`, an `if` or a `with` around it included). */
  top: TopStmt;
  kind: OverrideKind;
  /**
   * What it runs, as written: the module of a star import (`.local`, `settings_local`), the first
   * literal file name of an include() or of the exec's statement (`local_settings.py`).
   */
  target?: string;
  /** include(): the literal files inside `optional(...)` (the ones that may be absent). */
  optionalFiles?: string[];
  /** Inside a `try` or an `if` (the file may be absent: `except ImportError: pass`). */
  optional: boolean;
}

const cache = new WeakMap<PyModule, { all: SettingsOverride[]; trailing: SettingsOverride[] }>();

function callName(e: PyExpr): string | undefined {
  if (e.t !== 'call') return undefined;
  if (e.fn.t === 'name') return e.fn.id;
  if (e.fn.t === 'attr') return e.fn.name;
  return undefined;
}

/** The first string literal naming a file among a call's arguments (`'local.py'`, `optional('local.py')`). */
function literalFile(args: PyExpr[]): string | undefined {
  for (const a of args) {
    if (a.t === 'str' && !a.fstring && a.v) return a.v;
    if (a.t === 'call') {
      const inner = literalFile(a.args);
      if (inner) return inner;
    }
  }
  return undefined;
}

function find(module: PyModule, top: TopStmt, st: PyStmt, optional: boolean, depth: number, out: SettingsOverride[]): void {
  if (depth > 6) return;
  switch (st.t) {
    case 'from':
      if (st.names === '*') out.push({ top, kind: 'star-import', target: '.'.repeat(st.level) + st.module, optional });
      return;
    case 'expr': {
      const name = callName(st.value);
      if (st.value.t !== 'call' || !name) return;
      if (name === 'include') {
        const optionalFiles = st.value.args.filter((a) => callName(a) === 'optional').map((a) => (a.t === 'call' ? literalFile(a.args) : undefined)).filter((f): f is string => !!f);
        const opt = st.value.args.some((a) => callName(a) === 'optional');
        out.push({ top, kind: 'include', target: literalFile(st.value.args), optional: optional || opt, optionalFiles });
      }
      else if (name === 'exec' || name === 'execfile') {
        // the file is often opened by the statement around it: `with open(... 'local_settings.py') as f: exec(f.read())`
        const text = module.text.slice(top.start, top.end);
        const file = /['"]([\w.\-/\\]+\.py)['"]/.exec(text)?.[1];
        out.push({ top, kind: 'exec', target: file, optional });
      }
      return;
    }
    case 'if':
      for (const br of st.branches) for (const s of br.body) find(module, top, s, true, depth + 1, out);
      return;
    case 'try':
      for (const s of st.body) find(module, top, s, true, depth + 1, out);
      for (const h of st.handlers) for (const s of h) find(module, top, s, true, depth + 1, out);
      for (const s of st.orelse) find(module, top, s, true, depth + 1, out);
      for (const s of st.final) find(module, top, s, optional, depth + 1, out);
      return;
    case 'block':
      if (st.kind === 'with_statement') for (const s of st.body) find(module, top, s, optional, depth + 1, out);
      return;
    default:
      return;
  }
}

/** Whether a top-level statement assigns a setting (an upper-case name not starting with `_`). */
function assignsSetting(st: PyStmt): boolean {
  if (st.t === 'assign') return st.targets.some((t) => t.t === 'name' && /^[A-Z][A-Z0-9_]*$/.test(t.id));
  if (st.t === 'annassign' || st.t === 'augassign') return st.target.t === 'name' && /^[A-Z][A-Z0-9_]*$/.test(st.target.id);
  return false;
}

function compute(module: PyModule): { all: SettingsOverride[]; trailing: SettingsOverride[] } {
  const all: SettingsOverride[] = [];
  const found: { override: SettingsOverride; index: number; afterOwn: boolean }[] = [];
  let firstOwn = -1;
  let lastOwn = -1;
  module.stmts.forEach((top, index) => {
    const before = all.length;
    find(module, top, top.ir, false, 0, all);
    for (const o of all.slice(before)) found.push({ override: o, index, afterOwn: firstOwn >= 0 });
    if (assignsSetting(top.ir)) {
      if (firstOwn < 0) firstOwn = index;
      lastOwn = index;
    }
  });
  // After the module's own settings: an optional one (try/if: a file that may be absent), an
  // exec(), or one the module's own settings no longer follow (its tail: `from .custom import *`).
  // A plain star import among its settings is a part it is built from (`from oscar.defaults import *`).
  const trailing = found.filter((f) => f.afterOwn && (f.override.optional || f.override.kind === 'exec' || f.index > lastOwn)).map((f) => f.override);
  return { all, trailing };
}

/** Every star import, include() and exec() at the module's top level (also inside a top-level try/if/with), in order. */
export function settingsOverrides(module: PyModule): SettingsOverride[] {
  let c = cache.get(module);
  if (!c) cache.set(module, (c = compute(module)));
  return c.all;
}

/**
 * The overrides that come after the module's own settings (its first assignment of an upper-case
 * name) and run a file meant to change them: one inside a top-level `try`/`if` (the file may be
 * absent), an exec(), an include() of `optional(...)` files, or one after the module's last own
 * setting. What they set replaces what the module set above them. A star import above the first
 * own setting is the module's base (`from .base import *`); a plain one among its settings is a
 * part it is built from (`from oscar.defaults import *`): neither is an override.
 */
export function trailingOverrides(module: PyModule): SettingsOverride[] {
  let c = cache.get(module);
  if (!c) cache.set(module, (c = compute(module)));
  return c.trailing;
}

/**
 * A file a settings module runs as an override (see trailingOverrides) whose settings the
 * analysis does not know: absent from the checkout (gitignored `local.py`, an operator's
 * `settings_local.py`), present but ignored by git (this checkout's values, not the
 * repository's), or run with exec(), which the evaluator does not follow.
 */
export interface UnreadOverride {
  /** The file it runs (absolute; for an absent module, where Python would look first). */
  file: string;
  /** The settings module that runs it, and the line (1-based) of the statement. */
  from: string;
  line: number;
  kind: OverrideKind;
  state: 'missing' | 'gitignored' | 'not-followed';
  /** For a missing file: whether git ignores that path (an operator's local file by design). */
  ignored?: boolean;
}

const GLOB = /[*?[]/;
/** A module or file named for tests or development (`.test`, `settings_dev`, `dev.py`): not what production runs. */
const DEV_TARGET = /(?:^|[._\-/])(?:test|tests|testing|dev|development|debug|ci)(?:\.py)?$/i;

/**
 * The override files of `modules` (a production settings closure) whose settings are unknown:
 * each trailing override whose file is not in the checkout, is ignored by git, or is exec'd.
 */
export function unreadOverrides(fs: FileSystem, root: string, modules: readonly PyModule[]): UnreadOverride[] {
  const out: UnreadOverride[] = [];
  const seen = new Set<string>();
  const add = (m: PyModule, o: SettingsOverride, file: string, state: UnreadOverride['state'] | undefined) => {
    if (!state || seen.has(file)) return;
    seen.add(file);
    const u: UnreadOverride = { file, from: m.path, line: m.lines.positionAt(o.top.start).line + 1, kind: o.kind, state };
    if (state === 'missing') u.ignored = isGitIgnored(fs, file);
    out.push(u);
  };
  const stateOf = (file: string | undefined): UnreadOverride['state'] | undefined => {
    if (!file) return undefined;
    if (!fs.exists(file)) return 'missing';
    return isGitIgnored(fs, file) ? 'gitignored' : undefined;
  };
  for (const m of modules) {
    const dir = path.dirname(m.path);
    const trailing = trailingOverrides(m);
    // an optional one above the module's own settings counts too (pontoon's `try: from .local
    // import *` right after the base import); one for tests or development does not run in production
    const candidates = settingsOverrides(m).filter((o) => (o.optional || o.kind === 'exec' || trailing.includes(o)) && !DEV_TARGET.test(o.target ?? ''));
    for (const o of candidates) {
      if (o.kind === 'star-import' && o.target !== undefined) {
        const level = /^\.*/.exec(o.target)?.[0].length ?? 0;
        const name = o.target.slice(level);
        const found = resolveModuleFile(fs, root, m.path, name, level);
        let base = dir;
        for (let i = 1; i < level; i++) base = path.dirname(base);
        add(m, o, found ?? path.join(base, ...name.split('.')) + '.py', found ? stateOf(found) : 'missing');
      } else if (o.kind === 'exec' && o.target) {
        const file = path.resolve(dir, o.target);
        add(m, o, file, stateOf(file) ?? 'not-followed');
      } else if (o.kind === 'include') {
        for (const f of o.optionalFiles ?? []) if (!GLOB.test(f)) add(m, o, path.resolve(dir, f), stateOf(path.resolve(dir, f)));
      }
    }
  }
  return out;
}

/** How a finding names an unread override: `local.py, not in the repository`. */
export function unreadPhrase(u: UnreadOverride): string {
  const name = path.basename(u.file);
  switch (u.state) {
    case 'missing': return `${name}, not in the repository`;
    case 'gitignored': return `${name}, ignored by git`;
    default: return `${name}, run with exec() and not read`;
  }
}

/**
 * What the production-module decision line adds (CLI note, JSON reason's companion, output
 * channel): "it also loads mysite/settings/local.py (production.py, line 26), which is not in
 * the repository (gitignored): the settings it may set are unknown". `rel` shortens paths.
 */
export function unreadSentence(unread: readonly UnreadOverride[], rel: (file: string) => string): string {
  if (unread.length === 0) return '';
  const parts = unread.map((u) => {
    const where = `${path.basename(u.from)}, line ${u.line}`;
    const how =
      u.state === 'missing'
        ? `not in the repository (${u.ignored ? 'gitignored' : 'missing'})`
        : u.state === 'gitignored'
          ? "ignored by git (this checkout's copy was read; production's may differ)"
          : 'run with exec(), which the analysis does not follow';
    return `${rel(u.file)} (${where}), ${how}`;
  });
  const one = unread.length === 1;
  return `it also loads ${parts.join('; and ')}: the settings ${one ? 'it' : 'they'} may set are unknown`;
}
