import { defineRule, LineIndex, stringItems, type ProjectContext, type Value } from '../../server/src/engine';

/** Apps and middleware of development tools (dotted prefixes). */
const APPS: Record<string, string> = {
  debug_toolbar: 'django-debug-toolbar',
  silk: 'django-silk',
  django_extensions: 'django-extensions',
};
const MIDDLEWARE: Record<string, string> = {
  'debug_toolbar.middleware.': 'django-debug-toolbar',
  'silk.middleware.': 'django-silk',
};

/** Test and debugging packages that production requirements should not install. */
function devPackage(name: string): string | undefined {
  if (name === 'pytest' || name.startsWith('pytest-')) return 'a test tool';
  if (name === 'django-debug-toolbar') return 'the debug toolbar';
  if (name === 'factory-boy') return 'a test-data factory';
  return undefined;
}

/** An entry set inside an if/try/for/with block (a development switch), not unconditionally. */
function underBranch(v: Value): boolean {
  const t = v.origin.top.ir.t;
  return t === 'if' || t === 'try' || t === 'block';
}

function checkSettings(ctx: ProjectContext): void {
  const s = ctx.settings;
  if (!s) return;
  const seen = new Set<string>();
  const scan = (setting: string, table: Record<string, string>, exact: boolean) => {
    for (const { value, item } of stringItems(s.value(setting))) {
      const key = Object.keys(table).find((k) => (exact ? value === k || value.startsWith(k + '.') : value.startsWith(k)));
      if (!key || underBranch(item) || item.env) continue;
      const where = `${item.origin.module.path}:${item.origin.top.start + item.origin.node.s}`;
      if (seen.has(where)) continue;
      seen.add(where);
      // django-extensions only adds management commands (its risky runserver_plus is started by hand): info
      ctx.report({
        at: item.origin,
        severity: table[key] === 'django-extensions' ? 'info' : undefined,
        message:
          table[key] === 'django-extensions'
            ? `'${value}' is in the production ${setting}: django-extensions is a development toolbox (runserver_plus, shell_plus), keep it in the development settings`
            : `'${value}' is in the production ${setting} (${table[key]}): a development tool that shows or records requests, SQL and settings, keep it in the development settings`,
      });
    }
  };
  scan('INSTALLED_APPS', APPS, true);
  scan('MIDDLEWARE', MIDDLEWARE, false);
}

function checkRequirements(ctx: ProjectContext): void {
  const lines = new Map<string, LineIndex>();
  for (const r of ctx.requirements) {
    if (r.scope !== 'production') continue;
    const what = devPackage(r.name);
    if (!what) continue;
    let li = lines.get(r.file);
    if (!li) {
      const text = ctx.readFile(r.file);
      if (text === undefined) continue;
      lines.set(r.file, (li = new LineIndex(text)));
    }
    const start = li.offsetAt({ line: r.line, character: r.start });
    const file = ctx.dependencies.files.find((f) => f.path === r.file);
    const why = file && file.format === 'requirements' ? ` (${file.reason})` : r.section ? ` (${r.section})` : '';
    ctx.report({ at: { file: r.file, range: li.range(start, start + Math.max(1, r.end - r.start)) }, message: `${r.name} is ${what} among the requirements production installs${why}: move it to a development requirements file or group` });
  }
}

export default defineRule({
  meta: {
    code: 'DJR911',
    name: 'dev-tool-in-production',
    category: 'dependencies',
    severity: 'warning',
    kind: 'project',
    seeds: ['000', '002', '004'],
    message: 'A development tool is installed or enabled in production',
    fix: 'none',
    docs: {
      what: "Flags `debug_toolbar`, `silk` or `django_extensions` in the production `INSTALLED_APPS`, and the debug toolbar's or silk's middleware in the production `MIDDLEWARE`, when they are added unconditionally (an entry added under `if DEBUG:` or another branch is left alone; `django_extensions`, which only adds management commands, is reported as info); and pytest (or a pytest plugin), django-debug-toolbar or factory-boy among the requirements production installs (the production requirements file and what it includes, the main dependencies of pyproject.toml or Pipfile; not development files or groups, extras or files nothing installs).",
      why: 'Development tools are built to show everything: the debug toolbar and silk display or record SQL, headers, settings and request bodies, and a misconfigured `INTERNAL_IPS` or `SHOW_TOOLBAR_CALLBACK` exposes them to anyone. Test tools in the production image enlarge it and its attack surface for nothing, and a separate development requirements file is what keeps the two apart.',
      example: "INSTALLED_APPS = [..., 'debug_toolbar']\n# requirements.txt\npytest==8.3.3",
      instead: "# settings/local.py\nINSTALLED_APPS += ['debug_toolbar']\n# requirements/local.txt\n-r base.txt\npytest==8.3.3",
      fixSafety: 'No automatic fix: moving an app or a package between environments needs the development settings and requirements files it belongs in.',
      references: ['https://django-debug-toolbar.readthedocs.io/en/latest/installation.html', 'https://pip.pypa.io/en/stable/user_guide/#requirements-files', 'https://python-poetry.org/docs/managing-dependencies/#dependency-groups'],
    },
  },
  checkProject(ctx) {
    checkSettings(ctx);
    checkRequirements(ctx);
  },
});
