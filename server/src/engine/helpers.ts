/**
 * Small helpers shared by rules (kept here so each rule file stays one rule).
 */
import type { EnvInfo, Origin, Value } from './values';
import { originOffsets, originText } from './values';
import type { SettingsContext } from './rule';
import type { FileEdit } from './types';

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
export function replaceEnvDefault(ctx: SettingsContext, env: EnvInfo, value: boolean | number | string): FileEdit[] {
  if (!env.defaultOrigin) return [];
  const o = env.defaultOrigin;
  const { start, end } = originOffsets(o);
  return [ctx.editorFor(o.module).replace(start, end, literalLike(ctx, o, value))];
}

/** Removes the default argument of an environment lookup call (`default=...` or 2nd positional). */
export function dropEnvDefault(ctx: SettingsContext, env: EnvInfo): FileEdit[] {
  const call = env.lookupOrigin.node;
  if (call.t !== 'call' || !env.defaultOrigin) return [];
  const mod = env.lookupOrigin.module;
  const top = env.lookupOrigin.top;
  const text = mod.text;
  const ed = ctx.editorFor(mod);
  const kw = call.kw.find((k) => k.value === env.defaultOrigin?.node);
  const pos = call.args.indexOf(env.defaultOrigin.node as never);
  const target = kw ? { s: kw.s, e: kw.e } : pos > 0 ? { s: call.args[pos].s, e: call.args[pos].e } : undefined;
  if (!target) return [];
  // remove ", <arg>" (the comma before it)
  let s = top.start + target.s;
  const e = top.start + target.e;
  const before = text.slice(top.start + call.argsSpan.s, s);
  const comma = before.lastIndexOf(',');
  if (comma >= 0) s = top.start + call.argsSpan.s + comma;
  if (env.source === 'os' && call.fn.t === 'attr' && (call.fn.name === 'get' || call.fn.name === 'getenv')) {
    // os.environ.get('X', 'd') / os.getenv('X', 'd') -> os.environ['X']
    const nameArg = call.args[0];
    if (nameArg) return [ed.replace(top.start + call.s, top.start + call.e, `os.environ[${text.slice(top.start + nameArg.s, top.start + nameArg.e)}]`), ...ed.ensureImport('os')];
  }
  return [ed.replace(s, e, '')];
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
