import * as path from 'node:path';
import { ciFiles, defineRule, repositoryOf } from '../../server/src/engine';

/**
 * What counts as checking: a test runner (pytest, tox, nox, unittest, manage.py test, coverage
 * run, a script or make target named test), Django's checks (`check --deploy`), or
 * `makemigrations --check`. Lines that are YAML comments are not read.
 */
const CHECKS = /\b(py\.?test|pytest|tox|nox|unittest|coverage\s+run|runtests?|manage\.py\s+(test|check)|django-admin\s+(test|check)|makemigrations\b[^\n]*--check)\b|\btests?\b|\btesting\b|[\w-][_-]tests?\b/i;

function checks(text: string): boolean {
  return text.split(/\r\n|\r|\n/).some((l) => !/^\s*(#|\/\/)/.test(l) && CHECKS.test(l));
}

export default defineRule({
  meta: {
    code: 'DJR913',
    name: 'ci-does-not-check',
    category: 'deployment',
    severity: 'info',
    kind: 'project',
    seeds: ['000', '002', '003'],
    message: 'No CI runs the tests or Django’s checks',
    fix: 'none',
    docs: {
      what: "Flags a project whose repository (the folder holding `.git`, else the analysed folder) has no CI configuration (GitHub Actions, Gitea/Forgejo workflows, GitLab CI, CircleCI, Travis, Azure Pipelines, Bitbucket Pipelines, Jenkinsfile, Drone, Woodpecker, Buildkite, AppVeyor, Semaphore), or whose CI files never mention running tests (pytest, tox, nox, unittest, `manage.py test`, `coverage run`, a job or script named test), `manage.py check --deploy` or `makemigrations --check`. Any mention counts: a CI that calls a script named after tests is trusted.",
      why: 'The fixes this tool proposes change behaviour at start-up, and every dependency upgrade changes code: without a CI that runs the tests and Django\'s own checks on every push, a broken setting or a missing migration is found in production.',
      example: '# .github/workflows/docker.yml\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker build .',
      instead: '# .github/workflows/ci.yml\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pip install -r requirements.txt\n      - run: python manage.py makemigrations --check --dry-run\n      - run: python manage.py check --deploy --fail-level WARNING\n      - run: pytest',
      fixSafety: 'No automatic fix: the CI provider and the commands are the team\'s choice.',
      references: ['https://docs.djangoproject.com/en/stable/ref/django-admin/#check', 'https://docs.djangoproject.com/en/stable/ref/django-admin/#cmdoption-makemigrations-check', 'https://docs.github.com/en/actions/use-cases-and-examples/building-and-testing/building-and-testing-python'],
    },
  },
  checkProject(ctx) {
    const repo = repositoryOf(ctx.fs, ctx.project.root, ctx.analysisRoot);
    const files = ciFiles(ctx.fs, repo);
    for (const f of files) if (checks(ctx.readFile(f) ?? '')) return;
    const line0 = (file: string) => ({ start: { line: 0, character: 0 }, end: { line: 0, character: ((ctx.readFile(file) ?? '').split(/\r\n|\r|\n/)[0] ?? '').length } });
    if (files.length > 0) {
      const names = files.map((f) => path.relative(repo, f).split(path.sep).join('/'));
      ctx.report({ at: { file: files[0], range: line0(files[0]) }, message: `The CI (${names.length <= 3 ? names.join(', ') : `${names.length} files`}) never runs the tests, manage.py check --deploy or makemigrations --check: a broken setting or a missing migration reaches production unseen` });
      return;
    }
    const anchor = ctx.project.managePy ?? ctx.project.production?.path;
    if (!anchor) return;
    ctx.report({ at: { file: anchor, range: line0(anchor) }, message: 'No CI configuration (GitHub Actions, GitLab CI...): nothing runs the tests, manage.py check --deploy or makemigrations --check before a change reaches production' });
  },
});
