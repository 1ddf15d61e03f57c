import { defineRule, dropEnvDefault, listFullyKnown, originOffsets, stringItems, unreadable, type EnvInfo, type Edit, type Origin, type Value } from '../../server/src/engine';

/** Whether `o` lies inside the default expression of an environment lookup. */
function insideDefault(o: Origin, env: EnvInfo | undefined): env is EnvInfo {
  const d = env?.defaultOrigin;
  if (!env?.hasDefault || !d || d.module !== o.module) return false;
  const a = originOffsets(d);
  const b = originOffsets(o);
  return b.start >= a.start && b.end <= a.end;
}

export default defineRule({
  meta: {
    code: 'DJR203',
    name: 'allowed-hosts-wildcard',
    category: 'debug',
    severity: 'warning',
    kind: 'settings',
    seeds: ['001', '002', '004'],
    message: "ALLOWED_HOSTS accepts any host ('*')",
    fixTitle: 'Read ALLOWED_HOSTS from the environment',
    fix: 'unsafe',
    docs: {
      what: "Flags `'*'` in the production `ALLOWED_HOSTS`, written as a literal or as the default of an environment lookup (`env.list('ALLOWED_HOSTS', default=['*'])`, `os.environ.get('ALLOWED_HOSTS', '*').split(',')`, `config('ALLOWED_HOSTS', default='*', cast=Csv())`).",
      why: "ALLOWED_HOSTS is Django's defence against forged Host headers. With `'*'` any Host is accepted, so an attacker can make Django build absolute URLs (password-reset links, redirects, cached pages) that point to a domain they control. `manage.py check --deploy` does not warn about it.",
      example: "ALLOWED_HOSTS = ['*']",
      instead: "import os\n\nALLOWED_HOSTS = [h.strip() for h in os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',') if h.strip()]\n# DJANGO_ALLOWED_HOSTS=example.com,www.example.com",
      fixSafety: 'Unsafe: the literal list is replaced by one read from DJANGO_ALLOWED_HOSTS (an environment default of `*` is removed, so the variable becomes required). Requests for hosts not listed in the variable get 400 Bad Request, so set it on every server before applying the fix.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts',
        'https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation',
        'https://cheatsheetseries.owasp.org/cheatsheets/Django_Security_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('ALLOWED_HOSTS');
    if (!b) return;
    const v = b.value;
    const star: Value | undefined = v.kind === 'str' ? (v.value.trim() === '*' ? v : undefined) : stringItems(v).find((s) => s.value.trim() === '*')?.item;
    // no '*' among what can be read: a value the analysis cannot read (paperless-ngx's
    // get_list_from_env(..., default=["*"])) is not checked, never passed
    if (!star) return v.kind === 'str' || listFullyKnown(v) ? undefined : ctx.notChecked(unreadable('ALLOWED_HOSTS', v));
    const env = star.env ?? v.env;
    const may = b.conditional ? ' (in a branch that may run)' : '';
    let edits: Edit[] = [];
    let title = '';
    if (insideDefault(star.origin, env)) {
      edits = dropEnvDefault(ctx, env);
      title = `Remove the '*' default: ALLOWED_HOSTS must come from ${env.variable ?? 'the environment'}`;
    } else if (!env) {
      const { expr, edits: imports } = ctx.editor.envLookup('DJANGO_ALLOWED_HOSTS', 'list');
      edits = [...ctx.setSettingEdits('ALLOWED_HOSTS', expr), ...imports];
      title = 'Read ALLOWED_HOSTS from the environment variable DJANGO_ALLOWED_HOSTS';
    }
    ctx.report({
      at: star.origin,
      message: insideDefault(star.origin, env)
        ? `ALLOWED_HOSTS falls back to '*' when ${env?.variable ?? 'the variable'} is not set${may}: any Host header is accepted (poisoned password-reset links and caches)`
        : `ALLOWED_HOSTS contains '*'${may}: any Host header is accepted (poisoned password-reset links and caches)`,
      fixes: edits.length > 0 ? [{ title, applicability: 'unsafe', edits }] : [],
    });
  },
});
