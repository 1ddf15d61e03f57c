import {
  debugCastFix,
  defineRule,
  isTruthy,
  literalLike,
  originOffsets,
  originText,
  replaceEnvDefault,
  settingWith,
  uncastDebugLookup,
  type DeferredFix,
  type EnvInfo,
  type FixSpec,
  type PyModule,
  type SettingsContext,
} from '../../server/src/engine';

/** The production value of DEBUG if the text `[start, end)` of `module` read `replacement`. */
function debugWith(ctx: SettingsContext, module: PyModule, start: number, end: number, replacement: string): boolean | undefined {
  const v = settingWith(ctx, 'DEBUG', module, start, end, replacement);
  return v ? isTruthy(v) : undefined;
}

/**
 * A fix that makes DEBUG falsy when the variable is missing, checked by re-evaluating the
 * settings: deferred (the check runs when the fix is asked for, not at every analysis), and
 * offered only when a candidate default really turns DEBUG off.
 */
function defaultFix(ctx: SettingsContext, env: EnvInfo, variable: string): DeferredFix | undefined {
  const d = env.defaultOrigin;
  if (env.hasDefault && d) {
    const { start, end } = originOffsets(d);
    // A string compared with a word (`os.environ.get('DJANGO_ENV', 'development') == 'development'`) gets 'production'.
    const quoted = /^[rRuU]?(['"])(.*)\1$/s.exec(originText(d).trim());
    const wordDefault = !!quoted && !/^(true|false|yes|no|on|off|[01tfyn]|)$/i.test(quoted[2]);
    return {
      deferred: true,
      kind: 'fix',
      targets: [d.module.path],
      resolve: (): FixSpec | undefined => {
        for (const candidate of wordDefault ? ['production', false, true] : [false, true]) {
          const src = literalLike(ctx, d, candidate);
          if (debugWith(ctx, d.module, start, end, src) !== false) continue;
          return { title: `Default ${variable} to ${src}: DEBUG is off when the variable is missing`, applicability: 'unsafe', edits: candidate === false ? replaceEnvDefault(ctx, env, false) : [ctx.editorFor(d.module).replace(start, end, src)] };
        }
        return undefined;
      },
    };
  }
  // os.environ.get('X') / os.getenv('X') without a default: add one.
  const call = env.lookupOrigin.node;
  if (call.t !== 'call' || call.args.length !== 1 || call.kw.length > 0) return undefined;
  const mod = env.lookupOrigin.module;
  const at = env.lookupOrigin.top.start + call.args[0].e;
  return {
    deferred: true,
    kind: 'fix',
    targets: [mod.path],
    resolve: (): FixSpec | undefined => {
      const ed = ctx.editorFor(mod);
      const strings = [ed.str('False'), ...[...mod.text.slice(env.lookupOrigin.top.start, env.lookupOrigin.top.end).matchAll(/(['"])([\w.-]{1,40})\1/g)].map((m) => ed.str(m[2]))];
      for (const src of new Set(strings)) {
        if (debugWith(ctx, mod, at, at, `, ${src}`) !== false) continue;
        return { title: `Default ${variable} to ${src}: DEBUG is off when the variable is missing`, applicability: 'unsafe', edits: [ed.insert(at, `, ${src}`)] };
      }
      return undefined;
    },
  };
}

export default defineRule({
  meta: {
    code: 'DJR202',
    name: 'debug-default-true',
    category: 'debug',
    severity: 'error',
    kind: 'settings',
    seeds: ['000', '002', '004'],
    django: 'W018',
    message: 'DEBUG is read from the environment but defaults to True',
    fixTitle: 'Make DEBUG default to False when the variable is missing',
    fix: 'unsafe',
    docs: {
      what: "Flags a `DEBUG` read from the environment whose value, when the variable is missing, is truthy: `config('DEBUG', default=True, cast=bool)`, `os.environ.get('DEBUG', 'True') == 'True'`, `env.bool('DEBUG', default=True)`, `environ.Env(DEBUG=(bool, True))`, `os.getenv('DJANGO_ENV') != 'production'`, or a raw string default such as `os.environ.get('DEBUG', 'False')` (a non-empty string is truthy).",
      why: 'Reading DEBUG from the environment is right, but the default is what runs when someone forgets the variable: a production server that starts without it shows stack traces, settings and SQL to every visitor. The safe direction is the other way round: off unless a developer turns it on.',
      example: "from decouple import config\n\nDEBUG = config('DEBUG', default=True, cast=bool)",
      instead: "from decouple import config\n\nDEBUG = config('DEBUG', default=False, cast=bool)",
      fixSafety: "Unsafe: only the default changes, but it is what runs wherever the variable is missing: developer machines, CI and containers that relied on the default get DEBUG = False (error pages, static files served by runserver and `ALLOWED_HOSTS` checks change there). Set the variable (e.g. `DJANGO_DEBUG=True` in a local .env) where DEBUG must stay on, then apply it.",
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#debug',
        'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug',
        'https://github.com/HBNetwork/python-decouple#readme',
      ],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('DEBUG');
    if (!b) return;
    const v = b.value;
    const env = v.env;
    if (!env || isTruthy(v) !== true) return;
    const implicitNone = !env.hasDefault && env.source === 'os' && env.lookupOrigin.node.t === 'call';
    if (!env.hasDefault && !implicitNone) return;
    const variable = env.variable ?? 'the variable';
    const rawString = v.kind === 'str' && !env.cast;
    const fix = defaultFix(ctx, env, variable);
    // a raw string: the cast DJR205 offers is the real fix
    const uncast = rawString ? uncastDebugLookup(b) : undefined;
    const cast = uncast ? debugCastFix(ctx, uncast) : undefined;
    ctx.report({
      at: ctx.bindingAt(b),
      message: rawString
        ? `DEBUG is the string '${v.value.length > 12 ? v.value.slice(0, 12) + '…' : v.value}' when ${variable} is not set, and any non-empty string is truthy: DEBUG is on in production`
        : `DEBUG defaults to True when ${variable} is not set${b.conditional ? ' (in a branch that may run)' : ''}: a missing variable turns on debug pages in production`,
      fixes: [...(fix ? [fix] : []), ...(cast ? [cast] : [])],
    });
  },
});
