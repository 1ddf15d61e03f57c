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
  /** The production module (dotted) and a pattern its reason matches. */
  production?: [string, RegExp];
}

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
    production: ['site.settings.platform', /^the only settings module built on site\/settings\/base\.py that is not for development or a build step; site\.settings\.static is set by a build step in Dockerfile\.platform$/],
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
        assert.equal(r.projects[0]?.productionDotted, dotted);
        assert.match(r.projects[0]?.productionReason ?? '', reason);
      }
    });
  }
});
