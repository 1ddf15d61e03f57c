/**
 * Which files of a project are Django templates (read, never rendered).
 *
 * Decided from the production settings, the way Django's template loaders find templates:
 *
 *  - `TEMPLATES[i]['DIRS']` of every DjangoTemplates backend, evaluated statically: string
 *    literals, `os.path.join/dirname/abspath/realpath/normpath`, `pathlib.Path(...)`,
 *    `.parent`, `.parents[n]`, `/`, `+`, `.resolve()`, django-environ's `Path(...) - n` and
 *    `.path(...)`, and names bound to any of those (`BASE_DIR`); `__file__` is the module's own
 *    path; a relative DIRS entry is taken relative to the Django root (where manage.py runs);
 *  - with `APP_DIRS: True` (or the app_directories loader in OPTIONS.loaders): the `templates/`
 *    folder of each INSTALLED_APPS entry that lives in the repository (`blog`,
 *    `shop.apps.ShopConfig`, `apps.blog` found as a folder path; third-party apps are not in the
 *    repository and are not judged);
 *  - fallback, when the settings do not say (no production module, TEMPLATES not a literal, a
 *    DIRS entry that cannot be evaluated, INSTALLED_APPS unknown): every folder named `templates`
 *    inside the Django root.
 *
 * Jinja2 is not Django's template language: the DIRS of Jinja2 backends
 * (`django.template.backends.jinja2.Jinja2`, `django_jinja.backend.Jinja2`) are never judged,
 * nor are the app `templates/` folders when django_jinja reads them with APP_DIRS and matches
 * more than `*.jinja` files (its `match_extension` / `match_regex`): which engine renders a
 * given `.html` file is then not decidable statically. Files with a Jinja-only syntax are
 * skipped by the runner too (templates.ts, looksLikeJinja).
 *
 * Template files are `.html`, `.htm`, `.djhtml` and `.txt` files (project.ts classifies them as
 * `template`); the rules judge the HTML ones.
 */
import * as path from 'node:path';
import type { PyExpr } from './ir';
import type { ProjectFile } from './project';
import { dictGet, type Value } from './values';

export interface TemplateFolder {
  /** Absolute folder path. */
  path: string;
  source: 'DIRS' | 'app' | 'fallback';
}

export interface TemplateFolders {
  /** Folders of Django templates. */
  folders: TemplateFolder[];
  /** Folders read by a Jinja2 backend (their files are not Django templates). */
  jinja: string[];
  /** The `templates/` folders of apps are Jinja2 territory (django_jinja with APP_DIRS). */
  appDirsJinja: boolean;
  /** Why the fallback was used, when it was. */
  fallbackReason?: string;
}

/** What template discovery needs from a project, as plain data and lookups. */
export interface TemplateDiscoveryInput {
  /** The Django root (manage.py's folder). */
  root: string;
  /** The production TEMPLATES value (undefined: no production settings or not assigned). */
  templates?: Value;
  /** Whether production settings exist at all. */
  hasSettings: boolean;
  /** INSTALLED_APPS string entries (undefined when unknown). */
  installedApps?: string[];
  /** The value a name has in the production settings (for BASE_DIR and friends). */
  lookup(name: string): Value | undefined;
  /** Every folder that holds a Python file (to find app folders). */
  pythonDirs: ReadonlySet<string>;
}

const DJANGO_BACKEND = /(^|\.)django\.template\.backends\.django\.DjangoTemplates$|^DjangoTemplates$/;
const JINJA_BACKEND = /jinja/i;

/** Finds the template folders of a project (see the module comment for the rules). */
export function findTemplateFolders(input: TemplateDiscoveryInput): TemplateFolders {
  const out: TemplateFolders = { folders: [], jinja: [], appDirsJinja: false };
  const fallback = (reason: string) => {
    out.fallbackReason ??= reason;
  };
  const backends = input.templates?.kind === 'list' || input.templates?.kind === 'tuple' ? input.templates.items : undefined;
  if (!input.hasSettings) fallback('no production settings module');
  else if (!input.templates) fallback('TEMPLATES is not set in the production settings');
  else if (!backends) fallback('TEMPLATES is not a literal list');
  let appDirs = false;
  for (const b of backends ?? []) {
    if (b.kind !== 'dict') {
      fallback('a TEMPLATES entry is not a literal dict');
      continue;
    }
    const backend = dictGet(b, 'BACKEND')?.value;
    const name = backend?.kind === 'str' ? backend.value : undefined;
    const dirsValue = dictGet(b, 'DIRS')?.value;
    const dirs: string[] = [];
    let unresolved = false;
    if (dirsValue) {
      if (dirsValue.kind === 'list' || dirsValue.kind === 'tuple') {
        for (const item of dirsValue.items) {
          const p = resolvePath(item, input, 0);
          if (p === undefined) unresolved = true;
          else dirs.push(path.resolve(input.root, p));
        }
      } else unresolved = true;
    }
    const options = dictGet(b, 'OPTIONS')?.value;
    const usesAppDirs = appDirsOn(b, options);
    if (name === undefined) {
      fallback('a TEMPLATES BACKEND is not a literal string');
      continue;
    }
    if (JINJA_BACKEND.test(name)) {
      out.jinja.push(...dirs);
      // django_jinja reads the apps' templates/ folders (Django's own Jinja2 backend reads jinja2/)
      if (usesAppDirs && /django_jinja/.test(name) && !onlyJinjaExtension(options)) out.appDirsJinja = true;
      continue;
    }
    if (!DJANGO_BACKEND.test(name)) continue; // a third-party engine: not judged
    for (const d of dirs) out.folders.push({ path: d, source: 'DIRS' });
    if (unresolved) fallback('a TEMPLATES DIRS entry could not be evaluated');
    if (usesAppDirs) appDirs = true;
  }
  if (appDirs && !out.appDirsJinja) {
    if (!input.installedApps) fallback('INSTALLED_APPS is unknown');
    else {
      for (const app of input.installedApps) {
        for (const dir of appFolders(app, input)) out.folders.push({ path: path.join(dir, 'templates'), source: 'app' });
      }
    }
  }
  if (out.fallbackReason) out.folders.push({ path: input.root, source: 'fallback' });
  // one entry per folder
  const seen = new Set<string>();
  out.folders = out.folders.filter((f) => {
    const k = `${f.source}|${f.path}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return out;
}

function appDirsOn(b: Value, options: Value | undefined): boolean {
  const loaders = dictGet(options, 'loaders')?.value;
  if (loaders) return JSON.stringify(loaderNames(loaders, 0)).includes('app_directories');
  const v = dictGet(b, 'APP_DIRS')?.value;
  if (!v) return false;
  if (v.kind === 'bool') return v.value;
  return true; // not decidable: may be on
}

/** Loader names in OPTIONS.loaders (the cached loader wraps a list). */
function loaderNames(v: Value, depth: number): string[] {
  if (depth > 4) return [];
  if (v.kind === 'str') return [v.value];
  if (v.kind === 'list' || v.kind === 'tuple') return v.items.flatMap((i) => loaderNames(i, depth + 1));
  // unknown: assume the usual loaders
  return ['filesystem', 'app_directories'];
}

/** django_jinja's default match_extension is `.jinja`: then it never claims a `.html` file. */
function onlyJinjaExtension(options: Value | undefined): boolean {
  if (!options || options.kind !== 'dict') return options === undefined;
  if (dictGet(options, 'match_regex')) return false;
  const ext = dictGet(options, 'match_extension')?.value;
  if (!ext) return true;
  return ext.kind === 'str' && ext.value !== '' && !/html?$|txt$/.test(ext.value);
}

/** The folders of an INSTALLED_APPS entry inside the repository. */
function appFolders(entry: string, input: TemplateDiscoveryInput): string[] {
  const parts = entry.split('.').filter(Boolean);
  if (parts.length === 0) return [];
  // `shop.apps.ShopConfig`: the app is the package holding apps.py
  const candidates = [parts];
  if (parts.length >= 2 && /^[A-Z]/.test(parts[parts.length - 1])) {
    const mod = parts.slice(0, -1);
    candidates.unshift(mod[mod.length - 1] === 'apps' && mod.length >= 2 ? mod.slice(0, -1) : mod);
  }
  for (const c of candidates) {
    const suffix = path.sep + c.join(path.sep);
    const direct = path.join(input.root, ...c);
    if (input.pythonDirs.has(direct)) return [direct];
    // the app may sit under a source folder on sys.path (src/, apps/): match by folder path
    const hits = [...input.pythonDirs].filter((d) => d.endsWith(suffix));
    if (hits.length > 0) return hits;
  }
  return [];
}

// ------------------------------------------------------------------ static path evaluation

/** The path a settings value denotes, if it can be computed without running anything. */
export function resolvePath(v: Value | undefined, input: Pick<TemplateDiscoveryInput, 'lookup'>, depth: number): string | undefined {
  if (!v || depth > 30) return undefined;
  if (v.kind === 'str') return v.fstring ? undefined : v.value;
  if (v.env) return undefined;
  if (v.kind !== 'path' && v.kind !== 'unknown') return undefined;
  return evalPathExpr(v.origin.node as PyExpr, v.origin.module.path, input, depth + 1);
}

const lastName = (e: PyExpr): string | undefined => (e.t === 'name' ? e.id : e.t === 'attr' ? e.name : undefined);

function evalPathExpr(e: PyExpr, moduleFile: string, input: Pick<TemplateDiscoveryInput, 'lookup'>, depth: number): string | undefined {
  if (depth > 30) return undefined;
  const sub = (x: PyExpr | undefined) => (x ? evalPathExpr(x, moduleFile, input, depth + 1) : undefined);
  switch (e.t) {
    case 'str':
      return e.fstring || e.bytes ? undefined : e.v;
    case 'name': {
      if (e.id === '__file__') return moduleFile;
      const v = input.lookup(e.id);
      return v ? resolvePath(v, input, depth + 1) : undefined;
    }
    case 'attr': {
      if (e.name === 'parent') {
        const p = sub(e.obj);
        return p === undefined ? undefined : path.dirname(p);
      }
      return undefined;
    }
    case 'sub': {
      if (e.obj.t === 'attr' && e.obj.name === 'parents' && e.index.t === 'num') {
        let p = sub(e.obj.obj);
        for (let i = 0; p !== undefined && i <= e.index.v; i++) p = path.dirname(p);
        return p;
      }
      return undefined;
    }
    case 'bin': {
      const l = sub(e.l);
      if (l === undefined) return undefined;
      if (e.op === '/') {
        const r = sub(e.r);
        return r === undefined ? undefined : path.join(l, r);
      }
      if (e.op === '+') {
        const r = sub(e.r);
        return r === undefined ? undefined : l + r;
      }
      if (e.op === '-' && e.r.t === 'num') {
        // django-environ: Path(__file__) - 2 goes two levels up
        let p = l;
        for (let i = 0; i < e.r.v; i++) p = path.dirname(p);
        return p;
      }
      return undefined;
    }
    case 'call': {
      const fn = lastName(e.fn);
      const args = e.args;
      switch (fn) {
        case 'Path':
        case 'PurePath':
        case 'PosixPath':
        case 'str':
        case 'fspath':
        case 'abspath':
        case 'realpath':
        case 'normpath':
          if (args.length === 0) return undefined;
          return args.length === 1 ? sub(args[0]) : joinAll(args.map(sub));
        case 'join':
          if (e.fn.t === 'attr' && e.fn.obj.t === 'str') return undefined; // 'x'.join(...)
          return joinAll(args.map(sub));
        case 'dirname': {
          const p = sub(args[0]);
          return p === undefined ? undefined : path.dirname(p);
        }
        case 'resolve':
        case 'absolute':
        case 'expanduser':
          return e.fn.t === 'attr' ? sub(e.fn.obj) : undefined;
        case 'joinpath':
        case 'path':
          if (e.fn.t !== 'attr') return undefined;
          return joinAll([sub(e.fn.obj), ...args.map(sub)]);
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

function joinAll(parts: (string | undefined)[]): string | undefined {
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  return path.join(...(parts as string[]));
}

/** Whether a template file's content is HTML (the rules judge HTML templates only). */
export function isHtmlTemplate(file: string): boolean {
  return /\.(html?|djhtml)$/i.test(file);
}

/** Folders of third-party code: their HTML files are the library's, not the project's templates. */
const VENDOR_DIRS = new Set(['vendor', 'vendors', 'third_party', 'third-party', 'thirdparty']);

/** Looks files up against a set of folders by walking up their ancestors (no scan of every folder per file). */
class FolderIndex {
  private readonly django = new Map<string, TemplateFolder['source']>();
  private readonly jinja: Set<string>;

  constructor(folders: readonly TemplateFolder[], jinja: readonly string[], private readonly appDirsJinja = false) {
    // a folder listed as DIRS or app wins over the same folder as fallback
    for (const f of folders) if (!this.django.has(f.path) || f.source !== 'fallback') this.django.set(f.path, f.source);
    this.jinja = new Set(jinja);
  }

  /** Whether `file` is a Django template by these folders. */
  has(file: string): boolean {
    let sawTemplates = false;
    let dir = path.dirname(file);
    for (let guard = 0; guard < 256; guard++) {
      if (this.jinja.has(dir)) return false;
      // a library copied into a template folder (its demo pages post to sample_posteddata.php)
      if (VENDOR_DIRS.has(path.basename(dir).toLowerCase())) return false;
      const source = this.django.get(dir);
      // a fallback folder counts only templates/ folders below it (not app ones when django_jinja reads those)
      if (source !== undefined && (source !== 'fallback' || (sawTemplates && !this.appDirsJinja))) return this.notJinjaAbove(dir);
      if (path.basename(dir) === 'templates') sawTemplates = true;
      const up = path.dirname(dir);
      if (up === dir) return false;
      dir = up;
    }
    return false;
  }

  /** No Jinja2 folder contains `dir` (a Jinja2 DIRS entry above a Django one wins). */
  private notJinjaAbove(dir: string): boolean {
    if (this.jinja.size === 0) return true;
    for (let d = dir, guard = 0; guard < 256; guard++) {
      const up = path.dirname(d);
      if (up === d) return true;
      d = up;
      if (this.jinja.has(d)) return false;
    }
    return true;
  }
}

/**
 * The template files of a project: files of kind `template` inside a Django template folder and
 * not inside a Jinja2 folder (a fallback folder counts only `templates/` folders below it).
 */
export function selectTemplates(files: readonly ProjectFile[], folders: TemplateFolders): ProjectFile[] {
  const index = new FolderIndex(folders.folders, folders.jinja, folders.appDirsJinja);
  return files.filter((f) => f.kind === 'template' && index.has(f.path));
}

/**
 * Whether a file lies in a template folder of an analysis (its ProjectSummary.templates); a
 * fallback folder counts only `templates/` folders below it. For the language server: a changed
 * `.html` or `.txt` file elsewhere (built docs, notes) does not call for a new analysis.
 */
export function inTemplateFolder(file: string, summaries: readonly { templates?: { folders: readonly TemplateFolder[]; jinja: readonly string[]; appDirsJinja?: boolean } }[]): boolean {
  return summaries.some((s) => !!s.templates && new FolderIndex(s.templates.folders, s.templates.jinja, s.templates.appDirsJinja).has(file));
}
