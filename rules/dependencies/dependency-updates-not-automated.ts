import * as path from 'node:path';
import { ciFiles, defineRule, dependabotFile, renovateFiles, repositoryOf, topLevelListEnd, type Edit, type FixSpec, type ProjectContext } from '../../server/src/engine';

/** Dependabot ecosystems that update Python dependencies (`pip` covers pip, pip-tools, Pipenv and Poetry). */
const PY_ECOSYSTEMS = new Set(['pip', 'uv', 'pipenv', 'poetry', 'pip-compile']);
/** Renovate managers for Python dependencies. */
const PY_MANAGERS = /"?(pip_requirements|pip-compile|pip_setup|pipenv|poetry|pep621|pep723|setup-cfg|uv)"?/;
/** A scheduled workflow that upgrades the lock or the pins itself... */
const SELF_UPDATE = /\b(uv\s+lock\s+--upgrade|uv\s+sync\s+--upgrade|pip-compile\b[^\n]*--upgrade|poetry\s+(update|lock)|pipenv\s+update|pur\s+-r)\b/;
/** ...or runs a lock tool and opens a pull request with the result. */
const LOCK_TOOL = /\b(pip-compile|pip-tools|uv\s+lock|uv\s+pip\s+compile|poetry\s+lock|pipenv\s+lock)\b/;
const OPENS_PR = /create-pull-request|gh\s+pr\s+create/;

function lineOf(text: string, re: RegExp): number {
  const i = text.split(/\r\n|\r|\n/).findIndex((l) => re.test(l));
  return Math.max(0, i);
}

function rangeOfLine(text: string, line: number) {
  const l = text.split(/\r\n|\r|\n/)[line] ?? '';
  return { start: { line, character: 0 }, end: { line, character: l.length } };
}

/** The production dependency file to name: one a Dockerfile installs, else a manifest or requirements.txt, else the first. */
function mainFile(ctx: ProjectContext) {
  const prod = ctx.dependencies.files.filter((f) => f.role === 'production');
  const rank = (f: (typeof prod)[number]) => (f.reason.startsWith('installed by') ? 0 : f.format !== 'requirements' || path.basename(f.path) === 'requirements.txt' ? 1 : 2);
  return [...prod].sort((a, b) => rank(a) - rank(b) || a.path.length - b.path.length)[0] ?? ctx.dependencies.files[0];
}

/** The Dependabot entry for the project's Python dependencies. */
function dependabotEntry(ctx: ProjectContext, repo: string, indent: string, eol: string): string {
  const main = mainFile(ctx);
  const dir = '/' + path.relative(repo, path.dirname(main.path)).split(path.sep).join('/');
  const uv = main.lock?.kind === 'uv.lock';
  return [`${indent}- package-ecosystem: "${uv ? 'uv' : 'pip'}"`, `${indent}  directory: "${dir === '/.' ? '/' : dir}"`, `${indent}  schedule:`, `${indent}    interval: "weekly"`].join(eol) + eol;
}

export default defineRule({
  meta: {
    code: 'DJR912',
    name: 'dependency-updates-not-automated',
    category: 'dependencies',
    severity: 'info',
    kind: 'project',
    seeds: ['000', '003'],
    message: 'Python dependency updates are not automated',
    fixTitle: 'Write .github/dependabot.yml for the Python dependencies',
    fix: 'safe',
    docs: {
      what: "Flags a project with Python dependency files whose repository (the folder holding `.git`, else the analysed folder) has no Dependabot entry for them (`package-ecosystem: pip` or `uv` in `.github/dependabot.yml`), no Renovate configuration (`renovate.json`, `.github/renovate.json`, `.renovaterc`..., or a `renovate` key in `package.json`; one whose `enabledManagers` names no Python manager does not count), no pyup configuration (`.pyup.yml`), and no scheduled CI workflow that upgrades the lock itself (`uv lock --upgrade`, `pip-compile --upgrade`, `poetry update`, or a lock tool whose result is opened as a pull request). Projects whose dependency files production does not install (a reusable package, documentation only) are not checked.",
      why: 'Security releases of Django and its dependencies only help once they are installed. Without a bot, upgrades happen when someone remembers, usually long after an advisory is public; a bot opens a pull request per release, and the test suite says whether it is safe to merge.',
      example: '# .github/dependabot.yml\nversion: 2\nupdates:\n  - package-ecosystem: "npm"\n    directory: "/"\n    schedule:\n      interval: "weekly"',
      instead: '# .github/dependabot.yml\nversion: 2\nupdates:\n  - package-ecosystem: "pip"\n    directory: "/"\n    schedule:\n      interval: "weekly"',
      fixSafety: 'Safe: writes `.github/dependabot.yml` with a weekly `pip` (or `uv`, with a uv.lock) entry for the folder of the production requirements, or adds that entry after the last item of the `updates:` list of an existing file, wherever that key is (not offered, with the reason, when the file is not valid YAML or `updates:` is an empty or flow-style list); nothing the application runs changes. Not offered when the repository root is outside the analysed folder.',
      references: ['https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference', 'https://docs.renovatebot.com/python/'],
    },
  },
  checkProject(ctx) {
    // a Django project with dependency files production installs (not a library, not docs only)
    if (!ctx.dependencies.files.some((f) => f.role === 'production')) return;
    if (!ctx.project.managePy && !ctx.project.production && !ctx.requirements.some((r) => r.name === 'django')) return;
    const repo = repositoryOf(ctx.fs, ctx.project.root, ctx.analysisRoot);
    const inside = repo === ctx.analysisRoot || repo.startsWith(ctx.analysisRoot + path.sep);
    for (const r of renovateFiles(ctx.fs, repo)) {
      const text = ctx.readFile(r) ?? '';
      // Renovate handles every manager unless enabledManagers lists some
      const enabled = /"?enabledManagers"?\s*:\s*\[([^\]]*)\]/.exec(text);
      if (!enabled || PY_MANAGERS.test(enabled[1])) return;
    }
    if (ctx.fs.exists(path.join(repo, '.pyup.yml'))) return;
    for (const f of ciFiles(ctx.fs, repo)) {
      const text = ctx.readFile(f) ?? '';
      if (/\bschedule\s*:/.test(text) && (SELF_UPDATE.test(text) || (LOCK_TOOL.test(text) && OPENS_PR.test(text)))) return;
    }
    const dependabot = dependabotFile(ctx.fs, repo);
    if (dependabot) {
      const text = ctx.readFile(dependabot) ?? '';
      const ecosystems = [...text.matchAll(/package-ecosystem\s*:\s*["']?([\w-]+)/g)].map((m) => m[1].toLowerCase());
      if (ecosystems.some((e) => PY_ECOSYSTEMS.has(e))) return;
      const fixes: FixSpec[] = [];
      // the entry goes after the last item of `updates:`, wherever that key is in the file
      const where = topLevelListEnd(text, 'updates');
      let unfixable: string | undefined;
      if (!inside) unfixable = 'the repository root is outside the analysed folder';
      else if (!where.ok) unfixable = where.reason;
      else {
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        const edit: Edit = { file: dependabot, start: where.offset, end: where.offset, newText: (where.breakBefore ? eol : '') + dependabotEntry(ctx, repo, where.indent, eol) };
        fixes.push({ title: 'Add a weekly Dependabot entry for the Python dependencies', applicability: 'safe', edits: [edit] });
      }
      const at = lineOf(text, /^updates\s*:/);
      ctx.report({
        at: { file: dependabot, range: rangeOfLine(text, at) },
        message: `Dependabot updates ${ecosystems.length > 0 ? ecosystems.join(', ') : 'nothing'} but not the Python dependencies: security releases of Django and its packages wait until someone upgrades by hand`,
        fixes,
        unfixable: fixes.length === 0 && inside ? `the Dependabot entry is not offered: ${unfixable}` : undefined,
      });
      return;
    }
    const main = mainFile(ctx);
    const text = ctx.readFile(main.path) ?? '';
    const fixes: FixSpec[] = inside
      ? [{ title: 'Write .github/dependabot.yml for the Python dependencies', applicability: 'safe', edits: [{ file: path.join(repo, '.github', 'dependabot.yml'), start: 0, end: 0, newText: `version: 2\nupdates:\n${dependabotEntry(ctx, repo, '  ', '\n')}`, create: true }] }]
      : [];
    ctx.report({
      at: { file: main.path, range: rangeOfLine(text, 0) },
      message: 'No Dependabot, Renovate or pyup configuration updates the Python dependencies: security releases of Django and its packages wait until someone upgrades by hand',
      fixes,
    });
  },
});
