import { defineRule, formatDuration, securityMiddlewareActive, unreadable, type FixSpec } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR304',
    name: 'hsts-not-set',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '002', '004'],
    django: 'W004',
    message: 'HTTP Strict Transport Security is not enabled',
    fixTitle: 'Set SECURE_HSTS_SECONDS = 31536000 (one year)',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings where `SECURE_HSTS_SECONDS` is absent, 0, or below the threshold (one year by default; setting `djangoReadiness.hsts.minSeconds`).',
      why: 'Without HSTS a browser will try plain HTTP first whenever a user types the address or follows an old link, and an attacker on the network can intercept that first request (SSL stripping). HSTS tells browsers to use HTTPS only, for the given time.',
      example: '# no SECURE_HSTS_SECONDS anywhere in production',
      instead: 'SECURE_HSTS_SECONDS = 31536000  # one year\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True',
      fixSafety: "Unsafe: browsers that see the header refuse plain HTTP for the site for `SECURE_HSTS_SECONDS` (one year here), with no way back before it expires. A deliberate short value (an HSTS ramp) is replaced, and an ssl-only policy applies to every environment that uses the module. Roll it out gradually once HTTPS is solid everywhere.",
      references: [
        'https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security',
        'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    if (!securityMiddlewareActive(ctx)) return; // DJR309 reports the cause
    const min = ctx.thresholds.hstsMinSeconds;
    const b = ctx.setting('SECURE_HSTS_SECONDS');
    const fixes: FixSpec[] = [{ title: `Set SECURE_HSTS_SECONDS = ${Math.max(min, 31536000)} (${formatDuration(Math.max(min, 31536000))})`, applicability: 'unsafe', edits: ctx.setSettingEdits('SECURE_HSTS_SECONDS', String(Math.max(min, 31536000))) }];
    if (!b) {
      ctx.report({ at: ctx.missingNear('SECURE_HSTS_SECONDS'), message: 'SECURE_HSTS_SECONDS is not set: browsers are not told to use HTTPS only', fixes });
      return;
    }
    const v = b.value;
    if (v.kind !== 'num') return ctx.notChecked(unreadable('SECURE_HSTS_SECONDS', v));
    if (v.value <= 0) ctx.report({ at: ctx.bindingAt(b), message: 'SECURE_HSTS_SECONDS is 0: HTTP Strict Transport Security is off', fixes });
    else if (v.value < min) ctx.report({ at: ctx.bindingAt(b), message: `SECURE_HSTS_SECONDS is ${formatDuration(v.value)}, below ${formatDuration(min)}`, fixes });
  },
});
