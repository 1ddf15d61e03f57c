import { corsSetting, defineRule, truthy, unreadable, type Binding, type SettingsContext, type Value } from '../../server/src/engine';

const LOOPBACK = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)(:\d+)?\/?$/i;

/** The origins of a setting with the values that hold them (a comma-separated env string is split). */
function origins(v: Value): { origin: string; at: Value }[] {
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') return v.items.flatMap((it) => (it.kind === 'str' ? [{ origin: it.value.trim(), at: it }] : []));
  // `config('X', default='https://a,https://b', cast=lambda v: v.split(','))` keeps the string
  if (v.kind === 'str' && v.env) return v.value.split(',').map((s) => ({ origin: s.trim(), at: v })).filter((o) => o.origin);
  return [];
}

function check(ctx: SettingsContext, b: Binding, cors: boolean): void {
  for (const { origin, at } of origins(b.value)) {
    const http = /^http:\/\//i.test(origin);
    const wild = origin.includes('*');
    if (!http && !wild) continue;
    const src = at.env ? ` (the default of ${at.env.variable ?? 'an environment variable'})` : '';
    let why: string;
    if (wild && cors) why = `is a wildcard, but django-cors-headers compares origins exactly: it never matches (use CORS_ALLOWED_ORIGIN_REGEXES with an anchored pattern)${http ? ', and it is plain HTTP' : ''}`;
    else if (wild) why = `is a wildcard: every matching ${origin === '*' ? 'origin' : 'subdomain'} is trusted${http ? ', over plain HTTP' : ''}`;
    else if (LOOPBACK.test(origin)) why = 'is a development origin: any page served on that port of a visitor\'s machine is trusted in production';
    else why = 'is plain HTTP: a network attacker can inject a page for that origin and it will be trusted';
    ctx.report({
      at: at.origin,
      message: `${b.name} entry '${origin}'${src} ${why}`,
    });
  }
}

export default defineRule({
  meta: {
    code: 'DJR403',
    name: 'insecure-trusted-origin',
    category: 'cors',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '002', '004'],
    message: 'A trusted origin is plain HTTP or a wildcard',
    fix: 'none',
    docs: {
      what: "Flags each `http://` or wildcard (`*`) entry of `CSRF_TRUSTED_ORIGINS`, and of `CORS_ALLOWED_ORIGINS` (or its old name `CORS_ORIGIN_WHITELIST`) when the project uses django-cors-headers, in the production settings. Development origins such as `http://localhost:3000` are flagged too: production should trust only the deployed frontend. An environment lookup is judged by its default, split on commas when it stays a string.",
      why: "A plain-HTTP origin can be impersonated by anyone on the network path (public Wi-Fi, a compromised router): the injected page is then allowed to send unsafe requests past CSRF protection or read API responses through CORS. A wildcard in `CSRF_TRUSTED_ORIGINS` trusts every subdomain, including forgotten ones open to takeover; in `CORS_ALLOWED_ORIGINS` it never matches at all (origins are compared exactly), which usually hides a broken configuration. A localhost origin left from development trusts whatever runs on that port of each visitor's machine.",
      example: "CORS_ALLOWED_ORIGINS = ['http://localhost:3000', 'http://app.example.com']\nCSRF_TRUSTED_ORIGINS = ['https://*.example.com']",
      instead: "CORS_ALLOWED_ORIGINS = ['https://app.example.com']\nCSRF_TRUSTED_ORIGINS = ['https://app.example.com', 'https://admin.example.com']",
      fixSafety: 'No automatic fix: switching an origin to https:// or removing it changes which frontends work, and only you know the deployed origins. Keep development origins in the development settings module.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins',
        'https://github.com/adamchainz/django-cors-headers#cors_allowed_origins-sequencestr',
        'https://owasp.org/www-community/attacks/csrf',
      ],
    },
  },
  checkSettings(ctx) {
    const cors = ctx.uses('corsheaders') ? corsSetting(ctx, 'CORS_ALLOWED_ORIGINS') : undefined;
    if (cors) check(ctx, cors, true);
    const csrf = ctx.setting('CSRF_TRUSTED_ORIGINS');
    if (csrf) check(ctx, csrf, false);
    if (!cors && !csrf) return ctx.notApplicable(`No trusted origin is configured (${ctx.uses('corsheaders') ? 'neither CORS_ALLOWED_ORIGINS nor CSRF_TRUSTED_ORIGINS' : 'CSRF_TRUSTED_ORIGINS is not set'}).`);
    // an environment lookup without a default puts no origin in the code (deploy-time values are not judged)
    for (const b of [cors, csrf]) if (b && origins(b.value).length === 0 && truthy(b.value) !== false && !(b.value.env && !b.value.env.hasDefault)) ctx.notChecked(unreadable(b.name, b.value));
  },
});
