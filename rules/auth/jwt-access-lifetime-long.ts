import { defineRule, dictGet, formatDuration, jwtLifetimeEdits, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR501',
    name: 'jwt-access-lifetime-long',
    category: 'auth',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '004'],
    message: 'JWT access tokens live too long',
    fixTitle: 'Set ACCESS_TOKEN_LIFETIME to timedelta(minutes=15)',
    fix: 'unsafe',
    requires: ['simplejwt'],
    docs: {
      what: "Flags a production `SIMPLE_JWT['ACCESS_TOKEN_LIFETIME']` (djangorestframework-simplejwt) longer than the threshold: 15 minutes by default (setting `djangoReadiness.thresholds.jwtAccessTokenMaxMinutes`). The package default, 5 minutes, passes; an environment lookup is judged by its default.",
      why: 'An access token is checked by signature only: it cannot be revoked, and logging out or changing the password does not invalidate it. A stolen token (from a log, a browser extension, an XSS bug) works until it expires, so its lifetime is the length of the breach. Short-lived access tokens with refresh tokens keep that window small.',
      example: "from datetime import timedelta\n\nSIMPLE_JWT = {\n    'ACCESS_TOKEN_LIFETIME': timedelta(hours=24),\n}",
      instead: "from datetime import timedelta\n\nSIMPLE_JWT = {\n    'ACCESS_TOKEN_LIFETIME': timedelta(minutes=15),\n    'REFRESH_TOKEN_LIFETIME': timedelta(days=7),\n}",
      fixSafety: "Unsafe: access tokens issued from now on expire after the threshold (`timedelta(minutes=15)`, importing timedelta the way the module does, or a lower environment default in its own unit): clients must refresh more often, and a client that does not refresh logs its users out sooner. Tokens already issued keep their expiry.",
      references: [
        'https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html#access-token-lifetime',
        'https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html#token-explicit-revocation-by-the-user',
      ],
    },
  },
  checkSettings(ctx) {
    const jwt = ctx.setting('SIMPLE_JWT');
    if (jwt && jwt.value.kind !== 'dict') return ctx.notChecked(unreadable('SIMPLE_JWT', jwt.value));
    if (!jwt) return; // the default (5 minutes) is fine
    const entry = dictGet(jwt.value, 'ACCESS_TOKEN_LIFETIME');
    const v = entry?.value;
    if (!entry || !v) return;
    if (v.kind !== 'timedelta') return ctx.notChecked(unreadable(`SIMPLE_JWT['ACCESS_TOKEN_LIFETIME']`, v));
    const minutes = ctx.thresholds.jwtAccessTokenMaxMinutes;
    const max = minutes * 60;
    if (v.seconds <= max) return;
    ctx.report({
      at: entry.origin,
      message: `SIMPLE_JWT['ACCESS_TOKEN_LIFETIME'] is ${formatDuration(v.seconds)}${v.env ? ` (the default of ${v.env.variable ?? 'an environment variable'})` : ''}, above ${formatDuration(max)}: a stolen access token cannot be revoked and works that long`,
      fixes: [{ title: `Set ACCESS_TOKEN_LIFETIME to ${formatDuration(max)}`, applicability: 'unsafe', edits: jwtLifetimeEdits(ctx, 'ACCESS_TOKEN_LIFETIME', v, max, 'minutes', minutes) }],
    });
  },
});
