import { corsSetting, defineRule, regexAllowsAnyOrigin, regexIsWildcard, stringItems, truthy, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR402',
    name: 'cors-credentials-with-any-origin',
    category: 'cors',
    severity: 'error',
    kind: 'settings',
    seeds: ['000', '002', '004'],
    message: 'CORS sends credentials to any origin',
    fix: 'none',
    requires: ['corsheaders'],
    docs: {
      what: "Flags production settings where `CORS_ALLOW_CREDENTIALS` is true while django-cors-headers accepts any origin (`CORS_ALLOW_ALL_ORIGINS` / `CORS_ORIGIN_ALLOW_ALL` true) or origins matched by a wildcard regex in `CORS_ALLOWED_ORIGIN_REGEXES` (any pattern with an open-ended `*`, `+` or `{n,}`, e.g. `r'^https://\\w+\\.example\\.com$'`). An environment lookup is judged by its default.",
      why: "With credentials allowed, the browser sends the user's cookies (session, CSRF) with cross-origin requests and lets the calling page read the answer. django-cors-headers never answers `*` in that case: it echoes the caller's origin, so allow-all plus credentials means any website can act as the logged-in user and read their data. A wildcard regex extends that trust to every matching subdomain, including forgotten or user-controlled ones (a dangling DNS record is enough for a takeover).",
      example: 'CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True',
      instead: "CORS_ALLOWED_ORIGINS = ['https://app.example.com']\nCORS_ALLOW_CREDENTIALS = True",
      fixSafety: 'No automatic fix: which origins may send credentials is a product decision. List the exact frontend origins in `CORS_ALLOWED_ORIGINS`, or set `CORS_ALLOW_CREDENTIALS = False` if the API authenticates with an Authorization header only.',
      references: [
        'https://github.com/adamchainz/django-cors-headers#cors_allow_credentials-bool',
        'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials',
        'https://portswigger.net/web-security/cors',
      ],
    },
  },
  checkSettings(ctx) {
    const cred = ctx.setting('CORS_ALLOW_CREDENTIALS');
    const on = cred ? truthy(cred.value) : false;
    if (on === undefined) return ctx.notChecked(unreadable('CORS_ALLOW_CREDENTIALS', cred?.value));
    if (!on || !cred) return ctx.notApplicable('CORS_ALLOW_CREDENTIALS is off: no cross-origin request carries cookies or credentials.');
    const fromEnv = cred.value.env ? ` (the default of ${cred.value.env.variable ?? 'an environment variable'})` : '';
    const all = corsSetting(ctx, 'CORS_ALLOW_ALL_ORIGINS');
    if (all && truthy(all.value) === true) {
      ctx.report({
        at: ctx.bindingAt(cred),
        message: `CORS_ALLOW_CREDENTIALS is True${fromEnv} while ${all.name} is True: any website can make authenticated requests as the logged-in user and read the answers`,
      });
      return;
    }
    const rx = corsSetting(ctx, 'CORS_ALLOWED_ORIGIN_REGEXES');
    const wild = stringItems(rx?.value).filter((s) => regexIsWildcard(s.value) || regexAllowsAnyOrigin(s.value));
    if (!rx || wild.length === 0) return;
    const any = wild.some((s) => regexAllowsAnyOrigin(s.value));
    const shown = wild.slice(0, 2).map((s) => `r'${s.value}'`).join(', ') + (wild.length > 2 ? ', ...' : '');
    ctx.report({
      at: ctx.bindingAt(cred),
      message: `CORS_ALLOW_CREDENTIALS is True${fromEnv} while ${rx.name} has ${any ? 'a pattern matching any origin' : 'wildcard patterns'} (${shown}): ${any ? 'any website' : 'every matching subdomain'} can make authenticated requests as the logged-in user`,
    });
  },
});
