import { defineRule, isSequence, truthy, unreadable, type PyModule, type SettingsContext } from '../../server/src/engine';
import type { PyExpr, PyStmt } from '../../server/src/engine/ir';

/** Top-level calls that start an error tracker (qualified through the imports). */
const TRACKER_CALLS = /^(sentry_sdk\.init|raven\.Client|rollbar\.init|bugsnag\.configure|newrelic\.agent\.initialize|honeybadger\.honeybadger\.configure|honeybadger\.configure|airbrake\.\w+|ddtrace\.patch_all|ddtrace\.patch|elasticapm\.\w+|scout_apm\.api\.install|appsignal\.start)$/;
/** INSTALLED_APPS / MIDDLEWARE entries of trackers' Django integrations. */
const TRACKER_DOTTED = /^(raven\.contrib\.django|rollbar\.contrib\.django|bugsnag\.django|honeybadger\.contrib|airbrake\.|elasticapm\.contrib\.django|scout_apm\.django|ddtrace\.contrib\.django|newrelic|opbeat\.contrib\.django|appsignal)/;
/** Settings that configure a tracker. */
const TRACKER_SETTINGS = ['RAVEN_CONFIG', 'ROLLBAR', 'BUGSNAG', 'HONEYBADGER', 'AIRBRAKE', 'ELASTIC_APM', 'SCOUT_KEY', 'SCOUT_MONITOR', 'OPBEAT'];

/**
 * Top-level calls of the settings closure, including those in branches the evaluator did not
 * take: `if SENTRY_DSN: sentry_sdk.init(...)` is a tracker switched on by the environment.
 */
function allTopCalls(ctx: SettingsContext): string[] {
  const out = ctx.calls.map((c) => c.qualified);
  const qualify = (e: PyExpr): string | undefined => {
    if (e.t === 'name') return ctx.scope.aliases.get(e.id) ?? e.id;
    if (e.t === 'attr') {
      const o = qualify(e.obj);
      return o === undefined ? undefined : `${o}.${e.name}`;
    }
    return undefined;
  };
  const visit = (st: PyStmt, depth: number): void => {
    if (depth > 8) return;
    if (st.t === 'expr' && st.value.t === 'call') {
      const q = qualify(st.value.fn);
      if (q) out.push(q);
    } else if (st.t === 'if') for (const b of st.branches) for (const x of b.body) visit(x, depth + 1);
    else if (st.t === 'try') for (const x of [...st.body, ...st.handlers.flat(), ...st.orelse, ...st.final]) visit(x, depth + 1);
    else if (st.t === 'block') for (const x of st.body) visit(x, depth + 1);
  };
  const modules: PyModule[] = [ctx.module, ...ctx.scope.starImports.map((s) => s.module), ...ctx.scope.includes.map((s) => s.module)];
  for (const m of modules) for (const top of m.stmts) if (top.ir.t === 'if' || top.ir.t === 'try' || top.ir.t === 'block') visit(top.ir, 0);
  return out;
}

export default defineRule({
  meta: {
    code: 'DJR802',
    name: 'error-monitoring-missing',
    category: 'logging',
    severity: 'info',
    kind: 'settings',
    seeds: ['000', '001', '002', '003', '004'],
    message: 'No error tracker is initialised and ADMINS is empty: production errors reach no one',
    fix: 'none',
    docs: {
      what: "Flags production settings that start no error tracker (a top-level `sentry_sdk.init(...)`, or Rollbar, Bugsnag, New Relic, Honeybadger, Airbrake, Elastic APM, Datadog, Scout... through their calls, apps, middleware or settings) and leave `ADMINS` empty. A call in a branch that depends on the environment (`if SENTRY_DSN: sentry_sdk.init(...)`) counts; installing `sentry-sdk` without calling `sentry_sdk.init` does not; an `ADMINS` from the environment is judged by its default.",
      why: 'An exception in production returns a 500 page and, without a tracker or ADMINS, is seen by nobody: the failure is discovered by users, often days later, without the stack trace, request and release needed to fix it.',
      example: "# requirements.txt lists sentry-sdk, but settings never call sentry_sdk.init\nADMINS = []",
      instead: "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=os.environ.get('SENTRY_DSN', ''),\n    send_default_pii=False,\n    traces_sample_rate=0.1,\n)",
      fixSafety: 'No automatic fix: a tracker needs an account and a DSN (an empty DSN disables Sentry, which is fine for development).',
      references: [
        'https://docs.sentry.io/platforms/python/integrations/django/',
        'https://docs.djangoproject.com/en/stable/ref/settings/#admins',
        'https://docs.djangoproject.com/en/stable/howto/error-reporting/',
      ],
    },
  },
  checkSettings(ctx) {
    if (allTopCalls(ctx).some((q) => TRACKER_CALLS.test(q))) return;
    if ([...ctx.installedApps, ...ctx.middleware].some((d) => TRACKER_DOTTED.test(d))) return;
    if (TRACKER_SETTINGS.some((n) => ctx.setting(n))) return;
    const admins = ctx.setting('ADMINS');
    if (admins) {
      const v = admins.value;
      if (!isSequence(v)) return ctx.notChecked(unreadable('ADMINS', v));
      if (truthy(v) !== false) return; // someone receives the error mails
      ctx.report({
        at: ctx.bindingAt(admins),
        message: `ADMINS is empty${v.env ? ` (the default of ${v.env.variable ?? 'an environment variable'})` : ''} and no error tracker (e.g. sentry_sdk.init) is initialised: production errors reach no one`,
      });
      return;
    }
    ctx.report({ at: ctx.missingAt(), message: 'No error tracker (e.g. sentry_sdk.init) is initialised and ADMINS is not set: production errors reach no one' });
  },
});
