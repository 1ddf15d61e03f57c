import { defineRule, requireTrue, usesSessions } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR313',
    name: 'session-cookie-httponly-disabled',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '004'],
    django: 'W013-W015',
    message: 'SESSION_COOKIE_HTTPONLY is False',
    fixTitle: 'Set SESSION_COOKIE_HTTPONLY = True',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings that set `SESSION_COOKIE_HTTPONLY` to False (Django\'s default, True, is fine).',
      why: 'An HttpOnly cookie cannot be read by JavaScript, so a cross-site scripting bug cannot steal the session. Turning it off hands every XSS the user\'s session.',
      example: 'SESSION_COOKIE_HTTPONLY = False',
      instead: 'SESSION_COOKIE_HTTPONLY = True  # or leave it unset',
      fixSafety: "Unsafe: front-end code can no longer read the session cookie (`document.cookie`); code that did breaks.",
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-httponly', 'https://owasp.org/www-community/HttpOnly'],
    },
  },
  checkSettings(ctx) {
    if (!usesSessions(ctx, true)) return;
    requireTrue(ctx, {
      name: 'SESSION_COOKIE_HTTPONLY',
      djangoDefault: true,
      missing: 'SESSION_COOKIE_HTTPONLY is not set',
      disabled: 'SESSION_COOKIE_HTTPONLY is False: JavaScript (and so any XSS) can read the session cookie',
    });
  },
});
