/**
 * The project shapes of issue 12 (test/fixtures/projects/<shape>), each reproducing what real
 * projects write: the exact findings (rule, file, line), so a false finding fails as surely as a
 * missing one, and the production module chosen with its reason.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { NodeFileSystem } from '../../server/src/engine';
import { analyze, fixturesRoot, ready } from '../helpers/fixtures';

const projects = path.join(fixturesRoot, 'projects');
const REPOSITORY_RULES = new Set(['DJR912', 'DJR913']);

interface Shape {
  /** Every finding, as "CODE file:line", sorted. */
  findings: string[];
  /** The production module (dotted; null: none could be chosen) and a pattern its reason matches. */
  production?: [string | null, RegExp];
  /** One project, rooted there (relative), reading the deployment files of the whole folder for this reason. */
  repository?: [string, RegExp];
}

/** The settings findings of the requirements fixtures' minimal settings.py (DRF installed, nothing configured). */
const MINIMAL_SETTINGS = ['DJR301', 'DJR304', 'DJR506', 'DJR601', 'DJR602', 'DJR603', 'DJR604', 'DJR801', 'DJR802'].map((c) => `${c} mysite/settings.py:1`).concat('DJR106 mysite/settings.py:3');

const SHAPES: Record<string, Shape> = {
  // django-split-settings (wemake-django-template): components, a glob, f'environments/{ENV}.py', optional()
  'split-settings': {
    findings: [
      'DJR102 server/settings/components/common.py:3',
      'DJR106 config/.env.template:1',
      'DJR304 server/settings/environments/production.py:11',
      'DJR314 server/settings/environments/production.py:1',
    ],
    production: ['server.settings', /server\/settings\/__init__\.py, which includes environments\/production\.py/],
  },
  // settings.py for development + `if ENV == 'production': from .production_settings import *`
  overlay: {
    findings: ['DJR302 mysite/production_settings.py:1', 'DJR314 mysite/production_settings.py:1'],
    production: ['mysite.settings', /imports production_settings\.py when the environment selects production/],
  },
  // local helpers wrapping os.getenv (healthchecks), helpers imported from a sibling module
  // calling another helper (paperless-ngx), `return default` when unset (saleor), a loop (unknown)
  'env-helpers': {
    findings: ['DJR102 hc/settings.py:30', 'DJR202 hc/settings.py:31', 'DJR301 hc/settings.py:69', 'DJR314 hc/settings.py:1'],
    production: ['hc.settings', /the only settings\.py/],
  },
  // environs: env.bool/str/list/int with default= or a positional default, env.dj_db_url
  environs: {
    findings: ['DJR102 mysite/settings.py:12', 'DJR202 mysite/settings.py:11', 'DJR203 mysite/settings.py:13', 'DJR301 mysite/settings.py:44', 'DJR314 mysite/settings.py:1', 'DJR701 mysite/settings.py:41'],
  },
  // django_heroku.settings(locals()) at the bottom: ALLOWED_HOSTS ['*'], WhiteNoise first, LOGGING,
  // STATIC_ROOT, DATABASES/SECRET_KEY from the environment when set
  heroku: {
    findings: ['DJR102 mysite/settings.py:8', 'DJR203 mysite/settings.py:53', 'DJR314 mysite/settings.py:1', 'DJR405 mysite/settings.py:53', 'DJR701 mysite/settings.py:38'],
  },
  // names that say password/token/secret without holding one (form classes, rates, a function's
  // import path, masking patterns); .env.dist and .env.template are example files, not secrets
  'name-based': {
    findings: ['DJR103 mysite/settings.py:79', 'DJR314 mysite/settings.py:1', 'DJR614 mysite/settings.py:61'],
  },
  // a pydantic-settings class (env_prefix, Field(alias=), Field(default=)) read through `settings = Settings()`
  'pydantic-settings': {
    findings: ['DJR102 mysite/settings.py:7', 'DJR202 mysite/settings.py:8', 'DJR314 mysite/settings.py:1'],
  },
  // python.org: the platform sets DJANGO_SETTINGS_MODULE outside the repository; manage.py, wsgi.py
  // and docker-compose.yml name the development module, a Dockerfile RUN the collectstatic one:
  // the one module built on base.py left is production (base.py's DEBUG/SECRET_KEY/'*' are
  // development defaults it overrides, its missing CACHES is set there: no DJR101/201/203/614)
  'settings-from-deploy': {
    findings: ['DJR304 site/settings/platform.py:1', 'DJR314 site/settings/platform.py:1'],
    production: ['site.settings.platform', /^the only settings module built on site\/settings\/base\.py that is not for development or a build step; site\.settings\.static is set by a build step in Dockerfile\.platform; the DJANGO_SETTINGS_MODULE default in wsgi\.py, site\.settings\.local, is named for development$/],
  },
  // netbox: optional parameters read with getattr(configuration, NAME, default) from an operator's
  // configuration module the repository does not hold: production runs the defaults (the fixes
  // change the default; the credential's default is not moved to .env: it is not read from there)
  'operator-config': {
    findings: ['DJR104 mysite/settings.py:18', 'DJR301 mysite/settings.py:22', 'DJR303 mysite/settings.py:20', 'DJR314 mysite/settings.py:1'],
    production: ['mysite.settings', /^the only settings\.py$/],
  },
  // python-getting-started (Heroku's template): production is the branch where Heroku's DYNO is set
  // and CI is not (no SQLite from the local branch); no django.contrib.auth: no password validators asked
  'heroku-switch': {
    findings: ['DJR106 gettingstarted/settings.py:10', 'DJR314 gettingstarted/settings.py:1'],
    production: ['gettingstarted.settings', /^the only settings\.py$/],
  },
  // cookiecutter-style requirements/ (base.txt, production.txt with -r base.txt) installed by
  // compose/production/django/Dockerfile; local.txt's tools are not production's
  'reqs-cookiecutter': {
    findings: [
      ...['DJR301', 'DJR302', 'DJR303', 'DJR304', 'DJR314', 'DJR506', 'DJR801', 'DJR802'].map((c) => `${c} config/settings/production.py:1`),
      'DJR106 config/settings/production.py:3',
      'DJR908 requirements/base.txt:2',
      'DJR903 requirements/base.txt:4',
      'DJR903 requirements/production.txt:5',
    ],
    production: ['config.settings.production', /^named like production$/],
  },
  // Poetry, django = "^3.2" locked at 3.2.25 by poetry.lock: unsupported, not unpinned
  'reqs-poetry': { findings: [...MINIMAL_SETTINGS, 'DJR908 pyproject.toml:9'] },
  // a UTF-16 requirements.txt (BOM) including a UTF-8 file with a BOM
  'reqs-utf16': { findings: [...MINIMAL_SETTINGS, 'DJR903 requirements-base.txt:1', 'DJR903 requirements.txt:4'] },
  // Pipfile + Pipfile.lock
  'reqs-pipenv': { findings: [...MINIMAL_SETTINGS, 'DJR908 Pipfile:7'] },
  // uv: PEP 621 dependencies, uv.lock, a dev dependency group
  'reqs-uv': { findings: [...MINIMAL_SETTINGS, 'DJR911 pyproject.toml:8'] },
  // django-environ: Env(SCHEMA=(type, default)) defaults, env.db/int/bool with default=
  environ: {
    findings: [
      ...['DJR301', 'DJR303', 'DJR314', 'DJR506', 'DJR801', 'DJR802'].map((c) => `${c} config/settings.py:1`),
      'DJR203 config/settings.py:10',
      'DJR106 config/settings.py:14',
      'DJR202 config/settings.py:15',
      'DJR701 config/settings.py:38',
      'DJR304 config/settings.py:41',
      'DJR302 config/settings.py:42',
      'DJR901 config/settings.py:44',
      'DJR903 requirements.txt:1',
      'DJR905 requirements.txt:1',
    ],
  },
  // the repository root holds only deployment files (requirements/ with -r base.txt, Procfile,
  // runtime.txt, deploy/Dockerfile without USER); the Django project is in src/: one project,
  // which reads them all (not only the files directly above src/)
  'repo-subfolder': {
    findings: [...MINIMAL_SETTINGS.map((f) => f.replace('mysite/', 'src/mysite/')), 'DJR903 requirements/base.txt:3', 'DJR907 deploy/Dockerfile:1'],
    production: ['mysite.settings', /^the only settings\.py$/],
    repository: ['src', /^the only Django project of the analysed folder/],
  },
  // readthedocs: wsgi.py loads settings.docker_compose (development with docker compose, DEBUG on,
  // SQLite, a throwaway key), nothing is named like production, core/settings.py is a helper:
  // production is unknown and said so, no development setting is reported as a production problem
  'dev-default': {
    findings: [],
    production: [null, /^unknown: the DJANGO_SETTINGS_MODULE default in wsgi\.py, docs\.settings\.docker_compose, is named for development, and no module is named like production/],
  },
  // irreversible RunPython/RunSQL in old migrations (applied everywhere) and in each app's most
  // recent one: DJR711 only on the latter (shop 0003, blog 0001)
  'migrations-history': {
    findings: [...MINIMAL_SETTINGS, 'DJR711 blog/migrations/0001_initial.py:9', 'DJR711 shop/migrations/0003_fill_codes.py:16'],
  },
  // tabbycat: a launcher manage.py at the root (DJANGO_SETTINGS_MODULE "settings", found through
  // PYTHONPATH=app) beside the Procfile and requirements, the project with its settings in app/:
  // one project, not two (the launcher has no settings of its own)
  'repo-launcher': {
    findings: [
      ...MINIMAL_SETTINGS.map((f) => f.replace('mysite/settings.py', 'app/settings/__init__.py')),
      'DJR903 requirements.txt:4',
      'DJR910 app/urls.py:1',
    ],
    production: ['settings', /^DJANGO_SETTINGS_MODULE default in wsgi\.py$/],
    repository: ['app', /^the manage\.py at the root of the analysed folder has no settings module of its own/],
  },
  // the production module ends by running a file the repository does not hold (meinberlin, mathesar:
  // `try: from .local import *`, gitignored) or a placeholder an operator replaces (linkding:
  // `from .custom import *`), or execs local_settings.py (online-judge); fix-placement.test.ts
  // DJR106 and the move-to-.env fixes of DJR102/DJR104 in one project (django-oscar's sandbox): env-example-once.test.ts
  'dotenv-both': {
    findings: ['DJR102 mysite/settings.py:7', 'DJR104 mysite/settings.py:38', 'DJR106 mysite/settings.py:7', 'DJR314 mysite/settings.py:1', 'DJR801 mysite/settings.py:1', 'DJR802 mysite/settings.py:1'],
    production: ['mysite.settings', /^DJANGO_SETTINGS_MODULE default in wsgi\.py$/],
  },
  'override-local': {
    findings: [
      'DJR106 mysite/settings/base.py:7',
      ...['DJR204', 'DJR301', 'DJR302', 'DJR303', 'DJR304', 'DJR314', 'DJR801', 'DJR802'].map((c) => `${c} mysite/settings/production.py:1`),
    ],
    production: ['mysite.settings.production', /^named like production$/],
  },
  'override-exec': {
    findings: ['DJR106 mysite/settings.py:7', ...['DJR301', 'DJR302', 'DJR303', 'DJR304', 'DJR314', 'DJR801', 'DJR802'].map((c) => `${c} mysite/settings.py:1`)],
    production: ['mysite.settings', /^DJANGO_SETTINGS_MODULE default in wsgi\.py$/],
  },
  'override-tail': {
    findings: ['DJR106 mysite/settings/prod.py:10', ...['DJR301', 'DJR302', 'DJR303', 'DJR304', 'DJR314', 'DJR802'].map((c) => `${c} mysite/settings/prod.py:1`)],
    production: ['mysite.settings.prod', /^named like production$/],
  },
};

describe('project shapes (issue 12)', () => {
  before(ready);

  for (const [name, shape] of Object.entries(SHAPES)) {
    test(`${name}: exactly the expected findings`, () => {
      const root = path.join(projects, name);
      const r = analyze(new NodeFileSystem(), root);
      // DJR912/DJR913 judge the enclosing git repository (here django-readiness itself): rules-repository.test.ts
      const got = r.findings.filter((f) => !REPOSITORY_RULES.has(f.code)).map((f) => `${f.code} ${path.relative(root, f.file).split(path.sep).join('/')}:${f.range.start.line + 1}`).sort();
      assert.deepEqual(got, [...shape.findings].sort(), r.findings.map((f) => `${f.code} ${f.message}`).join('\n'));
      assert.deepEqual(r.notes.filter((n) => n.kind !== 'info'), []);
      if (shape.production) {
        const [dotted, reason] = shape.production;
        assert.equal(r.projects[0]?.productionDotted, dotted ?? undefined);
        assert.match(r.projects[0]?.productionReason ?? '', reason);
      }
      if (shape.repository) {
        assert.equal(r.projects.length, 1, r.projects.map((p) => p.root).join(', '));
        assert.equal(path.relative(root, r.projects[0].root), shape.repository[0]);
        assert.equal(r.projects[0].repository?.root, root);
        assert.match(r.projects[0].repository?.reason ?? '', shape.repository[1]);
      }
    });
  }
});
