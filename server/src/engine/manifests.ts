/**
 * Dependency manifests other than requirements files: pyproject.toml (PEP 621 dependencies and
 * extras, PEP 735 dependency groups, Poetry's tables and groups, uv/PDM development
 * dependencies), Pipfile, and the lock files that say which version is installed (poetry.lock,
 * uv.lock, pdm.lock, Pipfile.lock). Values come from smol-toml / JSON.parse; each requirement
 * is located on the line that declares it (tomlpos.ts).
 */
import { parse as parseToml } from 'smol-toml';
import { exactPin, normaliseName, parsePep508, poetryToPep440, specText, clausesOf } from './pep508';
import type { Requirement, RequirementScope } from './requirements';
import { scanToml, type TomlEntry } from './tomlpos';

/** Group, extra and file-name words that mean development only. */
const DEV_WORDS = new Set([
  'dev', 'devel', 'development', 'test', 'tests', 'testing', 'lint', 'linting', 'linters', 'docs', 'doc', 'documentation',
  'typing', 'types', 'mypy', 'local', 'ci', 'qa', 'format', 'formatting', 'style', 'debug', 'bench', 'benchmark', 'benchmarks',
  'coverage', 'precommit', 'stubs', 'unittest', 'unittests', 'develop',
]);
const PROD_WORDS = new Set(['prod', 'production', 'deploy', 'deployment', 'live']);

/** Whether a group/extra name (`dev`, `test-extras`, `docs`) means development only. */
export function isDevName(name: string): boolean {
  return name.toLowerCase().split(/[^a-z]+/).some((w) => DEV_WORDS.has(w));
}

export function isProdName(name: string): boolean {
  return name.toLowerCase().split(/[^a-z]+/).some((w) => PROD_WORDS.has(w));
}

function groupScope(name: string): RequirementScope {
  if (isDevName(name)) return 'development';
  if (isProdName(name)) return 'production';
  return 'optional';
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

class Locator {
  private readonly entries: TomlEntry[];
  private readonly lines: string[];
  constructor(text: string) {
    this.entries = scanToml(text);
    this.lines = text.split(/\r\n|\r|\n/);
  }

  private same(a: string[], b: string[]): boolean {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }

  /** A `key = value` (or `[table]`) whose path is `prefix` + a key normalising to `name`. */
  key(prefix: string[], name: string): { line: number; start: number; end: number } | undefined {
    const want = normaliseName(name);
    let header: TomlEntry | undefined;
    for (const e of this.entries) {
      if (e.path.length !== prefix.length + 1 || !this.same(e.path.slice(0, -1), prefix) || normaliseName(e.path[e.path.length - 1]) !== want) continue;
      if (!e.header) return this.lineRange(e.line, e.start);
      header ??= e;
    }
    return header ? this.lineRange(header.line, header.start) : undefined;
  }

  /** The string literal `value` inside the array value of `path` (the n-th such literal for repeats). */
  arrayItem(path: string[], value: string, nth: number): { line: number; start: number; end: number } | undefined {
    for (const e of this.entries) {
      if (e.header || !this.same(e.path, path)) continue;
      const hits = e.strings.filter((s) => s.value === value);
      const s = hits[Math.min(nth, hits.length - 1)];
      if (s) return { line: s.line, start: s.start, end: s.end };
      return this.lineRange(e.line, e.start);
    }
    return undefined;
  }

  /** From `start` to the end of the line's content (without a trailing comment). */
  private lineRange(line: number, start: number): { line: number; start: number; end: number } {
    const l = this.lines[line] ?? '';
    let end = l.length;
    const hash = l.indexOf(' #', start);
    if (hash >= 0) end = hash;
    while (end > start + 1 && /\s/.test(l[end - 1])) end--;
    return { line, start, end: Math.max(end, start + 1) };
  }
}

/** PEP 508 strings of an array (PEP 621 dependencies, extras, dependency groups). */
function pep508Array(out: Requirement[], file: string, loc: Locator, path: string[], items: unknown, scope: RequirementScope, section: string): void {
  if (!Array.isArray(items)) return;
  const seen = new Map<string, number>();
  for (const d of items) {
    if (typeof d !== 'string') continue; // {include-group = "..."} and the like
    const nth = seen.get(d) ?? 0;
    seen.set(d, nth + 1);
    const at = loc.arrayItem(path, d, nth) ?? { line: 0, start: 0, end: 1 };
    const p = parsePep508(d.trim());
    if (!p) continue;
    out.push({
      name: normaliseName(p.name),
      spec: p.url ? '@' : specText(p.specs),
      pinned: p.url ? undefined : exactPin(p.specs),
      hashed: false,
      file,
      raw: d,
      ...at,
      format: 'pep621',
      scope,
      section,
      extras: p.extras.length > 0 ? p.extras : undefined,
      marker: p.marker,
      direct: p.url ? true : undefined,
    });
  }
}

/**
 * A Poetry / Pipfile dependency table: `name = "^1.2"`, `name = {version = "^1.2", optional = true}`,
 * `name = {git = "..."}`, or a list of such tables (multiple constraints by marker).
 */
function keyedTable(out: Requirement[], file: string, loc: Locator, path: string[], table: unknown, scope: RequirementScope, section: string, format: 'poetry' | 'pipfile'): void {
  if (!isTable(table)) return;
  for (const [name, v] of Object.entries(table)) {
    if (format === 'poetry' && name.toLowerCase() === 'python') continue;
    const at = loc.key(path, name) ?? { line: 0, start: 0, end: 1 };
    const first = Array.isArray(v) ? v[0] : v;
    let written = '';
    let direct = false;
    let reqScope = scope;
    let extras: string[] | undefined;
    if (typeof first === 'string') written = first;
    else if (isTable(first)) {
      if (typeof first.version === 'string') written = first.version;
      else if (['git', 'path', 'url', 'file', 'hg', 'svn', 'bzr', 'editable'].some((k) => k in first)) direct = true;
      if (first.optional === true && reqScope === 'production') reqScope = 'optional';
      if (Array.isArray(first.extras)) extras = first.extras.filter((e): e is string => typeof e === 'string');
    }
    let spec: string | undefined;
    if (direct) spec = '@';
    else if (format === 'poetry') spec = poetryToPep440(written);
    else spec = written.trim() === '*' || written.trim() === '' ? '' : written.trim();
    const clauses = spec && spec !== '@' ? clausesOf(spec) : [];
    out.push({
      name: normaliseName(name),
      spec: spec ?? written,
      pinned: clauses.length > 0 ? exactPin(clauses) : undefined,
      hashed: false,
      file,
      raw: `${name} = ${JSON.stringify(written || (direct ? '(url)' : '*'))}`,
      ...at,
      format,
      scope: reqScope,
      section,
      extras,
      direct: direct || undefined,
      written: format === 'poetry' ? written : undefined,
    });
  }
}

export interface ManifestParse {
  requirements: Requirement[];
  /** The file could not be read as TOML (nothing else is reported from it). */
  invalid?: boolean;
  /**
   * A reusable Django package (a `Framework :: Django` classifier): its dependencies are ranges
   * by design, for the projects that install it; none of them is production's pin.
   */
  library?: boolean;
}

/** Dependencies declared in pyproject.toml (PEP 621, PEP 735, Poetry, uv and PDM dev dependencies). */
export function parsePyproject(file: string, text: string): ManifestParse {
  let data: Table;
  try {
    data = parseToml(text) as Table;
  } catch {
    return { requirements: [], invalid: true };
  }
  const out: Requirement[] = [];
  const hasDeps = (t: unknown) => isTable(t) && ('dependencies' in t || 'optional-dependencies' in t);
  const tool = isTable(data.tool) ? data.tool : {};
  if (!hasDeps(data.project) && !isTable(data['dependency-groups']) && !isTable(tool.poetry) && !isTable(tool.uv) && !isTable(tool.pdm)) return { requirements: out };
  const loc = new Locator(text);
  const project = isTable(data.project) ? data.project : undefined;
  const library = Array.isArray(project?.classifiers) && project.classifiers.some((c) => typeof c === 'string' && /^Framework\s*::\s*Django\b/.test(c));
  if (project) {
    pep508Array(out, file, loc, ['project', 'dependencies'], project.dependencies, 'production', 'project.dependencies');
    const extras = project['optional-dependencies'];
    if (isTable(extras)) for (const [name, items] of Object.entries(extras)) pep508Array(out, file, loc, ['project', 'optional-dependencies', name], items, isDevName(name) ? 'development' : 'optional', `extra ${name}`);
  }
  const groups = data['dependency-groups'];
  if (isTable(groups)) for (const [name, items] of Object.entries(groups)) pep508Array(out, file, loc, ['dependency-groups', name], items, groupScope(name), `group ${name}`);
  const poetry = isTable(tool.poetry) ? tool.poetry : undefined;
  if (poetry) {
    keyedTable(out, file, loc, ['tool', 'poetry', 'dependencies'], poetry.dependencies, 'production', 'tool.poetry.dependencies', 'poetry');
    keyedTable(out, file, loc, ['tool', 'poetry', 'dev-dependencies'], poetry['dev-dependencies'], 'development', 'tool.poetry.dev-dependencies', 'poetry');
    if (isTable(poetry.group)) {
      for (const [name, g] of Object.entries(poetry.group)) {
        if (!isTable(g)) continue;
        // a group other than development or production ones may or may not be installed
        keyedTable(out, file, loc, ['tool', 'poetry', 'group', name, 'dependencies'], g.dependencies, groupScope(name), `group ${name}`, 'poetry');
      }
    }
  }
  const uv = isTable(tool.uv) ? tool.uv : undefined;
  if (uv) pep508Array(out, file, loc, ['tool', 'uv', 'dev-dependencies'], uv['dev-dependencies'], 'development', 'tool.uv.dev-dependencies');
  const pdm = isTable(tool.pdm) ? tool.pdm : undefined;
  if (pdm && isTable(pdm['dev-dependencies'])) {
    for (const [name, items] of Object.entries(pdm['dev-dependencies'])) pep508Array(out, file, loc, ['tool', 'pdm', 'dev-dependencies', name], items, 'development', `pdm dev ${name}`);
  }
  if (library) for (const r of out) if (r.scope === 'production') r.scope = 'optional';
  return { requirements: out, library: library || undefined };
}

/** Dependencies of a Pipfile: [packages] is production, [dev-packages] development. */
export function parsePipfile(file: string, text: string): ManifestParse {
  let data: Table;
  try {
    data = parseToml(text) as Table;
  } catch {
    return { requirements: [], invalid: true };
  }
  const out: Requirement[] = [];
  const loc = new Locator(text);
  for (const [section, v] of Object.entries(data)) {
    if (section === 'source' || section === 'requires' || section === 'scripts' || section === 'pipenv' || !isTable(v)) continue;
    const scope: RequirementScope = section === 'packages' ? 'production' : section === 'dev-packages' || isDevName(section) ? 'development' : 'optional';
    keyedTable(out, file, loc, [section], v, scope, section, 'pipfile');
  }
  return { requirements: out };
}

export type LockKind = 'poetry.lock' | 'uv.lock' | 'pdm.lock' | 'Pipfile.lock';

export const LOCK_FILES: readonly LockKind[] = ['poetry.lock', 'uv.lock', 'pdm.lock', 'Pipfile.lock'];

export interface LockFile {
  path: string;
  kind: LockKind;
  /** Normalised name -> installed version. */
  versions: Map<string, string>;
  /** The file could not be read. */
  invalid?: boolean;
}

/**
 * The versions a lock file installs. poetry.lock, uv.lock and pdm.lock are TOML arrays of
 * `[[package]]` tables that their tools write with `name` and `version` first: each table's
 * leading `key = "string"` lines are parsed with smol-toml (the rest of the table, hashes and
 * file lists, is skipped). Pipfile.lock is JSON.
 */
export function parseLock(path: string, kind: LockKind, text: string): LockFile {
  const versions = new Map<string, string>();
  if (kind === 'Pipfile.lock') {
    try {
      const data = JSON.parse(text) as Record<string, unknown>;
      for (const section of ['default', 'develop']) {
        const s = data[section];
        if (!isTable(s)) continue;
        for (const [name, v] of Object.entries(s)) {
          if (!isTable(v) || typeof v.version !== 'string') continue;
          const clauses = clausesOf(v.version);
          const pin = exactPin(clauses);
          if (pin && !versions.has(normaliseName(name))) versions.set(normaliseName(name), pin);
        }
      }
    } catch {
      return { path, kind, versions, invalid: true };
    }
    return { path, kind, versions };
  }
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '[[package]]') continue;
    const head: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j];
      // the leading one-line `key = "value"` entries of the table
      if (!/^[A-Za-z0-9_-]+\s*=\s*["']/.test(l) || !/["']\s*$/.test(l.replace(/\s+#.*$/, ''))) break;
      head.push(l);
    }
    try {
      const t = parseToml(head.join('\n')) as Table;
      if (typeof t.name === 'string' && typeof t.version === 'string') {
        const n = normaliseName(t.name);
        if (!versions.has(n)) versions.set(n, t.version);
      }
    } catch {
      // a table this reader does not understand: its package stays unknown
    }
  }
  return { path, kind, versions };
}

/** The pyproject/Pipfile a lock file belongs to. */
export function lockManifest(kind: LockKind): 'pyproject.toml' | 'Pipfile' {
  return kind === 'Pipfile.lock' ? 'Pipfile' : 'pyproject.toml';
}
