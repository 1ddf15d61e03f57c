/**
 * Where deployment files say which settings module runs: DJANGO_SETTINGS_MODULE set in a
 * Procfile, a Dockerfile's ENV (or `--settings` in its CMD), a compose file's environment, an
 * example .env, or a platform's config (app.json, fly.toml, render.yaml, app.yaml...). Read as
 * text, never run. A Dockerfile's RUN that sets it is a build step (collectstatic), noted apart.
 */
import * as path from 'node:path';
import { assignments, parseDockerfile, variablesAt, expand } from './dockerfile';
import type { FileInventory, FileSystem } from './project';

export interface DeploySetting {
  /** The deployment file. */
  file: string;
  /** 0-based line. */
  line: number;
  /** The module as written (dotted). */
  module: string;
  /** Set for a build step (a Dockerfile RUN), not for the running app. */
  build?: boolean;
}

const DEV_DEPLOY_DIRS = new Set(['local', 'dev', 'development', 'test', 'tests', 'testing', 'ci', 'devcontainer', 'github', 'gitlab', 'circleci']);

/**
 * Dockerfiles / compose files / Procfiles meant for development only: by name
 * (`Dockerfile.dev`, `docker-compose.override.yml`), or by a folder between `root` and the file
 * whose name says development, tests or CI (`compose/local/django/Dockerfile`,
 * `.devcontainer/Dockerfile`, `kubernetes/docker_dev/`, `dev-tools/`, `api_tests/`,
 * `.github/actions/x/Dockerfile`). Folders above `root` do not count.
 */
export function isDevDeploymentFile(file: string, root?: string): boolean {
  const parts = file.split(/[\\/]/);
  const base = parts[parts.length - 1].toLowerCase();
  if (/(^|[._-])(dev|development|local|test|override)([._-]|$)/.test(base)) return true;
  if (root === undefined) return false;
  const rootParts = root.split(/[\\/]/).filter(Boolean);
  const dirs = parts.filter(Boolean).slice(0, -1);
  if (rootParts.some((p, i) => dirs[i] !== p)) return false; // outside root: by name only
  return dirs.slice(rootParts.length).some((d) => d.toLowerCase().split(/[^a-z]+/).some((w) => DEV_DEPLOY_DIRS.has(w)));
}

/** Platform config files read at the project root and the analysed folder. */
export const PLATFORM_FILES = [
  'app.json',
  'fly.toml',
  'render.yaml',
  'heroku.yml',
  'app.yaml',
  '.platform.app.yaml',
  'railway.json',
  'railway.toml',
  'nixpacks.toml',
  'Dockerrun.aws.json',
  'zappa_settings.json',
  'uwsgi.ini',
  'gunicorn.conf.py',
];

const DOTTED = String.raw`[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*`;
/** `DJANGO_SETTINGS_MODULE=x`, `: x`, `"...": "x"`, `"...": {"value": "x"}`, `= "x"`, `--settings=x`. */
const ASSIGNED = new RegExp(String.raw`(?:DJANGO_SETTINGS_MODULE|"django_settings")["']?[ \t]*(?:[:=]|[ \t])[ \t]*(?:\{[ \t]*"value"[ \t]*:[ \t]*)?["']?(?:\$\{\w+:?-)?(${DOTTED})`, 'g');
const SETTINGS_FLAG = new RegExp(String.raw`--settings(?:=|[ \t]+)["']?(${DOTTED})`, 'g');
/** YAML `- key: DJANGO_SETTINGS_MODULE` / `name:` followed by `value: x`. */
const KEY_VALUE = new RegExp(String.raw`(?:key|name)[ \t]*:[ \t]*["']?DJANGO_SETTINGS_MODULE["']?[ \t]*\r?\n[ \t]*value[ \t]*:[ \t]*["']?(${DOTTED})`, 'g');

function lineAt(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function scanText(file: string, text: string, out: DeploySetting[], flags: boolean): void {
  for (const re of flags ? [ASSIGNED, KEY_VALUE, SETTINGS_FLAG] : [ASSIGNED, KEY_VALUE]) {
    for (const m of text.matchAll(re)) {
      // a shell default (${DJANGO_SETTINGS_MODULE:-x}) or a variable reference is no value
      if (/^\$/.test(m[1])) continue;
      out.push({ file, line: lineAt(text, (m.index ?? 0) + m[0].length - m[1].length), module: m[1] });
    }
  }
}

/**
 * The DJANGO_SETTINGS_MODULE values deployment files give, outside files meant for development.
 * `roots`: the folders whose platform files are read (the project root, the analysed folder).
 * `others`: the roots of the other Django projects found in the analysed folder: their files
 * belong to them (a folder holding two projects: one's docker-compose.yml says nothing of the other).
 */
export function deploySettingsModules(fs: FileSystem, inv: FileInventory, projectRoot: string, roots: string[], others: readonly string[] = []): DeploySetting[] {
  const out: DeploySetting[] = [];
  const under = (p: string, dir: string) => p.startsWith(dir + path.sep);
  const siblings = others.filter((o) => o !== projectRoot && !under(projectRoot, o));
  const inside = (p: string) => under(p, projectRoot) || (roots.some((r) => under(p, r)) && !siblings.some((o) => under(p, o)));
  for (const f of inv.files) {
    if (f.kind !== 'procfile' && f.kind !== 'dockerfile' && f.kind !== 'compose' && f.kind !== 'env-example') continue;
    if (!inside(f.path) || isDevDeploymentFile(f.path, inv.root)) continue;
    const text = fs.readFile(f.path);
    if (!text || (!text.includes('DJANGO_SETTINGS_MODULE') && !text.includes('--settings'))) continue;
    if (f.kind !== 'dockerfile') {
      scanText(f.path, text, out, f.kind === 'procfile' || f.kind === 'compose');
      continue;
    }
    const df = parseDockerfile(text);
    df.instructions.forEach((ins, i) => {
      if (ins.keyword === 'ENV') {
        for (const a of assignments(ins)) {
          if (a.name !== 'DJANGO_SETTINGS_MODULE' || !a.value) continue;
          const v = expand(a.value, variablesAt(df, i));
          if (new RegExp(`^${DOTTED}$`).test(v)) out.push({ file: f.path, line: ins.line, module: v });
        }
      } else if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT' || ins.keyword === 'RUN') {
        const found: DeploySetting[] = [];
        scanText(f.path, ins.args, found, true);
        for (const d of found) out.push({ ...d, line: ins.line, ...(ins.keyword === 'RUN' ? { build: true } : {}) });
      }
    });
  }
  const seen = new Set<string>();
  for (const r of roots) {
    for (const name of PLATFORM_FILES) {
      const p = path.join(r, name);
      if (seen.has(p)) continue;
      seen.add(p);
      const text = fs.readFile(p);
      if (text && (text.includes('DJANGO_SETTINGS_MODULE') || text.includes('django_settings') || text.includes('--settings'))) scanText(p, text, out, true);
    }
  }
  // files for production first (the reason names the first one): extras/docker/production/Dockerfile before demo/
  const prodFirst = (d: DeploySetting) => (/(?:^|[\\/._-])prod(?:uction)?(?:[\\/._-]|$)/i.test(path.relative(projectRoot, d.file)) ? 0 : 1);
  return out.map((d, i) => ({ d, i })).sort((a, b) => prodFirst(a.d) - prodFirst(b.d) || a.i - b.i).map((x) => x.d);
}
