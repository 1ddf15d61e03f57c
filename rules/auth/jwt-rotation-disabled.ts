import { defineRule, dictGet, replaceEnvDefault, truthy, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR503',
    name: 'jwt-rotation-disabled',
    category: 'auth',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001'],
    message: 'JWT refresh tokens are not rotated',
    fixTitle: "Set SIMPLE_JWT['ROTATE_REFRESH_TOKENS'] = True",
    fix: 'unsafe',
    requires: ['simplejwt'],
    docs: {
      what: "Flags production settings where djangorestframework-simplejwt's `SIMPLE_JWT['ROTATE_REFRESH_TOKENS']` is not true, including when it is absent (the package default is False) or `SIMPLE_JWT` is not set at all. An environment lookup is judged by its default.",
      why: 'Without rotation one refresh token is reused for its whole lifetime, so a stolen one keeps working silently next to the legitimate client. With rotation every refresh returns a new refresh token; together with the blacklist (DJR504) the old one stops working, which limits a leak to a single use and makes reuse detectable.',
      example: "SIMPLE_JWT = {\n    'ACCESS_TOKEN_LIFETIME': timedelta(minutes=15),\n}",
      instead: "SIMPLE_JWT = {\n    'ACCESS_TOKEN_LIFETIME': timedelta(minutes=15),\n    'ROTATE_REFRESH_TOKENS': True,\n    'BLACKLIST_AFTER_ROTATION': True,\n}",
      fixSafety: "Unsafe: adds `'ROTATE_REFRESH_TOKENS': True` inside SIMPLE_JWT (created when absent), or sets it / its environment default to True. The refresh endpoint then returns a new `refresh` token next to `access`: clients must store it, or their next refresh uses an old token.",
      references: [
        'https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html#rotate-refresh-tokens',
        'https://datatracker.ietf.org/doc/html/rfc9700#section-4.14',
      ],
    },
  },
  checkSettings(ctx) {
    const jwt = ctx.setting('SIMPLE_JWT');
    if (jwt && jwt.value.kind !== 'dict') return ctx.notChecked(unreadable('SIMPLE_JWT', jwt.value));
    const entry = dictGet(jwt?.value, 'ROTATE_REFRESH_TOKENS');
    const setTrue = () => ctx.setDictKeyEdits('SIMPLE_JWT', ['ROTATE_REFRESH_TOKENS'], 'True');
    if (!entry) {
      ctx.report({
        at: ctx.missingAt('SIMPLE_JWT'),
        message: `${jwt ? 'SIMPLE_JWT does not set ROTATE_REFRESH_TOKENS' : 'SIMPLE_JWT is not set'} (djangorestframework-simplejwt defaults to False): a stolen refresh token can be reused for its whole lifetime`,
        fixes: [{ title: "Set SIMPLE_JWT['ROTATE_REFRESH_TOKENS'] = True", applicability: 'unsafe', edits: setTrue() }],
      });
      return;
    }
    const v = entry.value;
    if (truthy(v) === undefined) return ctx.notChecked(unreadable("SIMPLE_JWT['ROTATE_REFRESH_TOKENS']", v));
    if (truthy(v) !== false) return;
    const env = v.env;
    ctx.report({
      at: entry.origin,
      message: `SIMPLE_JWT['ROTATE_REFRESH_TOKENS'] is off${env ? ` (the default of ${env.variable ?? 'an environment variable'})` : ''}: a stolen refresh token can be reused for its whole lifetime`,
      fixes: [{ title: "Set SIMPLE_JWT['ROTATE_REFRESH_TOKENS'] = True", applicability: 'unsafe', edits: env?.defaultOrigin ? replaceEnvDefault(ctx, env, true) : setTrue() }],
    });
  },
});
