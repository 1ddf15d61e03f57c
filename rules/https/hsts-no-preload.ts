import { defineRule, requireTrue, securityMiddlewareActive, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR306',
    name: 'hsts-no-preload',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '002', '004'],
    django: 'W021',
    message: 'HSTS preload is not enabled',
    fixTitle: 'Set SECURE_HSTS_PRELOAD = True',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings where HSTS is on (`SECURE_HSTS_SECONDS` > 0) but `SECURE_HSTS_PRELOAD` is absent or False.',
      why: 'HSTS only protects a browser after its first HTTPS visit. With the preload directive (and a submission to the browsers\' preload list) even the very first request uses HTTPS.',
      example: 'SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True',
      instead: 'SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True',
      fixSafety: "Unsafe: the setting only adds `preload` to the header, but submitting the domain to hstspreload.org makes HTTPS mandatory for the domain and all its subdomains in browsers for months, and it is hard to undo. Enable it once HTTPS is solid everywhere, after an HSTS ramp.",
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-preload', 'https://hstspreload.org/'],
    },
  },
  checkSettings(ctx) {
    if (!securityMiddlewareActive(ctx)) return;
    const hsts = ctx.value('SECURE_HSTS_SECONDS');
    if (hsts && hsts.kind !== 'num') return ctx.notChecked(unreadable('SECURE_HSTS_SECONDS', hsts));
    if (!hsts || hsts.value <= 0) return ctx.notChecked(`HSTS is off (SECURE_HSTS_SECONDS is ${hsts ? '0' : 'not set'}): the site cannot be preloaded until it is on.`);
    requireTrue(ctx, {
      name: 'SECURE_HSTS_PRELOAD',
      djangoDefault: false,
      missing: 'SECURE_HSTS_PRELOAD is not set: the first visit of a browser is not protected by HSTS',
      disabled: 'SECURE_HSTS_PRELOAD is False: the first visit of a browser is not protected by HSTS',
    });
  },
});
