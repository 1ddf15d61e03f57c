import { defineRule, requireTrue, securityMiddlewareActive } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR301',
    name: 'ssl-redirect-disabled',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '002', '004'],
    django: 'W008',
    message: 'SECURE_SSL_REDIRECT is not True: plain HTTP requests are served',
    fixTitle: 'Set SECURE_SSL_REDIRECT = True',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings where `SECURE_SSL_REDIRECT` is absent (Django defaults to False) or False, including a False default of an environment lookup.',
      why: 'Without the redirect, a user who types the address or follows an old `http://` link talks to the site in clear text: cookies, tokens and form data can be read or changed on the network. Behind a load balancer or proxy that terminates TLS, also set `SECURE_PROXY_SSL_HEADER` so Django knows the original request was HTTPS (otherwise the redirect loops).',
      example: 'SECURE_SSL_REDIRECT = False',
      instead: "SECURE_SSL_REDIRECT = True\n# behind a TLS-terminating proxy that sets X-Forwarded-Proto:\nSECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')",
      fixSafety: "Unsafe: every plain-HTTP request is redirected to HTTPS. When the setting lands in a module development settings also use (a lone settings.py, a base.py), `runserver` over http stops working there; behind a TLS-terminating proxy without `SECURE_PROXY_SSL_HEADER` requests loop. Put it in the production settings and check HTTPS end to end before deploying.",
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#secure-ssl-redirect', 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header'],
    },
  },
  checkSettings(ctx) {
    if (!securityMiddlewareActive(ctx)) return;
    const behindProxy = ctx.setting('SECURE_PROXY_SSL_HEADER') ? '' : ' (behind a TLS-terminating proxy, also set SECURE_PROXY_SSL_HEADER)';
    requireTrue(ctx, {
      name: 'SECURE_SSL_REDIRECT',
      djangoDefault: false,
      missing: `SECURE_SSL_REDIRECT is not set: plain HTTP requests are not redirected to HTTPS${behindProxy}`,
      disabled: `SECURE_SSL_REDIRECT is False: plain HTTP requests are not redirected to HTTPS${behindProxy}`,
    });
  },
});
