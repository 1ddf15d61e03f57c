import { defineRule, middlewareMissing, requireTrue, truthy } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR303',
    name: 'csrf-cookie-insecure',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '002', '004'],
    django: 'W016',
    message: 'CSRF_COOKIE_SECURE is not True',
    fixTitle: 'Set CSRF_COOKIE_SECURE = True',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings where `CsrfViewMiddleware` is enabled, the CSRF token is kept in a cookie (`CSRF_USE_SESSIONS` is not True) and `CSRF_COOKIE_SECURE` is absent or False.',
      why: 'Without the Secure flag the CSRF cookie travels over plain HTTP too, where it can be read and used to forge requests.',
      example: 'CSRF_COOKIE_SECURE = False',
      instead: 'CSRF_COOKIE_SECURE = True',
      fixSafety: "Unsafe: browsers stop sending the CSRF cookie over plain HTTP, so forms posted over http (runserver, a development module sharing this setting) fail with 403. Keep it in the production settings, served over HTTPS only.",
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-secure', 'https://docs.djangoproject.com/en/stable/ref/csrf/'],
    },
  },
  checkSettings(ctx) {
    if (!ctx.middleware.includes('django.middleware.csrf.CsrfViewMiddleware')) return ctx.notChecked(middlewareMissing(ctx, 'CsrfViewMiddleware', 'Django sets no CSRF cookie without it'));
    if (truthy(ctx.value('CSRF_USE_SESSIONS')) === true) return ctx.notApplicable('The CSRF token is kept in the session (CSRF_USE_SESSIONS), not in a cookie of its own.');
    requireTrue(ctx, {
      name: 'CSRF_COOKIE_SECURE',
      djangoDefault: false,
      missing: 'CSRF_COOKIE_SECURE is not set: the CSRF cookie is also sent over plain HTTP',
      disabled: 'CSRF_COOKIE_SECURE is False: the CSRF cookie is also sent over plain HTTP',
    });
  },
});
