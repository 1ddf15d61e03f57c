/**
 * Requirements as pip, Poetry, uv and Pipenv read them: the PEP 508 parser (against the npm
 * reference implementation), Poetry constraints, the requirements-file format, TOML positions,
 * lock files, which file is production, and the exact findings of the dependency rules on the
 * fixture projects (test/fixtures/projects/reqs-*).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { parsePipRequirementsLine } from 'pip-requirements-js';
import { decodeText, loadDependencies, MemoryFileSystem, parseLock, parsePep508, parsePipfile, parsePyproject, parseRequirements, poetryToPep440, listFiles, type Finding } from '../../server/src/engine';
import { scanToml } from '../../server/src/engine/tomlpos';
import { cli, projectsRoot } from '../helpers/cli';
import { analyze, fixturesRoot, ready } from '../helpers/fixtures';

const DEP_CODES = ['DJR903', 'DJR904', 'DJR905', 'DJR908', 'DJR911'];

describe('PEP 508 parser', () => {
  // The corpus: every requirement line of the fixtures, and shapes real files use.
  const corpus = [
    'Django == 5.2.8',
    'django',
    'django>=4.2,<5',
    'django (>=4.2)',
    'django>4.2 , <5',
    'psycopg[binary]~=3.2',
    'psycopg[c,pool]==3.3',
    'gunicorn==23.0.0 ; python_version >= "3.8"',
    "colorama==0.4.6 ; sys_platform == 'win32'",
    'foo;sys_platform=="win32"',
    'a[b,c]>=1,!=1.5 ; (os_name == "nt" or extra == "x") and python_version < "3.9"',
    'foo @ https://example.com/foo-1.0.zip',
    'django==4.2.*',
    'pillow >=10',
    'a==1.0+local',
    'a>=1.0.post1',
    'a==1!2.0',
    'zope.interface==7.0',
    'ruamel.yaml.clib==0.2.12',
    'pip install django',
    'django>=',
    'a b',
    '[extra]',
  ];
  for (const dir of ['rules/requirement-unpinned', 'rules/wsgi-server-missing', 'rules/django-unsupported-version']) {
    for (const f of fs.readdirSync(path.join(fixturesRoot, dir))) {
      if (!f.endsWith('.txt')) continue;
      for (const l of fs.readFileSync(path.join(fixturesRoot, dir, f), 'utf8').split('\n')) {
        const req = l.replace(/\s+#.*$/, '').replace(/\s*\\$/, '').trim();
        if (req && !req.startsWith('-') && !req.startsWith('#') && !req.includes('://')) corpus.push(req);
      }
    }
  }

  test('agrees with pip-requirements-js (the npm PEP 508 grammar) on name, specifiers and validity', () => {
    for (const line of corpus) {
      let ref: { type: string; name?: string; versionSpec?: { operator: string; version: string }[] } | null;
      try {
        ref = parsePipRequirementsLine(line) as typeof ref;
      } catch {
        ref = null;
      }
      const mine = parsePep508(line);
      const refOk = ref && (ref.type === 'ProjectName' || ref.type === 'ProjectURL');
      assert.equal(!!mine, !!refOk, `validity of ${JSON.stringify(line)}`);
      if (!mine || !refOk) continue;
      assert.equal(mine.name, ref!.name, line);
      assert.deepEqual(
        mine.specs.map((s) => s.op + s.version),
        (ref!.versionSpec ?? []).map((s) => s.operator + s.version),
        line,
      );
    }
  });

  test('where it differs from the reference, it follows PEP 440/508 as pip (packaging) does', () => {
    // packaging rejects a version that is not PEP 440, and ~= with a single component
    assert.equal(parsePep508('django==5.2.x'), undefined);
    assert.equal(parsePep508('Django~=5'), undefined);
    // PEP 508 allows a marker after a URL when whitespace separates them
    assert.equal(parsePep508('foo @ https://x.example/foo.zip ; python_version<"3"')?.marker, 'python_version<"3"');
    assert.equal(parsePep508('foo @ https://x.example/foo.zip; python_version<"3"'), undefined);
  });

  test('positions: name, clauses, marker, end', () => {
    const p = parsePep508('Django == 5.2.8  ')!;
    assert.deepEqual([p.name, p.nameStart, p.nameEnd, p.end], ['Django', 0, 6, 15]);
    assert.deepEqual(p.specs, [{ op: '==', version: '5.2.8', start: 7, end: 15 }]);
    const q = parsePep508('psycopg[c]==3.2.3 ; sys_platform == "linux"')!;
    assert.deepEqual(q.extras, ['c']);
    assert.equal(q.marker, 'sys_platform == "linux"');
    assert.equal(q.end, 43);
  });

  test('Poetry constraints become PEP 440 specifiers', () => {
    const cases: [string, string | undefined][] = [
      ['^3.2', '>=3.2,<4'],
      ['^0.2.3', '>=0.2.3,<0.3'],
      ['^0.0.3', '>=0.0.3,<0.0.4'],
      ['^0', '>=0,<1'],
      ['~3.2.1', '>=3.2.1,<3.3'],
      ['~3.2', '>=3.2,<3.3'],
      ['~3', '>=3,<4'],
      ['3.2.*', '==3.2.*'],
      ['*', ''],
      ['3.2.25', '==3.2.25'],
      ['>= 3.2, < 4', '>=3.2,<4'],
      ['>=3.2 <4', '>=3.2,<4'],
      ['~=3.2', '~=3.2'],
      ['^3.2 || ^4.0', undefined],
      ['latest', undefined],
    ];
    for (const [poetry, pep] of cases) assert.equal(poetryToPep440(poetry), pep, poetry);
  });
});

describe('requirements files as pip reads them', () => {
  test('continuations, hashes, comments, options, editable and URL lines', () => {
    const text = [
      '# a comment',
      'Django == 5.2.8  # whitespace around == is valid PEP 508',
      'argon2-cffi==23.1.0 \\',
      '    --hash=sha256:00 \\',
      '    --hash=sha256:11',
      '--index-url https://pypi.example/simple',
      '-e git+https://example.com/x.git#egg=xpkg',
      'git+https://example.com/y.git#egg=ypkg',
      './vendor/zpkg',
      'requests  # unpinned',
      '-r base.txt',
      '--constraint=constraints.txt',
      'pip install celery',
      'django==5.2.x',
      'pkg==${VERSION}',
    ].join('\n');
    const r = parseRequirements('/p/requirements.txt', text);
    assert.deepEqual(
      r.requirements.map((q) => [q.name, q.spec, q.pinned ?? null, q.hashed, q.line, q.start, q.end, !!q.direct]),
      [
        ['django', '==5.2.8', '5.2.8', false, 1, 0, 15, false],
        ['argon2-cffi', '==23.1.0', '23.1.0', true, 2, 0, 19, false],
        ['xpkg', '@', null, false, 6, 0, 41, true],
        ['ypkg', '@', null, false, 7, 0, 38, true],
        ['requests', '', null, false, 9, 0, 8, false],
      ],
    );
    assert.deepEqual(
      r.includes.map((i) => [i.kind, i.target, i.line]),
      [
        ['requirement', 'base.txt', 10],
        ['constraint', 'constraints.txt', 11],
      ],
    );
    assert.deepEqual(
      r.problems.map((p) => [p.kind, p.line, p.raw]),
      [
        ['command', 12, 'pip install celery'],
        ['unparsable', 13, 'django==5.2.x'],
      ],
    );
  });

  test('a comment line ends a continuation; a template line of a cookiecutter is not a problem', () => {
    const r = parseRequirements('/p/requirements.txt', 'django==5.2.8 \\\n# comment\nrequests==2.32.3\n');
    assert.deepEqual(r.requirements.map((q) => q.name), ['django', 'requests']);
    const t = parseRequirements('/p/{{cookiecutter.project_slug}}/requirements/base.txt', '{%- if cookiecutter.use_celery == "y" %}\ncelery==5.4.0\n{%- endif %}\n');
    assert.deepEqual(t.problems, []);
    assert.deepEqual(t.requirements.map((q) => q.name), ['celery']);
  });

  test('UTF-16 and UTF-8 files with a byte-order mark are decoded (pip reads them)', () => {
    const text = 'Django==5.2.8\r\nrequests\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    assert.equal(decodeText(le), text);
    assert.equal(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be.subarray(2)])), text);
    assert.equal(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), text);
  });
});

describe('pyproject.toml, Pipfile and lock files', () => {
  test('TOML positions: keys, headers and array strings', () => {
    const text = ['[project]', 'name = "x" # django', 'dependencies = [', '  "django>=4",  # c', "  'celery',", ']', '', '[tool.poetry.dependencies]', '"Django" = "^3.2"', '[tool.poetry.dependencies.celery]', 'version = "^5"'].join('\n');
    const e = scanToml(text);
    const deps = e.find((x) => x.path.join('.') === 'project.dependencies')!;
    assert.deepEqual(deps.strings.map((s) => [s.value, s.line, s.start, s.end]), [
      ['django>=4', 3, 2, 13],
      ['celery', 4, 2, 10],
    ]);
    const dj = e.find((x) => x.path.join('.') === 'tool.poetry.dependencies.Django')!;
    assert.deepEqual([dj.line, dj.start, dj.end], [8, 0, 8]);
    assert.ok(e.some((x) => x.header && x.path.join('.') === 'tool.poetry.dependencies.celery' && x.line === 9));
  });

  test('Poetry: main, groups and their scopes, lines of each dependency', () => {
    const text = fs.readFileSync(path.join(projectsRoot, 'reqs-poetry', 'pyproject.toml'), 'utf8');
    const r = parsePyproject('/p/pyproject.toml', text).requirements;
    assert.deepEqual(
      r.map((q) => [q.name, q.spec, q.written, q.scope, q.line + 1, q.start + 1]),
      [
        ['django', '>=3.2,<4', '^3.2', 'production', 9, 1],
        ['djangorestframework', '>=3.14,<3.15', '~3.14', 'production', 10, 1],
        ['gunicorn', '==21.2.0', '21.2.0', 'production', 11, 1],
        ['pytest', '>=8.0,<9', '^8.0', 'development', 14, 1],
        ['django-debug-toolbar', '', '*', 'development', 15, 1],
      ],
    );
  });

  test('PEP 621 dependencies, extras and PEP 735 groups', () => {
    const text = fs.readFileSync(path.join(projectsRoot, 'reqs-uv', 'pyproject.toml'), 'utf8');
    const r = parsePyproject('/p/pyproject.toml', text).requirements;
    assert.deepEqual(
      r.map((q) => [q.name, q.spec, q.scope, q.section, q.line + 1, q.start + 1]),
      [
        ['django', '>=5.2,<6', 'production', 'project.dependencies', 6, 5],
        ['djangorestframework', '>=3.15', 'production', 'project.dependencies', 7, 5],
        ['pytest', '>=8', 'production', 'project.dependencies', 8, 5],
        ['gunicorn', '>=23', 'optional', 'extra server', 12, 11],
        ['factory-boy', '>=3.3', 'development', 'group dev', 16, 5],
        ['django-debug-toolbar', '>=4.4', 'development', 'group dev', 17, 5],
      ],
    );
  });

  test('Pipfile sections and Pipfile.lock versions', () => {
    const dir = path.join(projectsRoot, 'reqs-pipenv');
    const r = parsePipfile('/p/Pipfile', fs.readFileSync(path.join(dir, 'Pipfile'), 'utf8')).requirements;
    assert.deepEqual(r.map((q) => [q.name, q.spec, q.scope, q.line + 1]), [
      ['django', '', 'production', 7],
      ['djangorestframework', '==3.14.0', 'production', 8],
      ['gunicorn', '', 'production', 9],
      ['pytest', '', 'development', 12],
    ]);
    const lock = parseLock('/p/Pipfile.lock', 'Pipfile.lock', fs.readFileSync(path.join(dir, 'Pipfile.lock'), 'utf8'));
    assert.deepEqual([...lock.versions], [['django', '3.2.25'], ['djangorestframework', '3.14.0'], ['gunicorn', '22.0.0'], ['pytest', '8.3.3']]);
  });

  test('poetry.lock and uv.lock: name and version of each package', () => {
    const poetry = parseLock('/p/poetry.lock', 'poetry.lock', fs.readFileSync(path.join(projectsRoot, 'reqs-poetry', 'poetry.lock'), 'utf8'));
    assert.equal(poetry.versions.get('django'), '3.2.25');
    assert.equal(poetry.versions.size, 4);
    const uv = parseLock('/p/uv.lock', 'uv.lock', fs.readFileSync(path.join(projectsRoot, 'reqs-uv', 'uv.lock'), 'utf8'));
    assert.deepEqual([...uv.versions.keys()], ['django', 'djangorestframework', 'gunicorn', 'mysite', 'pytest']);
    assert.equal(uv.versions.get('django'), '5.2.8');
  });

  test('an unreadable manifest or lock is reported as invalid, never thrown', () => {
    assert.equal(parsePyproject('/p/pyproject.toml', '[project\ndependencies = [').invalid, true);
    assert.equal(parseLock('/p/Pipfile.lock', 'Pipfile.lock', '{').invalid, true);
  });
});

describe('which file production installs', () => {
  function model(files: Record<string, string>) {
    const mem = new MemoryFileSystem(files, '/p');
    const inv = listFiles('/p', mem, { exclude: [] });
    return loadDependencies({ files: inv.files, root: '/p', boundary: '/p', read: (f) => mem.readFile(f), exists: (f) => mem.exists(f) });
  }
  const roles = (m: ReturnType<typeof model>) => Object.fromEntries(m.files.map((f) => [path.relative('/p', f.path), f.role]));

  test('cookiecutter layout: production.txt and the base.txt it includes; local.txt is development', () => {
    const m = model({
      'requirements/base.txt': 'django==5.2.8\n',
      'requirements/local.txt': '-r base.txt\npytest\n',
      'requirements/production.txt': '-r base.txt\ngunicorn==23.0.0\n',
      'base.txt': 'unrelated==1.0\n',
    });
    assert.deepEqual(roles(m), { 'requirements/base.txt': 'production', 'requirements/local.txt': 'development', 'requirements/production.txt': 'production' });
  });

  test('the file a Dockerfile installs (ARG default expanded) is production, whatever its name', () => {
    const m = model({
      Dockerfile: 'FROM python:3.12\nARG REQ_FILE=requirements/app.txt\nRUN pip install --no-cache-dir -r ${REQ_FILE}\n',
      'requirements/app.txt': 'django==5.2.8\n',
      'requirements/other.txt': 'celery\n',
      'requirements.txt': '-r requirements/other.txt\n',
    });
    assert.deepEqual(roles(m), { 'requirements/app.txt': 'production', 'requirements/other.txt': 'optional', 'requirements.txt': 'optional' });
    assert.match(m.files.find((f) => f.path.endsWith('app.txt'))!.reason, /installed by Dockerfile \(line 3\)/);
  });

  test('`pip install -r requirements.txt` in the root Dockerfile is the root requirements.txt, not every file named so (mathesar: api_tests/, docs/)', () => {
    const m = model({
      Dockerfile: 'FROM python:3.12\nWORKDIR /code\nRUN pip install --no-cache-dir -r requirements.txt\n',
      'requirements.txt': 'django==5.2.8\n',
      'api_tests/requirements.txt': 'pytest==8.3.3\n',
      'docs/requirements.txt': 'mkdocs==1.6.1\n',
    });
    assert.deepEqual(m.installs.map((i) => i.resolved.map((r) => path.relative('/p', r))), [['requirements.txt']]);
    assert.equal(roles(m)['requirements.txt'], 'production');
    assert.notEqual(roles(m)['api_tests/requirements.txt'], 'production');
  });

  test('installs in a development stage, or of a development file, do not make production', () => {
    const m = model({
      Dockerfile: 'FROM python:3.12 AS release\nRUN pip install -r requirements.txt\nFROM release AS development\nRUN pip install -r requirements-extra.txt\n',
      'requirements.txt': 'django==5.2.8\n',
      'requirements-extra.txt': 'ipython==8.0.0\n',
      'docker/Dockerfile': 'FROM python:3.12\nRUN pip install -r requirements/dev.txt\n',
      'requirements/dev.txt': 'pytest==8.3.3\n',
    });
    assert.deepEqual(roles(m), { 'requirements-extra.txt': 'optional', 'requirements.txt': 'production', 'requirements/dev.txt': 'development' });
    assert.deepEqual([...m.devImages], ['/p/docker/Dockerfile']);
  });

  test('without other evidence, requirements.txt is production; pip-tools sources are inputs; -c files are constraints', () => {
    const m = model({
      'requirements.txt': '-c constraints.txt\ndjango\n',
      'requirements.in': 'django\n',
      'constraints.txt': 'django==5.2.8\n',
      'requirements-dev.txt': '-r requirements.txt\npytest\n',
    });
    assert.deepEqual(roles(m), { 'constraints.txt': 'constraints', 'requirements-dev.txt': 'development', 'requirements.in': 'input', 'requirements.txt': 'production' });
    const dj = m.requirements.find((r) => r.file === '/p/requirements.txt' && r.name === 'django')!;
    assert.deepEqual(dj.constrained, { version: '5.2.8', file: '/p/constraints.txt', line: 0 });
  });

  test('-r cycles end; a missing include is a problem at its line; includes are relative to the including file', () => {
    const m = model({
      'requirements/a.txt': '-r b.txt\ndjango==5.2.8\n',
      'requirements/b.txt': '-r a.txt\n-r ../missing.txt\n',
      'requirements.txt': '-r requirements/a.txt\n',
    });
    assert.deepEqual(Object.keys(roles(m)).sort(), ['requirements.txt', 'requirements/a.txt', 'requirements/b.txt']);
    assert.deepEqual(m.problems.map((p) => [path.relative('/p', p.file), p.line, p.kind, p.target]), [['requirements/b.txt', 1, 'missing-include', '../missing.txt']]);
  });
});

describe('dependency findings on the fixture projects', () => {
  before(ready);

  async function findings(project: string): Promise<string[]> {
    const r = await cli(['check', path.join(projectsRoot, project), '--format', 'json']);
    const j = JSON.parse(r.out) as { diagnostics: { rule: string; file: string; line: number; column: number; message: string }[] };
    return j.diagnostics.filter((d) => DEP_CODES.includes(d.rule)).map((d) => `${d.rule} ${d.file}:${d.line}:${d.column} ${d.message}`);
  }

  test('cookiecutter-style requirements/ with -r base.txt, installed by compose/production/django/Dockerfile', async () => {
    assert.deepEqual(await findings('reqs-cookiecutter'), [
      'DJR908 requirements/base.txt:2:1 Django 4.2 reached the end of its support on 2026-04-30: security issues found since are not fixed',
      'DJR903 requirements/base.txt:4:1 whitenoise is not pinned (>=6.7): builds can install a different version',
      'DJR903 requirements/production.txt:5:1 sentry-sdk has no version: every build installs whatever is newest',
    ]);
  });

  test('Poetry with django = "^3.2" and a poetry.lock: the locked 3.2.25 is unsupported; nothing is unpinned', async () => {
    assert.deepEqual(await findings('reqs-poetry'), ['DJR908 pyproject.toml:9:1 Django 3.2 (3.2.25 installed from poetry.lock) reached the end of its support on 2024-04-01: security issues found since are not fixed']);
  });

  test('Pipfile + Pipfile.lock: the version comes from the lock, on the Pipfile line', async () => {
    assert.deepEqual(await findings('reqs-pipenv'), ['DJR908 Pipfile:7:1 Django 3.2 (3.2.25 installed from Pipfile.lock) reached the end of its support on 2024-04-01: security issues found since are not fixed']);
  });

  test('uv: the lock pins everything; pytest among the main dependencies is a dev tool in production, the dev group is not', async () => {
    assert.deepEqual(await findings('reqs-uv'), ['DJR911 pyproject.toml:8:5 pytest is a test tool among the requirements production installs (project.dependencies): move it to a development requirements file or group']);
  });

  test('UTF-16 requirements.txt including a UTF-8 file with a BOM', async () => {
    assert.deepEqual(await findings('reqs-utf16'), [
      'DJR903 requirements-base.txt:1:1 celery is not pinned (>=5.4): builds can install a different version',
      'DJR903 requirements.txt:4:1 requests has no version: every build installs whatever is newest',
    ]);
  });

  test('the same project without its lock file: Poetry constraints are reported on their lines, development groups are not', () => {
    const mem = new MemoryFileSystem();
    for (const f of ['manage.py', 'mysite/__init__.py', 'mysite/settings.py', 'pyproject.toml']) mem.write(path.join('/p', f), fs.readFileSync(path.join(projectsRoot, 'reqs-poetry', f), 'utf8'));
    const result = analyze(mem, '/p');
    const got = result.findings.filter((f: Finding) => DEP_CODES.includes(f.code)).map((f: Finding) => `${f.code} ${path.basename(f.file)}:${f.range.start.line + 1} ${f.message}`);
    assert.deepEqual(got, [
      'DJR903 pyproject.toml:9 django is not pinned (^3.2, that is >=3.2,<4) and no lock file pins it: builds can install a different version',
      'DJR908 pyproject.toml:9 Django 3.2 (the newest release ^3.2 admits) reached the end of its support on 2024-04-01: security issues found since are not fixed',
      'DJR903 pyproject.toml:10 djangorestframework is not pinned (~3.14, that is >=3.14,<3.15) and no lock file pins it: builds can install a different version',
    ]);
    assert.deepEqual(result.projects[0].djangoVersion, [3, 2]);
    assert.equal(result.projects[0].djangoVersionPinned, false);
  });

  test('a reusable Django package (Framework :: Django): its ranges and the missing server are the installing project\'s business', () => {
    const pyproject = '[project]\nname = "django-thing"\nclassifiers = ["Framework :: Django"]\ndependencies = ["django>=4.2", "pillow"]\n';
    const mem = new MemoryFileSystem({ '/p/pyproject.toml': pyproject, '/p/sandbox/manage.py': '' });
    const result = analyze(mem, '/p');
    assert.deepEqual(result.findings.filter((f) => DEP_CODES.includes(f.code)).map((f) => f.code), []);
    // not a pass: the server is not checked, and the reason names the package declaration
    assert.equal(result.outcomes?.DJR905?.state, 'not-checked');
    assert.match(result.outcomes?.DJR905?.reason ?? '', /pyproject\.toml declares a reusable Django package/);
  });

  test('a bare `django` is not a pin: the newest release is assumed and said to be unpinned', () => {
    const mem = new MemoryFileSystem({ '/p/manage.py': '', '/p/requirements.txt': 'django\ngunicorn==23.0.0\n' });
    const result = analyze(mem, '/p');
    assert.equal(result.projects[0].djangoVersionPinned, false);
    assert.deepEqual(
      result.findings.filter((f) => DEP_CODES.includes(f.code)).map((f) => `${f.code}:${f.range.start.line + 1}`),
      ['DJR903:1'],
    );
  });
});
