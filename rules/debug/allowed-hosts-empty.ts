import { defineRule, dropEnvDefault, isSequence, isTruthy, unreadable, type Edit, type FixSpec, type SettingsContext, type Value } from '../../server/src/engine';

/** An empty host list, or one holding only empty strings (`''.split(',')` gives `['']`). */
function isEmptyHosts(v: Value): boolean {
  if (v.kind === 'str') return v.value.trim() === '';
  return isSequence(v) && v.items.every((it) => it.kind === 'str' && it.value.trim() === '');
}

function envListFix(ctx: SettingsContext): FixSpec {
  const { expr, edits } = ctx.editor.envLookup('DJANGO_ALLOWED_HOSTS', 'list');
  return { title: 'Read ALLOWED_HOSTS from the environment variable DJANGO_ALLOWED_HOSTS', applicability: 'unsafe', edits: [...ctx.setSettingEdits('ALLOWED_HOSTS', expr), ...edits] };
}

export default defineRule({
  meta: {
    code: 'DJR204',
    name: 'allowed-hosts-empty',
    category: 'debug',
    severity: 'warning',
    kind: 'settings',
    seeds: ['001', '002'],
    django: 'W020',
    message: 'ALLOWED_HOSTS is empty in production',
    fixTitle: 'Read ALLOWED_HOSTS from the environment',
    fix: 'unsafe',
    docs: {
      what: "Flags a production `ALLOWED_HOSTS` that is empty: the literal `[]`, an environment lookup whose default is empty (`env.list('ALLOWED_HOSTS', default=[])`, `config('ALLOWED_HOSTS', default='', cast=Csv())`, `os.environ.get('ALLOWED_HOSTS', '').split(',')`), or no `ALLOWED_HOSTS` at all (Django's default is `[]`) while DEBUG is off. A lookup without a default is not flagged: its value comes from the environment.",
      why: 'With DEBUG off, Django answers every request whose Host is not listed with 400 Bad Request. An empty list is the startproject default that only works in development (DEBUG on allows localhost); in production it takes the whole site down, usually discovered right after a deploy.',
      example: 'DEBUG = False\nALLOWED_HOSTS = []',
      instead: "import os\n\nALLOWED_HOSTS = [h.strip() for h in os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',') if h.strip()]\n# DJANGO_ALLOWED_HOSTS=example.com,www.example.com",
      fixSafety: 'Unsafe: ALLOWED_HOSTS is read from DJANGO_ALLOWED_HOSTS (an empty environment default is removed, so the variable becomes required). Set the variable to your domains on every server before applying it.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts',
        'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#allowed-hosts',
      ],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('ALLOWED_HOSTS');
    if (!b) {
      // Django's default is []: a problem once DEBUG is off (DEBUG on is DJR201/DJR202's finding).
      const debug = ctx.value('DEBUG');
      if (debug && isTruthy(debug) === true) return;
      ctx.report({ at: ctx.missingAt(), message: "ALLOWED_HOSTS is not set: Django's default [] rejects every request with 400 Bad Request when DEBUG is off", fixes: [envListFix(ctx)] });
      return;
    }
    const v = b.value;
    if (v.kind === 'unknown' && !v.env) return ctx.notChecked(unreadable('ALLOWED_HOSTS', v));
    if (!isEmptyHosts(v)) return;
    // A branch that may run empties a list that is set before it: not worth a warning.
    if (b.conditional && b.previous && !isEmptyHosts(b.previous.value)) return;
    const env = v.env;
    if (env && !env.hasDefault) return;
    const may = b.conditional ? ' (in a branch that may run)' : '';
    let fix: FixSpec | undefined;
    if (env) {
      const edits: Edit[] = dropEnvDefault(ctx, env);
      if (edits.length > 0) fix = { title: `Remove the empty default: ALLOWED_HOSTS must come from ${env.variable ?? 'the environment'}`, applicability: 'unsafe', edits };
    } else fix = envListFix(ctx);
    ctx.report({
      at: ctx.bindingAt(b),
      message: env
        ? `ALLOWED_HOSTS is empty when ${env.variable ?? 'the variable'} is not set${may}: every request is rejected with 400 Bad Request`
        : `ALLOWED_HOSTS is empty${may}: every request is rejected with 400 Bad Request when DEBUG is off`,
      fixes: fix ? [fix] : [],
    });
  },
});
