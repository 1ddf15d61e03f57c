import { defineRule, isDevRequirementsFile, LineIndex } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR903',
    name: 'requirement-unpinned',
    category: 'dependencies',
    severity: 'warning',
    kind: 'project',
    seeds: ['000', '002', '003', '004'],
    message: 'Requirement is not pinned to an exact version',
    fix: 'none',
    docs: {
      what: 'Flags lines of production requirements files (`requirements.txt`, `requirements/production.txt`...; not dev/test files nor pip-tools `.in` inputs) that do not pin an exact version with `==` (or carry a `--hash`), and `pyproject.toml` dependencies without an exact pin when no lock file (poetry.lock, uv.lock, pdm.lock) sits beside it.',
      why: 'An unpinned requirement installs whatever is newest on the day of the build: two deployments of the same commit can run different code, a breaking release or a compromised package reaches production without review, and a rollback does not roll the dependencies back.',
      example: 'django\ndjangorestframework>=3.14',
      instead: 'Django==5.2.8\ndjangorestframework==3.16.1\n# or generate pins with pip-compile / uv pip compile',
      fixSafety: 'No automatic fix: the right version is the one you tested; pin it with `pip freeze` or a lock tool.',
      references: ['https://pip.pypa.io/en/stable/topics/repeatable-installs/', 'https://pip.pypa.io/en/stable/topics/secure-installs/'],
    },
  },
  checkProject(ctx) {
    const hasLock = (dir: string) => ['poetry.lock', 'uv.lock', 'pdm.lock', 'Pipfile.lock'].some((f) => ctx.fs.exists(`${dir}/${f}`));
    const lines = new Map<string, LineIndex>();
    for (const r of ctx.requirements) {
      if (r.pinned || r.hashed || r.spec === '@') continue;
      const isPyproject = r.file.endsWith('pyproject.toml');
      if (!isPyproject && isDevRequirementsFile(r.file)) continue;
      if (isPyproject && hasLock(r.file.slice(0, -'/pyproject.toml'.length))) continue;
      let li = lines.get(r.file);
      if (!li) {
        const text = ctx.readFile(r.file);
        if (text === undefined) continue;
        lines.set(r.file, (li = new LineIndex(text)));
      }
      const start = li.offsetAt({ line: r.line, character: r.start });
      ctx.report({
        at: { file: r.file, range: li.range(start, start + Math.max(1, r.end - r.start)) },
        message: r.spec ? `${r.name} is not pinned (${r.spec}): builds can install a different version` : `${r.name} has no version: every build installs whatever is newest`,
      });
    }
  },
});
