import { defineRule, unreadable, type FixSpec, type PyExpr } from '../../server/src/engine';

const CSRF = 'django.middleware.csrf.CsrfViewMiddleware';
// Django's order: CSRF after sessions/common, before authentication.
const BEFORE = ['django.middleware.common.CommonMiddleware', 'django.contrib.sessions.middleware.SessionMiddleware', 'django.middleware.security.SecurityMiddleware'];

export default defineRule({
  meta: {
    code: 'DJR310',
    name: 'csrf-middleware-missing',
    category: 'https',
    severity: 'error',
    kind: 'settings',
    seeds: ['000', '001', '004'],
    django: 'W003',
    message: 'CsrfViewMiddleware is not in MIDDLEWARE',
    fixTitle: 'Insert CsrfViewMiddleware in MIDDLEWARE',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings whose `MIDDLEWARE` does not contain `django.middleware.csrf.CsrfViewMiddleware`.',
      why: 'Without it no view is protected against cross-site request forgery (unless each one uses `csrf_protect`): any site the user visits can submit forms and API calls with the user\'s cookies.',
      example: "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    'django.middleware.common.CommonMiddleware',\n    'django.contrib.auth.middleware.AuthenticationMiddleware',\n]",
      instead: "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    'django.middleware.common.CommonMiddleware',\n    'django.middleware.csrf.CsrfViewMiddleware',\n    'django.contrib.auth.middleware.AuthenticationMiddleware',\n]",
      fixSafety: "Unsafe: every POST, PUT, PATCH and DELETE without a CSRF token (a form missing `{% csrf_token %}`, a script, an API client using session authentication) starts getting 403 responses, which is the point but changes behaviour. Exempt deliberate endpoints first.",
      references: ['https://docs.djangoproject.com/en/stable/ref/csrf/', 'https://owasp.org/www-community/attacks/csrf'],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('MIDDLEWARE');
    if (!b) return ctx.notChecked('MIDDLEWARE is not set in the production settings.');
    if (ctx.middleware.includes(CSRF)) return;
    if (b.value.kind !== 'list' && b.value.kind !== 'tuple') return ctx.notChecked(unreadable('MIDDLEWARE', b.value));
    const st = b.stmt.node;
    const literal = st.t === 'assign' && (st.value.t === 'list' || st.value.t === 'tuple') && b.mutations.length === 0 && !b.conditional ? st.value : undefined;
    const fixes: FixSpec[] = [];
    if (literal && literal.items.length > 0) {
      const ed = ctx.editorFor(b.stmt.module);
      const after = BEFORE.map((name) => literal.items.find((i: PyExpr) => i.t === 'str' && i.v === name)).find((x) => x);
      const edits = ed.appendListItem(b.stmt.top, literal, ed.str(CSRF), after);
      fixes.push({ title: 'Insert CsrfViewMiddleware in MIDDLEWARE', applicability: 'unsafe', edits });
    }
    ctx.report({ at: ctx.bindingAt(b), message: 'CsrfViewMiddleware is not in MIDDLEWARE: views are not protected against cross-site request forgery', fixes });
  },
});
