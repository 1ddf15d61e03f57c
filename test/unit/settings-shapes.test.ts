/**
 * Real-project settings shapes (issue 12): django-split-settings include(), production overlays
 * pulled in by an environment switch, how the production module is chosen, f-strings.
 * Each shape is evaluated in memory here; test/unit/projects.test.ts runs the fixture projects.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { canBeCredential, classify, envLookupSites, findDjangoProjects, globFiles, isEmptyModule, isEnvExampleName, listFiles, MemoryFileSystem, ParseCache, settingsEvaluator, settingsRole, type ModuleScope, type Value } from '../../server/src/engine';
import { ready } from '../helpers/fixtures';

function evaluate(files: Record<string, string>, main: string, overlays: string[] = []): { scope: ModuleScope; loaded: string[] } {
  const fs = new MemoryFileSystem(files);
  const cache = new ParseCache();
  const loaded: string[] = [];
  const ev = settingsEvaluator(fs, '/p', (f) => {
    const t = fs.readFile(f);
    if (t === undefined) return undefined;
    loaded.push(f);
    return cache.parse(f, t);
  }, overlays);
  return { scope: ev.evaluate(cache.parse(main, files[main])), loaded };
}

function plain(v: Value | undefined): unknown {
  if (!v) return undefined;
  switch (v.kind) {
    case 'str': case 'num': case 'bool': return v.value;
    case 'none': return null;
    case 'list': case 'tuple': case 'set': return v.items.map(plain);
    case 'dict': return Object.fromEntries(v.entries.map((e) => [plain(e.key), plain(e.value)]));
    default: return `<${v.kind}>`;
  }
}

const SPLIT_INIT = [
  'from os import environ',
  'from split_settings.tools import include, optional',
  "environ.setdefault('DJANGO_ENV', 'development')",
  "_ENV = environ['DJANGO_ENV']",
  'include(',
  "    'components/base.py',",
  "    'components/*.py',",
  "    f'environments/{_ENV}.py',",
  "    optional('environments/local.py'),",
  ')',
].join('\n');

describe('django-split-settings include()', () => {
  before(ready);

  test('components run in order in one namespace; globs sorted; a file runs once; optional() may be missing', () => {
    const files = {
      '/p/s/settings/__init__.py': SPLIT_INIT,
      '/p/s/settings/components/base.py': "ORDER = ['base']\nDEBUG = True\nNAME = 'base'",
      '/p/s/settings/components/b_second.py': "ORDER += ['b']\nNAME = NAME + '+b'",
      '/p/s/settings/components/a_first.py': "ORDER += ['a']",
      '/p/s/settings/environments/production.py': 'DEBUG = False\nORDER += ["production"]',
      '/p/s/settings/environments/development.py': 'DEBUG = True\nORDER += ["development"]',
    };
    const { scope, loaded } = evaluate(files, '/p/s/settings/__init__.py');
    // names written by one component are read by the next (no import), in include order
    assert.deepEqual(plain(scope.names.get('ORDER')?.value), ['base', 'a', 'b', 'production']);
    assert.equal(plain(scope.names.get('NAME')?.value), 'base+b');
    assert.equal(plain(scope.names.get('DEBUG')?.value), false);
    // the binding remembers the component that wrote it
    assert.equal(scope.names.get('DEBUG')?.stmt.module.path, '/p/s/settings/environments/production.py');
    assert.deepEqual(scope.includes.map((i) => i.module.path.slice('/p/s/settings/'.length)), ['components/base.py', 'components/a_first.py', 'components/b_second.py', 'environments/production.py']);
    // the environment switch loads the production file only; the missing optional file is no problem
    assert.ok(!loaded.includes('/p/s/settings/environments/development.py'));
    assert.deepEqual(scope.unresolvedImports, []);
  });

  test('include paths are relative to the including file, also from inside a component', () => {
    const files = {
      '/p/s/settings.py': "from split_settings.tools import include\ninclude('parts/main.py')",
      '/p/s/parts/main.py': "from split_settings.tools import include\nA = 1\ninclude('more/extra.py')",
      '/p/s/parts/more/extra.py': 'B = A + 1',
    };
    const { scope } = evaluate(files, '/p/s/settings.py');
    assert.equal(plain(scope.names.get('B')?.value), 2);
  });

  test('a missing required file is an unresolved include; an alias of include() works; a list of patterns via *args', () => {
    const files = {
      '/p/s/settings.py': "from split_settings.tools import include as settings_include, optional\nFILES = ['a.py', optional('none.py')]\nsettings_include(*FILES)\nsettings_include('missing.py')",
      '/p/s/a.py': 'A = 1',
    };
    const { scope } = evaluate(files, '/p/s/settings.py');
    assert.equal(plain(scope.names.get('A')?.value), 1);
    assert.deepEqual(scope.unresolvedImports.map((u) => u.name), ['missing.py']);
  });

  test('an environment switch with no file named like production is not followed (never a guess)', () => {
    const files = {
      '/p/s/settings.py': "import os\nfrom split_settings.tools import include\ninclude(f\"envs/{os.environ['ENV']}.py\")",
      '/p/s/envs/staging.py': 'DEBUG = True',
      '/p/s/envs/qa.py': 'DEBUG = True',
    };
    const { scope } = evaluate(files, '/p/s/settings.py');
    assert.equal(scope.names.get('DEBUG'), undefined);
    assert.deepEqual(scope.unresolvedImports.map((u) => u.name), ['envs/*.py']);
  });

  test('f-strings: known parts put in, unknown ones kept as {…}', () => {
    const { scope } = evaluate({ '/p/s/settings.py': "import os\nP = 'django.contrib'\nA = f'{P}.auth'\nB = f'{os.environ.get(\"X\", \"d\")}/x'\nC = f'{UNKNOWN}/x'" }, '/p/s/settings.py');
    const a = scope.names.get('A')?.value;
    assert.equal(plain(a), 'django.contrib.auth');
    assert.equal(a?.kind === 'str' && a.fstring, undefined);
    const b = scope.names.get('B')?.value;
    assert.equal(plain(b), 'd/x');
    assert.equal(b?.kind === 'str' ? b.template : undefined, '{…}/x');
    assert.equal(b?.env?.variable, 'X');
    const c = scope.names.get('C')?.value;
    assert.equal(plain(c), '{…}/x');
    assert.equal(c?.kind === 'str' && c.fstring, true);
  });

  test('globFiles: *, ?, [..], hidden files, sorted', () => {
    const fs = new MemoryFileSystem({ '/r/c/b.py': '', '/r/c/a.py': '', '/r/c/.h.py': '', '/r/c/x.txt': '', '/r/c/sub/z.py': '', '/r/d1/k.py': '', '/r/d2/k.py': '' });
    assert.deepEqual(globFiles(fs, '/r', 'c/*.py'), ['/r/c/a.py', '/r/c/b.py']);
    assert.deepEqual(globFiles(fs, '/r', 'c/?.py'), ['/r/c/a.py', '/r/c/b.py']);
    assert.deepEqual(globFiles(fs, '/r', 'c/[!a].py'), ['/r/c/b.py']);
    assert.deepEqual(globFiles(fs, '/r', 'c/.*.py'), ['/r/c/.h.py']);
    assert.deepEqual(globFiles(fs, '/r', 'd*/k.py'), ['/r/d1/k.py', '/r/d2/k.py']);
    assert.deepEqual(globFiles(fs, '/r/c', '../c/a.py'), ['/r/c/a.py']);
    assert.deepEqual(globFiles(fs, '/r', 'c/none.py'), []);
  });
});

describe('production overlays', () => {
  before(ready);

  test('the branch importing the production overlay runs, whatever the default of its condition', () => {
    const files = {
      '/p/s/settings.py': "import os\nDEBUG = True\nif os.environ.get('ENV') == 'production':\n    from .production_settings import *\nelse:\n    X = 'dev'",
      '/p/s/production_settings.py': 'DEBUG = False',
    };
    const plainRun = evaluate(files, '/p/s/settings.py');
    assert.equal(plain(plainRun.scope.names.get('DEBUG')?.value), true);
    const withOverlay = evaluate(files, '/p/s/settings.py', ['/p/s/production_settings.py']);
    assert.equal(plain(withOverlay.scope.names.get('DEBUG')?.value), false);
    assert.equal(withOverlay.scope.names.get('DEBUG')?.conditional, false);
    assert.equal(withOverlay.scope.names.get('X'), undefined);
  });
});

function discover(files: Record<string, string>, configured?: string) {
  const fs = new MemoryFileSystem(files);
  const inv = listFiles('/p', fs, { exclude: [] });
  return findDjangoProjects(inv, fs, { productionSettingsModule: configured });
}

const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";

describe('which module is production', () => {
  before(ready);

  test('a production-named overlay imported by settings.py: settings.py is production, the overlay is named', () => {
    const [p] = discover({
      '/p/manage.py': MANAGE,
      '/p/mysite/settings.py': "import os\nDEBUG = True\nif os.environ.get('ENV') == 'production':\n    from .production_settings import *\n",
      '/p/mysite/production_settings.py': 'DEBUG = False\n',
    });
    assert.equal(p.production?.dotted, 'mysite.settings');
    assert.deepEqual(p.overlays, ['/p/mysite/production_settings.py']);
    assert.match(p.productionReason, /mysite\/settings\.py, which imports production_settings\.py when the environment selects production/);
  });

  test('two projects in one folder: the deployment files of one say nothing of the other', () => {
    const manage = (m: string) => `import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '${m}')\n`;
    const projects = discover({
      '/p/shop/manage.py': manage('config.settings.dev'),
      '/p/shop/config/settings/__init__.py': '',
      '/p/shop/config/settings/dev.py': 'DEBUG = True\n',
      '/p/shop/config/settings/production.py': 'DEBUG = False\n',
      '/p/shop/docker-compose.yml': 'services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: config.settings.production\n',
      '/p/blog/manage.py': manage('blog.config.settings.dev'),
      '/p/blog/blog/config/settings/__init__.py': '',
      '/p/blog/blog/config/settings/dev.py': 'DEBUG = True\n',
      '/p/blog/blog/config/settings/production.py': 'DEBUG = False\n',
    });
    const byRoot = new Map(projects.map((p) => [p.root, p]));
    assert.match(byRoot.get('/p/shop')?.productionReason ?? '', /DJANGO_SETTINGS_MODULE=config\.settings\.production in docker-compose\.yml/);
    assert.equal(byRoot.get('/p/blog')?.production?.dotted, 'blog.config.settings.production');
    assert.equal(byRoot.get('/p/blog')?.productionReason, 'named like production');
  });

  test('a production module that star-imports a base is production itself (nothing imports it)', () => {
    const [p] = discover({
      '/p/manage.py': MANAGE,
      '/p/mysite/settings/__init__.py': '',
      '/p/mysite/settings/base.py': 'DEBUG = False\n',
      '/p/mysite/settings/production.py': 'from .base import *\n',
      '/p/mysite/settings/local.py': 'from .base import *\nDEBUG = True\n',
    });
    assert.equal(p.production?.dotted, 'mysite.settings.production');
    assert.equal(p.productionReason, 'named like production');
    assert.equal(p.overlays, undefined);
  });

  test('a split-settings __init__.py including environments/{ENV}.py is production', () => {
    const [p] = discover({
      '/p/manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'server.settings')\n",
      '/p/server/settings/__init__.py': SPLIT_INIT,
      '/p/server/settings/components/base.py': 'DEBUG = False\n',
      '/p/server/settings/environments/production.py': 'DEBUG = False\n',
      '/p/server/settings/environments/development.py': 'DEBUG = True\n',
    });
    assert.equal(p.production?.dotted, 'server.settings');
    assert.deepEqual(p.overlays, ['/p/server/settings/environments/production.py']);
    assert.match(p.productionReason, /includes environments\/production\.py/);
  });

  test('a module that builds on production at top level (build.py) does not take its place; a package Django loads does', () => {
    const files = {
      '/p/manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
      '/p/mysite/settings/__init__.py': 'from .dev import *\n',
      '/p/mysite/settings/base.py': 'DEBUG = False\n',
      '/p/mysite/settings/dev.py': 'from .base import *\nDEBUG = True\n',
      '/p/mysite/settings/production.py': 'from .base import *\n',
      '/p/mysite/settings/build.py': 'from .production import *\nSECRET_KEY = "build"\n',
    };
    assert.equal(discover(files)[0].production?.dotted, 'mysite.settings.production');
    // the package Django loads imports production unconditionally: the package is production
    const [q] = discover({ ...files, '/p/mysite/settings/__init__.py': 'from .production import *\n' });
    assert.equal(q.production?.dotted, 'mysite.settings');
    assert.deepEqual(q.overlays, ['/p/mysite/settings/production.py']);
  });

  test('an empty settings/__init__.py is never chosen over a real module', () => {
    const [p] = discover({
      '/p/manage.py': MANAGE,
      '/p/mysite/settings/__init__.py': '# settings package\n"""Docstring only."""\n',
      '/p/mysite/settings/base.py': 'DEBUG = False\n',
      '/p/mysite/settings/dev.py': 'from .base import *\nDEBUG = True\n',
    });
    assert.equal(p.production?.dotted, 'mysite.settings.base');
    assert.equal(isEmptyModule('# c\n\n"""doc"""\n'), true);
    assert.equal(isEmptyModule('from .base import *\n'), false);
  });

  test('a wsgi.py default named for development (docker_compose, a devproject package): unknown, said, never a guess from a file name', () => {
    // readthedocs: wsgi.py loads settings.docker_compose; core/settings.py is a helper module named settings
    const [p] = discover({
      '/p/manage.py': MANAGE,
      '/p/rtd/wsgi.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'rtd.settings.docker_compose')\n",
      '/p/rtd/settings/__init__.py': '',
      '/p/rtd/settings/base.py': 'DEBUG = False\n',
      '/p/rtd/settings/docker_compose.py': 'from .base import *\nDEBUG = True\n',
      '/p/rtd/settings/proxito/__init__.py': '',
      '/p/rtd/settings/proxito/base.py': 'from ..base import *\n',
      '/p/rtd/core/settings.py': 'class Settings:\n    pass\n',
    });
    assert.equal(p.production, undefined);
    assert.equal(p.productionReason, 'unknown: the DJANGO_SETTINGS_MODULE default in wsgi.py, rtd.settings.docker_compose, is named for development, and no module is named like production (3 other modules, nothing says which one runs in production)');
    assert.deepEqual([...(p.candidates ?? [])].sort(), ['rtd.core.settings', 'rtd.settings.base', 'rtd.settings.proxito.base']);
    // Misago: the only project is a development project
    const [q] = discover({
      '/p/manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'devproject.settings')\n",
      '/p/devproject/wsgi.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'devproject.settings')\n",
      '/p/devproject/settings.py': 'DEBUG = True\n',
      '/p/devproject/test_settings.py': 'from .settings import *\n',
    });
    assert.equal(q.production, undefined);
    assert.match(q.productionReason, /^unknown: the DJANGO_SETTINGS_MODULE default in wsgi\.py, devproject\.settings, is named for development, and no module is named like production$/);
    // a module named like production is chosen, and the development default is said beside it
    const [r] = discover({
      '/p/manage.py': MANAGE,
      '/p/mysite/wsgi.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.dev')\n",
      '/p/mysite/settings/__init__.py': '',
      '/p/mysite/settings/base.py': 'DEBUG = False\n',
      '/p/mysite/settings/dev.py': 'from .base import *\n',
      '/p/mysite/settings/prod.py': 'from .base import *\n',
    });
    assert.equal(r.production?.dotted, 'mysite.settings.prod');
    assert.equal(r.productionReason, 'named like production; the DJANGO_SETTINGS_MODULE default in wsgi.py, mysite.settings.dev, is named for development');
    // settings_dev beside settings.py: settings.py is still the only settings.py of that package
    const [t] = discover({
      '/p/manage.py': MANAGE,
      '/p/mysite/wsgi.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings_dev')\n",
      '/p/mysite/settings.py': 'DEBUG = False\n',
      '/p/mysite/settings_dev.py': 'from .settings import *\nDEBUG = True\n',
    });
    assert.equal(t.production?.dotted, 'mysite.settings');
    assert.match(t.productionReason, /^the only settings\.py; the DJANGO_SETTINGS_MODULE default in wsgi\.py, mysite\.settings_dev, is named for development$/);
  });

  test('settingsRole: development words in the module name, development packages', () => {
    assert.equal(settingsRole('rtd.settings.docker_compose'), 'development');
    assert.equal(settingsRole('devproject.settings'), 'development');
    assert.equal(settingsRole('testproject.settings'), 'development');
    assert.equal(settingsRole('devices.settings'), 'unknown');
    assert.equal(settingsRole('devproject.settings.production'), 'production');
    assert.equal(settingsRole('mysite.settings.docker'), 'unknown');
  });

  test('several candidates and no hint: unknown, with the candidates', () => {
    const [p] = discover({
      '/p/manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.dev')\n",
      '/p/mysite/settings/__init__.py': '',
      '/p/mysite/settings/staging.py': 'DEBUG = False\n',
      '/p/mysite/settings/qa.py': 'DEBUG = False\n',
      '/p/mysite/settings/dev.py': 'DEBUG = True\n',
    });
    assert.equal(p.production, undefined);
    assert.match(p.productionReason, /^unknown: 2 candidate modules/);
    assert.deepEqual(p.candidates, ['mysite.settings.qa', 'mysite.settings.staging']);
  });

  const PKG = {
    '/p/manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.local')\n",
    '/p/mysite/settings/__init__.py': '',
    '/p/mysite/settings/base.py': 'DEBUG = True\n',
    '/p/mysite/settings/local.py': 'from .base import *\n',
  };

  test('DJANGO_SETTINGS_MODULE in a Procfile, a Dockerfile ENV, fly.toml, app.json, render.yaml, uwsgi.ini, a compose file', () => {
    const cases: [string, string, RegExp][] = [
      ['/p/Procfile', 'release: python manage.py migrate\nweb: gunicorn mysite.wsgi --env DJANGO_SETTINGS_MODULE=mysite.settings.heroku\n', /^DJANGO_SETTINGS_MODULE=mysite\.settings\.heroku in Procfile$/],
      ['/p/Procfile', 'release: python manage.py migrate --settings=mysite.settings.heroku\n', /in Procfile$/],
      ['/p/Dockerfile', 'FROM python:3.12\nARG SETTINGS=mysite.settings.heroku\nENV DJANGO_SETTINGS_MODULE=${SETTINGS} PORT=8000\nCMD ["gunicorn", "mysite.wsgi"]\n', /in Dockerfile$/],
      ['/p/Dockerfile', 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE mysite.settings.heroku\n', /in Dockerfile$/],
      ['/p/fly.toml', 'app = "x"\n[env]\n  DJANGO_SETTINGS_MODULE = "mysite.settings.heroku"\n', /in fly\.toml$/],
      ['/p/app.json', '{"env": {"DJANGO_SETTINGS_MODULE": {"value": "mysite.settings.heroku"}}}\n', /in app\.json$/],
      ['/p/render.yaml', 'services:\n  - type: web\n    envVars:\n      - key: DJANGO_SETTINGS_MODULE\n        value: mysite.settings.heroku\n', /in render\.yaml$/],
      ['/p/uwsgi.ini', '[uwsgi]\nmodule = mysite.wsgi\nenv = DJANGO_SETTINGS_MODULE=mysite.settings.heroku\n', /in uwsgi\.ini$/],
      ['/p/docker-compose.yml', 'services:\n  web:\n    environment:\n      - DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-mysite.settings.heroku}\n', /in docker-compose\.yml$/],
    ];
    for (const [file, text, reason] of cases) {
      const [p] = discover({ ...PKG, '/p/mysite/settings/heroku.py': 'from .base import *\nDEBUG = False\n', '/p/mysite/settings/docker.py': 'from .base import *\n', [file]: text });
      assert.equal(p.production?.dotted, 'mysite.settings.heroku', file);
      assert.match(p.productionReason, reason, file);
    }
  });

  test('deployment files for development, a build step (RUN) or a development module do not decide', () => {
    const files = {
      ...PKG,
      '/p/mysite/settings/heroku.py': 'from .base import *\n',
      '/p/mysite/settings/docker.py': 'from .base import *\n',
      '/p/docker-compose.dev.yml': 'services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: mysite.settings.docker\n',
      '/p/docker-compose.yml': 'services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: mysite.settings.local\n',
      '/p/Dockerfile': 'FROM python:3.12\nRUN DJANGO_SETTINGS_MODULE=mysite.settings.docker python manage.py collectstatic --noinput\n',
    };
    const [p] = discover(files);
    assert.equal(p.production?.dotted, 'mysite.settings.heroku');
    assert.equal(p.productionReason, 'the only settings module built on mysite/settings/base.py that is not for development or a build step; mysite.settings.docker is set by a build step in Dockerfile');
  });

  test('a module named like production wins over a deployment file naming another (a compose file is often for development)', () => {
    const [p] = discover({
      ...PKG,
      '/p/mysite/settings/prod.py': 'from .base import *\n',
      '/p/mysite/settings/docker.py': 'from .base import *\n',
      '/p/docker-compose.yml': 'services:\n  web:\n    environment:\n      - DJANGO_SETTINGS_MODULE=mysite.settings.docker\n',
    });
    assert.equal(p.production?.dotted, 'mysite.settings.prod');
    assert.equal(p.productionReason, 'named like production');
    // ...unless the deployment file names a production module itself: then that one, said so
    const [q] = discover({
      ...PKG,
      '/p/mysite/settings/prod.py': 'from .base import *\n',
      '/p/mysite/settings/production.py': 'from .base import *\n',
      '/p/Dockerfile': 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=mysite.settings.prod\n',
    });
    assert.equal(q.production?.dotted, 'mysite.settings.prod');
    assert.equal(q.productionReason, 'DJANGO_SETTINGS_MODULE=mysite.settings.prod in Dockerfile');
  });

  test('a settings.py pulling in a production overlay, named by a Procfile: the overlay is kept, both reasons said', () => {
    const [p] = discover({
      '/p/manage.py': MANAGE,
      '/p/mysite/settings.py': "import os\nDEBUG = True\nif os.environ.get('ENV') == 'production':\n    from .production_settings import *\n",
      '/p/mysite/production_settings.py': 'DEBUG = False\n',
      '/p/Procfile': 'web: DJANGO_SETTINGS_MODULE=mysite.settings gunicorn mysite.wsgi\n',
    });
    assert.equal(p.production?.dotted, 'mysite.settings');
    assert.deepEqual(p.overlays, ['/p/mysite/production_settings.py']);
    assert.match(p.productionReason, /^DJANGO_SETTINGS_MODULE=mysite\.settings in Procfile; Django loads mysite\/settings\.py, which imports production_settings\.py/);
  });

  test('a deployment file naming a module the repository does not have (copied in at build time) is said', () => {
    const [p] = discover({
      '/p/manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings.common')\n",
      '/p/settings/__init__.py': '',
      '/p/settings/common.py': 'DEBUG = False\n',
      '/p/docker/Dockerfile': 'FROM python:3.12\nRUN cp docker/config.py settings/config.py\nENV DJANGO_SETTINGS_MODULE=settings.config\n',
    });
    assert.equal(p.production?.dotted, 'settings.common');
    assert.equal(p.productionReason, 'no production module: the shared base settings are judged; DJANGO_SETTINGS_MODULE=settings.config in docker/Dockerfile names no settings module of this project');
  });

  test('still ambiguous: unknown with the candidates, never the base', () => {
    // two deployment files naming two modules
    const [p] = discover({
      ...PKG,
      '/p/mysite/settings/heroku.py': 'from .base import *\n',
      '/p/mysite/settings/docker.py': 'from .base import *\n',
      '/p/Procfile': 'web: gunicorn mysite.wsgi --env DJANGO_SETTINGS_MODULE=mysite.settings.heroku\n',
      '/p/Dockerfile': 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=mysite.settings.docker\n',
    });
    assert.equal(p.production, undefined);
    assert.deepEqual(p.candidates?.sort(), ['mysite.settings.docker', 'mysite.settings.heroku']);
    assert.match(p.productionReason, /^unknown: deployment files set DJANGO_SETTINGS_MODULE to 2 modules \(DJANGO_SETTINGS_MODULE=mysite\.settings\.(heroku|docker) in (Procfile|Dockerfile), /);
    // no deployment file, two modules built on base.py (an example copy cannot be imported: not a candidate)
    const [q] = discover({
      ...PKG,
      '/p/mysite/settings/staging.py': 'from .base import *\n',
      '/p/mysite/settings/qa.py': 'from mysite.settings.base import *\n',
      '/p/mysite/settings/production.example.py': 'from .base import *\n',
    });
    assert.equal(q.production, undefined);
    assert.deepEqual(q.candidates, ['mysite.settings.qa', 'mysite.settings.staging']);
    assert.equal(q.productionReason, 'unknown: 2 settings modules are built on mysite/settings/base.py (mysite.settings.qa, mysite.settings.staging) and nothing says which one runs in production');
    // nothing builds on base.py but development: base.py is judged, said so
    const [r] = discover(PKG);
    assert.equal(r.production?.dotted, 'mysite.settings.base');
    assert.equal(r.productionReason, 'no production module: the shared base settings are judged');
  });

  test('a configured module that does not exist is reported, not ignored', () => {
    const [p] = discover({ '/p/manage.py': MANAGE, '/p/mysite/settings.py': 'DEBUG = False\n' }, 'mysite.settings_prod');
    assert.equal(p.production, undefined);
    assert.equal(p.configuredMissing, 'mysite.settings_prod');
    assert.deepEqual(p.candidates, ['mysite.settings']);
  });
});

describe('environment readers and example files', () => {
  before(ready);

  test('decouple AutoConfig / Config instances read like config(), also imported from another module', () => {
    const files = {
      '/p/s/components/__init__.py': "from decouple import AutoConfig\nconfig = AutoConfig(search_path='/p/config')",
      '/p/s/settings.py': "from s.components import config\nSECRET_KEY = config('SECRET_KEY', default='x' * 3)\nDEBUG = config('DEBUG', default=False, cast=bool)",
    };
    const { scope } = evaluate(files, '/p/s/settings.py');
    const key = scope.names.get('SECRET_KEY')?.value;
    assert.equal(key?.env?.source, 'decouple');
    assert.equal(key?.env?.variable, 'SECRET_KEY');
    assert.equal(plain(scope.names.get('DEBUG')?.value), false);
  });

  test('.env.dist, .env.template, .env.sample and friends are example files, not secrets', () => {
    for (const n of ['.env.example', '.env.dist', '.env.template', '.env.sample', 'env.example', 'example.env', '.env.prod.example', '.env-dist']) {
      assert.equal(isEnvExampleName(n), true, n);
      assert.equal(classify(n), 'env-example', n);
    }
    for (const n of ['.env', '.env.local', '.env.production']) assert.equal(classify(n), 'env', n);
  });
});

describe('environment helper functions', () => {
  before(ready);

  const HELPERS = [
    'import os',
    'def envbool(s, default):',
    '    v = os.getenv(s, default=default)',
    '    if v not in ("", "True", "False"):',
    '        raise ValueError(v)',
    '    return v == "True"',
    'def envint(s, default):',
    '    v = os.getenv(s, default)',
    '    if v == "None":',
    '        return None',
    '    return int(v)',
    'def get_bool(name, default_value):',
    '    """Docstring."""',
    '    value = os.environ.get(name)',
    '    if value is None:',
    '        return default_value',
    '    return value.lower() in ("true", "1")',
    'def get_int(key, default=None):',
    '    if key not in os.environ:',
    '        return default',
    '    return int(os.environ[key])',
    'def looped(name):',
    '    for s in ("", "_FILE"):',
    '        if os.getenv(name + s):',
    '            return True',
    '    return False',
    'def plain(x):',
    '    return x * 2',
  ].join('\n');

  test('a call is an environment lookup whose production value is the function of its default', () => {
    const src = HELPERS + '\nA = envbool("DEBUG", "True")\nB = envint("N", "60")\nC = get_bool("X", True)\nD = get_int("P", default=5)\nE = envbool("Y", default="False")';
    const { scope } = evaluate({ '/p/s/settings.py': src }, '/p/s/settings.py');
    const a = scope.names.get('A')?.value;
    assert.equal(plain(a), true);
    assert.equal(a?.env?.source, 'helper');
    assert.equal(a?.env?.helper, 'envbool');
    assert.equal(a?.env?.variable, 'DEBUG');
    assert.equal(a?.env?.cast, 'bool');
    // the default is the caller's argument (what a fix edits), not the helper's parameter
    assert.equal(a?.env?.defaultOrigin?.module.path, '/p/s/settings.py');
    assert.equal(a?.env?.defaultOrigin && a.env.defaultOrigin.module.text.slice(a.env.defaultOrigin.top.start + a.env.defaultOrigin.node.s, a.env.defaultOrigin.top.start + a.env.defaultOrigin.node.e), '"True"');
    assert.equal(plain(scope.names.get('B')?.value), 60);
    assert.equal(plain(scope.names.get('C')?.value), true);
    assert.equal(scope.names.get('C')?.value.env?.variable, 'X');
    assert.equal(plain(scope.names.get('D')?.value), 5);
    assert.equal(scope.names.get('D')?.value.env?.variable, 'P');
    assert.equal(plain(scope.names.get('E')?.value), false);
  });

  test('undecidable bodies stay unknown; a function that reads no environment gives its value, not a lookup', () => {
    const src = HELPERS + '\nA = looped("CSRF")\nB = plain(2)\nC = envint("N", UNKNOWN)';
    const { scope } = evaluate({ '/p/s/settings.py': src }, '/p/s/settings.py');
    const a = scope.names.get('A')?.value;
    assert.equal(a?.kind, 'unknown');
    const b = scope.names.get('B')?.value;
    assert.equal(plain(b), 4);
    assert.equal(b?.env, undefined);
    assert.equal(scope.names.get('C')?.value.kind, 'unknown');
  });

  test('kitsune: a debug switch computed by a helper over settings (False in production) leaves MIDDLEWARE known', () => {
    const src = [
      'import os',
      'DEBUG = os.getenv("DEBUG", "") == "1"',
      'USE_SILK = os.getenv("USE_SILK", "") == "1"',
      'MIDDLEWARE = ("django.middleware.security.SecurityMiddleware", "app.middleware.Strip")',
      'def show_debug_callback(*args):',
      '    return DEBUG and USE_SILK',
      'SHOW_DEBUG_INFO = show_debug_callback()',
      'if SHOW_DEBUG_INFO:',
      '    at = MIDDLEWARE.index("app.middleware.Strip") + 1',
      '    MIDDLEWARE = (*MIDDLEWARE[:at], "silk.middleware.SilkyMiddleware", *MIDDLEWARE[at:])',
    ].join('\n');
    const { scope } = evaluate({ '/p/s/settings.py': src }, '/p/s/settings.py');
    assert.equal(plain(scope.names.get('SHOW_DEBUG_INFO')?.value), false);
    assert.deepEqual(plain(scope.names.get('MIDDLEWARE')?.value), ['django.middleware.security.SecurityMiddleware', 'app.middleware.Strip']);
  });

  test('helpers imported from a sibling module, calling another helper there', () => {
    const files = {
      '/p/s/env.py': 'import os\ndef to_bool(value):\n    v = value.strip().lower()\n    if v in ("yes", "true", "1"):\n        return True\n    elif v in ("no", "false", "0"):\n        return False\n    raise ValueError(v)\ndef get_bool_from_env(key, default="NO"):\n    return to_bool(os.getenv(key, default))',
      '/p/s/settings.py': 'from .env import get_bool_from_env\nDEBUG = get_bool_from_env("PAPERLESS_DEBUG", "YES")\nX = get_bool_from_env("X")',
    };
    const { scope } = evaluate(files, '/p/s/settings.py');
    const d = scope.names.get('DEBUG')?.value;
    assert.equal(plain(d), true);
    assert.equal(d?.env?.variable, 'PAPERLESS_DEBUG');
    assert.equal(d?.env?.defaultOrigin?.module.path, '/p/s/settings.py');
    // the parameter's own default: known value, no caller argument to point a fix at
    const x = scope.names.get('X')?.value;
    assert.equal(plain(x), false);
    assert.equal(x?.env?.defaultOrigin, undefined);
  });

  test('`if name := os.getenv(...)` binds the name; the variable read is listed for .env.example', () => {
    const src = 'import os\nif admins := os.getenv("ADMINS"):\n    ADMINS = admins.split(",")\ndef envbool(s, d):\n    return os.getenv(s, d) == "True"\nDEBUG = envbool("DEBUG", "False")';
    const { scope } = evaluate({ '/p/s/settings.py': src }, '/p/s/settings.py');
    assert.equal(scope.names.get('admins')?.value.env?.variable, 'ADMINS');
    assert.equal(scope.names.get('ADMINS')?.conditional, true);
    assert.deepEqual(envLookupSites(scope).map((s) => s.variable), ['ADMINS', 'DEBUG']);
  });
});

describe('more environment libraries', () => {
  before(ready);

  test('environ.FileAwareEnv with a schema: defaults and casts from the schema', () => {
    const src = 'import environ\nenv = environ.FileAwareEnv(DD_DEBUG=(bool, False), DD_HSTS=(int, 31536000), DD_SSL=(bool, True))\nDEBUG = env("DD_DEBUG")\nHSTS = env("DD_HSTS")\nSSL = env.bool("DD_SSL")';
    const { scope } = evaluate({ '/p/s/settings.py': src }, '/p/s/settings.py');
    assert.equal(plain(scope.names.get('DEBUG')?.value), false);
    assert.equal(scope.names.get('DEBUG')?.value.env?.cast, 'bool');
    assert.equal(plain(scope.names.get('HSTS')?.value), 31536000);
    assert.equal(plain(scope.names.get('SSL')?.value), true);
  });

  test('getattr(configuration, NAME, default) on a configuration the repository does not hold: a lookup with that default, not an environment variable', () => {
    const src = [
      'import importlib',
      'from mysite import known',
      'configuration = importlib.import_module("mysite.configuration")',
      'SSL = getattr(configuration, "SECURE_SSL_REDIRECT", False)',
      'HOSTS = getattr(configuration, "ALLOWED_HOSTS")',
      'K = getattr(known, "X", 1)',
      'N = getattr(configuration, name, 1)',
    ].join('\n');
    const { scope } = evaluate({ '/p/mysite/__init__.py': '', '/p/mysite/settings.py': src, '/p/mysite/known.py': 'X = 2\n' }, '/p/mysite/settings.py');
    const ssl = scope.names.get('SSL')?.value;
    assert.equal(plain(ssl), false);
    assert.deepEqual([ssl?.env?.source, ssl?.env?.variable, ssl?.env?.hasDefault], ['config', 'SECURE_SSL_REDIRECT', true]);
    assert.equal(scope.names.get('HOSTS')?.value.kind, 'unknown');
    assert.equal(scope.names.get('K')?.value.env, undefined);
    assert.equal(scope.names.get('N')?.value.env, undefined);
    assert.deepEqual(scope.envReads.map((r) => r.info.variable), []);
  });

  test("a hosting platform's own variable is set in production, a CI service's is not; other presence tests stay unknown", () => {
    const src = 'import os\nHEROKU = "DYNO" in os.environ and "CI" not in os.environ\nRENDER = "RENDER" not in os.environ\nGH = "GITHUB_ACTIONS" in os.environ\nOTHER = "DATABASE_URL" in os.environ';
    const { scope } = evaluate({ '/p/s/settings.py': src }, '/p/s/settings.py');
    assert.equal(plain(scope.names.get('HEROKU')?.value), true);
    assert.equal(plain(scope.names.get('RENDER')?.value), false);
    assert.equal(plain(scope.names.get('GH')?.value), false);
    assert.equal(scope.names.get('OTHER')?.value.kind, 'unknown');
    assert.deepEqual(scope.envReads.map((r) => r.info.variable), []);
  });

  test("environs' FileAwareEnv (bookwyrm) reads like its Env: positional defaults", () => {
    const { scope } = evaluate({ '/p/s/settings.py': 'from environs import FileAwareEnv\nenv = FileAwareEnv()\nenv.read_env()\nDEBUG = env.bool("DEBUG", False)\nSECRET_KEY = env("SECRET_KEY", None)\nALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["*"])' }, '/p/s/settings.py');
    assert.equal(plain(scope.names.get('DEBUG')?.value), false);
    assert.equal(scope.names.get('DEBUG')?.value.env?.variable, 'DEBUG');
    assert.deepEqual(plain(scope.names.get('ALLOWED_HOSTS')?.value), ['*']);
    assert.equal(scope.names.get('ALLOWED_HOSTS')?.value.env?.source, 'environ');
  });

  test('environs: Env() and the ready-made env, positional and keyword defaults, dj_db_url', () => {
    const a = evaluate({ '/p/s/settings.py': 'from environs import Env\nenv = Env()\nenv.read_env()\nDEBUG = env.bool("DEBUG", False)\nHOSTS = env.list("HOSTS", default=["a", "b"])\nDB = env.dj_db_url("DATABASE_URL", default="postgres://u:p@h:5432/n")\nX = env("X", "d")' }, '/p/s/settings.py').scope;
    assert.equal(plain(a.names.get('DEBUG')?.value), false);
    assert.deepEqual(plain(a.names.get('HOSTS')?.value), ['a', 'b']);
    assert.equal(plain(a.names.get('DB')?.value && (a.names.get('DB')?.value as Value & { kind: 'dict' }).entries.find((e) => plain(e.key) === 'ENGINE')?.value), 'django.db.backends.postgresql');
    assert.equal(plain(a.names.get('X')?.value), 'd');
    const b = evaluate({ '/p/s/settings.py': 'from environs import env\nDEBUG = env.bool("DEBUG", default=True)' }, '/p/s/settings.py').scope;
    assert.equal(plain(b.names.get('DEBUG')?.value), true);
    assert.equal(b.names.get('DEBUG')?.value.env?.variable, 'DEBUG');
  });

  test('pydantic-settings: class defaults, env_prefix (model_config or class Config), Field(default=, alias=), required fields unknown', () => {
    const files = {
      '/p/s/config.py': [
        'from pydantic import Field',
        'from pydantic_settings import BaseSettings, SettingsConfigDict',
        'class Base(BaseSettings):',
        '    model_config = SettingsConfigDict(env_prefix="APP_")',
        '    debug: bool = True',
        'class Settings(Base):',
        '    secret: str',
        '    hosts: list[str] = Field(default=["h"], alias="ALLOWED_HOSTS")',
        '    port: int = Field(8000)',
        'class Old(BaseSettings):',
        '    debug: bool = False',
        '    class Config:',
        '        env_prefix = "OLD_"',
        'settings = Settings()',
        'old = Old()',
      ].join('\n'),
      '/p/s/settings.py': 'from .config import settings, old\nDEBUG = settings.debug\nSECRET_KEY = settings.secret\nHOSTS = settings.hosts\nPORT = settings.port\nOLD = old.debug\nNOPE = settings.nope',
    };
    const { scope } = evaluate(files, '/p/s/settings.py');
    const debug = scope.names.get('DEBUG')?.value;
    assert.equal(plain(debug), true);
    assert.equal(debug?.env?.source, 'pydantic');
    // the prefix of the base's model_config applies to the subclass's fields too
    assert.equal(debug?.env?.variable, 'APP_DEBUG');
    assert.equal(scope.names.get('SECRET_KEY')?.value.kind, 'unknown');
    assert.equal(scope.names.get('SECRET_KEY')?.value.env?.variable, 'APP_SECRET');
    assert.deepEqual(plain(scope.names.get('HOSTS')?.value), ['h']);
    assert.equal(scope.names.get('HOSTS')?.value.env?.variable, 'ALLOWED_HOSTS');
    assert.equal(plain(scope.names.get('PORT')?.value), 8000);
    assert.equal(plain(scope.names.get('OLD')?.value), false);
    assert.equal(scope.names.get('OLD')?.value.env?.variable, 'OLD_DEBUG');
    assert.equal(scope.names.get('NOPE')?.value.kind, 'unknown');
  });

  test('a project module imported as a name: `from . import local_settings` then local_settings.X', () => {
    const files = {
      '/p/s/local_settings.py': 'import os\nDEBUG = os.environ.get("DEBUG", "") == "1"\nSECRET_KEY = "x"',
      '/p/s/settings.py': 'from . import local_settings\nimport s.local_settings as ls\nDEBUG = local_settings.DEBUG\nKEY = ls.SECRET_KEY',
    };
    const { scope } = evaluate(files, '/p/s/settings.py');
    assert.equal(plain(scope.names.get('DEBUG')?.value), false);
    assert.equal(plain(scope.names.get('KEY')?.value), 'x');
    assert.deepEqual(scope.unresolvedImports, []);
  });

  test('django_heroku.settings(locals()): what it sets, each part switched off by its keyword', () => {
    const base = 'import django_heroku\nSECRET_KEY = "k"\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\nALLOWED_HOSTS = ["a.example"]\n';
    const a = evaluate({ '/p/s/settings.py': base + 'django_heroku.settings(locals())' }, '/p/s/settings.py').scope;
    assert.deepEqual(plain(a.names.get('ALLOWED_HOSTS')?.value), ['*']);
    assert.deepEqual(plain(a.names.get('MIDDLEWARE')?.value), ['whitenoise.middleware.WhiteNoiseMiddleware', 'django.middleware.security.SecurityMiddleware']);
    assert.equal(a.names.get('STATIC_ROOT')?.value.kind, 'path');
    assert.equal(a.names.get('LOGGING')?.value.kind, 'dict');
    assert.equal(a.names.get('SECRET_KEY')?.value.env?.variable, 'SECRET_KEY');
    const db = a.names.get('DATABASES')?.value;
    const def = db?.kind === 'dict' ? db.entries[0].value : undefined;
    assert.equal(def?.env?.variable, 'DATABASE_URL');
    assert.deepEqual(plain(def), { ENGINE: 'django.db.backends.sqlite3' });
    const b = evaluate({ '/p/s/settings.py': base + 'django_heroku.settings(locals(), allowed_hosts=False, staticfiles=False)' }, '/p/s/settings.py').scope;
    assert.deepEqual(plain(b.names.get('ALLOWED_HOSTS')?.value), ['a.example']);
    assert.equal(b.names.get('STATIC_ROOT'), undefined);
  });
});

describe('name-based false positives (DJR103/DJR104)', () => {
  test('values no credential looks like', () => {
    for (const v of ['mysite.forms.ResetPasswordForm', 'users.ResetForm', 'pkg.auth.services.jwt_secret', '1/m/user', '100/day', '^[@\\w.+-]+$', 'r(?P<x>.*)', '/accounts/password/reset/', 'https://example.com/token', 'true', 'None', '', '${DB_PASSWORD}', 'sumo:wiki:full-rebuild', 'app:lock:rebuild_index']) {
      assert.equal(canBeCredential(v), false, v);
    }
    for (const v of ['hunter2', 's3cr3t.value', 'AKIAIOSFODNN7EXAMPLE', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig', 'changeme', '^8w!f3c(xyz', 'postgres://u:p@h/d', 'admin:hunter', 'api:k3y:s3cret']) {
      assert.equal(canBeCredential(v), true, v);
    }
  });
});
