/**
 * The CORS and authentication rules (DJR401-403, DJR405, DJR501-504, DJR506-509) on the shapes
 * their fixtures cannot all hold at once: absent settings and package defaults, environment
 * defaults in each idiom, inherited values, legacy setting names, applicability, and fixes that
 * land in base.py or add imports. Each case: the findings (file:line, 1-based) and, when given,
 * settings.py (and base.py) after the rule's fixes.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { MemoryFileSystem, regexAllowsAnyOrigin, regexIsWildcard } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';
import { checkRuleCase, type RuleCase } from '../helpers/ruleCases';


const CORS = 'INSTALLED_APPS = ["corsheaders"]\n';
const JWT = 'INSTALLED_APPS = ["rest_framework_simplejwt"]\n';
const ALLAUTH = 'INSTALLED_APPS = ["allauth", "allauth.account"]\n';

const cases: RuleCase[] = [
  // ---- DJR401 cors-allow-all
  { name: 'legacy name in base.py: turned off in production, base untouched', code: 'DJR401', settings: 'from .base import *\nDEBUG = False\n', base: `${CORS}CORS_ORIGIN_ALLOW_ALL = True\n`, expect: ['base.py:2'], fixed: "import os\n\nfrom .base import *\nDEBUG = False\n\nCORS_ORIGIN_ALLOW_ALL = False\n\nCORS_ALLOWED_ORIGINS = [\n    item.strip()\n    for item in os.environ.get(\"CORS_ALLOWED_ORIGINS\", \"\").split(\",\")\n    if item.strip()\n]\n", baseFixed: `${CORS}CORS_ORIGIN_ALLOW_ALL = True\n` },
  { name: 'django-environ default True: the default becomes False', code: 'DJR401', settings: `import environ\nenv = environ.Env()\n${CORS}CORS_ALLOW_ALL_ORIGINS = env.bool("CORS_ALLOW_ALL_ORIGINS", default=True)\n`, expect: ['settings.py:4'], fixed: `import environ\nenv = environ.Env()\n${CORS}CORS_ALLOW_ALL_ORIGINS = env.bool("CORS_ALLOW_ALL_ORIGINS", default=False)\nCORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS")\n` },
  { name: 'decouple idiom, origins already listed: only turned off', code: 'DJR401', settings: `from decouple import config\n${CORS}CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCORS_ALLOW_ALL_ORIGINS = True\n`, expect: ['settings.py:4'], fixed: `from decouple import config\n${CORS}CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCORS_ALLOW_ALL_ORIGINS = False\n` },
  { name: 'decouple idiom: CORS_ALLOWED_ORIGINS read with Csv', code: 'DJR401', settings: `from decouple import config\n${CORS}CORS_ALLOW_ALL_ORIGINS = True\n`, expect: ['settings.py:3'], fixed: `from decouple import Csv, config\n${CORS}CORS_ALLOWED_ORIGINS = config("CORS_ALLOWED_ORIGINS", cast=Csv())\n` },
  { name: 'allow-all regex among others: only it is removed', code: 'DJR401', settings: `${CORS}CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com$", r".*"]\n`, expect: ['settings.py:2'], fixed: `${CORS}CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com$"]\n` },
  { name: 'legacy regex name, every entry open', code: 'DJR401', settings: `import os\n${CORS}CORS_ORIGIN_REGEX_WHITELIST = (r"^(https?://)?.+$",)\n`, expect: ['settings.py:3'], fixed: "import os\nINSTALLED_APPS = [\"corsheaders\"]\nCORS_ORIGIN_REGEX_WHITELIST = ()\nCORS_ALLOWED_ORIGINS = [\n    item.strip()\n    for item in os.environ.get(\"CORS_ALLOWED_ORIGINS\", \"\").split(\",\")\n    if item.strip()\n]\n" },
  { name: 'allow-all decided off in production by an if DEBUG branch', code: 'DJR401', settings: `${CORS}DEBUG = False\nif DEBUG:\n    CORS_ALLOW_ALL_ORIGINS = True\n`, expect: [] },
  { name: 'the new name wins over the legacy one', code: 'DJR401', settings: `${CORS}CORS_ORIGIN_ALLOW_ALL = True\nCORS_ALLOW_ALL_ORIGINS = False\n`, expect: [] },
  { name: 'not applicable without django-cors-headers', code: 'DJR401', settings: 'CORS_ALLOW_ALL_ORIGINS = True\n', expect: [] },

  // ---- DJR402 cors-credentials-with-any-origin
  { name: 'allow-all and credentials', code: 'DJR402', settings: `${CORS}CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n`, expect: ['settings.py:3'] },
  { name: 'credentials from the environment, default on, allow-all regex', code: 'DJR402', settings: `import os\n${CORS}CORS_ALLOWED_ORIGIN_REGEXES = [r".*"]\nCORS_ALLOW_CREDENTIALS = os.environ.get("CORS_CREDENTIALS", "1") == "1"\n`, expect: ['settings.py:4'] },
  { name: 'credentials with an exact origin list', code: 'DJR402', settings: `${CORS}CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCORS_ALLOW_CREDENTIALS = True\n`, expect: [] },
  { name: 'allow-all without credentials', code: 'DJR402', settings: `${CORS}CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = False\n`, expect: [] },

  // ---- DJR403 insecure-trusted-origin
  { name: 'CSRF_TRUSTED_ORIGINS is checked without django-cors-headers, CORS_ALLOWED_ORIGINS is not', code: 'DJR403', settings: 'CORS_ALLOWED_ORIGINS = ["http://a.example.com"]\nCSRF_TRUSTED_ORIGINS = [\n    "https://ok.example.com",\n    "http://app.example.com",\n]\n', expect: ['settings.py:4'] },
  { name: 'legacy CORS_ORIGIN_WHITELIST, wildcard, django-environ default list', code: 'DJR403', settings: `import environ\nenv = environ.Env()\n${CORS}CORS_ORIGIN_WHITELIST = env.list("CORS_ORIGINS", default=["https://app.example.com", "https://*.example.com"])\n`, expect: ['settings.py:4'] },
  { name: 'a string cast by a lambda is split on commas', code: 'DJR403', settings: `from decouple import config\n${CORS}CORS_ALLOWED_ORIGINS = config(\n    "CORS_ALLOWED_ORIGINS",\n    default="http://localhost:3000",\n    cast=lambda v: [s.strip() for s in v.split(",")],\n)\n`, expect: ['settings.py:5'] },
  { name: 'https origins from an inherited base', code: 'DJR403', settings: 'from .base import *\n', base: `${CORS}CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCSRF_TRUSTED_ORIGINS = ["https://app.example.com"]\n`, expect: [] },

  // ---- DJR405 middleware-order
  { name: 'one-line list: the items trade places', code: 'DJR405', settings: `${CORS}MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "corsheaders.middleware.CorsMiddleware"]\n`, expect: ['settings.py:2'], fixed: `${CORS}MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]\n` },
  { name: 'WhiteNoise above SecurityMiddleware, the last item without a comma', code: 'DJR405', settings: 'MIDDLEWARE = (\n    "whitenoise.middleware.WhiteNoiseMiddleware",  # static\n    "django.middleware.security.SecurityMiddleware"\n)\n', expect: ['settings.py:2'], fixed: 'MIDDLEWARE = (\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",  # static\n)\n' },
  { name: 'no SecurityMiddleware: WhiteNoise goes first', code: 'DJR405', settings: 'MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n]\n', expect: ['settings.py:3'], fixed: 'MIDDLEWARE = [\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n]\n' },
  { name: 'CorsMiddleware between SecurityMiddleware and WhiteNoise is fine', code: 'DJR405', settings: `${CORS}MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n`, expect: [] },
  { name: 'WhiteNoise moved after the CorsMiddleware that follows SecurityMiddleware', code: 'DJR405', settings: `${CORS}MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n]\n`, expect: ['settings.py:6'], fixed: `${CORS}MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n` },
  { name: 'MIDDLEWARE built from lists: reported without a fix', code: 'DJR405', settings: `${CORS}BASE = ["django.middleware.common.CommonMiddleware"]\nMIDDLEWARE = BASE + ["corsheaders.middleware.CorsMiddleware"]\n`, expect: ['settings.py:3'], fixed: `${CORS}BASE = ["django.middleware.common.CommonMiddleware"]\nMIDDLEWARE = BASE + ["corsheaders.middleware.CorsMiddleware"]\n` },

  // ---- DJR501-DJR504 simplejwt
  { name: 'SIMPLE_JWT absent: package defaults (5 minutes) pass', code: 'DJR501', settings: JWT, expect: [] },
  { name: 'SIMPLE_JWT absent: package default of 1 day passes', code: 'DJR502', settings: JWT, expect: [] },
  { name: 'SIMPLE_JWT absent: rotation off by default', code: 'DJR503', settings: JWT, expect: ['settings.py:1'], fixed: `${JWT}\nSIMPLE_JWT = {\n    "ROTATE_REFRESH_TOKENS": True,\n}\n` },
  { name: 'SIMPLE_JWT absent: fix-all of DJR503 and DJR504 builds one dict and adds the app', code: 'DJR504', settings: JWT, expect: ['settings.py:1'], fixCodes: ['DJR503', 'DJR504'], fixed: "INSTALLED_APPS = [\n    \"rest_framework_simplejwt\",\n    \"rest_framework_simplejwt.token_blacklist\",\n]\n\nSIMPLE_JWT = {\n    \"ROTATE_REFRESH_TOKENS\": True,\n    \"BLACKLIST_AFTER_ROTATION\": True,\n}\n" },
  { name: 'a lifetime imported from another module: timedelta imported for the fix', code: 'DJR501', settings: `"""Settings."""\nfrom .durations import ACCESS_LIFETIME\n\n${JWT}SIMPLE_JWT = {\n    "ACCESS_TOKEN_LIFETIME": ACCESS_LIFETIME,\n}\n`, extra: { 'durations.py': 'from datetime import timedelta\nACCESS_LIFETIME = timedelta(days=1)\n' }, expect: ['settings.py:6'], fixed: "\"\"\"Settings.\"\"\"\nfrom datetime import timedelta\n\nfrom .durations import ACCESS_LIFETIME\n\nINSTALLED_APPS = [\"rest_framework_simplejwt\"]\nSIMPLE_JWT = {\n    \"ACCESS_TOKEN_LIFETIME\": timedelta(minutes=15),\n}\n" },
  { name: 'a lifetime in base.py: fixed there, as base.py writes timedelta', code: 'DJR501', settings: 'from .base import *\n', base: `import datetime\n${JWT}SIMPLE_JWT = {\n    "ACCESS_TOKEN_LIFETIME": datetime.timedelta(days=1),\n}\n`, expect: ['base.py:4'], fixed: 'from .base import *\n', baseFixed: `import datetime\n${JWT}SIMPLE_JWT = {\n    "ACCESS_TOKEN_LIFETIME": datetime.timedelta(minutes=15),\n}\n` },
  { name: 'an aliased timedelta keeps its alias', code: 'DJR502', settings: `from datetime import timedelta as td\n${JWT}SIMPLE_JWT = {"REFRESH_TOKEN_LIFETIME": td(weeks=4)}\n`, expect: ['settings.py:3'], fixed: `from datetime import timedelta as td\n${JWT}SIMPLE_JWT = {"REFRESH_TOKEN_LIFETIME": td(days=7)}\n` },
  { name: 'set by subscript in base.py: overridden in production, timedelta from the star import', code: 'DJR501', settings: 'from .base import *\n', base: `from datetime import timedelta\n\n${JWT}SIMPLE_JWT = {\n    "ROTATE_REFRESH_TOKENS": True,\n}\nSIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] = timedelta(days=1)\n`, expect: ['base.py:7'], fixed: 'from .base import *\n\nSIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] = timedelta(minutes=15)\n' },
  { name: 'threshold from the configuration', code: 'DJR501', config: { thresholds: { jwtAccessTokenMaxMinutes: 60 } }, settings: `from datetime import timedelta\n${JWT}SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(hours=2)}\n`, expect: ['settings.py:3'], fixed: `from datetime import timedelta\n${JWT}SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(minutes=60)}\n` },
  { name: 'at the threshold passes', code: 'DJR501', settings: `from datetime import timedelta\n${JWT}SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(seconds=900)}\n`, expect: [] },
  { name: 'rotation from the environment, default off', code: 'DJR503', settings: `import os\n${JWT}SIMPLE_JWT = {\n    "ROTATE_REFRESH_TOKENS": os.environ.get("JWT_ROTATE", "False").lower() == "true",\n}\n`, expect: ['settings.py:4'], fixed: `import os\n${JWT}SIMPLE_JWT = {\n    "ROTATE_REFRESH_TOKENS": os.environ.get("JWT_ROTATE", "True").lower() == "true",\n}\n` },
  { name: 'rotation off (decouple): the default becomes True', code: 'DJR503', settings: `from decouple import config\n${JWT}SIMPLE_JWT = {\n    "ROTATE_REFRESH_TOKENS": config("JWT_ROTATE", default=False, cast=bool),\n}\n`, expect: ['settings.py:4'], fixed: `from decouple import config\n${JWT}SIMPLE_JWT = {\n    "ROTATE_REFRESH_TOKENS": config("JWT_ROTATE", default=True, cast=bool),\n}\n` },
  { name: 'blacklist on but the app missing (one-line tuple)', code: 'DJR504', settings: 'INSTALLED_APPS = ("rest_framework", "rest_framework_simplejwt")\nSIMPLE_JWT = {"ROTATE_REFRESH_TOKENS": True, "BLACKLIST_AFTER_ROTATION": True}\n', expect: ['settings.py:2'], fixed: "INSTALLED_APPS = (\n    \"rest_framework\",\n    \"rest_framework_simplejwt\",\n    \"rest_framework_simplejwt.token_blacklist\",\n)\nSIMPLE_JWT = {\"ROTATE_REFRESH_TOKENS\": True, \"BLACKLIST_AFTER_ROTATION\": True}\n" },
  { name: 'blacklist on, app installed by its AppConfig path', code: 'DJR504', settings: 'INSTALLED_APPS = ["rest_framework_simplejwt", "rest_framework_simplejwt.token_blacklist.apps.TokenBlacklistConfig"]\nSIMPLE_JWT = {"BLACKLIST_AFTER_ROTATION": True}\n', expect: [] },
  { name: 'JWT rules are not applicable without simplejwt', code: 'DJR503', settings: 'INSTALLED_APPS = ["rest_framework"]\n', expect: [] },

  // ---- DJR506 password-validators-missing
  { name: 'absent: Django defaults to none', code: 'DJR506', settings: "INSTALLED_APPS = ['django.contrib.auth']\nAUTH_USER_MODEL = 'accounts.User'\nDEBUG = False\n", expect: ['settings.py:1'], fixed: "INSTALLED_APPS = ['django.contrib.auth']\nAUTH_USER_MODEL = 'accounts.User'\nAUTH_PASSWORD_VALIDATORS = [\n    {\n        'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'\n    },\n    {\n        'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator',\n        'OPTIONS': {'min_length': 12},\n    },\n    {\n        'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'\n    },\n    {\n        'NAME': 'django.contrib.auth.password_validation.NumericPasswordValidator'\n    },\n]\nDEBUG = False\n" },
  { name: 'emptied in production after a full base', code: 'DJR506', settings: 'from .base import *\nAUTH_PASSWORD_VALIDATORS = ()\n', base: 'AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"}]\n', expect: ['settings.py:2'] },
  { name: 'set in base.py', code: 'DJR506', settings: 'from .base import *\n', base: 'AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"}]\n', expect: [] },

  // ---- DJR507 password-min-length-short
  { name: 'no MinimumLengthValidator: one is appended', code: 'DJR507', settings: 'AUTH_PASSWORD_VALIDATORS = [\n    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"}\n]\n', expect: ['settings.py:1'], fixed: "AUTH_PASSWORD_VALIDATORS = [\n    {\n        \"NAME\": \"django.contrib.auth.password_validation.CommonPasswordValidator\"\n    },\n    {\n        \"NAME\": \"django.contrib.auth.password_validation.MinimumLengthValidator\",\n        \"OPTIONS\": {\"min_length\": 12},\n    },\n]\n" },
  { name: 'an empty list is DJR506\'s', code: 'DJR507', settings: 'AUTH_PASSWORD_VALIDATORS = []\n', expect: [] },
  { name: 'min_length from the environment, threshold 14', code: 'DJR507', config: { thresholds: { passwordMinLength: 14 } }, settings: 'import environ\nenv = environ.Env()\nAUTH_PASSWORD_VALIDATORS = [\n    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)}},\n]\n', expect: ['settings.py:4'], fixed: 'import environ\nenv = environ.Env()\nAUTH_PASSWORD_VALIDATORS = [\n    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=14)}},\n]\n' },
  { name: 'one-line validator without OPTIONS', code: 'DJR507', settings: 'AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]\n', expect: ['settings.py:1'], fixed: 'AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}}]\n' },
  { name: 'a custom length validator without OPTIONS is trusted', code: 'DJR507', settings: 'AUTH_PASSWORD_VALIDATORS = [{"NAME": "accounts.validators.MinimumLengthValidator"}]\n', expect: [] },

  // ---- DJR508 weak-password-hasher
  { name: 'absent: PBKDF2 by default', code: 'DJR508', settings: 'DEBUG = False\n', expect: [] },
  { name: 'MD5 first, inherited', code: 'DJR508', settings: 'from .base import *\n', base: 'PASSWORD_HASHERS = ("django.contrib.auth.hashers.MD5PasswordHasher",)\n', expect: ['base.py:1'] },

  // ---- DJR509 email-verification-optional
  { name: 'absent: allauth defaults to optional', code: 'DJR509', settings: ALLAUTH, expect: ['settings.py:1'], fixed: `${ALLAUTH}\nACCOUNT_EMAIL_VERIFICATION = "mandatory"\n` },
  { name: 'set to none, next to other ACCOUNT_ settings', code: 'DJR509', settings: `${ALLAUTH}ACCOUNT_EMAIL_VERIFICATION = 'none'\nACCOUNT_EMAIL_REQUIRED = True\n`, expect: ['settings.py:2'], fixed: `${ALLAUTH}ACCOUNT_EMAIL_VERIFICATION = 'mandatory'\nACCOUNT_EMAIL_REQUIRED = True\n` },
  { name: 'from django-environ, default optional', code: 'DJR509', settings: `import environ\nenv = environ.Env()\n${ALLAUTH}ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")\n`, expect: ['settings.py:4'], fixed: "import environ\nenv = environ.Env()\nINSTALLED_APPS = [\"allauth\", \"allauth.account\"]\nACCOUNT_EMAIL_VERIFICATION = env(\n    \"ACCOUNT_EMAIL_VERIFICATION\", default=\"mandatory\"\n)\n" },
  { name: 'legacy boolean True is mandatory', code: 'DJR509', settings: `${ALLAUTH}ACCOUNT_EMAIL_VERIFICATION = True\n`, expect: [] },
  { name: 'legacy boolean False is optional', code: 'DJR509', settings: `${ALLAUTH}ACCOUNT_EMAIL_VERIFICATION = False\n`, expect: ['settings.py:2'] },
  { name: 'not applicable without allauth', code: 'DJR509', settings: 'DEBUG = False\n', expect: [] },
];

describe('CORS and authentication rules', () => {
  before(ready);
  for (const c of cases) test(`${c.code}: ${c.name}`, () => checkRuleCase(c));

  test('applicability follows the packages', () => {
    const none = analyze(new MemoryFileSystem({ '/project/settings.py': 'INSTALLED_APPS = ["django.contrib.auth"]\n' }), '/project');
    for (const code of ['DJR401', 'DJR402', 'DJR405', 'DJR501', 'DJR502', 'DJR503', 'DJR504', 'DJR509']) assert.equal(none.applicability[code], false, code);
    for (const code of ['DJR403', 'DJR506', 'DJR507', 'DJR508']) assert.equal(none.applicability[code], true, code);
    const wn = analyze(new MemoryFileSystem({ '/project/settings.py': 'MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\n' }), '/project');
    assert.equal(wn.applicability.DJR405, true);
  });

  test('allow-all and wildcard origin regexes', () => {
    for (const p of ['.*', '^.*$', '^https?://.*$', '^https?://.+$', 'https://.*', '^(https?://)?.*$', '^https://[\\w.-]+$', '(?i)^HTTPS://.*', '^https?:\\/\\/.*$', '']) assert.equal(regexAllowsAnyOrigin(p), true, p);
    for (const p of ['^https://\\w+\\.example\\.com$', '^https://(www\\.)?example\\.com$', '^http://localhost(:\\d+)?$', 'https://example.com']) assert.equal(regexAllowsAnyOrigin(p), false, p);
    for (const p of ['^https://\\w+\\.example\\.com$', '^https://[a-z]{1,}\\.example\\.com$', '.*']) assert.equal(regexIsWildcard(p), true, p);
    for (const p of ['^https://(www|admin)\\.example\\.com$', '^https://example\\.com$', '^https://a\\+b\\.example\\.com$']) assert.equal(regexIsWildcard(p), false, p);
  });
});
