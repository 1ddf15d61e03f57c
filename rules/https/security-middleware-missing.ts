import { defineRule, insertFirstListItem, SECURITY_MIDDLEWARE, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR309',
    name: 'security-middleware-missing',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '004'],
    django: 'W001',
    message: 'SecurityMiddleware is not in MIDDLEWARE',
    fixTitle: 'Insert SecurityMiddleware first in MIDDLEWARE',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings whose `MIDDLEWARE` does not contain `django.middleware.security.SecurityMiddleware`.',
      why: 'SecurityMiddleware implements the HTTPS redirect, HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy headers. Without it, every one of those settings silently does nothing.',
      example: "MIDDLEWARE = [\n    'django.contrib.sessions.middleware.SessionMiddleware',\n    'django.middleware.common.CommonMiddleware',\n]",
      instead: "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    'django.contrib.sessions.middleware.SessionMiddleware',\n    'django.middleware.common.CommonMiddleware',\n]",
      fixSafety: "Unsafe: SecurityMiddleware applies every `SECURE_*` setting of the module (HSTS, SSL redirect, nosniff, referrer policy...), which did nothing until now: check them before inserting it.",
      references: ['https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.security'],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('MIDDLEWARE');
    if (!b) return ctx.notChecked('MIDDLEWARE is not set in the production settings.');
    if (ctx.middleware.includes(SECURITY_MIDDLEWARE)) return;
    if (b.value.kind !== 'list' && b.value.kind !== 'tuple') return ctx.notChecked(unreadable('MIDDLEWARE', b.value));
    const st = b.stmt.node;
    const literal = st.t === 'assign' && (st.value.t === 'list' || st.value.t === 'tuple') && b.mutations.length === 0 && !b.conditional ? st.value : undefined;
    const ed = ctx.editorFor(b.stmt.module);
    ctx.report({
      at: ctx.bindingAt(b),
      message: 'SecurityMiddleware is not in MIDDLEWARE: HTTPS redirect, HSTS and security headers are not applied',
      fixes: literal ? [{ title: 'Insert SecurityMiddleware first in MIDDLEWARE', applicability: 'unsafe', edits: insertFirstListItem(ed, b.stmt.top, literal, ed.str(SECURITY_MIDDLEWARE)) }] : [],
    });
  },
});
