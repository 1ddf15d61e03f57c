import { defineRule, dictGet, formatDuration, jwtLifetimeEdits, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR502',
    name: 'jwt-refresh-lifetime-long',
    category: 'auth',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000'],
    message: 'JWT refresh tokens live too long',
    fixTitle: 'Set REFRESH_TOKEN_LIFETIME to timedelta(days=7)',
    fix: 'unsafe',
    requires: ['simplejwt'],
    docs: {
      what: "Flags a production `SIMPLE_JWT['REFRESH_TOKEN_LIFETIME']` (djangorestframework-simplejwt) longer than the threshold: 7 days by default (setting `djangoReadiness.thresholds.jwtRefreshTokenMaxDays`). The package default, 1 day, passes; an environment lookup is judged by its default.",
      why: 'A refresh token mints new access tokens for as long as it lives: whoever steals one (from local storage, a backup, a shared computer) stays logged in as the user for that whole time, and without rotation and a blacklist nothing revokes it. Weeks or months of validity turn one leak into a lasting account takeover.',
      example: "from datetime import timedelta\n\nSIMPLE_JWT = {\n    'REFRESH_TOKEN_LIFETIME': timedelta(days=90),\n}",
      instead: "from datetime import timedelta\n\nSIMPLE_JWT = {\n    'REFRESH_TOKEN_LIFETIME': timedelta(days=7),\n    'ROTATE_REFRESH_TOKENS': True,\n    'BLACKLIST_AFTER_ROTATION': True,\n}",
      fixSafety: "Unsafe: refresh tokens issued from now on expire after the threshold (`timedelta(days=7)`, importing timedelta the way the module does, or a lower environment default in its own unit): users log in again sooner. Refresh tokens already issued keep their expiry.",
      references: [
        'https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html#refresh-token-lifetime',
        'https://datatracker.ietf.org/doc/html/rfc9700#section-4.14',
      ],
    },
  },
  checkSettings(ctx) {
    const jwt = ctx.setting('SIMPLE_JWT');
    if (jwt && jwt.value.kind !== 'dict') return ctx.notChecked(unreadable('SIMPLE_JWT', jwt.value));
    if (!jwt) return; // the default (1 day) is fine
    const entry = dictGet(jwt.value, 'REFRESH_TOKEN_LIFETIME');
    const v = entry?.value;
    if (!entry || !v) return;
    if (v.kind !== 'timedelta') return ctx.notChecked(unreadable(`SIMPLE_JWT['REFRESH_TOKEN_LIFETIME']`, v));
    const days = ctx.thresholds.jwtRefreshTokenMaxDays;
    const max = days * 86400;
    if (v.seconds <= max) return;
    ctx.report({
      at: entry.origin,
      message: `SIMPLE_JWT['REFRESH_TOKEN_LIFETIME'] is ${formatDuration(v.seconds)}${v.env ? ` (the default of ${v.env.variable ?? 'an environment variable'})` : ''}, above ${formatDuration(max)}: a stolen refresh token keeps the thief logged in that long`,
      fixes: [{ title: `Set REFRESH_TOKEN_LIFETIME to ${formatDuration(max)}`, applicability: 'unsafe', edits: jwtLifetimeEdits(ctx, 'REFRESH_TOKEN_LIFETIME', v, max, 'days', days) }],
    });
  },
});
