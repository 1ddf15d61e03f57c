import { defineRule, requireTrue, securityMiddlewareActive, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR305',
    name: 'hsts-no-subdomains',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '002', '004'],
    django: 'W005',
    message: 'HSTS does not cover subdomains',
    fixTitle: 'Set SECURE_HSTS_INCLUDE_SUBDOMAINS = True',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings where HSTS is on (`SECURE_HSTS_SECONDS` > 0) but `SECURE_HSTS_INCLUDE_SUBDOMAINS` is absent or False.',
      why: 'Without includeSubDomains, an attacker on the network can use a plain-HTTP subdomain to set or read cookies of the parent domain, bypassing the protection HSTS gives the main site.',
      example: 'SECURE_HSTS_SECONDS = 31536000',
      instead: 'SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True',
      fixSafety: "Unsafe: every subdomain must then serve HTTPS for as long as `SECURE_HSTS_SECONDS`; browsers refuse plain HTTP on any of them, including internal or legacy hosts.",
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-include-subdomains', 'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html'],
    },
  },
  checkSettings(ctx) {
    if (!securityMiddlewareActive(ctx)) return;
    const hsts = ctx.value('SECURE_HSTS_SECONDS');
    if (hsts && hsts.kind !== 'num') return ctx.notChecked(unreadable('SECURE_HSTS_SECONDS', hsts));
    if (!hsts || hsts.value <= 0) return ctx.notChecked(`HSTS is off (SECURE_HSTS_SECONDS is ${hsts ? '0' : 'not set'}): there are no subdomains to cover until it is on.`);
    requireTrue(ctx, {
      name: 'SECURE_HSTS_INCLUDE_SUBDOMAINS',
      djangoDefault: false,
      missing: 'SECURE_HSTS_INCLUDE_SUBDOMAINS is not set: HSTS does not protect subdomains',
      disabled: 'SECURE_HSTS_INCLUDE_SUBDOMAINS is False: HSTS does not protect subdomains',
    });
  },
});
