/**
 * No vacuous passes: an item passes only when what it claims was checked and holds. Each case
 * is a small project where a rule used to return without a finding (so its item "passed")
 * although it checked nothing: the item is now not applicable or not checked, with a reason a
 * person can act on; and the counterpart where the claim really holds still passes.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { buildChecklist, dotenvSecretNames, emptyManualState, MemoryFileSystem, type ChecklistItem } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';

const ROOT = '/p';

const BASE = `import os
SECRET_KEY = os.environ['DJANGO_SECRET_KEY']
DEBUG = False
ALLOWED_HOSTS = ['example.com']
INSTALLED_APPS = ['django.contrib.sessions', 'django.contrib.staticfiles']
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]
`;

function checklist(settings: string, extra: Record<string, string> = {}) {
  const mem = new MemoryFileSystem({
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    'mysite/__init__.py': '',
    'mysite/settings.py': settings,
    ...extra,
  }, ROOT);
  const report = buildChecklist(analyze(mem, ROOT), emptyManualState(), allRules);
  return (id: string): ChecklistItem => {
    const it = report.items.find((i) => i.id === id);
    assert.ok(it, id);
    return it;
  };
}

before(ready);

describe('items that used to pass without checking anything', () => {
  test('HSTS subdomains and preload while HSTS is off: not checked, saying HSTS is off', () => {
    const item = checklist(BASE);
    for (const id of ['https.hsts-subdomains', 'https.hsts-preload']) {
      assert.equal(item(id).status, 'not-checked', id);
      assert.match(item(id).reason, /HSTS is off \(SECURE_HSTS_SECONDS is not set\)/, id);
    }
    assert.equal(checklist(BASE + 'SECURE_HSTS_SECONDS = 0\n')('https.hsts-subdomains').status, 'not-checked');
    // HSTS on, both set: passed
    const on = checklist(BASE + 'SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True\n');
    assert.equal(on('https.hsts-subdomains').status, 'passed');
    assert.equal(on('https.hsts-preload').status, 'passed');
  });

  test('database encryption and connection reuse on SQLite: not applicable, there is no network connection', () => {
    const item = checklist(BASE + "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n");
    assert.equal(item('database.ssl').status, 'not-applicable');
    assert.equal(item('database.ssl').reason, "DATABASES['default'] is SQLite, a local file: there is no network connection to encrypt.");
    assert.equal(item('database.persistent-connections').status, 'not-applicable');
    assert.match(item('database.persistent-connections').reason, /no network connection to reuse/);
    // a remote PostgreSQL that requires SSL and keeps connections: passed
    const pg = checklist(BASE + "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db.example.com', 'CONN_MAX_AGE': 60, 'OPTIONS': {'sslmode': 'require'}}}\n");
    assert.equal(pg('database.ssl').status, 'passed');
    assert.equal(pg('database.persistent-connections').status, 'passed');
    // PostgreSQL on this host: nothing to encrypt
    assert.equal(checklist(BASE + "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'localhost'}}\n")('database.ssl').status, 'not-applicable');
  });

  test('DATABASES not set or not readable: the database items are not checked', () => {
    const none = checklist(BASE);
    for (const id of ['database.production-engine', 'database.ssl', 'database.persistent-connections']) {
      assert.equal(none(id).status, 'not-checked', id);
      assert.equal(none(id).reason, 'DATABASES is not set in the production settings.', id);
    }
    const computed = checklist(BASE + 'from .db import make_databases\nDATABASES = make_databases()\n');
    assert.equal(computed('database.production-engine').status, 'not-checked');
    assert.match(computed('database.production-engine').reason, /DATABASES is computed in a way the static analysis cannot follow/);
  });

  test('a bare, unpinned django: whether the release still receives security fixes is not checked', () => {
    const item = checklist(BASE, { 'requirements.txt': 'django\ngunicorn==23.0.0\n' });
    assert.equal(item('dependencies.django-supported').status, 'not-checked');
    assert.equal(item('dependencies.django-supported').reason, 'Django is not pinned (django): the release that runs is whatever is newest on the day of the install.');
    assert.equal(checklist(BASE, { 'requirements.txt': 'django>=4.2\ngunicorn==23.0.0\n' })('dependencies.django-supported').status, 'not-checked', 'a range is not a pin');
    assert.equal(checklist(BASE, { 'requirements.txt': 'django>=3.2,<4\n' })('dependencies.django-supported').status, 'failed', 'every release the range admits is out of support');
    assert.equal(checklist(BASE, { 'requirements.txt': 'gunicorn==23.0.0\n' })('dependencies.django-supported').status, 'not-checked');
    assert.equal(checklist(BASE, { 'requirements.txt': 'django==5.2.1\n' })('dependencies.django-supported').status, 'passed');
    assert.equal(checklist(BASE, { 'requirements.txt': 'django==3.2.25\n' })('dependencies.django-supported').status, 'failed');
  });

  test('static files: the item promises only STATIC_ROOT; serving them is a manual item', () => {
    const item = checklist(BASE + "STATIC_ROOT = '/srv/static'\n");
    const s = item('deployment.static-files');
    assert.equal(s.status, 'passed');
    assert.doesNotMatch(s.title, /WhiteNoise|CDN|served/i);
    assert.equal(item('deployment.static-serving').status, 'manual');
    assert.match(item('deployment.static-serving').title, /WhiteNoise|CDN/);
    // no staticfiles app: nothing to collect
    const noStatic = checklist(BASE.replace(", 'django.contrib.staticfiles'", ''));
    assert.equal(noStatic('deployment.static-files').status, 'not-applicable');
  });

  test('settings the middleware they need is missing from: not checked, naming the middleware', () => {
    const noSecurity = checklist(BASE.replace("    'django.middleware.security.SecurityMiddleware',\n", '') + 'SECURE_SSL_REDIRECT = True\n');
    assert.equal(noSecurity('https.security-middleware').status, 'failed');
    for (const id of ['https.ssl-redirect', 'https.hsts', 'https.nosniff']) {
      assert.equal(noSecurity(id).status, 'not-checked', id);
      assert.match(noSecurity(id).reason, /SecurityMiddleware is not in MIDDLEWARE/, id);
    }
    const noCsrf = checklist(BASE.replace("    'django.middleware.csrf.CsrfViewMiddleware',\n", ''));
    assert.equal(noCsrf('cors.csrf-middleware').status, 'failed');
    assert.equal(noCsrf('https.csrf-cookie-secure').status, 'not-checked');
    // MIDDLEWARE absent altogether: nothing that depends on it passes
    const noMw = checklist(BASE.replace(/MIDDLEWARE = \[[^\]]*\]\n/, '') + "SECURE_CONTENT_TYPE_NOSNIFF = True\nX_FRAME_OPTIONS = 'DENY'\n");
    for (const id of ['https.nosniff', 'https.clickjacking', 'https.security-middleware', 'cors.csrf-middleware', 'https.csp']) assert.equal(noMw(id).status, 'not-checked', id);
  });

  test('no password validators: the minimum length is not checked (the validators item fails)', () => {
    const item = checklist(BASE.replace("INSTALLED_APPS = ['django.contrib.sessions',", "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.sessions',"));
    assert.equal(item('auth.password-validators').status, 'failed');
    assert.equal(item('auth.password-min-length').status, 'not-checked');
    // without django.contrib.auth there is no password to validate
    const noAuth = checklist(BASE);
    assert.equal(noAuth('auth.password-validators').status, 'not-applicable');
    assert.match(noAuth('auth.password-validators').reason, /django\.contrib\.auth is not installed/);
  });

  test('values the analysis cannot read: not checked, naming the setting, never its value', () => {
    const item = checklist(BASE.replace('DEBUG = False', 'DEBUG = read_flag("DEBUG")').replace("ALLOWED_HOSTS = ['example.com']", 'ALLOWED_HOSTS = hosts_from_vault()') + "SIMPLE_JWT = jwt_settings()\nREST_FRAMEWORK = drf()\nINSTALLED_APPS += ['rest_framework', 'rest_framework_simplejwt']\n");
    assert.equal(item('debug.debug-off').status, 'not-checked');
    assert.equal(item('debug.debug-off').reason, 'DEBUG is computed in a way the static analysis cannot follow (read_flag(...)), so its production value is unknown.');
    assert.equal(item('debug.allowed-hosts').status, 'not-checked');
    assert.equal(item('auth.jwt-rotation').status, 'not-checked');
    assert.equal(item('api.throttling').status, 'not-checked');
    // a project helper reading the environment that the analysis cannot run (a loop): paperless-ngx's
    // get_list_from_env('PAPERLESS_ALLOWED_HOSTS', default=['*']) is not checked, never passed
    const helper = checklist(BASE.replace("ALLOWED_HOSTS = ['example.com']", "def get_list(key, default=None):\n    value = os.getenv(key)\n    for sep in ',;':\n        pass\n    return default\n\n\nALLOWED_HOSTS = get_list('HOSTS', default=['*'])"));
    assert.equal(helper('debug.allowed-hosts').status, 'not-checked');
    assert.match(helper('debug.allowed-hosts').reason, /ALLOWED_HOSTS/);
    // an environment lookup without a default: decided at deploy time
    const env = checklist(BASE + "SECURE_SSL_REDIRECT = os.environ['SSL_REDIRECT'] == '1'\nSESSION_COOKIE_SECURE = os.environ.get('COOKIE_SECURE')\n");
    assert.equal(env('https.session-cookie-secure').status, 'not-checked');
  });

  test('files that do not exist: no Dockerfile, no .env, no deployment file: not applicable', () => {
    const item = checklist(BASE);
    assert.equal(item('deployment.container-user').status, 'not-applicable');
    assert.equal(item('deployment.container-user').reason, 'There is no Dockerfile for production.');
    assert.equal(item('secrets.env-file-ignored').status, 'not-applicable');
    const docker = checklist(BASE, { Dockerfile: 'FROM python:3.12\nCOPY . /app\nRUN useradd app\nUSER app\nCMD ["gunicorn", "mysite.wsgi"]\n' });
    assert.equal(docker('deployment.container-user').status, 'passed');
  });

  test('no sessions, no CSRF cookie, no credentials: their cookie items are not applicable', () => {
    const item = checklist(BASE.replace("'django.contrib.sessions', ", '').replace("    'django.contrib.sessions.middleware.SessionMiddleware',\n", '') + 'CSRF_USE_SESSIONS = True\n');
    assert.equal(item('https.session-cookie-secure').status, 'not-applicable');
    assert.equal(item('https.session-cookie-httponly').status, 'not-applicable');
    assert.equal(item('https.csrf-cookie-secure').status, 'not-applicable');
  });

  test('no production settings module: the settings items are not checked, not "not applicable"', () => {
    const mem = new MemoryFileSystem({ 'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n" }, ROOT);
    const report = buildChecklist(analyze(mem, ROOT), emptyManualState(), allRules);
    const debug = report.items.find((i) => i.id === 'debug.debug-off')!;
    assert.equal(debug.status, 'not-checked');
    assert.match(debug.reason, /No production settings module was found/);
  });

  test('on a settings module that sets almost nothing, only what Django really defaults to passes', () => {
    const item = checklist("import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n");
    const passed = ['secrets.secret-key-env', 'secrets.credentials-env', 'debug.debug-off', 'https.no-xss-filter', 'auth.password-hasher', 'logging.email-backend', 'deployment.settings-split', 'cors.csrf-exempt', 'auth.constant-time-compare', 'api.sql-injection', 'api.safe-html'];
    for (const id of passed) assert.equal(item(id).status, 'passed', id);
    for (const id of ['https.clickjacking', 'https.nosniff', 'https.session-cookie-httponly', 'https.hsts-preload', 'database.ssl', 'deployment.health-check', 'dependencies.pinned']) assert.notEqual(item(id).status, 'passed', id);
  });
});

describe('a .env of plain configuration (paperless-ngx: docker/compose/.env holds COMPOSE_PROJECT_NAME only)', () => {
  test('holds no secret: no DJR105, the item is not applicable and says why', () => {
    const mem = new MemoryFileSystem({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
      'mysite/__init__.py': '',
      'mysite/settings.py': BASE,
      '.env': 'COMPOSE_PROJECT_NAME=shop\nDEBUG=0\n',
    }, ROOT);
    const result = analyze(mem, ROOT);
    assert.deepEqual(result.findings.filter((f) => f.code === 'DJR105' || f.code === 'DJR109'), []);
    const item = buildChecklist(result, emptyManualState(), allRules).items.find((i) => i.id === 'secrets.env-file-ignored');
    assert.equal(item?.status, 'not-applicable');
    assert.match(item?.reason ?? '', /\.env holds plain configuration only/);
    // two files of the same name (paperless-ngx: .env and docker/compose/.env): named once, singular
    const two = new MemoryFileSystem({ ...Object.fromEntries(['manage.py', 'mysite/__init__.py', 'mysite/settings.py'].map((f) => [f, mem.readFile(`${ROOT}/${f}`) ?? ''])), '.env': 'A=1\n', 'docker/.env': 'COMPOSE_PROJECT_NAME=shop\n' }, ROOT);
    const reason = buildChecklist(analyze(two, ROOT), emptyManualState(), allRules).items.find((i) => i.id === 'secrets.env-file-ignored')?.reason ?? '';
    assert.match(reason, /: \.env holds plain configuration only/);
  });

  test('a password in a URL, or a secret-named variable, is a secret: DJR105', () => {
    for (const env of ['DATABASE_URL=postgres://shop:hunter2@db/shop\n', 'STRIPE_API_KEY=\n', 'EMAIL_HOST_PASSWORD=x\n', 'DJANGO_SECRET_KEY=x\n']) {
      assert.deepEqual(dotenvSecretNames(env).length, 1, env);
      assert.equal(checklist(BASE, { '.env': `COMPOSE_PROJECT_NAME=shop\n${env}` })('secrets.env-file-ignored').status, 'failed', env);
    }
    assert.deepEqual(dotenvSecretNames('COMPOSE_PROJECT_NAME=shop\nDATABASE_URL=postgres://db/shop\nPASSENGER_COUNT=3\nKEYBOARD=us\n'), []);
  });
});
