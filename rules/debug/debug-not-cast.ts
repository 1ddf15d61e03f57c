import { debugCastFix, defineRule, isTruthy, uncastDebugLookup, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR205',
    name: 'debug-not-cast',
    category: 'debug',
    severity: 'error',
    kind: 'settings',
    seeds: ['000', '002', '004'],
    message: 'DEBUG is read from the environment without a boolean cast: any non-empty value turns debug on',
    fixTitle: 'Cast DEBUG to a boolean',
    fix: 'unsafe',
    docs: {
      what: "Flags a production `DEBUG` that is the raw value of an environment lookup: `os.environ.get('DEBUG', False)`, `os.getenv('DEBUG')`, `os.environ['DEBUG']`, python-decouple `config('DEBUG')` without `cast=bool`, django-environ `env('DEBUG')` or `env.str('DEBUG')` instead of `env.bool` (an `Env(DEBUG=(bool, ...))` scheme is a cast), or `bool()` of such a lookup. When the default is itself a non-empty string (`os.environ.get('DEBUG', 'False')`), DEBUG is already on in production: DJR202 reports that, with the same fix.",
      why: "An environment variable is a string. Without a cast, `DEBUG=False` and `DEBUG=0` are the non-empty strings 'False' and '0', which are truthy: the operator who turns debug off in production turns it on, with stack traces, settings and SQL on every error page. `bool('False')` is True too.",
      example: "import os\n\nDEBUG = os.environ.get('DEBUG', False)",
      instead: "import os\n\nDEBUG = os.environ.get('DEBUG', 'False').lower() in ('1', 'true', 'yes')",
      fixSafety: "Unsafe: the value is parsed as a boolean from then on, so a deployment that sets DEBUG to 'False', '0' or 'no' (and ran with debug on, unknowingly) now runs with it off, and any other value but '1', 'true' or 'yes' turns it off too. python-decouple gets `cast=bool`, django-environ `env.bool(...)`, `os.environ` a comparison with the usual truthy words.",
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#debug',
        'https://github.com/HBNetwork/python-decouple#understanding-the-cast-argument',
        'https://django-environ.readthedocs.io/en/latest/types.html',
      ],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('DEBUG');
    if (!b) return;
    const found = uncastDebugLookup(b);
    // computed in a way that cannot be followed: whether it is cast is not known
    if (!found && b.value.kind === 'unknown' && !b.value.env) return ctx.notChecked(unreadable('DEBUG', b.value));
    // a non-empty string default: DEBUG is on in production, which DJR202 reports (with this fix)
    if (!found || isTruthy(b.value) === true) return;
    const variable = found.env.variable ?? 'the variable';
    const fix = debugCastFix(ctx, found);
    ctx.report({
      at: found.at,
      message: `DEBUG is the raw value of ${variable}${b.conditional ? ' (in a branch that may run)' : ''}: without a boolean cast, DEBUG=False and DEBUG=0 are non-empty strings, and turn debug on`,
      fixes: fix ? [fix] : [],
    });
  },
});
