import { defineRule, type ModuleEditor } from '../../server/src/engine';

/** Calls that configure logging themselves (LOGGING is then not needed). */
const CONFIGURES_LOGGING = new Set(['logging.config.dictConfig', 'logging.config.fileConfig', 'logging.basicConfig']);

function loggingSource(ed: ModuleEditor): string {
  const q = (s: string) => ed.str(s);
  const i1 = ed.indent;
  const i2 = i1.repeat(2);
  const logger = (level: string) => `{${q('handlers')}: [${q('console')}], ${q('level')}: ${q(level)}, ${q('propagate')}: False}`;
  return [
    'LOGGING = {',
    `${i1}${q('version')}: 1,`,
    `${i1}${q('disable_existing_loggers')}: False,`,
    `${i1}${q('handlers')}: {`,
    `${i2}${q('console')}: {${q('class')}: ${q('logging.StreamHandler')}},`,
    `${i1}},`,
    `${i1}${q('root')}: {${q('handlers')}: [${q('console')}], ${q('level')}: ${q('INFO')}},`,
    `${i1}${q('loggers')}: {`,
    `${i2}${q('django.request')}: ${logger('WARNING')},`,
    `${i2}${q('django.security')}: ${logger('WARNING')},`,
    `${i1}},`,
    '}',
  ].join(ed.eol);
}

export default defineRule({
  meta: {
    code: 'DJR801',
    name: 'logging-not-configured',
    category: 'logging',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '002', '003', '004'],
    message: 'LOGGING is not configured for production',
    fixTitle: 'Add a console LOGGING configuration (root, django.request, django.security)',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings that define no `LOGGING` (in the module or anything it inherits), unless `LOGGING_CONFIG = None` or a top-level `logging.config.dictConfig(...)` / `fileConfig(...)` / `logging.basicConfig(...)` call configures logging another way.',
      why: "Django's default configuration sends nothing to the console when DEBUG is off: server errors from `django.request` only go to `mail_admins` (silently dropped without ADMINS and a working mail backend), `django.security` events such as DisallowedHost and suspicious sessions go nowhere, and application loggers below WARNING are lost. In a container, the console (stdout/stderr) is what the platform collects.",
      example: '# no LOGGING anywhere in the production settings',
      instead: "LOGGING = {\n    'version': 1,\n    'disable_existing_loggers': False,\n    'handlers': {\n        'console': {'class': 'logging.StreamHandler'},\n    },\n    'root': {'handlers': ['console'], 'level': 'INFO'},\n    'loggers': {\n        'django.request': {'handlers': ['console'], 'level': 'WARNING', 'propagate': False},\n        'django.security': {'handlers': ['console'], 'level': 'WARNING', 'propagate': False},\n    },\n}",
      fixSafety: "Unsafe: appends a LOGGING dict to the production module that logs to the console (stderr): the root logger at INFO, `django.request` and `django.security` at WARNING. It keeps existing loggers (`disable_existing_loggers: False`), but log output changes, and `django.request` errors are no longer e-mailed to ADMINS: add a `mail_admins` handler if you rely on that.",
      references: [
        'https://docs.djangoproject.com/en/stable/topics/logging/',
        'https://docs.djangoproject.com/en/stable/ref/logging/#default-logging-configuration',
        'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    if (ctx.setting('LOGGING')) return;
    const custom = ctx.setting('LOGGING_CONFIG');
    if (custom && custom.value.kind !== 'str') return; // None (logging set up by hand) or unknown
    if (ctx.calls.some((c) => CONFIGURES_LOGGING.has(c.qualified))) return;
    const ed = ctx.editor;
    ctx.report({
      at: ctx.missingAt(),
      message: 'LOGGING is not configured: with DEBUG off, Django logs server errors and security events nowhere but (at best) e-mail to ADMINS',
      fixes: [{ title: 'Add a console LOGGING configuration (root, django.request, django.security)', applicability: 'unsafe', edits: [ed.insertStatement(loggingSource(ed))] }],
    });
  },
});
