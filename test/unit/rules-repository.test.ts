/**
 * The second-release project and settings rules beyond their fixture folders: Django-version
 * gating (DJR406), repository files (DJR912 Dependabot/Renovate, DJR913 CI), Dockerfile build
 * contexts and .dockerignore (DJR108), dev tools behind branches (DJR911).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { fixPass, MemoryFileSystem, type Finding } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';

const SETTINGS = 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n';

function run(files: Record<string, string>, code: string): Finding[] {
  const mem = new MemoryFileSystem(files, '/p');
  return analyze(mem, '/p').findings.filter((f) => f.code === code);
}
const where = (fs: Finding[]) => fs.map((f) => `${f.file.replace('/p/', '')}:${f.range.start.line + 1}`);

describe('second-release project rules', () => {
  before(ready);

  test('DJR406: only on Django 4.0+ (the pinned version), never on an origin with a scheme', () => {
    const settings = `${SETTINGS}CSRF_TRUSTED_ORIGINS = ["example.com", "https://ok.example.com"]\n`;
    assert.deepEqual(where(run({ 'manage.py': '', 'settings.py': settings, 'requirements.txt': 'Django==3.2.25\n' }, 'DJR406')), []);
    assert.deepEqual(where(run({ 'manage.py': '', 'settings.py': settings, 'requirements.txt': 'Django==4.2.20\n' }, 'DJR406')), ['settings.py:5']);
    // an environment default split on commas is judged too: no fix inside the shared literal
    const env = `${SETTINGS}CSRF_TRUSTED_ORIGINS = os.environ.get("CSRF_TRUSTED_ORIGINS", "https://a.example.com,b.example.com").split(",")\n`;
    const f = run({ 'manage.py': '', 'settings.py': env }, 'DJR406');
    assert.deepEqual(f.map((x) => [x.range.start.line + 1, x.fixes.length, /'b\.example\.com' \(the default of CSRF_TRUSTED_ORIGINS\)/.test(x.message)]), [[5, 0, true]]);
    // a decouple Csv default holding one origin is fixed in place
    const csv = `${SETTINGS}from decouple import Csv, config\nCSRF_TRUSTED_ORIGINS = config("CSRF_TRUSTED_ORIGINS", default="b.example.com", cast=Csv())\n`;
    const mem = new MemoryFileSystem({ 'manage.py': '', 'settings.py': csv }, '/p');
    const found = analyze(mem, '/p').findings.filter((x) => x.code === 'DJR406');
    const { changed } = fixPass(mem, found, { unsafe: true });
    assert.match(changed.get('/p/settings.py') ?? '', /default="https:\/\/b\.example\.com"/);
  });

  test('DJR913: no CI at all is reported on manage.py; a CI running tests anywhere passes', () => {
    assert.deepEqual(where(run({ 'manage.py': 'import os\n', 'settings.py': SETTINGS }, 'DJR913')), ['manage.py:1']);
    assert.deepEqual(where(run({ 'manage.py': '', 'settings.py': SETTINGS, '.gitlab-ci.yml': 'test:\n  script:\n    - tox -e py312\n' }, 'DJR913')), []);
    assert.deepEqual(where(run({ 'manage.py': '', 'settings.py': SETTINGS, '.github/workflows/a.yml': 'on: push\njobs:\n  x:\n    steps:\n      - run: ./scripts/run_tests.sh\n' }, 'DJR913')), []);
  });

  test('DJR912: Renovate or a scheduled lock upgrade counts; no config gets a created dependabot.yml', () => {
    const base = { 'manage.py': '', 'settings.py': SETTINGS, 'requirements/production.txt': 'Django==5.2.8\n' };
    assert.deepEqual(where(run({ ...base, 'renovate.json': '{"extends": ["config:recommended"]}' }, 'DJR912')), []);
    assert.deepEqual(where(run({ ...base, 'renovate.json': '{"enabledManagers": ["npm"]}' }, 'DJR912')), ['requirements/production.txt:1']);
    assert.deepEqual(where(run({ ...base, '.github/workflows/bump.yml': 'on:\n  schedule:\n    - cron: "0 0 * * 1"\njobs:\n  b:\n    steps:\n      - run: uv lock --upgrade\n' }, 'DJR912')), []);
    const mem = new MemoryFileSystem(base, '/p');
    const f = analyze(mem, '/p').findings.filter((x) => x.code === 'DJR912');
    const { changed } = fixPass(mem, f, { unsafe: false });
    assert.equal(changed.get('/p/.github/dependabot.yml'), 'version: 2\nupdates:\n  - package-ecosystem: "pip"\n    directory: "/requirements"\n    schedule:\n      interval: "weekly"\n');
  });

  test('DJR108: a .dockerignore that excludes .env (or all dotfiles) silences it; a copy from another stage is not the context', () => {
    const base = { 'manage.py': '', 'settings.py': SETTINGS, '.env': 'SECRET_KEY=x\n', Dockerfile: 'FROM python:3.12\nCOPY . /app\nUSER app\n' };
    assert.deepEqual(where(run(base, 'DJR108')), ['Dockerfile:2']);
    assert.deepEqual(where(run({ ...base, '.dockerignore': '.*\n!.gitignore\n' }, 'DJR108')), []);
    assert.deepEqual(where(run({ ...base, '.dockerignore': '**/.env\n' }, 'DJR108')), []);
    assert.deepEqual(where(run({ ...base, '.dockerignore': '.env\n!.env\n' }, 'DJR108')), ['Dockerfile:2']);
    assert.deepEqual(where(run({ ...base, Dockerfile: 'FROM python:3.12 AS b\nFROM python:3.12\nCOPY --from=b . /app\nUSER app\n' }, 'DJR108')), []);
    // the Dockerfile lives in docker/ but builds from the repository root (its COPY names root files)
    const nested = { 'manage.py': '', 'settings.py': SETTINGS, '.env': 'SECRET_KEY=x\n', 'requirements.txt': 'Django==5.2.8\n', 'docker/Dockerfile': 'FROM python:3.12\nCOPY requirements.txt /app/\nCOPY . /app\nUSER app\n' };
    assert.deepEqual(where(run(nested, 'DJR108')), ['docker/Dockerfile:3']);
    // a development Dockerfile is not judged
    const local = { 'manage.py': '', 'settings.py': SETTINGS, '.env': 'SECRET_KEY=x\n', 'compose/local/django/Dockerfile': 'FROM python:3.12\nCOPY . /app\n' };
    assert.deepEqual(where(run(local, 'DJR108')), []);
  });

  test('DJR108: the fix is unsafe when the settings read .env themselves', () => {
    const files = { 'manage.py': '', 'settings.py': `import environ\nenv = environ.Env()\nenviron.Env.read_env()\n${SETTINGS}`, '.env': 'SECRET_KEY=x\n', Dockerfile: 'FROM python:3.12\nCOPY . /app\nUSER app\n' };
    const f = run(files, 'DJR108');
    assert.equal(f.length, 1);
    assert.equal(f[0].fixes[0].applicability, 'unsafe');
  });

  test('DJR911: requirements of development files and groups are not production', () => {
    const files = { 'manage.py': '', 'settings.py': SETTINGS, 'requirements.txt': 'Django==5.2.8\n', 'requirements-dev.txt': '-r requirements.txt\npytest==8.3.3\nfactory-boy==3.3.1\n' };
    assert.deepEqual(where(run(files, 'DJR911')), []);
    assert.deepEqual(where(run({ ...files, 'requirements.txt': 'Django==5.2.8\npytest-django==4.9.0\n' }, 'DJR911')), ['requirements.txt:2']);
  });
});
