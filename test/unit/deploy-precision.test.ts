/**
 * Precision of the deployment rules on the shapes real projects write
 * (test/fixtures/projects/deploy-*): the exact findings of DJR105, DJR106, DJR906, DJR907, DJR909
 * and DJR910, so a false finding fails as surely as a missing one. Each fixture says in comments
 * which real project it reproduces.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { fixPass, MemoryFileSystem, type AnalysisResult, type Finding } from '../../server/src/engine';
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
    assert.match(messages(r, 'DJR907')[0], /^No USER in the final stage, its base image runs as root \(it creates the user saleor but never switches to it\)/);
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
    // the urls also hold routes that only contain a health word (babybuddy's pumping/, kiwi's
    // test-case-health/, archivebox's live-progress/), a regex group named status (bookwyrm),
    // dmoj's status/ page of submissions and a ticket's status/: none is a health check
    const r = run('deploy-health-missing');
    assert.deepEqual(found(r, only), ['DJR910 mysite/urls/www.py:1']);
  });

  test('an HTTP probe in a Helm chart (DefectDojo): the orchestrator checks the instance', () => {
    assert.deepEqual(found(run('deploy-health-k8s'), only), []);
  });

  test('health routes as real projects write them: a whole path segment, or an instance status view', () => {
    const settings = 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\nROOT_URLCONF = "urls"\n';
    const routes: [string, boolean][] = [
      ['path("api/health/", views.HealthCheckView.as_view())', true], // jumpserver
      ['re_path(r"^_health/?", views.index)', true], // pythondotorg (a view not named like one)
      ['re_path(r"^{prefix}health_check/$".format(prefix=PREFIX), views.index)', true], // readthedocs
      ['path("api/status/", StatusView.as_view())', true], // netbox
      ['path("api/v3/status/", views.status)', true], // healthchecks
      ['re_path(r"^healthz/?$", views.index)', true],
      ['path("children/<slug:slug>/pumping/", views.index)', false], // babybuddy
      ['path("status/", status.status_all)', false], // dmoj: a page listing submissions
      ['path("update-tour-status/", views.update_tour_status)', false], // pontoon
      ['re_path(r"^testing/test-case-health/$", views.TestingTestCaseHealth.as_view())', false], // kiwi
    ];
    for (const [route, health] of routes) {
      const mem = new MemoryFileSystem({ 'manage.py': '', 'settings.py': settings, 'requirements.txt': 'Django==5.2.8\n', 'urls.py': `from django.urls import path, re_path\n\nurlpatterns = [\n    ${route},\n]\n` }, ROOT);
      assert.deepEqual(found(analyze(mem, ROOT), only), health ? [] : ['DJR910 urls.py:1'], route);
    }
  });
});

describe('DJR909 on real project shapes', () => {
  before(ready);

  test('if DEBUG: branches on a DEBUG written in the module are reported; on a DEBUG read from the environment they are not (rule fixture valid.py, djangopackages)', () => {
    const r = run('deploy-settings-switch');
    assert.deepEqual(found(r, new Set(['DJR909'])), ['DJR909 mysite/settings.py:10']);
  });
});

describe('DJR912: the Dependabot entry is added wherever updates: is', () => {
  before(ready);
  const SETTINGS = 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n';
  const PIP = { 'package-ecosystem': 'pip', directory: '/', schedule: { interval: 'weekly' } };

  function fix(dependabot: string): { finding: Finding; after?: string } {
    const mem = new MemoryFileSystem({ 'manage.py': '', 'settings.py': SETTINGS, 'requirements.txt': 'Django==5.2.8\n', '.github/dependabot.yml': dependabot }, '/p');
    const found = analyze(mem, '/p').findings.filter((x) => x.code === 'DJR912');
    assert.equal(found.length, 1);
    const { changed } = fixPass(mem, found, { unsafe: false });
    const after = changed.get('/p/.github/dependabot.yml');
    if (after !== undefined) {
      // fix-all again: nothing left to do
      const again = new MemoryFileSystem({ 'manage.py': '', 'settings.py': SETTINGS, 'requirements.txt': 'Django==5.2.8\n', '.github/dependabot.yml': after }, '/p');
      assert.deepEqual(analyze(again, '/p').findings.filter((x) => x.code === 'DJR912'), []);
    }
    return { finding: found[0], after };
  }

  /** The file as data after the fix = before, with the pip entry last in updates. */
  function assertAdded(before: string, after: string | undefined) {
    assert.ok(after !== undefined, 'a fix was applied');
    const want = parse(before) as { updates: unknown[] };
    want.updates.push(PIP);
    assert.deepEqual(parse(after), want);
  }

  test('updates: before other keys, its last item with a nested list and a comment, comments after it (pontoon, registries:)', () => {
    const before = [
      'version: 2',
      'updates:',
      '  - package-ecosystem: github-actions',
      "    directory: '/'",
      '    schedule:',
      '      interval: weekly  # mondays',
      '    ignore:',
      '      - dependency-name: "actions/*"',
      '  # more entries later',
      'registries:',
      '  npm-github:',
      '    type: npm-registry',
      '    url: https://npm.pkg.github.com',
      '',
    ].join('\n');
    const { after } = fix(before);
    assertAdded(before, after);
    assert.match(after!, /"actions\/\*"\n {2}- package-ecosystem: "pip"\n/);
  });

  test('items written at column 0, CRLF line breaks, no final line break', () => {
    for (const before of ['version: 2\nupdates:\n- package-ecosystem: npm\n  directory: /\n  schedule:\n    interval: daily\nregistries: {}\n', 'version: 2\r\nupdates:\r\n  - package-ecosystem: npm\r\n    directory: /\r\n    schedule:\r\n      interval: daily', 'updates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: daily}\nversion: 2\n']) {
      const { after } = fix(before);
      assertAdded(before, after);
      if (before.includes('\r\n')) assert.doesNotMatch(after!.replace(/\r\n/g, ''), /\n/);
    }
  });

  test('a file YAML cannot read, or a flow-style updates list: no fix, and the message says why', () => {
    const flow = fix('version: 2\nupdates: []\n');
    assert.equal(flow.after, undefined);
    assert.match(flow.finding.message, /\(the Dependabot entry is not offered: updates: is not a list with items\)$/);
    const broken = fix('version: 2\nupdates:\n  - package-ecosystem: npm\n   directory: "/\n');
    assert.equal(broken.after, undefined);
    assert.match(broken.finding.message, /not offered: the file is not valid YAML\)$/);
  });
});
