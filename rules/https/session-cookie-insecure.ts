import { defineRule, requireTrue, usesSessions } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR302',
    name: 'session-cookie-insecure',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '002', '004'],
    django: 'W010-W012',
    message: 'SESSION_COOKIE_SECURE is not True',
    fixTitle: 'Set SESSION_COOKIE_SECURE = True',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings where sessions are in use (`django.contrib.sessions` installed or `SessionMiddleware` enabled) and `SESSION_COOKIE_SECURE` is absent or False.',
      why: 'Without the Secure flag the browser also sends the session cookie over plain HTTP, where anyone on the network can copy it and take over the session.',
      example: '# SESSION_COOKIE_SECURE not set (Django defaults to False)',
      instead: 'SESSION_COOKIE_SECURE = True',
      fixSafety: "Unsafe: browsers stop sending the session cookie over plain HTTP, so logging in over http (runserver, a development module sharing this setting) no longer works. Keep it in the production settings, served over HTTPS only.",
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure', 'https://owasp.org/www-community/controls/SecureCookieAttribute'],
    },
  },
  checkSettings(ctx) {
    if (!usesSessions(ctx, false)) return;
    requireTrue(ctx, {
      name: 'SESSION_COOKIE_SECURE',
      djangoDefault: false,
      missing: 'SESSION_COOKIE_SECURE is not set: the session cookie is also sent over plain HTTP',
      disabled: 'SESSION_COOKIE_SECURE is False: the session cookie is also sent over plain HTTP',
    });
  },
});
