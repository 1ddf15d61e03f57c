/**
 * Precision of the deployment rules on the shapes real projects write
 * (test/fixtures/projects/deploy-*): the exact findings of DJR105, DJR106, DJR906, DJR907, DJR909
 * and DJR910, so a false finding fails as surely as a missing one. Each fixture says in comments
 * which real project it reproduces.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { AnalysisResult } from '../../server/src/engine';
import { analyze, fixturesRoot, loadFolder, ready } from '../helpers/fixtures';

const CODES = new Set(['DJR105', 'DJR106', 'DJR906', 'DJR907', 'DJR909', 'DJR910']);
const ROOT = '/p';

function run(name: string): AnalysisResult {
  return analyze(loadFolder(path.join(fixturesRoot, 'projects', name), ROOT), ROOT);
}

function found(result: AnalysisResult, codes = CODES): string[] {
  return result.findings
    .filter((f) => codes.has(f.code))
    .map((f) => `${f.code} ${path.relative(ROOT, f.file)}:${f.range.start.line + 1}`)
    .sort();
}

function messages(result: AnalysisResult, code: string): string[] {
  return result.findings.filter((f) => f.code === code).map((f) => f.message);
}

describe('deployment rules on real project shapes', () => {
  before(ready);

  test('DJR906: compose services that are development setups are not production', () => {
    // the source mounted over the image, DEBUG=1, a development settings module, a development
    // Dockerfile, build target or entrypoint, a service named dev
    const r = run('deploy-compose-dev');
    assert.deepEqual(found(r), []);
    assert.deepEqual(r.notes.filter((n) => n.kind === 'rule-failed'), []);
  });

  test('DJR906: runserver in the production compose file is reported; the plain docker-compose.yml beside it and a development stage are not', () => {
    const r = run('deploy-compose-prod');
    assert.deepEqual(found(r, new Set(['DJR906'])), ['DJR906 docker-compose.prod.yml:4']);
    assert.match(messages(r, 'DJR906')[0], /^Compose service web \(docker-compose\.prod\.yml\) starts Django's development server/);
  });

  test('DJR906: a production overlay in a subfolder overrides the development command', () => {
    // wemake-django-template: docker-compose.yml for development, docker/docker-compose.prod.yml
    // (paths relative to the main file's folder), a production stage built FROM the development
    // one (inheriting its USER), a caddy image
    const r = run('deploy-compose-overlay');
    assert.deepEqual(found(r, new Set(['DJR906'])), []);
  });
});

describe('DJR907 on real project shapes', () => {
  before(ready);
  const only = new Set(['DJR907']);

  test('only the image that runs the Python application is judged (not nginx, postgres, traefik, caddy on a Python base, a development database)', () => {
    const r = run('deploy-root-services');
    assert.deepEqual(found(r, only), []);
    assert.deepEqual(r.notes.filter((n) => n.kind === 'rule-failed'), []);
  });

  test('root dropped when the container starts, or a user set elsewhere, is not root', () => {
    // taiga-back (gosu in the entrypoint), linkding (uWSGI uid), DefectDojo (USER in the release
    // stage the unit-test stages build on), kuma (the project's own base image sets USER),
    // archivebox (USER root, then gosu), a compose `user:`
    const r = run('deploy-root-drop');
    assert.deepEqual(found(r, only), []);
  });

  test('an application image that creates a user and never switches to it is reported; a development image (runserver, built only by a development compose service) is not', () => {
    const r = run('deploy-root-app');
    assert.deepEqual(found(r, only), ['DJR907 Dockerfile:5']);
    assert.match(messages(r, 'DJR907')[0], /^No USER in the final stage .*it creates the user saleor but never switches to it/);
  });
});

describe('DJR910 on real project shapes', () => {
  before(ready);
  const only = new Set(['DJR910']);

  test('a view named like a health check at the root of an included urls module (plane)', () => {
    assert.deepEqual(found(run('deploy-health-view'), only), []);
  });

  test('a health path answered by an ASGI wrapper before the URL resolver (saleor)', () => {
    assert.deepEqual(found(run('deploy-health-asgi'), only), []);
  });

  test('a HEALTHCHECK in the production image of the application', () => {
    assert.deepEqual(found(run('deploy-health-docker'), only), []);
  });

  test('healthchecks of the database and cache, django-probes: still no health check, reported on the ROOT_URLCONF module of a urls/ package', () => {
    const r = run('deploy-health-missing');
    assert.deepEqual(found(r, only), ['DJR910 mysite/urls/www.py:1']);
  });
});

describe('DJR909 on real project shapes', () => {
  before(ready);

  test('if DEBUG: branches on a DEBUG written in the module are reported; on a DEBUG read from the environment they are not (rule fixture valid.py, djangopackages)', () => {
    const r = run('deploy-settings-switch');
    assert.deepEqual(found(r, new Set(['DJR909'])), ['DJR909 mysite/settings.py:10']);
  });
});
