/**
 * The secrets and debug/hosts rules (DJR102-DJR104, DJR202-DJR204) across the environment idioms
 * their fixtures cannot all hold at once (one SECRET_KEY, one DEBUG, one ALLOWED_HOSTS per
 * project): os.environ, python-decouple, django-environ (methods and Env schemes), inherited
 * values. Each case: the findings (file:line, 1-based) and, when given, settings.py after the fixes.
 */
import { before, describe, test } from 'node:test';
import { ready } from '../helpers/fixtures';
import { checkRuleCase, type RuleCase } from '../helpers/ruleCases';


/** babybuddy's converter: a local strtobool (distutils' is gone) applied to a lookup with an `or` fallback. */
const STRTOBOOL = 'import os\n\n\ndef strtobool(val):\n    val = val.lower()\n    if val in ("y", "yes", "t", "true", "on", "1"):\n        return 1\n    elif val in ("n", "no", "f", "false", "off", "0"):\n        return 0\n    else:\n        raise ValueError(val)\n\n\n';

const cases: RuleCase[] = [
  // ---- DJR102 secret-key-fallback
  { name: 'decouple default', code: 'DJR102', settings: 'from decouple import config\nSECRET_KEY = config("SECRET_KEY", default="django-insecure-abc")\n', expect: ['settings.py:2'], fixed: 'from decouple import config\nSECRET_KEY = config("SECRET_KEY")\n' },
  { name: 'os.getenv keyword default', code: 'DJR102', settings: 'import os\nSECRET_KEY = os.getenv("SECRET_KEY", default="abc")\n', expect: ['settings.py:2'], fixed: 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n' },
  { name: 'environ positional default', code: 'DJR102', settings: 'import environ\nenv = environ.Env()\nSECRET_KEY = env.str("SECRET_KEY", "abc")\n', expect: ['settings.py:3'], fixed: 'import environ\nenv = environ.Env()\nSECRET_KEY = env.str("SECRET_KEY")\n' },
  { name: 'inherited from base', code: 'DJR102', settings: 'from .base import *\nDEBUG = False\n', base: 'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY", "abc")\n', expect: ['base.py:3'] },
  { name: 'no default, empty default, computed default', code: 'DJR102', settings: 'from decouple import config\nfrom django.core.management.utils import get_random_secret_key\nSECRET_KEY = config("SECRET_KEY", default=get_random_secret_key())\nSECRET_KEY_FALLBACKS = [config("OLD", default="")]\n', expect: [] },

  // ---- DJR202 debug-default-true
  { name: 'decouple default=True', code: 'DJR202', settings: 'from decouple import config\nDEBUG = config("DEBUG", default=True, cast=bool)\n', expect: ['settings.py:2'], fixed: 'from decouple import config\nDEBUG = config("DEBUG", default=False, cast=bool)\n' },
  { name: "decouple default='True'", code: 'DJR202', settings: "from decouple import config\nDEBUG = config('DEBUG', default='True', cast=bool)\n", expect: ['settings.py:2'], fixed: "from decouple import config\nDEBUG = config('DEBUG', default='False', cast=bool)\n" },
  { name: 'env.bool default=True', code: 'DJR202', settings: 'import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=True)\n', expect: ['settings.py:3'], fixed: 'import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=False)\n' },
  { name: 'Env(DEBUG=(bool, True))', code: 'DJR202', settings: 'import environ\nenv = environ.Env(DEBUG=(bool, True))\nDEBUG = env("DEBUG")\n', expect: ['settings.py:3'], fixed: 'import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env("DEBUG")\n' },
  { name: '.lower() in (...)', code: 'DJR202', settings: "import os\nDEBUG = os.environ.get('DEBUG', 'true').lower() in ('1', 'true', 'yes')\n", expect: ['settings.py:2'], fixed: "import os\nDEBUG = os.environ.get('DEBUG', 'False').lower() in ('1', 'true', 'yes')\n" },
  { name: 'bool(int(...))', code: 'DJR202', settings: 'import os\nDEBUG = bool(int(os.environ.get("DEBUG", 1)))\n', expect: ['settings.py:2'], fixed: 'import os\nDEBUG = bool(int(os.environ.get("DEBUG", 0)))\n' },
  { name: 'an inverted comparison gets a default that makes it False', code: 'DJR202', settings: 'import os\nDEBUG = os.environ.get("DJANGO_ENV", "development") == "development"\n', expect: ['settings.py:2'], fixed: 'import os\nDEBUG = os.environ.get("DJANGO_ENV", "production") == "development"\n' },
  { name: 'no default: None != "production" is True', code: 'DJR202', settings: "import os\nDEBUG = os.getenv('DJANGO_ENV') != 'production'\n", expect: ['settings.py:2'], fixed: "import os\nDEBUG = os.getenv('DJANGO_ENV', 'production') != 'production'\n" },
  { name: 'a raw string default is truthy: the fix is the cast (DJR205 stays silent)', code: 'DJR202', settings: 'import os\nDEBUG = os.environ.get("DEBUG", "False")\n', expect: ['settings.py:2'], fixed: 'import os\nDEBUG = os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes")\n' },
  { name: 'a raw string default: DJR205 leaves it to DJR202', code: 'DJR205', settings: 'import os\nDEBUG = os.environ.get("DEBUG", "False")\n', expect: [] },

  // ---- DJR205 debug-not-cast
  { name: 'os.getenv without a default', code: 'DJR205', settings: "import os\nDEBUG = os.getenv('DEBUG')\n", expect: ['settings.py:2'], fixed: "import os\nDEBUG = os.getenv('DEBUG', 'False').lower() in ('1', 'true', 'yes')\n" },
  { name: 'os.environ[...]', code: 'DJR205', settings: "import os\nDEBUG = os.environ['DEBUG']\n", expect: ['settings.py:2'], fixed: "import os\nDEBUG = os.environ['DEBUG'].lower() in ('1', 'true', 'yes')\n" },
  { name: 'bool() of a string is True for "False"', code: 'DJR205', settings: 'import os\nDEBUG = bool(os.environ.get("DEBUG", ""))\n', expect: ['settings.py:2'], fixed: 'import os\nDEBUG = os.environ.get("DEBUG", "").lower() in ("1", "true", "yes")\n' },
  { name: 'decouple without cast=', code: 'DJR205', settings: 'from decouple import config\nDEBUG = config("DEBUG", default=False)\n', expect: ['settings.py:2'], fixed: 'from decouple import config\nDEBUG = config("DEBUG", default=False, cast=bool)\n' },
  { name: 'decouple without a default, trailing comma', code: 'DJR205', settings: 'from decouple import config\nDEBUG = config(\n    "DEBUG",\n)\n', expect: ['settings.py:2'], fixed: 'from decouple import config\nDEBUG = config(\n    "DEBUG", cast=bool,\n)\n' },
  { name: "env('DEBUG') without a scheme", code: 'DJR205', settings: 'import environ\nenv = environ.Env()\nDEBUG = env("DEBUG", default=False)\n', expect: ['settings.py:3'], fixed: 'import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=False)\n' },
  { name: 'env.str', code: 'DJR205', settings: 'import environ\nenv = environ.Env()\nDEBUG = env.str("DEBUG", default="")\n', expect: ['settings.py:3'], fixed: 'import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default="")\n' },
  { name: 'cast in every idiom, schemes, helpers: nothing', code: 'DJR205', settings: 'import os\nimport environ\nfrom decouple import config\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env("DEBUG")\nDEBUG = env.bool("DEBUG", default=False)\nDEBUG = config("DEBUG", default=False, cast=bool)\nDEBUG = int(os.environ.get("DEBUG", 0))\nDEBUG = os.environ.get("DEBUG", "") == "1"\n', expect: [] },
  { name: 'inherited from base', code: 'DJR205', settings: 'from .base import *\nALLOWED_HOSTS = ["example.com"]\n', base: 'import os\n\nDEBUG = os.environ.get("DEBUG", False)\n', expect: ['base.py:3'] },
  { name: 'inherited from base', code: 'DJR202', settings: 'from .base import *\nALLOWED_HOSTS = ["example.com"]\n', base: 'from decouple import config\n\nDEBUG = config("DEBUG", default=True, cast=bool)\n', expect: ['base.py:3'] },
  { name: 'safe defaults and literals', code: 'DJR202', settings: 'import os\nfrom decouple import config\nA = 1\nDEBUG = os.environ.get("DEBUG") == "True"\nDEBUG = config("DEBUG", cast=bool)\nDEBUG = config("DEBUG", default=False, cast=bool)\n', expect: [] },
  { name: 'DEBUG = True is DJR201, not this rule', code: 'DJR202', settings: 'DEBUG = True\n', expect: [] },

  // a local converter around a lookup whose fallback is written in the argument (babybuddy): the fallback is the default
  { name: 'strtobool(os.environ.get(...) or "True")', code: 'DJR202', settings: `${STRTOBOOL}DEBUG = bool(strtobool(os.environ.get("DEBUG") or "True"))\n`, expect: ['settings.py:14'], fixed: `${STRTOBOOL}DEBUG = bool(strtobool(os.environ.get("DEBUG") or "False"))\n` },
  { name: 'strtobool(os.environ.get(...) or "False")', code: 'DJR302', settings: `${STRTOBOOL}INSTALLED_APPS = ["django.contrib.sessions"]\nSESSION_COOKIE_SECURE = bool(strtobool(os.environ.get("SESSION_COOKIE_SECURE") or "False"))\n`, expect: ['settings.py:15'], fixed: `${STRTOBOOL}INSTALLED_APPS = ["django.contrib.sessions"]\nSESSION_COOKIE_SECURE = bool(strtobool(os.environ.get("SESSION_COOKIE_SECURE") or "True"))\n` },

  // ---- DJR203 allowed-hosts-wildcard
  { name: "env.list default=['*']", code: 'DJR203', settings: 'import environ\nenv = environ.Env()\nALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])\n', expect: ['settings.py:3'], fixed: 'import environ\nenv = environ.Env()\nALLOWED_HOSTS = env.list("ALLOWED_HOSTS")\n' },
  { name: "os.environ.get('*').split", code: 'DJR203', settings: "import os\nALLOWED_HOSTS = os.environ.get('ALLOWED_HOSTS', 'localhost,*').split(',')\n", expect: ['settings.py:2'], fixed: "import os\nALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')\n" },
  { name: "decouple default='*' cast=Csv()", code: 'DJR203', settings: "from decouple import Csv, config\nALLOWED_HOSTS = config('ALLOWED_HOSTS', default='*', cast=Csv())\n", expect: ['settings.py:2'], fixed: "from decouple import Csv, config\nALLOWED_HOSTS = config('ALLOWED_HOSTS', cast=Csv())\n" },
  { name: 'Env scheme default', code: 'DJR203', settings: 'import environ\nenv = environ.Env(ALLOWED_HOSTS=(list, ["*"]))\nALLOWED_HOSTS = env("ALLOWED_HOSTS")\n', expect: ['settings.py:2'], fixed: 'import environ\nenv = environ.Env(ALLOWED_HOSTS=list)\nALLOWED_HOSTS = env("ALLOWED_HOSTS")\n' },
  { name: 'literal, decouple idiom', code: 'DJR203', settings: 'from decouple import config\nSECRET_KEY = config("SECRET_KEY")\nALLOWED_HOSTS = ["*"]\n', expect: ['settings.py:3'], fixed: 'from decouple import Csv, config\nSECRET_KEY = config("SECRET_KEY")\nALLOWED_HOSTS = config("DJANGO_ALLOWED_HOSTS", cast=Csv())\n' },
  { name: 'a development-only branch', code: 'DJR203', settings: 'DEBUG = False\nALLOWED_HOSTS = [".example.com"]\nif DEBUG:\n    ALLOWED_HOSTS = ["*"]\n', expect: [] },

  // ---- DJR204 allowed-hosts-empty
  { name: 'literal []', code: 'DJR204', settings: 'import os\n\nDEBUG = False\nALLOWED_HOSTS = []\n', expect: ['settings.py:4'], fixed: "import os\n\nDEBUG = False\nALLOWED_HOSTS = [\n    item.strip()\n    for item in os.environ.get(\"DJANGO_ALLOWED_HOSTS\", \"\").split(\",\")\n    if item.strip()\n]\n" },
  { name: 'absent, DEBUG off', code: 'DJR204', settings: 'import environ\nenv = environ.Env()\nDEBUG = False\n', expect: ['settings.py:1'], fixed: 'import environ\nenv = environ.Env()\nDEBUG = False\n\nALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")\n' },
  { name: 'absent, DEBUG on (DJR201 first)', code: 'DJR204', settings: 'DEBUG = True\n', expect: [] },
  { name: "os.environ.get('').split", code: 'DJR204', settings: 'import os\nDEBUG = False\nALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")\n', expect: ['settings.py:3'], fixed: 'import os\nDEBUG = False\nALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")\n' },
  { name: 'env.list default=[]', code: 'DJR204', settings: 'import environ\nenv = environ.Env()\nALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])\n', expect: ['settings.py:3'], fixed: 'import environ\nenv = environ.Env()\nALLOWED_HOSTS = env.list("ALLOWED_HOSTS")\n' },
  { name: 'inherited from base', code: 'DJR204', settings: 'from .base import *\nDEBUG = False\n', base: 'ALLOWED_HOSTS = []\n', expect: ['base.py:1'] },
  { name: 'lookups without a default are not empty', code: 'DJR204', settings: 'import os\nfrom decouple import Csv, config\nDEBUG = False\nALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")\nALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())\n', expect: [] },
  { name: 'the os-idiom fix output is not flagged', code: 'DJR204', settings: "import os\nDEBUG = False\nALLOWED_HOSTS = [h.strip() for h in os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',') if h.strip()]\n", expect: [] },
  { name: 'filled later', code: 'DJR204', settings: 'import os\nDEBUG = False\nALLOWED_HOSTS = []\nALLOWED_HOSTS.append(os.environ["HOST"])\n', expect: [] },

  // ---- DJR103 / DJR104 beyond the fixtures
  { name: 'a URL setting reused by dj_database_url.parse is one finding', code: 'DJR103', settings: 'import dj_database_url\nDATABASE_URL = "postgres://u:pw@db/app"\nDATABASES = {"default": dj_database_url.parse(DATABASE_URL)}\n', expect: ['settings.py:2'], fixed: "import os\n\nimport dj_database_url\nDATABASE_URL = os.environ[\"DATABASE_URL\"]\nDATABASES = {\"default\": dj_database_url.parse(DATABASE_URL)}\n" },
  { name: 'a password set by subscript assignment', code: 'DJR103', settings: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\nDATABASES["default"]["PASSWORD"] = "pw"\n', expect: ['settings.py:2'], fixed: 'import os\n\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\nDATABASES["default"]["PASSWORD"] = os.environ["DATABASE_PASSWORD"]\n' },
  { name: 'a password through a module variable', code: 'DJR103', settings: 'from decouple import config\ndb_pass = "pw"\nDATABASES = {"default": {"PASSWORD": db_pass}}\n', expect: ['settings.py:3'], fixed: 'from decouple import config\ndb_pass = config("DATABASE_PASSWORD")\nDATABASES = {"default": {"PASSWORD": db_pass}}\n' },
  { name: 'env.db() with an Env scheme default', code: 'DJR104', settings: 'import environ\nenv = environ.Env(DATABASE_URL=(str, "postgres://u:pw@db/app"))\nDATABASES = {"default": env.db()}\n', expect: ['settings.py:2'], fixed: 'import environ\nenv = environ.Env(DATABASE_URL=str)\nDATABASES = {"default": env.db()}\n' },
  { name: 'lists of URLs (channel layers)', code: 'DJR104', settings: 'import os\nCHANNEL_LAYERS = {"default": {"CONFIG": {"hosts": [os.environ.get("REDIS_URL", "redis://:pw@localhost:6379/0")]}}}\n', expect: ['settings.py:2'] },
  { name: 'an empty fallback is not a credential', code: 'DJR104', settings: 'import os\nEMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")\nAPI_TOKEN = os.getenv("API_TOKEN") or ""\n', expect: [] },
];

describe('secrets and debug/hosts rules across environment idioms', () => {
  before(ready);
  for (const c of cases) test(`${c.code}: ${c.name}`, () => checkRuleCase(c));
});
