/**
 * Project discovery: the files of a folder, its Django roots (folders with manage.py), their
 * settings modules, and which of them is production (design.md, "Which module is production").
 */
import * as path from 'node:path';
import { deploySettingsModules, type DeploySetting } from './deploySettings';
import { decodeBytes } from './encoding';
import type { Config } from './types';

export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
  /** Neither a regular file nor a folder that may be read: a FIFO, socket, device, or a link leading out of the project or nowhere. */
  special?: boolean;
}

/** The file system the engine reads. The language server overlays open documents on it. */
export interface FileSystem {
  readFile(p: string): string | undefined;
  readDir(p: string): DirEntry[];
  exists(p: string): boolean;
  size(p: string): number | undefined;
  /**
   * Optional: a token that changes whenever the file's content may have changed (the language
   * server's watched-file cache provides one). Results cached per file are then reused without
   * reading, or even keeping, the file's text. Undefined: compare texts.
   */
  stamp?(p: string): string | undefined;
  /**
   * Optional: why a file that exists is not read (not a regular file, a link out of the project,
   * too large), as a note's text; undefined when it is read or does not exist.
   */
  unreadable?(p: string): string | undefined;
  /** Optional: the bytes of a file of at most `maxBytes` (binary files such as .git/index). */
  readBytes?(p: string, maxBytes?: number): Uint8Array | undefined;
  /** Optional: a token that changes when the file changes on disk (identity, size, times). */
  statKey?(p: string): string | undefined;
  /**
   * Optional: the text of a file that differs from the disk (a fix-all pass in progress). The
   * code-rule worker threads read files from disk themselves: such texts are sent to them.
   */
  memoryText?(p: string): string | undefined;
  /**
   * Optional: why a fix may not write `p` (create it, or change it), as a sentence; undefined
   * when it may. A fix writes only regular files inside the folders analysed, never through a
   * symbolic link (see NodeFileSystem.writable).
   */
  writable?(p: string): string | undefined;
  /** Optional: how the file on disk is encoded (PEP 263, BOM; see encoding.ts). */
  textEncoding?(p: string): { encoding: string; bom: boolean } | undefined;
}

export { DiskWriter, MAX_FILE_BYTES, NodeFileSystem, tooLargeMessage, type NodeFileSystemOptions } from './nodefs';

/** Decodes bytes as a file read from disk is (BOM, else UTF-8, else Latin-1 byte for byte). */
export function decodeText(buf: Uint8Array): string {
  return decodeBytes(buf).text;
}

/** True when the text looks binary (NUL bytes in the first 8 KB). */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

/** An overlay of in-memory texts (open editor documents) over another file system. */
export class OverlayFileSystem implements FileSystem {
  readonly overlay = new Map<string, string>();
  constructor(private readonly base: FileSystem) {}
  readFile(p: string): string | undefined {
    return this.overlay.get(p) ?? this.base.readFile(p);
  }
  readDir(p: string): DirEntry[] {
    return this.base.readDir(p);
  }
  exists(p: string): boolean {
    return this.overlay.has(p) || this.base.exists(p);
  }
  size(p: string): number | undefined {
    const o = this.overlay.get(p);
    return o !== undefined ? o.length : this.base.size(p);
  }

  /** An open document has no stamp (its text is compared); other files, the base's. */
  stamp(p: string): string | undefined {
    return this.overlay.has(p) ? undefined : this.base.stamp?.(p);
  }

  unreadable(p: string): string | undefined {
    return this.overlay.has(p) ? undefined : this.base.unreadable?.(p);
  }

  readBytes(p: string, maxBytes?: number): Uint8Array | undefined {
    const o = this.overlay.get(p);
    return o !== undefined ? new TextEncoder().encode(o) : this.base.readBytes?.(p, maxBytes);
  }

  statKey(p: string): string | undefined {
    return this.overlay.has(p) ? undefined : this.base.statKey?.(p);
  }

  /** An open document is written by the editor, to the file on disk: the disk decides. */
  writable(p: string): string | undefined {
    return this.base.writable?.(p);
  }

  textEncoding(p: string): { encoding: string; bom: boolean } | undefined {
    return this.base.textEncoding?.(p);
  }
}

export type FileKind = 'python' | 'requirements' | 'pyproject' | 'pipfile' | 'lock' | 'dockerfile' | 'procfile' | 'compose' | 'env' | 'env-example' | 'gitignore' | 'template';

export interface ProjectFile {
  path: string;
  kind: FileKind;
  /** A test module (tests/, test_*.py, *_tests.py, tests.py, conftest.py), or a template under tests/. */
  isTest?: boolean;
  /** A Django migration. */
  isMigration?: boolean;
  /**
   * Inside a folder whose name starts with a dot (`.github/`, `.semgrep/`, `.claude/`): tooling
   * (CI scripts, lint-rule test cases), not application code. Code rules skip it.
   */
  tooling?: boolean;
}

export interface FileInventory {
  root: string;
  files: ProjectFile[];
  /** Folders skipped (virtualenvs, node_modules...), for the stats. */
  skippedDirs: number;
  /**
   * Entries named like files the rules read that are not read: FIFOs, sockets, devices, links
   * leading out of the project or nowhere (one note each; DirEntry.special).
   */
  special?: string[];
}

const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages', '.idea', '.vscode', '.cache', 'bower_components', '.eggs', '.direnv', 'htmlcov',
]);

/**
 * Example / template dotenv files, committed on purpose with names and placeholder values:
 * `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.prod.example`,
 * `env.example`, `example.env`...
 */
export function isEnvExampleName(name: string): boolean {
  return /^(?:\.?env(?:[._-][\w-]+)*[._-](?:example|sample|template|dist|tmpl|tpl)(?:[._-][\w-]+)*|(?:example|sample|template)[._-]?\.env)$/.test(name.toLowerCase());
}

/**
 * The kind of a file, from its name (a bare name or a path: with a path, a `.txt`/`.in` file in a
 * `requirements/` folder is a requirements file too).
 */
export function classify(name: string): FileKind | undefined {
  const parts = name.split(/[\\/]/);
  const lower = parts[parts.length - 1].toLowerCase();
  const dir = parts.length > 1 ? parts[parts.length - 2].toLowerCase() : '';
  if (lower.endsWith('.py')) return 'python';
  if (/^requirements.*\.(txt|in)$/.test(lower) || (lower.endsWith('.txt') && lower.startsWith('req')) || /[._-]requirements\.(txt|in)$/.test(lower)) return 'requirements';
  if (/^req(uirement)?s$/.test(dir) && /\.(txt|in)$/.test(lower)) return 'requirements';
  if (lower === 'pyproject.toml') return 'pyproject';
  if (lower === 'pipfile') return 'pipfile';
  if (lower === 'poetry.lock' || lower === 'uv.lock' || lower === 'pdm.lock' || lower === 'pipfile.lock') return 'lock';
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (lower === 'procfile') return 'procfile';
  if (/^(docker-)?compose.*\.ya?ml$/.test(lower)) return 'compose';
  if (isEnvExampleName(lower)) return 'env-example';
  if (lower === '.env' || /^\.env\.[a-z0-9_-]+$/.test(lower)) return 'env';
  if (lower === '.gitignore') return 'gitignore';
  // a Django template when it sits in a template folder (templateDirs.ts decides)
  if (/\.(html?|djhtml|txt)$/.test(lower)) return 'template';
  return undefined;
}

/** A test module by its name (test_x.py, x_test.py, x_tests.py, x_testing.py, tests.py, conftest.py). */
function isTestName(base: string): boolean {
  return /^test_.*\.py$/.test(base) || /_(?:tests?|testing)\.py$/.test(base) || base === 'tests.py' || base === 'conftest.py';
}

/**
 * A folder of test code by its name: tests, test, and names such as playwright_tests,
 * functional_tests, tests_e2e or integration_test.
 */
export function isTestDirName(name: string): boolean {
  return /^(?:tests?|\w+_tests?|tests?_\w+)$/.test(name.toLowerCase());
}

/** Lists the files the rules read, skipping virtualenvs, node_modules and the like. */
export function listFiles(root: string, fs: FileSystem, config: Pick<Config, 'exclude'>, limit = 200_000): FileInventory {
  const files: ProjectFile[] = [];
  const special: string[] = [];
  let skippedDirs = 0;
  const exclude = new Set(config.exclude.map((e) => e.replace(/\/+$/, '')));
  // each folder with its path relative to the root ('/'-separated) and what its path says about
  // the files in it (a tests/ or migrations/ folder on the way): computed once per folder
  interface Dir {
    abs: string;
    rel: string;
    /** A folder named tests or test on the way. */
    test: boolean;
    migrations: boolean;
    /** A folder whose name starts with a dot on the way (tooling: .github/, .devcontainer/). */
    dot: boolean;
  }
  const stack: Dir[] = [{ abs: root, rel: '', test: false, migrations: false, dot: false }];
  const sep = root.endsWith(path.sep) ? '' : path.sep;
  while (stack.length > 0 && files.length < limit) {
    const dir = stack.pop() as Dir;
    const entries = fs.readDir(dir.abs);
    if (dir.abs !== root && entries.some((e) => e.name === 'pyvenv.cfg')) {
      skippedDirs++;
      continue;
    }
    const prefix = dir.rel === '' ? '' : dir.rel + '/';
    const absPrefix = dir.abs === root ? root + sep : dir.abs + path.sep;
    for (const e of entries) {
      const full = absPrefix + e.name;
      const rel = prefix + e.name;
      if (e.isDirectory) {
        if (SKIP_DIRS.has(e.name) || exclude.has(e.name) || exclude.has(rel)) {
          skippedDirs++;
          continue;
        }
        stack.push({ abs: full, rel, test: dir.test || isTestDirName(e.name), migrations: dir.migrations || e.name === 'migrations', dot: dir.dot || e.name.startsWith('.') });
      } else if (e.isFile) {
        const kind = classify(rel);
        if (!kind || (exclude.size > 0 && exclude.has(rel))) continue;
        const f: ProjectFile = { path: full, kind };
        if (kind === 'python') {
          if (dir.test || isTestName(e.name)) f.isTest = true;
          if (dir.migrations) f.isMigration = true;
          if (dir.dot) f.tooling = true;
        } else if (kind === 'template' && dir.test) f.isTest = true;
        files.push(f);
      } else if (e.special && classify(e.name) && !exclude.has(rel)) special.push(full);
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const inv: FileInventory = { root, files, skippedDirs };
  if (special.length > 0) inv.special = special.sort();
  return inv;
}

export type SettingsRole = 'production' | 'development' | 'base' | 'unknown';

export interface SettingsModuleInfo {
  path: string;
  /** Dotted module name relative to the Django root, e.g. mysite.settings.production. */
  dotted: string;
  role: SettingsRole;
}

export interface DjangoProject {
  /** Folder of manage.py (or the analysed folder when there is none). */
  root: string;
  managePy?: string;
  settingsModules: SettingsModuleInfo[];
  production?: SettingsModuleInfo;
  /** Why that module was chosen (or why none was), for the status item and the CLI. */
  productionReason: string;
  /** The modules that could be production, when none could be chosen (dotted names). */
  candidates?: string[];
  /**
   * Production modules pulled into `production` by an environment switch (an import under
   * `if ENV == 'production':`, a split-settings `include(f'environments/{ENV}.py')`): file paths.
   * They are evaluated as part of `production`, their branch taken.
   */
  overlays?: string[];
  /** The configured production module, when it names no settings module of this project. */
  configuredMissing?: string;
  /** DJANGO_SETTINGS_MODULE defaults found in manage.py / wsgi.py / asgi.py. */
  settingsDefaults: { file: string; module: string }[];
  /** DJANGO_SETTINGS_MODULE values set by deployment files (Procfile, Dockerfile, compose, platform configs). */
  deploySettings?: DeploySetting[];
  /**
   * The repository folder above `root` whose deployment and requirements files (Procfile,
   * Dockerfile, requirements/, runtime.txt...) are this project's, wherever they sit in it: set
   * when this is the only Django project of the analysed folder and sits below it (the Django
   * project in `src/`, the deployment files at the repository root), or below a launcher
   * manage.py that has no settings of its own.
   */
  repositoryRoot?: string;
  /** Why `repositoryRoot` was set (said in the CLI's JSON and the output channel). */
  repositoryReason?: string;
}

const PROD_WORDS = new Set(['production', 'prod', 'live', 'deploy', 'deployment', 'prd']);
/** `compose`: settings for a docker-compose stack (readthedocs' `docker_compose.py`, "local development with Docker"). */
const DEV_WORDS = new Set(['dev', 'development', 'local', 'test', 'testing', 'tests', 'ci', 'debug', 'compose']);
/** A package named for development holds development settings: Misago's `devproject.settings`, `testproject.settings`. */
const DEV_PACKAGE = /^(?:dev|development|local|test|testing|tests)[_-]?(?:project|site|proj|app)$/i;

export function settingsRole(dotted: string): SettingsRole {
  const parts = dotted.split('.');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  const last = parts[parts.length - 1] ?? '';
  const words = last.toLowerCase().split(/[_\-.]/);
  if (words.some((w) => PROD_WORDS.has(w))) return 'production';
  if (words.some((w) => DEV_WORDS.has(w))) return 'development';
  if (parts.slice(0, -1).some((p) => DEV_PACKAGE.test(p))) return 'development';
  if (words.includes('base') || words.includes('common') || words.includes('shared') || words.includes('defaults')) return 'base';
  return 'unknown';
}

export function dottedName(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/').replace(/\.py$/, '');
  const parts = rel.split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.');
}

function isSettingsCandidate(rel: string): boolean {
  const parts = rel.split('/');
  const base = parts[parts.length - 1].toLowerCase();
  if (base === 'settings.py') return true;
  if (parts.slice(0, -1).some((p) => p === 'settings')) return true;
  return /settings/.test(base) && !/^test_/.test(base);
}

const DSM = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/;

/** Text of a Django settings module (or of Django code). */
const DJANGO_SETTINGS_HINT = /\b(?:INSTALLED_APPS|ROOT_URLCONF|DJANGO_SETTINGS_MODULE|WSGI_APPLICATION)\b|^[ \t]*(?:from|import)[ \t]+django\b/m;
const DJANGO_IMPORT = /^[ \t]*(?:from|import)[ \t]+django\b/m;
/** A requirement (requirements file or pyproject.toml dependency) on Django. */
const DJANGO_REQUIREMENT = /(?:^|["'])[ \t]*django(?:\[[^\]]*\])?[ \t]*(?:[=<>!~;,"'\s]|$)/im;

/** Web frameworks other than Django, as requirement names and import roots. */
const OTHER_FRAMEWORK = /^(?:flask|fastapi|starlette|tornado|pyramid|bottle|sanic|quart|aiohttp|falcon|litestar)$/;
const OTHER_REQUIREMENT = /(?:^|["'])[ \t]*(flask|fastapi|starlette|tornado|pyramid|bottle|sanic|quart|aiohttp|falcon|litestar)(?:\[[^\]]*\])?[ \t]*(?:[=<>!~;,"'\s]|$)/im;
const ANY_IMPORT = /^[ \t]*(?:from|import)[ \t]+(\w+)/gm;

/** Whether the folder is built on another web framework (a requirement on it, or an import of it). */
function usesOtherFramework(inv: FileInventory, fs: FileSystem): boolean {
  for (const f of inv.files) {
    if ((f.kind === 'requirements' || f.kind === 'pyproject') && OTHER_REQUIREMENT.test(fs.readFile(f.path) ?? '')) return true;
  }
  let scanned = 0;
  for (const f of inv.files) {
    if (f.kind !== 'python' || f.isTest) continue;
    if (++scanned > MAX_IMPORT_SCAN) break;
    for (const m of (fs.readFile(f.path) ?? '').matchAll(ANY_IMPORT)) if (OTHER_FRAMEWORK.test(m[1].toLowerCase())) return true;
  }
  return false;
}

/** Python files read at most when looking for a Django import (a large non-Django folder stops early). */
const MAX_IMPORT_SCAN = 5_000;

/**
 * Whether a folder without manage.py or settings is Django code: a requirement on Django, or a
 * module that imports it. A Flask app, a script folder... is not, and gets no finding.
 */
export function usesDjango(inv: FileInventory, fs: FileSystem): boolean {
  for (const f of inv.files) {
    if ((f.kind === 'requirements' || f.kind === 'pyproject') && DJANGO_REQUIREMENT.test(fs.readFile(f.path) ?? '')) return true;
  }
  let scanned = 0;
  for (const f of inv.files) {
    if (f.kind !== 'python' || f.isTest) continue;
    if (++scanned > MAX_IMPORT_SCAN) break;
    if (DJANGO_IMPORT.test(fs.readFile(f.path) ?? '')) return true;
  }
  return false;
}

/** What discovery finds from the names of an inventory's files alone (kept per inventory object). */
interface Layout {
  roots: string[];
  perRoot: Map<string, { entryPoints: ProjectFile[]; candidates: LayoutEntry[]; byName: Map<string, LayoutEntry[]> }>;
}
interface LayoutEntry {
  f: ProjectFile;
  index: number;
  rel: string;
  /** Its dotted module name, once asked for. */
  dotted?: string;
}
const layouts = new WeakMap<FileInventory, Layout>();

/** The Django roots of an inventory and, per root, its entry points and settings-module candidates by name. */
function layoutOf(inv: FileInventory): Layout {
  let l = layouts.get(inv);
  if (l) return l;
  const roots = inv.files.filter((f) => f.kind === 'python' && path.basename(f.path) === 'manage.py' && !f.isTest).map((f) => path.dirname(f.path));
  const projectRoots = roots.length > 0 ? roots : [inv.root];
  l = { roots, perRoot: new Map() };
  for (const root of projectRoots) {
    const inside = (p: string) => p.startsWith(root + path.sep) || p === root;
    // A file belongs to the deepest Django root containing it (one root: this one).
    const owner = (p: string) => (projectRoots.length === 1 ? projectRoots[0] : projectRoots.filter((r) => p.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0]);
    const mine = inv.files.filter((f) => f.kind === 'python' && !f.isMigration && inside(f.path) && owner(f.path) === root);
    const entryPoints: ProjectFile[] = [];
    const candidates: LayoutEntry[] = [];
    const byName = new Map<string, LayoutEntry[]>();
    mine.forEach((f, index) => {
      const rel = f.path.startsWith(root + path.sep) ? f.path.slice(root.length + 1).split(path.sep).join('/') : path.relative(root, f.path).split(path.sep).join('/');
      const base = rel.slice(rel.lastIndexOf('/') + 1);
      if (base === 'manage.py' || base === 'wsgi.py' || base === 'asgi.py') entryPoints.push(f);
      const e: LayoutEntry = { f, index, rel };
      if (!f.isTest && isSettingsCandidate(rel)) candidates.push(e);
      let list = byName.get(base);
      if (!list) byName.set(base, (list = []));
      list.push(e);
    });
    l.perRoot.set(root, { entryPoints, candidates, byName });
  }
  layouts.set(inv, l);
  return l;
}

/**
 * Finds the Django roots under `inv.root` and the settings modules of each. What the file names
 * say is computed once per inventory object (the language server keeps one until files are
 * created or deleted); the texts (DJANGO_SETTINGS_MODULE defaults, overlays) are read each time.
 */
export function findDjangoProjects(inv: FileInventory, fs: FileSystem, config: Pick<Config, 'productionSettingsModule'>): DjangoProject[] {
  const layout = layoutOf(inv);
  const roots = layout.roots;
  const projects: DjangoProject[] = [];
  for (const [root, { entryPoints, candidates, byName }] of layout.perRoot) {
    const settingsDefaults: { file: string; module: string }[] = [];
    for (const f of entryPoints) {
      const text = fs.readFile(f.path);
      const m = text ? DSM.exec(text) : null;
      if (m) settingsDefaults.push({ file: f.path, module: m[1] });
    }
    const deploySettings = deploySettingsModules(fs, inv, root, [root, inv.root], roots);
    const referenced = new Set([...settingsDefaults.map((d) => d.module), ...deploySettings.map((d) => d.module)]);
    // settings candidates by name, and modules a DJANGO_SETTINGS_MODULE default or deployment file names (only files
    // of its last part's name, or a package's __init__.py, can be one), in the inventory's order
    const chosen = new Map<number, LayoutEntry>();
    const dotted = (e: LayoutEntry) => (e.dotted ??= dottedName(root, e.f.path));
    for (const c of candidates) chosen.set(c.index, c);
    for (const m of referenced) {
      for (const e of [...(byName.get(m.slice(m.lastIndexOf('.') + 1) + '.py') ?? []), ...(byName.get('__init__.py') ?? [])]) {
        if (!chosen.has(e.index) && dotted(e) === m) chosen.set(e.index, e);
      }
    }
    const settingsModules: SettingsModuleInfo[] = [...chosen.values()]
      .sort((a, b) => a.index - b.index)
      .map((e) => ({ path: e.f.path, dotted: dotted(e), role: settingsRole(dotted(e)) }));
    if (roots.length === 0) {
      // without manage.py, a module named settings is Django's when it reads like it, or when
      // the folder uses no other web framework (a Flask or FastAPI app has a settings.py too)
      const other = settingsModules.length > 0 && usesOtherFramework(inv, fs);
      const django = settingsModules.filter((m) => !other || DJANGO_SETTINGS_HINT.test(fs.readFile(m.path) ?? ''));
      settingsModules.length = 0;
      settingsModules.push(...django);
      if (settingsModules.length === 0) {
        // a reusable app or a library: Django code without settings (the code rules apply)
        if (usesDjango(inv, fs)) projects.push({ root, settingsModules: [], productionReason: 'no settings module found', settingsDefaults });
        continue;
      }
    }
    const project: DjangoProject = {
      root,
      managePy: roots.includes(root) ? path.join(root, 'manage.py') : undefined,
      settingsModules,
      productionReason: '',
      settingsDefaults,
      ...(deploySettings.length > 0 ? { deploySettings } : {}),
    };
    chooseProduction(project, config, fs);
    // a deployment file naming a module the repository does not have (generated at build time:
    // taiga's `cp docker/config.py settings/config.py`): said, not silently passed over
    const absent = (project.deploySettings ?? []).find(
      (d) => !d.build && d.module.includes('.') && d.file.startsWith(root + path.sep) && !matchModule(settingsModules, d.module) && !settingsModules.some((m) => m.dotted.startsWith(d.module + '.')),
    );
    if (absent && project.productionReason && !project.configuredMissing) {
      project.productionReason += `; DJANGO_SETTINGS_MODULE=${absent.module} in ${relPosix(root, absent.file)} names no settings module of this project`;
    }
    projects.push(project);
  }
  return withRepositoryRoot(projects, inv);
}

/**
 * One repository, one project: a Django root that has no settings module of its own but Django
 * projects below it (a launcher manage.py beside the Procfile, the real project in a subfolder)
 * is not a project of its own; and the only Django project of the analysed folder, when it sits
 * below it, reads the repository's deployment files (requirements/, Dockerfile, Procfile...)
 * wherever they are, as a project at the root does. Several Django projects (a monorepo) each
 * keep their own folder, with the files directly above them as before.
 */
function withRepositoryRoot(projects: DjangoProject[], inv: FileInventory): DjangoProject[] {
  const below = (p: DjangoProject, q: DjangoProject) => q !== p && q.root.startsWith(p.root + path.sep);
  const launchers = new Set(projects.filter((p) => p.managePy && p.settingsModules.length === 0 && projects.some((q) => below(p, q) && q.settingsModules.length > 0)));
  const kept = projects.filter((p) => !launchers.has(p));
  if (kept.length === 1 && kept[0].root !== inv.root && kept[0].root.startsWith(inv.root + path.sep)) {
    const p = kept[0];
    const launcher = [...launchers].find((l) => l.root === inv.root);
    p.repositoryRoot = inv.root;
    p.repositoryReason = launcher
      ? 'the manage.py at the root of the analysed folder has no settings module of its own and launches this project: the deployment files of the whole folder are its own'
      : 'the only Django project of the analysed folder: the deployment files of the whole folder are its own';
  }
  return kept;
}

function relPosix(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}

/** A module with no statement (comments, a docstring, blank lines): an empty package marker. */
export function isEmptyModule(text: string | undefined): boolean {
  if (text === undefined) return true;
  const stripped = text
    .replace(/^[ \t]*#.*$/gm, '')
    .trim()
    .replace(/^[rRuU]?("""[\s\S]*?"""|'''[\s\S]*?'''|"[^"\n]*"|'[^'\n]*')/, '')
    .trim();
  return stripped === '';
}

/** `from .x import ...` / `from a.b.x import ...` / `import a.b.x` lines of a module. */
const IMPORT_LINE = /^([ \t]*)(?:from[ \t]+(\.*)([\w.]*)[ \t]+import\b|import[ \t]+([\w.]+))/gm;
/** String literals naming a .py file (split-settings include patterns), f-strings included. */
const PY_PATH_LITERAL = /(['"])([^'"\n]*\.py)\1/g;

/**
 * How `importer` runs `target`: an import under a switch (an indented import: `if ENV ==
 * 'production':`, `try:`), any import when Django loads `importer` itself (`loaded`: a
 * DJANGO_SETTINGS_MODULE default names it), or a split-settings include() pattern that matches
 * it. A module that merely builds on production at top level (`build.py`: `from .production
 * import *` plus overrides) does not make production its overlay.
 */
function pullsIn(fs: FileSystem, root: string, importer: string, text: string, target: string, loaded: boolean): 'imports' | 'includes' | undefined {
  for (const m of text.matchAll(IMPORT_LINE)) {
    if (!loaded && m[1].length === 0) continue;
    const level = m[2]?.length ?? 0;
    const module = m[3] || m[4] || '';
    if (!module && level === 0) continue;
    if (resolveModuleFile(fs, root, importer, module, level) === target) return 'imports';
  }
  if (/split_settings/.test(text) && /\binclude\s*\(/.test(text)) {
    const rel = relPosix(path.dirname(importer), target);
    for (const m of text.matchAll(PY_PATH_LITERAL)) {
      const pattern = m[2].replace(/\{[^}]*\}/g, '*').replace(/^\.\//, '');
      const re = new RegExp('^' + pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');
      if (re.test(rel)) return 'includes';
    }
  }
  return undefined;
}

/**
 * The (non-development) settings module that runs the production-named module `prod`: by an
 * import (under an environment switch, or not) or a split-settings include. Django loads that
 * one (DJANGO_SETTINGS_MODULE names it), so it is the production module, `prod` its overlay.
 */
function overlayOwner(p: DjangoProject, fs: FileSystem, prod: SettingsModuleInfo): { owner: SettingsModuleInfo; how: 'imports' | 'includes' } | undefined {
  const stem = path.basename(prod.path, '.py');
  for (const m of p.settingsModules) {
    if (m === prod || m.role === 'development' || m.role === 'production') continue;
    const text = fs.readFile(m.path);
    if (!text || (!text.includes(stem) && !text.includes('split_settings'))) continue;
    const loaded = p.settingsDefaults.some((d) => d.module === m.dotted);
    const how = pullsIn(fs, p.root, m.path, text, prod.path, loaded);
    if (how) return { owner: m, how };
  }
  return undefined;
}

/** The settings module a DJANGO_SETTINGS_MODULE value names (exactly, or as the one module a suffix fits). */
function matchModule(mods: SettingsModuleInfo[], dotted: string): SettingsModuleInfo | undefined {
  const exact = mods.find((m) => m.dotted === dotted);
  if (exact) return exact;
  const hits = mods.filter((m) => m.dotted.endsWith('.' + dotted) || dotted.endsWith('.' + m.dotted));
  return hits.length === 1 ? hits[0] : undefined;
}

/** Whether `m` imports `base` (any import: `from .base import *`, under a switch or not). */
function builtOn(p: DjangoProject, fs: FileSystem, m: SettingsModuleInfo, base: SettingsModuleInfo): boolean {
  const text = fs.readFile(m.path);
  if (!text || !text.includes(path.basename(base.path, '.py'))) return false;
  return pullsIn(fs, p.root, m.path, text, base.path, true) === 'imports';
}

interface NamedProduction {
  module: SettingsModuleInfo;
  overlays: string[];
  reason: string;
}

function setProduction(p: DjangoProject, n: NamedProduction, reason: string): void {
  p.production = n.module;
  if (n.overlays.length > 0) p.overlays = n.overlays;
  p.productionReason = reason;
}

/**
 * The module named like production, or the module that runs it: an overlay pulled in by another
 * module (settings.py, a split-settings __init__.py) is judged as part of that module, the one
 * Django loads.
 */
function productionByName(p: DjangoProject, fs: FileSystem): NamedProduction | undefined {
  const prod = p.settingsModules.filter((m) => m.role === 'production');
  if (prod.length === 0) return undefined;
  const rank = (m: SettingsModuleInfo) => ['production', 'prod', 'live', 'deploy'].findIndex((w) => m.dotted.split('.').pop()?.toLowerCase().includes(w));
  prod.sort((a, b) => (rank(a) < 0 ? 9 : rank(a)) - (rank(b) < 0 ? 9 : rank(b)) || a.dotted.localeCompare(b.dotted));
  let chosen = prod[0];
  const overlays: string[] = [];
  const how: string[] = [];
  for (let i = 0; i < 4; i++) {
    const o = overlayOwner(p, fs, chosen);
    if (!o || o.owner.path === prod[0].path || overlays.includes(o.owner.path)) break;
    overlays.push(chosen.path);
    how.push(`${o.how} ${relPosix(path.dirname(o.owner.path), chosen.path)}`);
    chosen = o.owner;
  }
  if (overlays.length === 0) return { module: chosen, overlays, reason: 'named like production' };
  return { module: chosen, overlays, reason: `Django loads ${relPosix(p.root, chosen.path)}, which ${how.reverse().join(', which ')} when the environment selects production` };
}

function chooseProduction(p: DjangoProject, config: Pick<Config, 'productionSettingsModule'>, fs: FileSystem): void {
  const mods = p.settingsModules;
  const configured = config.productionSettingsModule?.trim();
  if (configured) {
    const asPath = configured.replace(/\\/g, '/').replace(/^\.\//, '');
    const hit = mods.find(
      (m) =>
        m.dotted === configured ||
        m.dotted.endsWith('.' + configured) ||
        path.relative(p.root, m.path).split(path.sep).join('/') === asPath ||
        m.path === configured,
    );
    if (hit) {
      p.production = hit;
      p.productionReason = 'configured';
      return;
    }
    p.configuredMissing = configured;
    p.productionReason = `the configured production settings module ${configured} is not a settings module of this project`;
    p.candidates = mods.filter((m) => m.role !== 'development').map((m) => m.dotted);
    return;
  }
  // DJANGO_SETTINGS_MODULE as deployment files set it for the running app (not for development,
  // not a build step): a module named like production among them is production; otherwise one
  // is taken after the modules named like production, several are "unknown"
  const deployed = new Map<SettingsModuleInfo, DeploySetting>();
  for (const d of p.deploySettings ?? []) {
    const m = d.build ? undefined : matchModule(mods, d.module);
    if (m && m.role !== 'development' && !deployed.has(m)) deployed.set(m, d);
  }
  const said = (d: DeploySetting) => `DJANGO_SETTINGS_MODULE=${d.module} in ${relPosix(p.root, d.file)}`;
  const deployedProd = [...deployed].filter(([m]) => m.role === 'production');
  const byName = productionByName(p, fs);
  // the module wsgi.py / asgi.py loads by default, when it is named for development
  // (readthedocs' settings.docker_compose, Misago's devproject.settings): said beside the choice,
  // and never replaced by a guess from file names alone
  const wsgi = p.settingsDefaults.filter((d) => /(?:^|[\\/])(?:wsgi|asgi)\.py$/.test(d.file));
  const devDefault = wsgi.find((d) => settingsRole(d.module) === 'development');
  const devSaid = devDefault ? `the DJANGO_SETTINGS_MODULE default in ${path.basename(devDefault.file)}, ${devDefault.module}, is named for development` : '';
  const withDev = (reason: string) => (devDefault ? `${reason}; ${devSaid}` : reason);
  if (deployedProd.length === 1) {
    const [m, d] = deployedProd[0];
    if (byName && byName.module === m) {
      setProduction(p, byName, `${said(d)}; ${byName.reason}`);
    } else {
      p.production = m;
      p.productionReason = said(d);
    }
    return;
  }
  if (byName) {
    const d = deployed.get(byName.module);
    setProduction(p, byName, d ? `${said(d)}; ${byName.reason}` : withDev(byName.reason));
    return;
  }
  if (deployed.size === 1) {
    const [m, d] = [...deployed][0];
    p.production = m;
    p.productionReason = said(d);
    return;
  }
  if (deployed.size > 1) {
    p.candidates = [...deployed.keys()].map((m) => m.dotted);
    p.productionReason = `unknown: deployment files set DJANGO_SETTINGS_MODULE to ${deployed.size} modules (${[...deployed.values()].map(said).join(', ')}) and nothing says which one runs in production`;
    return;
  }
  for (const d of wsgi) {
    const hit = mods.find((m) => m.dotted === d.module);
    if (hit && hit.role !== 'development') {
      p.production = hit;
      p.productionReason = `DJANGO_SETTINGS_MODULE default in ${path.basename(d.file)}`;
      return;
    }
  }
  // an empty settings/__init__.py (a package marker) is never the production module
  const nonDev = mods.filter((m) => m.role !== 'development' && !(path.basename(m.path) === '__init__.py' && isEmptyModule(fs.readFile(m.path))));
  // with a development default, a settings.py or settings package elsewhere than beside that
  // module is not taken for production on its name alone (readthedocs' core/settings.py is a helper)
  const parentOf = (dotted: string) => dotted.slice(0, Math.max(0, dotted.lastIndexOf('.')));
  const besideDev = (m: SettingsModuleInfo) => !devDefault || parentOf(m.dotted) === parentOf(devDefault.module) || m.dotted === parentOf(devDefault.module);
  const lone = nonDev.filter((m) => m.path.endsWith(path.sep + 'settings.py'));
  if (lone.length === 1 && besideDev(lone[0])) {
    p.production = lone[0];
    p.productionReason = withDev('the only settings.py');
    return;
  }
  const pkg = nonDev.filter((m) => m.path.endsWith(path.join('settings', '__init__.py')));
  if (pkg.length === 1 && pkg[0] && lone.length === 0 && besideDev(pkg[0])) {
    p.production = pkg[0];
    p.productionReason = withDev('the settings package');
    return;
  }
  const base = nonDev.filter((m) => m.role === 'base');
  if (base.length === 1) {
    // modules that build on the base (`from .base import *`) are what runs, not the base: one
    // (not for development, not set by a build step) is production; several are "unknown"
    const builds = new Set((p.deploySettings ?? []).filter((d) => d.build).map((d) => matchModule(mods, d.module)));
    // (a file whose name holds a dot, `production.example.py`, cannot be imported: a template to copy)
    const extenders = nonDev.filter((m) => m !== base[0] && m.role !== 'base' && !path.basename(m.path, '.py').includes('.') && builtOn(p, fs, m, base[0]));
    const running = extenders.filter((m) => !builds.has(m));
    const baseName = relPosix(p.root, base[0].path);
    if (extenders.length === 0) {
      p.production = base[0];
      p.productionReason = withDev('no production module: the shared base settings are judged');
    } else if (running.length === 1) {
      const skipped = extenders.filter((m) => builds.has(m)).map((m) => {
        const d = (p.deploySettings ?? []).find((x) => x.build && matchModule(mods, x.module) === m) as DeploySetting;
        return `${m.dotted} is set by a build step in ${relPosix(p.root, d.file)}`;
      });
      p.production = running[0];
      p.productionReason = withDev(`the only settings module built on ${baseName} that is not for development${skipped.length > 0 ? ` or a build step; ${skipped.join(', ')}` : ''}`);
    } else {
      p.candidates = (running.length > 0 ? running : extenders).map((m) => m.dotted);
      p.productionReason = withDev(`unknown: ${p.candidates.length} settings modules are built on ${baseName} (${p.candidates.join(', ')}) and nothing says which one runs in production`);
    }
    return;
  }
  if (nonDev.length === 1 && besideDev(nonDev[0])) {
    p.production = nonDev[0];
    p.productionReason = withDev('the only settings module');
    return;
  }
  if (mods.length === 0) {
    p.productionReason = 'no settings module found';
    return;
  }
  p.candidates = nonDev.map((m) => m.dotted);
  if (devDefault) {
    p.productionReason = `unknown: ${devSaid}, and no module is named like production${nonDev.length > 0 ? ` (${nonDev.length === 1 ? 'one other module' : `${nonDev.length} other modules`}, nothing says which one runs in production)` : ''}`;
    return;
  }
  p.productionReason =
    nonDev.length === 0
      ? 'unknown: every settings module is named for development or tests'
      : `unknown: ${nonDev.length} candidate modules and nothing says which one runs in production`;
}

/** Resolves `from <level dots><module> import ...` from `fromFile` to a file of the project. */
export function resolveModuleFile(fs: FileSystem, projectRoot: string, fromFile: string, module: string, level: number): string | undefined {
  for (const [py, init] of importCandidates(projectRoot, path.dirname(fromFile), module, level)) {
    if (py !== undefined && fs.exists(py)) return py;
    if (fs.exists(init)) return init;
  }
  return undefined;
}

/**
 * The files an import may be, in the order they are tried: for each folder it may live in, the
 * module file (`x/y.py`, not for a bare relative import) and the package (`x/y/__init__.py`).
 * Only paths: kept per folder and import (the settings are evaluated again on every keystroke,
 * and every import of the modules typed in is resolved again; building these paths was a third
 * of what a keystroke allocated in saleor). Which of them exists is asked each time.
 */
function importCandidates(projectRoot: string, fromDir: string, module: string, level: number): readonly [string | undefined, string][] {
  const key = `${level}\u0000${module}\u0000${projectRoot}`;
  let byImport = candidateCache.get(fromDir);
  const known = byImport?.get(key);
  if (known) return known;
  const parts = module ? module.split('.') : [];
  const dirs: string[] = [];
  if (level > 0) {
    let base = fromDir;
    for (let i = 1; i < level; i++) base = path.dirname(base);
    dirs.push(path.join(base, ...parts));
  } else {
    // Absolute import: from the Django root, then from each ancestor of the importing file.
    dirs.push(path.join(projectRoot, ...parts));
    let d = fromDir;
    while (d.startsWith(projectRoot) && d !== path.dirname(d)) {
      dirs.push(path.join(d, ...parts));
      d = path.dirname(d);
    }
  }
  const out = dirs.map((c): [string | undefined, string] => [parts.length > 0 ? c + '.py' : undefined, path.join(c, '__init__.py')]);
  if (candidateCache.size >= CANDIDATE_DIRS) candidateCache.clear();
  if (!byImport) candidateCache.set(fromDir, (byImport = new Map()));
  if (byImport.size < CANDIDATE_IMPORTS) byImport.set(key, out);
  return out;
}

/** importCandidates' paths by importing folder, then import (bounded: cleared beyond these). */
const candidateCache = new Map<string, Map<string, readonly [string | undefined, string][]>>();
const CANDIDATE_DIRS = 2_000;
const CANDIDATE_IMPORTS = 2_000;
