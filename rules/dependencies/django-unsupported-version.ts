import { defineRule, installedVersion, LineIndex } from '../../server/src/engine';

/** End of (extended) support of Django releases, from Django's published roadmap. */
const END_OF_SUPPORT: Record<string, string> = {
  '1.11': '2020-04-01',
  '2.0': '2019-04-01',
  '2.1': '2019-12-02',
  '2.2': '2022-04-11',
  '3.0': '2021-04-06',
  '3.1': '2021-12-07',
  '3.2': '2024-04-01',
  '4.0': '2023-04-01',
  '4.1': '2023-12-01',
  '4.2': '2026-04-30',
  '5.0': '2025-04-02',
  '5.1': '2025-12-03',
  '5.2': '2028-04-30',
  '6.0': '2027-04-30',
  '6.1': '2027-12-31',
};

export default defineRule({
  meta: {
    code: 'DJR908',
    name: 'django-unsupported-version',
    category: 'dependencies',
    severity: 'warning',
    kind: 'project',
    seeds: ['000', '004'],
    message: 'The pinned Django version no longer receives security fixes',
    fix: 'none',
    docs: {
      what: "Flags the Django requirement that production installs when that release is past its end of extended support (from a table of Django's release dates carried by the rule). The version is the one a lock file beside the manifest installs (poetry.lock, uv.lock, pdm.lock, Pipfile.lock), else the `==` pin, else a constraints file's pin, else the newest release the range admits, as pip would choose it (`django>=3.2,<4` is 3.2; a bare `django` is the newest release and is not reported). Development files and pip-tools `.in` sources are not checked.",
      why: 'Once a release is out of support, newly found security vulnerabilities in it are not fixed: every published Django advisory becomes an open door.',
      example: 'Django==3.2.25',
      instead: 'Django==5.2.8  # an LTS release supported until April 2028',
      fixSafety: 'No automatic fix: upgrading Django needs its release notes and your test suite.',
      references: ['https://www.djangoproject.com/download/#supported-versions', 'https://www.djangoproject.com/weblog/'],
    },
  },
  checkProject(ctx) {
    const today = ctx.today.toISOString().slice(0, 10);
    const django = ctx.requirements.filter((r) => r.name === 'django' && (r.scope === 'production' || r.scope === 'optional' || r.scope === 'constraint'));
    if (django.length === 0) ctx.notChecked('Django is not in the production requirements, so the release that runs is unknown.');
    else if (!django.some((r) => { const v = installedVersion(r); return v !== undefined && v.source !== 'range'; })) ctx.notChecked(`Django is not pinned (${django[0].written ?? (django[0].spec || 'django')}): the release that runs is whatever is newest on the day of the install.`);
    for (const r of django) {
      const v = installedVersion(r);
      if (!v) continue;
      const key = `${v.version[0]}.${v.version[1]}`;
      const end = END_OF_SUPPORT[key] ?? (v.version[0] < 1 || (v.version[0] === 1 && v.version[1] < 11) ? '2017-01-01' : undefined);
      if (!end || end >= today) continue;
      const text = ctx.readFile(r.file);
      if (text === undefined) continue;
      const li = new LineIndex(text);
      const start = li.offsetAt({ line: r.line, character: r.start });
      const how =
        v.source === 'lock' ? ` (${v.exact} installed from ${r.locked?.lockFile.split(/[\\/]/).pop()})` : v.source === 'constraint' ? ` (${v.exact}, pinned by a constraints file)` : v.source === 'range' ? ` (the newest release ${r.written ?? r.spec} admits)` : '';
      ctx.report({ at: { file: r.file, range: li.range(start, start + Math.max(1, r.end - r.start)) }, message: `Django ${key}${how} reached the end of its support on ${end}: security issues found since are not fixed` });
    }
  },
});
