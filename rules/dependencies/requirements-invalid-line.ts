import { defineRule, LineIndex } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR904',
    name: 'requirements-invalid-line',
    category: 'dependencies',
    severity: 'error',
    kind: 'project',
    seeds: ['002'],
    message: 'pip cannot read this requirements line',
    fixTitle: 'Strip the command, keeping one package per line',
    fix: 'unsafe',
    docs: {
      what: 'Flags lines of requirements files that pip cannot parse, such as a pasted `pip install django djangorestframework` command or a malformed version specifier, and `-r` / `-c` lines naming a file that does not exist (relative to the including file, as pip reads it).',
      why: '`pip install -r requirements.txt` stops at the first invalid line, so the build fails (or, worse, someone deletes the line and the packages silently go missing).',
      example: 'pip install django djangorestframework',
      instead: 'django==5.2.8\ndjangorestframework==3.16.1',
      fixSafety: "Unsafe: the command is replaced by the package names it listed, one per line, so `pip install -r` no longer stops at that line and installs those packages (unpinned: pin them afterwards, see DJR903).",
      references: ['https://pip.pypa.io/en/stable/reference/requirements-file-format/'],
    },
  },
  checkProject(ctx) {
    const cache = new Map<string, string | undefined>();
    if (!ctx.files.some((f) => f.kind === 'requirements')) ctx.notApplicable('There is no requirements file.');
    for (const p of ctx.requirementProblems) {
      if (!cache.has(p.file)) cache.set(p.file, ctx.readFile(p.file));
      const text = cache.get(p.file);
      if (text === undefined) continue;
      const li = new LineIndex(text);
      const start = li.offsetAt({ line: p.line, character: p.start });
      const range = li.range(start, start + (p.end - p.start));
      if (p.kind === 'command') {
        const packages = p.raw
          .replace(/^(sudo\s+)?(python3?\s+-m\s+)?pip3?\s+install\s+/, '')
          .split(/\s+/)
          .filter((w) => w && !w.startsWith('-'));
        const isPip = /^(sudo\s+)?(python3?\s+-m\s+)?pip3?\s+install\s/.test(p.raw) && packages.length > 0;
        ctx.report({
          at: { file: p.file, range },
          message: 'This line is a shell command, not a requirement: pip install -r stops here',
          fixes: isPip ? [{ title: 'Strip the command, keeping one package per line', applicability: 'unsafe', edits: [{ file: p.file, start, end: start + (p.end - p.start), newText: packages.join(li.eol) }] }] : [],
        });
      } else if (p.kind === 'missing-include') {
        ctx.report({ at: { file: p.file, range }, message: `pip cannot open ${p.target ?? 'the included file'} (relative to this file): the install stops here` });
      } else {
        ctx.report({ at: { file: p.file, range }, message: 'pip cannot parse this line: the install stops here' });
      }
    }
  },
});
