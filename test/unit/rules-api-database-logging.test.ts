/**
 * The DRF, database, logging and static-files rules (DJR601-604, DJR701-703, DJR801-803, DJR901)
 * on the shapes their fixtures cannot all hold at once (one REST_FRAMEWORK, one LOGGING, one
 * STATIC_ROOT per project): absent settings, environment defaults, dj-database-url and
 * django-environ, inherited values, applicability. Each case: the findings (file:line, 1-based)
 * and, when given, settings.py after the rule's fixes.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { MemoryFileSystem } from '../../server/src/engine';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, fixturesRoot, ready } from '../helpers/fixtures';
import { checkRuleCase, type RuleCase } from '../helpers/ruleCases';


const DRF = 'INSTALLED_APPS = ["rest_framework"]\n';

const cases: RuleCase[] = [
  // ---- DJR601 drf-no-throttling
  { name: 'REST_FRAMEWORK absent: created with both keys', code: 'DJR601', settings: DRF, expect: ['settings.py:1'], fixed: "INSTALLED_APPS = [\"rest_framework\"]\n\nREST_FRAMEWORK = {\n    \"DEFAULT_THROTTLE_CLASSES\": [\n        \"rest_framework.throttling.AnonRateThrottle\",\n        \"rest_framework.throttling.UserRateThrottle\",\n    ],\n    \"DEFAULT_THROTTLE_RATES\": {\"anon\": \"100/hour\", \"user\": \"1000/hour\"},\n}\n" },
  { name: 'rate throttles without rates', code: 'DJR601', settings: `${DRF}REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"]}\n`, expect: ['settings.py:2'], fixed: "INSTALLED_APPS = [\"rest_framework\"]\nREST_FRAMEWORK = {\n    \"DEFAULT_THROTTLE_CLASSES\": [\"rest_framework.throttling.UserRateThrottle\"],\n    \"DEFAULT_THROTTLE_RATES\": {\"anon\": \"100/hour\", \"user\": \"1000/hour\"},\n}\n" },
  { name: 'a scope without a rate', code: 'DJR601', settings: `${DRF}REST_FRAMEWORK = {\n    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"],\n    "DEFAULT_THROTTLE_RATES": {"anon": "10/minute"},\n}\n`, expect: ['settings.py:4'], fixed: `${DRF}REST_FRAMEWORK = {\n    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"],\n    "DEFAULT_THROTTLE_RATES": {"anon": "10/minute", "user": "1000/hour"},\n}\n` },
  { name: 'an empty list, rates missing a scope: one fix completes both', code: 'DJR601', settings: `${DRF}REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": [], "DEFAULT_THROTTLE_RATES": {"anon": "1/s"}}\n`, expect: ['settings.py:2'], fixed: `${DRF}REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"], "DEFAULT_THROTTLE_RATES": {"anon": "1/s", "user": "1000/hour"}}\n` },
  { name: 'inherited from base: the fix edits base.py', code: 'DJR601', settings: 'from .base import *\n', base: `${DRF}REST_FRAMEWORK = {\n    "PAGE_SIZE": 10,\n}\n`, expect: ['base.py:2'] },
  { name: 'custom throttle classes need no DRF rates', code: 'DJR601', settings: `${DRF}REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": ["api.throttles.BurstThrottle"]}\n`, expect: [] },
  { name: 'not applicable without DRF', code: 'DJR601', settings: 'INSTALLED_APPS = ["django.contrib.auth"]\n', expect: [] },
  { name: 'applicable through requirements', code: 'DJR601', settings: 'DEBUG = False\n', requirements: 'djangorestframework==3.16.0\n', expect: ['settings.py:1'] },

  // ---- DJR602 drf-no-pagination
  { name: 'REST_FRAMEWORK absent', code: 'DJR602', settings: DRF, expect: ['settings.py:1'], fixed: `${DRF}\nREST_FRAMEWORK = {\n    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",\n    "PAGE_SIZE": 50,\n}\n` },
  { name: 'a DRF class without PAGE_SIZE', code: 'DJR602', settings: `${DRF}REST_FRAMEWORK = {'DEFAULT_PAGINATION_CLASS': 'rest_framework.pagination.LimitOffsetPagination'}\n`, expect: ['settings.py:2'], fixed: "INSTALLED_APPS = [\"rest_framework\"]\nREST_FRAMEWORK = {\n    'DEFAULT_PAGINATION_CLASS': 'rest_framework.pagination.LimitOffsetPagination',\n    'PAGE_SIZE': 50,\n}\n" },
  { name: 'DEFAULT_PAGINATION_CLASS None', code: 'DJR602', settings: `${DRF}REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": None, "PAGE_SIZE": 20}\n`, expect: ['settings.py:2'], fixed: "INSTALLED_APPS = [\"rest_framework\"]\nREST_FRAMEWORK = {\n    \"DEFAULT_PAGINATION_CLASS\": \"rest_framework.pagination.PageNumberPagination\",\n    \"PAGE_SIZE\": 20,\n}\n" },
  { name: 'a custom class may carry its own page size', code: 'DJR602', settings: `${DRF}REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination"}\n`, expect: [] },

  // ---- DJR603 drf-allow-any-default
  { name: 'REST_FRAMEWORK absent', code: 'DJR603', settings: DRF, expect: ['settings.py:1'], fixed: "INSTALLED_APPS = [\"rest_framework\"]\n\nREST_FRAMEWORK = {\n    \"DEFAULT_PERMISSION_CLASSES\": [\n        \"rest_framework.permissions.IsAuthenticated\"\n    ],\n}\n" },
  { name: 'key absent', code: 'DJR603', settings: `${DRF}REST_FRAMEWORK = {\n    "PAGE_SIZE": 10,\n}\n`, expect: ['settings.py:2'], fixed: "INSTALLED_APPS = [\"rest_framework\"]\nREST_FRAMEWORK = {\n    \"PAGE_SIZE\": 10,\n    \"DEFAULT_PERMISSION_CLASSES\": [\n        \"rest_framework.permissions.IsAuthenticated\"\n    ],\n}\n" },
  { name: 'an empty list', code: 'DJR603', settings: `${DRF}REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": []}\n`, expect: ['settings.py:2'] },
  { name: 'a class reference', code: 'DJR603', settings: `${DRF}from rest_framework import permissions\nREST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": [permissions.AllowAny]}\n`, expect: ['settings.py:3'] },
  { name: 'IsAuthenticatedOrReadOnly', code: 'DJR603', settings: `${DRF}REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"]}\n`, expect: [] },

  // ---- DJR604 drf-browsable-api-in-production
  { name: 'renderers absent (DRF default includes it)', code: 'DJR604', settings: `${DRF}REST_FRAMEWORK = {"PAGE_SIZE": 10}\n`, expect: ['settings.py:2'] },
  { name: 'a class reference', code: 'DJR604', settings: `${DRF}from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer\nREST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": (JSONRenderer, BrowsableAPIRenderer)}\n`, expect: ['settings.py:3'] },
  { name: 'JSON only', code: 'DJR604', settings: `${DRF}REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}\n`, expect: [] },

  // ---- DJR701 sqlite-in-production
  { name: 'ENGINE from the environment with a sqlite default', code: 'DJR701', settings: 'import os\nDATABASES = {"default": {"ENGINE": os.environ.get("DB_ENGINE", "django.db.backends.sqlite3"), "NAME": "db"}}\n', expect: ['settings.py:2'] },
  { name: 'env.db() default', code: 'DJR701', settings: 'import environ\nenv = environ.Env()\nDATABASES = {\n    "default": env.db("DATABASE_URL", default="sqlite:///db.sqlite3"),\n}\n', expect: ['settings.py:4'] },
  { name: 'inherited from base', code: 'DJR701', settings: 'from .base import *\n', base: 'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.sqlite3",\n    }\n}\n', expect: ['base.py:3'] },
  { name: 'a sqlite default overridden in production', code: 'DJR701', settings: 'from .base import *\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}\n', base: 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\n', expect: [] },
  { name: 'dj_database_url without a default', code: 'DJR701', settings: 'import dj_database_url\nDATABASES = {"default": dj_database_url.config()}\n', expect: [] },

  // ---- DJR702 db-connections-not-persistent
  { name: 'an environment default of 0', code: 'DJR702', settings: 'from decouple import config\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": config("CONN_MAX_AGE", default=0, cast=int)}}\n', expect: ['settings.py:2'], fixed: 'from decouple import config\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": config("CONN_MAX_AGE", default=60, cast=int)}}\n' },
  { name: 'env.db(): subscript assignments', code: 'DJR702', settings: 'import environ\nenv = environ.Env()\nDATABASES = {"default": env.db("DATABASE_URL", default="postgres://db/app")}\n', expect: ['settings.py:3'], fixed: 'import environ\nenv = environ.Env()\nDATABASES = {"default": env.db("DATABASE_URL", default="postgres://db/app")}\nDATABASES["default"]["CONN_MAX_AGE"] = 60\nDATABASES["default"]["CONN_HEALTH_CHECKS"] = True\n' },
  { name: 'dj_database_url with conn_max_age=0 and an import alias', code: 'DJR702', settings: 'import dj_database_url as db_url\nDATABASES = {"default": db_url.config(conn_max_age=0)}\n', expect: ['settings.py:2'], fixed: 'import dj_database_url as db_url\nDATABASES = {"default": db_url.config(conn_max_age=60, conn_health_checks=True)}\n' },
  { name: 'dj_database_url with no argument', code: 'DJR702', settings: 'import dj_database_url\nDATABASES = {"default": dj_database_url.config()}\n', expect: ['settings.py:2'], fixed: "import dj_database_url\nDATABASES = {\n    \"default\": dj_database_url.config(conn_max_age=60, conn_health_checks=True)\n}\n" },
  { name: 'Django 4.0: no CONN_HEALTH_CHECKS', code: 'DJR702', settings: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n', requirements: 'Django==4.0.10\n', expect: ['settings.py:1'], fixed: "DATABASES = {\n    \"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"CONN_MAX_AGE\": 60}\n}\n" },
  { name: 'set later by subscript', code: 'DJR702', settings: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\nDATABASES["default"]["CONN_MAX_AGE"] = 300\n', expect: [] },
  { name: 'dj_database_url with **kwargs: cannot tell', code: 'DJR702', settings: 'import dj_database_url\nDB_OPTIONS = {"conn_max_age": 60}\nDATABASES = {"default": dj_database_url.config(**DB_OPTIONS)}\n', expect: [] },
  { name: 'behind PgBouncer', code: 'DJR702', settings: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "DISABLE_SERVER_SIDE_CURSORS": True}}\n', expect: [] },
  { name: 'no DATABASES at all', code: 'DJR702', settings: 'DEBUG = False\n', expect: [] },

  // ---- DJR703 db-ssl-not-required
  { name: 'a URL default with sslmode=disable', code: 'DJR703', settings: 'import dj_database_url\nDATABASES = {"default": dj_database_url.config(default="postgres://u@db.example.com/app?sslmode=disable")}\n', expect: ['settings.py:2'] },
  { name: 'MySQL ssl_mode REQUIRED', code: 'DJR703', settings: 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "db.example.com", "OPTIONS": {"ssl_mode": "REQUIRED"}}}\n', expect: [] },
  { name: 'a unix socket', code: 'DJR703', settings: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "/var/run/postgresql"}}\n', expect: [] },
  { name: 'sqlite is not asked about SSL', code: 'DJR703', settings: 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db"}}\n', expect: [] },

  // ---- DJR801 logging-not-configured
  { name: 'inherited LOGGING', code: 'DJR801', settings: 'from .base import *\n', base: 'LOGGING = {"version": 1}\n', expect: [] },
  { name: 'LOGGING_CONFIG = None and dictConfig', code: 'DJR801', settings: 'import logging.config\nLOGGING_CONFIG = None\nlogging.config.dictConfig({"version": 1})\n', expect: [] },
  { name: 'single quotes and tabs follow the file', code: 'DJR801', settings: "X = {\n\t'a': 1,\n}\n", expect: ['settings.py:1'], fixed: "X = {\n\t'a': 1,\n}\n\nLOGGING = {\n\t'version': 1,\n\t'disable_existing_loggers': False,\n\t'handlers': {\n\t\t'console': {'class': 'logging.StreamHandler'},\n\t},\n\t'root': {'handlers': ['console'], 'level': 'INFO'},\n\t'loggers': {\n\t\t'django.request': {\n\t\t\t'handlers': ['console'],\n\t\t\t'level': 'WARNING',\n\t\t\t'propagate': False,\n\t\t},\n\t\t'django.security': {\n\t\t\t'handlers': ['console'],\n\t\t\t'level': 'WARNING',\n\t\t\t'propagate': False,\n\t\t},\n\t},\n}\n" },

  // ---- DJR802 error-monitoring-missing
  { name: 'nothing at all', code: 'DJR802', settings: 'DEBUG = False\n', expect: ['settings.py:1'] },
  { name: 'sentry_sdk.init in a base module', code: 'DJR802', settings: 'from .base import *\n', base: 'import sentry_sdk\nsentry_sdk.init(dsn="")\n', expect: [] },
  { name: 'from sentry_sdk import init', code: 'DJR802', settings: 'from sentry_sdk import init\ninit()\n', expect: [] },
  { name: 'Rollbar middleware', code: 'DJR802', settings: 'MIDDLEWARE = ["rollbar.contrib.django.middleware.RollbarNotifierMiddleware"]\n', expect: [] },
  { name: 'ADMINS', code: 'DJR802', settings: 'ADMINS = [("Ops", "ops@example.com")]\n', expect: [] },
  { name: 'ADMINS from the environment, empty by default', code: 'DJR802', settings: 'import environ\nenv = environ.Env()\nADMINS = env.list("ADMINS", default=[])\n', expect: ['settings.py:3'] },

  // ---- DJR803 email-console-backend
  { name: 'locmem', code: 'DJR803', settings: 'EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"\n', expect: ['settings.py:1'] },
  { name: 'filebased', code: 'DJR803', settings: 'EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"\n', expect: ['settings.py:1'] },
  { name: 'absent (SMTP by default) and a provider backend', code: 'DJR803', settings: 'DEBUG = False\nif DEBUG:\n    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"\n', expect: [] },

  // ---- DJR901 static-root-missing
  { name: 'os.path BASE_DIR', code: 'DJR901', settings: 'import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_URL = "/static/"\n', expect: ['settings.py:4'], fixed: 'import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_URL = "/static/"\nSTATIC_ROOT = os.path.join(BASE_DIR, "staticfiles")\n' },
  { name: 'no BASE_DIR: no fix', code: 'DJR901', settings: 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n', expect: ['settings.py:1'], fixed: 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n' },
  { name: 'STATIC_ROOT = None in base, fixed in production', code: 'DJR901', settings: 'from .base import *\nDEBUG = False\n', base: 'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_ROOT = None\n', expect: ['base.py:4'], fixed: 'from .base import *\nDEBUG = False\n\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n' },
  { name: 'an environment default of ""', code: 'DJR901', settings: 'import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_ROOT = os.environ.get("STATIC_ROOT", "")\n', expect: ['settings.py:5'], fixed: 'import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_ROOT = os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")\n' },
  { name: 'S3 storage', code: 'DJR901', settings: 'INSTALLED_APPS = ["django.contrib.staticfiles", "storages"]\nSTORAGES = {"staticfiles": {"BACKEND": "storages.backends.s3.S3Storage"}}\n', expect: [] },
  { name: 'staticfiles not installed', code: 'DJR901', settings: 'INSTALLED_APPS = ["django.contrib.auth"]\n', expect: [] },
];

describe('DRF, database, logging and static-files rules', () => {
  before(ready);
  for (const c of cases) test(`${c.code}: ${c.name}`, () => checkRuleCase(c));

  test('DRF rules are not applicable without DRF', () => {
    const result = analyze(new MemoryFileSystem({ '/project/settings.py': 'INSTALLED_APPS = ["django.contrib.auth"]\n' }), '/project');
    for (const code of ['DJR601', 'DJR602', 'DJR603', 'DJR604']) assert.equal(result.applicability[code], false, code);
    assert.equal(result.applicability.DJR701, true);
  });

  test('DJR612: a serializer only nested read-only in its file is said to show every field, not to take writes', () => {
    const serializers = [
      'from rest_framework import serializers',
      'from notes.models import History, Note, Type',
      '',
      'class HistorySerializer(serializers.ModelSerializer):',
      '    class Meta:',
      '        model = History',
      '        fields = "__all__"',
      '',
      'class TypeSerializer(serializers.ModelSerializer):',
      '    class Meta:',
      '        model = Type',
      '        fields = "__all__"',
      '',
      'class NoteSerializer(serializers.ModelSerializer):',
      '    history = HistorySerializer(read_only=True, many=True)',
      '    note_type = TypeSerializer(read_only=True)',
      '',
      '    class Meta:',
      '        model = Note',
      '        fields = ["id", "history", "note_type"]',
      '',
      'class TypeViewSerializer(TypeSerializer):',
      '    pass',
      '',
    ].join('\n');
    const result = analyze(new MemoryFileSystem({ '/project/manage.py': '', '/project/settings.py': 'INSTALLED_APPS = ["rest_framework"]\n', '/project/notes/serializers.py': serializers }), '/project');
    const messages = result.findings.filter((f) => f.code === 'DJR612').map((f) => `${f.range.start.line + 1} ${f.message}`);
    assert.equal(messages.length, 2, messages.join('\n'));
    // only nested read-only here: shown to readers, nothing about writes
    assert.match(messages[0], /^7 HistorySerializer exposes every field of its model, present and future \(Meta\.fields = '__all__'\): it is nested read-only in this file, so a column added later, like a password hash or an internal note, is shown to every client that can read it; list the fields$/);
    // nested read-only, but also subclassed (a view may write through it): reading and writing
    assert.match(messages[1], /^12 TypeSerializer exposes every field of its model, present and future, for reading and writing/);
  });

  test('DJR701: SQLite chosen by an environment switch says which variable (test/fixtures/settings/sqlite-switch)', () => {
    const dir = path.join(fixturesRoot, 'settings', 'sqlite-switch');
    for (const name of fs.readdirSync(dir).sort()) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const lines = text.split('\n');
      const expected = lines.flatMap((l, i) => {
        const m = /# expect: DJR701(?: (when .*))?$/.exec(l);
        return m ? [`${i + 1} ${m[1] ?? ''}`.trim()] : [];
      });
      const result = analyze(new MemoryFileSystem({ '/project/manage.py': '', '/project/settings.py': text }), '/project');
      const got = result.findings.filter((f) => f.code === 'DJR701').map((f) => `${f.range.start.line + 1} ${/ uses SQLite (when [^:]*)?:/.exec(f.message)?.[1] ?? ''}`.trim());
      assert.deepEqual(got, expected, name);
    }
  });
});
