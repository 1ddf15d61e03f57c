import { defineRule, LineIndex, type Requirement } from '../../server/src/engine';

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
      what: 'Flags requirements that production installs without an exact version: lines of the production requirements file (the one a Dockerfile installs, else one named like production, else `requirements.txt`, and what it includes with `-r`) without `==` or a `--hash`, and the main dependencies of pyproject.toml / Pipfile without an exact version when no lock file (poetry.lock, uv.lock, pdm.lock, Pipfile.lock) sits beside them and no production requirements file pins the install instead. Not checked: development files and groups (`requirements/local.txt`, `requirements-dev.txt`, a Poetry `dev` group, `[dev-packages]`), files nothing installs, pip-tools `.in` sources, constraints files, extras, and the ranges of a reusable Django package (a `Framework :: Django` classifier). A version pinned by a constraints file (`-c`) that the same install reads counts as pinned.',
      why: 'An unpinned requirement installs whatever is newest on the day of the build: two deployments of the same commit can run different code, a breaking release or a compromised package reaches production without review, and a rollback does not roll the dependencies back.',
      example: 'django\ndjangorestframework>=3.14',
      instead: 'Django==5.2.8\ndjangorestframework==3.16.1\n# or generate pins with pip-compile / uv pip compile, or commit a lock file',
      fixSafety: 'No automatic fix: the right version is the one you tested; pin it with `pip freeze` or a lock tool.',
      references: ['https://pip.pypa.io/en/stable/topics/repeatable-installs/', 'https://pip.pypa.io/en/stable/topics/secure-installs/'],
    },
  },
  checkProject(ctx) {
    const locked = new Set(ctx.dependencies.files.filter((f) => f.lock && !f.lock.invalid).map((f) => f.path));
    // a production requirements file is the install set: a manifest beside it is then its source
    const pinnedElsewhere = ctx.dependencies.files.some((f) => f.format === 'requirements' && f.role === 'production');
    const lines = new Map<string, LineIndex>();
    if (ctx.requirements.length === 0) ctx.notChecked('No requirements were found (requirements files, pyproject.toml dependencies).');
    for (const r of ctx.requirements) {
      if (r.scope !== 'production') continue;
      if (r.pinned || r.hashed || r.direct || r.locked || r.constrained) continue;
      // a lock file beside a pyproject.toml / Pipfile pins everything its tool installs
      if (r.format !== 'requirements' && (locked.has(r.file) || pinnedElsewhere)) continue;
      let li = lines.get(r.file);
      if (!li) {
        const text = ctx.readFile(r.file);
        if (text === undefined) continue;
        lines.set(r.file, (li = new LineIndex(text)));
      }
      const start = li.offsetAt({ line: r.line, character: r.start });
      ctx.report({ at: { file: r.file, range: li.range(start, start + Math.max(1, r.end - r.start)) }, message: message(r) });
    }
  },
});

function message(r: Requirement): string {
  const where = r.format === 'requirements' ? '' : ' and no lock file pins it';
  if (r.written !== undefined && r.written.trim() !== '' && r.written.trim() !== '*') return `${r.name} is not pinned (${r.written}${r.spec && r.spec !== r.written ? `, that is ${r.spec}` : ''})${where}: builds can install a different version`;
  return r.spec ? `${r.name} is not pinned (${r.spec})${where}: builds can install a different version` : `${r.name} has no version${where}: every build installs whatever is newest`;
}
