import { addInstalledAppEdits, defineRule, dictGet, isSequence, replaceEnvDefault, truthy, unreadable, type Edit } from '../../server/src/engine';

const APP = 'rest_framework_simplejwt.token_blacklist';

export default defineRule({
  meta: {
    code: 'DJR504',
    name: 'jwt-blacklist-disabled',
    category: 'auth',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001'],
    message: 'Rotated JWT refresh tokens are not blacklisted',
    fixTitle: "Set SIMPLE_JWT['BLACKLIST_AFTER_ROTATION'] = True and install the token_blacklist app (then run manage.py migrate)",
    fix: 'unsafe',
    requires: ['simplejwt'],
    docs: {
      what: "Flags production settings where djangorestframework-simplejwt's `SIMPLE_JWT['BLACKLIST_AFTER_ROTATION']` is not true (absent counts: the package default is False, as does a missing `SIMPLE_JWT`), or where it is true but `rest_framework_simplejwt.token_blacklist` is not in `INSTALLED_APPS`, in which case simplejwt silently skips the blacklisting. An environment lookup is judged by its default.",
      why: 'Rotation only helps if the old refresh token stops working: without the blacklist every refresh token ever issued stays valid until it expires, a thief can keep refreshing next to the user, and logout cannot revoke anything. The blacklist app records used and revoked tokens and refuses them.',
      example: "INSTALLED_APPS = [\n    'rest_framework_simplejwt',\n]\nSIMPLE_JWT = {\n    'ROTATE_REFRESH_TOKENS': True,\n}",
      instead: "INSTALLED_APPS = [\n    'rest_framework_simplejwt',\n    'rest_framework_simplejwt.token_blacklist',\n]\nSIMPLE_JWT = {\n    'ROTATE_REFRESH_TOKENS': True,\n    'BLACKLIST_AFTER_ROTATION': True,\n}",
      fixSafety: "Unsafe, with a follow-up step (its title says so): adds `'BLACKLIST_AFTER_ROTATION': True` inside SIMPLE_JWT (created when absent) and `rest_framework_simplejwt.token_blacklist` to INSTALLED_APPS (next to `rest_framework_simplejwt` when it is listed). Run `manage.py migrate` when deploying: the app has tables, and refreshing tokens fails until they exist. Schedule `manage.py flushexpiredtokens` to keep them small.",
      references: [
        'https://django-rest-framework-simplejwt.readthedocs.io/en/latest/blacklist_app.html',
        'https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html#blacklist-after-rotation',
      ],
    },
  },
  checkSettings(ctx) {
    const jwt = ctx.setting('SIMPLE_JWT');
    if (jwt && jwt.value.kind !== 'dict') return ctx.notChecked(unreadable('SIMPLE_JWT', jwt.value));
    const apps = ctx.setting('INSTALLED_APPS');
    const readable = !!apps && isSequence(apps.value);
    const installed = !readable || ctx.installedApps.some((a) => a === APP || a.startsWith(APP + '.'));
    const addApp = (): Edit[] => (installed ? [] : addInstalledAppEdits(ctx, APP, 'rest_framework_simplejwt'));
    const entry = dictGet(jwt?.value, 'BLACKLIST_AFTER_ROTATION');
    const title = installed ? "Set SIMPLE_JWT['BLACKLIST_AFTER_ROTATION'] = True" : "Set SIMPLE_JWT['BLACKLIST_AFTER_ROTATION'] = True and add the token_blacklist app to INSTALLED_APPS (then run manage.py migrate)";
    const appNote = installed ? '' : ` (and ${APP} is not installed)`;
    if (!entry) {
      ctx.report({
        at: ctx.missingAt('SIMPLE_JWT'),
        message: `${jwt ? 'SIMPLE_JWT does not set BLACKLIST_AFTER_ROTATION' : 'SIMPLE_JWT is not set'} (djangorestframework-simplejwt defaults to False)${appNote}: used refresh tokens stay valid until they expire`,
        fixes: [{ title, applicability: 'unsafe', edits: [...ctx.setDictKeyEdits('SIMPLE_JWT', ['BLACKLIST_AFTER_ROTATION'], 'True'), ...addApp()] }],
      });
      return;
    }
    const on = truthy(entry.value);
    if (on === undefined) return ctx.notChecked(unreadable("SIMPLE_JWT['BLACKLIST_AFTER_ROTATION']", entry.value));
    const env = entry.value.env;
    if (!on) {
      ctx.report({
        at: entry.origin,
        message: `SIMPLE_JWT['BLACKLIST_AFTER_ROTATION'] is off${env ? ` (the default of ${env.variable ?? 'an environment variable'})` : ''}${appNote}: used refresh tokens stay valid until they expire`,
        fixes: [{ title, applicability: 'unsafe', edits: [...(env?.defaultOrigin ? replaceEnvDefault(ctx, env, true) : ctx.setDictKeyEdits('SIMPLE_JWT', ['BLACKLIST_AFTER_ROTATION'], 'True')), ...addApp()] }],
      });
      return;
    }
    if (installed) return;
    const edits = addApp();
    ctx.report({
      at: entry.origin,
      message: `SIMPLE_JWT['BLACKLIST_AFTER_ROTATION'] is True but ${APP} is not in INSTALLED_APPS: simplejwt silently skips the blacklisting`,
      fixes: edits.length ? [{ title: `Add ${APP} to INSTALLED_APPS (then run manage.py migrate)`, applicability: 'unsafe', edits }] : [],
    });
  },
});
