/**
 * What a project installs, read as pip, Poetry, uv and Pipenv read it: every requirements file
 * (`requirements.txt`, `requirements/*.txt`, `requirements-*.txt`) with its `-r` / `-c` includes
 * followed, pyproject.toml (PEP 621, PEP 735 groups, Poetry), Pipfile, and the lock file beside
 * a manifest for the version actually installed.
 *
 * Which requirements file is production, in order:
 *  1. a file a (non-development) Dockerfile installs (`pip install -r <file>`, ARG/ENV defaults
 *     expanded), and everything it includes with `-r`;
 *  2. a file named like production (`production.txt`, `prod.txt`, `requirements-prod.txt`,
 *     `deploy.txt`...), and everything it includes;
 *  3. when neither exists: `requirements.txt` (what pip users, Heroku and other builders install
 *     by convention), and everything it includes.
 * Files named like development (`local.txt`, `dev.txt`, `requirements-test.txt`, `docs/...`)
 * and files only they include are development; pip-tools `.in` sources are inputs (their
 * compiled `.txt` is what is installed); files only included with `-c` are constraints; any other
 * file is "optional" (something may install it). Rules that look for something missing (a WSGI
 * server) accept it in any non-development file; rules that look for something present (a test
 * tool in production) only look at production.
 */
import * as path from 'node:path';
import { parseDockerfile, variablesAt, expand, splitWords } from './dockerfile';
import { isDevDeploymentFile } from './helpers';
import { isDevName, isProdName, LOCK_FILES, lockManifest, parseLock, parsePipfile, parsePyproject, type LockFile, type LockKind } from './manifests';
import { newestSatisfying, releaseMajorMinor } from './pep508';
import type { ProjectFile } from './project';
import { parseRequirements, type ParsedRequirementsFile, type Requirement, type RequirementInclude, type RequirementProblem, type RequirementScope } from './requirements';

export type DependencyFileRole = 'production' | 'development' | 'optional' | 'input' | 'constraints';

export interface DependencyFile {
  path: string;
  format: 'requirements' | 'pyproject' | 'pipfile';
  role: DependencyFileRole;
  /** Why it has that role, for messages and the CLI. */
  reason: string;
  /** For pyproject.toml / Pipfile: the lock file beside it. */
  lock?: LockFile;
  /** A reusable Django package's pyproject.toml (a `Framework :: Django` classifier). */
  library?: boolean;
}

export interface DependencyModel {
  files: DependencyFile[];
  /** Every requirement of every file, each with its scope. */
  requirements: Requirement[];
  problems: RequirementProblem[];
  locks: LockFile[];
  /** `pip install -r` lines of Dockerfiles that name a requirements file of the project. */
  installs: { file: string; line: number; target: string; resolved: string[] }[];
  /** Dockerfiles that install a development requirements file: development images. */
  devImages: Set<string>;
}

/** The requirements of production and optional scope (what may be installed in production). */
export function mayInstall(r: Requirement): boolean {
  return r.scope === 'production' || r.scope === 'optional';
}

export interface DependencyInput {
  files: readonly ProjectFile[];
  /** The Django project's folder. */
  root: string;
  /** The analysed folder: includes are not followed outside it. */
  boundary: string;
  read(file: string): string | undefined;
  exists(file: string): boolean;
  /** Parsed files, kept between runs by the analyzer (keyed by path, checked by text). */
  cache?: Map<string, { text: string; value: unknown }>;
}

const MAX_INCLUDE_DEPTH = 16;
const MAX_INCLUDED_FILES = 500;

function cached<T>(input: DependencyInput, key: string, text: string, make: () => T): T {
  const c = input.cache?.get(key);
  if (c && c.text === text) return c.value as T;
  const value = make();
  input.cache?.set(key, { text, value });
  return value;
}

/** Words of a requirements file's name and folder (`requirements/production.txt` -> production). */
function nameWords(file: string): { dev: boolean; prod: boolean } {
  const base = path.basename(file).toLowerCase().replace(/\.(txt|in|pip)$/, '');
  const dir = path.basename(path.dirname(file)).toLowerCase();
  const baseWords = base === 'requirements' ? '' : base;
  // the folder counts unless it is the usual requirements/ folder
  const dirWords = /^req(uirement)?s?$/.test(dir) ? '' : dir;
  const text = `${baseWords} ${dirWords}`;
  return { dev: isDevName(text), prod: isProdName(baseWords) };
}

/** Does `child` lie inside `parent` (or equal it)? */
function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** `pip install -r X` / `uv pip install -r X` / `pip-sync X` / `pip wheel -r X` targets of a RUN command. */
function pipRequirementTargets(cmd: string): { target: string; kind: 'requirement' | 'constraint' }[] {
  const out: { target: string; kind: 'requirement' | 'constraint' }[] = [];
  for (const part of cmd.split(/&&|\|\||;|\|/)) {
    const words = splitWords(part.trim()).map((w) => w.replace(/^["']|["']$/g, ''));
    const pipAt = words.findIndex((w, i) => (/(^|\/)pip3?(\.\d+)?$/.test(w) && (words[i + 1] === 'install' || words[i + 1] === 'wheel' || words[i + 1] === 'download')) || /(^|\/)pip-sync$/.test(w));
    if (pipAt < 0) continue;
    if (/(^|\/)pip-sync$/.test(words[pipAt])) {
      for (const w of words.slice(pipAt + 1)) if (!w.startsWith('-')) out.push({ target: w, kind: 'requirement' });
      continue;
    }
    for (let i = pipAt + 2; i < words.length; i++) {
      const w = words[i];
      const m = /^(-r|--requirement|-c|--constraint)(?:=(.+))?$/.exec(w) ?? /^(-r|-c)(.+)$/.exec(w);
      if (!m) continue;
      const target = m[2] ?? words[++i];
      if (target) out.push({ target, kind: m[1] === '-c' || m[1] === '--constraint' ? 'constraint' : 'requirement' });
    }
  }
  return out;
}

/** Project files matching a path written in a Dockerfile (image paths: matched by their longest common suffix). */
function resolveImagePath(target: string, candidates: readonly string[]): string[] {
  const parts = target.replace(/\\/g, '/').split('/').filter((p) => p && p !== '.');
  if (parts.length === 0) return [];
  let best: string[] = [];
  let bestLen = 0;
  for (const c of candidates) {
    const cp = c.split(/[\\/]/);
    let n = 0;
    while (n < parts.length && n < cp.length && parts[parts.length - 1 - n] === cp[cp.length - 1 - n]) n++;
    if (n === 0) continue;
    if (n > bestLen) {
      best = [c];
      bestLen = n;
    } else if (n === bestLen) best.push(c);
  }
  return best;
}

export function loadDependencies(input: DependencyInput): DependencyModel {
  const problems: RequirementProblem[] = [];
  const parsed = new Map<string, ParsedRequirementsFile>();
  const edges: { from: string; to: string; inc: RequirementInclude }[] = [];

  // 1. requirements files, and what they include (relative to the including file, bounded)
  const parseFile = (file: string): ParsedRequirementsFile | undefined => {
    if (parsed.has(file)) return parsed.get(file);
    const text = input.read(file);
    if (text === undefined) return undefined;
    const p = cached(input, file, text, () => parseRequirements(file, text));
    parsed.set(file, p);
    return p;
  };
  const queue: { file: string; depth: number }[] = input.files.filter((f) => f.kind === 'requirements').map((f) => ({ file: f.path, depth: 0 }));
  const declared = new Set(queue.map((q) => q.file));
  while (queue.length > 0) {
    const { file, depth } = queue.shift()!;
    const p = parseFile(file);
    if (!p) continue;
    for (const inc of p.includes) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(inc.target) || inc.target.includes('${') || inc.target.includes('$')) continue; // a URL or an environment variable
      const to = path.resolve(path.dirname(file), inc.target);
      edges.push({ from: file, to, inc });
      if (parsed.has(to) || declared.has(to)) continue;
      if (!inside(to, input.boundary) || depth + 1 > MAX_INCLUDE_DEPTH || parsed.size >= MAX_INCLUDED_FILES) continue;
      if (!input.exists(to)) {
        problems.push({ file, line: inc.line, start: inc.start, end: inc.end, raw: `${inc.kind === 'constraint' ? '-c' : '-r'} ${inc.target}`, kind: 'missing-include', target: inc.target });
        continue;
      }
      declared.add(to);
      queue.push({ file: to, depth: depth + 1 });
    }
  }
  const reqFiles = [...parsed.keys()];

  // 2. what Dockerfiles install
  const installs: DependencyModel['installs'] = [];
  const entries = new Map<string, string>();
  const devImages = new Set<string>();
  for (const f of input.files) {
    if (f.kind !== 'dockerfile' || isDevDeploymentFile(f.path, input.root)) continue;
    const text = input.read(f.path);
    if (text === undefined) continue;
    const df = parseDockerfile(text);
    df.instructions.forEach((ins, idx) => {
      // a stage named for development or tests (`FROM release AS development`) is not production
      if (ins.keyword !== 'RUN' || (ins.stageName && isDevName(ins.stageName))) return;
      const vars = variablesAt(df, idx);
      for (const t of pipRequirementTargets(ins.args)) {
        if (t.kind !== 'requirement') continue;
        const target = expand(t.target, vars);
        if (target.includes('$')) continue;
        let resolved = resolveImagePath(target, reqFiles);
        // several files end the same way (requirements.txt, docs/requirements.txt, api_tests/
        // requirements.txt): the one at that path from the Dockerfile's folder (its usual build
        // context) or the project root is the one the image installs
        if (resolved.length > 1) {
          const at = new Set([path.resolve(path.dirname(f.path), target), path.resolve(input.root, target)]);
          const exact = resolved.filter((r) => at.has(r));
          if (exact.length === 1) resolved = exact;
        }
        installs.push({ file: f.path, line: ins.line, target, resolved });
        // an image that installs a development requirements file is a development image (when the
        // path is ambiguous, requirements.txt matching docs/requirements.txt too, all must be)
        if (resolved.length > 0 && resolved.every((r) => nameWords(r).dev)) devImages.add(f.path);
      }
    });
  }
  for (const i of installs) {
    if (devImages.has(i.file)) continue;
    for (const r of i.resolved) if (!entries.has(r)) entries.set(r, `installed by ${path.basename(i.file)} (line ${i.line + 1})`);
  }

  // 3. roles of requirements files
  const role = new Map<string, { role: DependencyFileRole; reason: string }>();
  const set = (file: string, r: DependencyFileRole, reason: string) => {
    if (!role.has(file)) role.set(file, { role: r, reason });
  };
  for (const [file, reason] of entries) set(file, 'production', reason);
  for (const file of reqFiles) {
    const w = nameWords(file);
    if (w.dev) set(file, 'development', 'named like a development file');
    else if (file.toLowerCase().endsWith('.in')) set(file, 'input', 'a pip-tools source (the compiled file is what is installed)');
    else if (w.prod) set(file, 'production', 'named like production');
  }
  const closure = (from: string[], r: DependencyFileRole, why: (src: string) => string) => {
    const stack = [...from];
    while (stack.length > 0) {
      const f = stack.pop()!;
      for (const e of edges) {
        if (e.from !== f || e.inc.kind !== 'requirement' || !parsed.has(e.to)) continue;
        const cur = role.get(e.to);
        // production wins over every other role (pip installs what production includes); other roles only fill gaps
        if (cur && (r !== 'production' || cur.role === 'production')) continue;
        role.set(e.to, { role: r, reason: why(f) });
        stack.push(e.to);
      }
    }
  };
  const isRole = (r: DependencyFileRole) => reqFiles.filter((f) => role.get(f)?.role === r);
  closure(isRole('production'), 'production', (src) => `included by ${path.basename(src)}`);
  if (isRole('production').length === 0) {
    const conventional = reqFiles.filter((f) => path.basename(f) === 'requirements.txt' && !role.has(f));
    for (const f of conventional) set(f, 'production', 'requirements.txt, the file pip users and builders install by convention');
    closure(conventional, 'production', (src) => `included by ${path.basename(src)}`);
  }
  closure(isRole('development'), 'development', (src) => `included only by ${path.basename(src)}`);
  for (const e of edges) if (e.inc.kind === 'constraint' && parsed.has(e.to)) set(e.to, 'constraints', `a constraints file (-c in ${path.basename(e.from)})`);
  for (const f of reqFiles) set(f, 'optional', 'not installed by any file the analysis can see');

  const files: DependencyFile[] = [];
  const requirements: Requirement[] = [];
  const scopeOf: Record<DependencyFileRole, RequirementScope> = { production: 'production', development: 'development', optional: 'optional', input: 'input', constraints: 'constraint' };
  for (const f of reqFiles) {
    const r = role.get(f)!;
    files.push({ path: f, format: 'requirements', role: r.role, reason: r.reason });
    const p = parsed.get(f)!;
    for (const q of p.requirements) requirements.push({ ...q, scope: scopeOf[r.role] });
    problems.push(...p.problems);
  }
  applyConstraints(requirements, parsed, edges);

  // 4. pyproject.toml and Pipfile: the nearest one at or above the Django project's folder
  const locks: LockFile[] = [];
  const nearest = (kind: 'pyproject' | 'pipfile') =>
    input.files
      .filter((f) => f.kind === kind && inside(input.root, path.dirname(f.path)))
      .sort((a, b) => b.path.length - a.path.length)[0];
  for (const kind of ['pyproject', 'pipfile'] as const) {
    const f = nearest(kind);
    if (!f) continue;
    const text = input.read(f.path);
    if (text === undefined) continue;
    const parsedManifest = cached(input, f.path, text, () => (kind === 'pyproject' ? parsePyproject(f.path, text) : parsePipfile(f.path, text)));
    if (parsedManifest.requirements.length === 0) continue;
    const lock = findLock(input, path.dirname(f.path), kind === 'pyproject' ? 'pyproject.toml' : 'Pipfile');
    if (lock) locks.push(lock);
    const reason = parsedManifest.library ? 'a reusable Django package (Framework :: Django classifier): its dependencies are ranges for the projects that install it' : kind === 'pyproject' ? 'the project’s pyproject.toml' : 'the project’s Pipfile';
    files.push({ path: f.path, format: kind, role: parsedManifest.library ? 'optional' : 'production', reason, lock, library: parsedManifest.library });
    for (const q of parsedManifest.requirements) {
      const v = lock?.versions.get(q.name);
      requirements.push({ ...q, locked: v ? { version: v, lockFile: lock!.path } : undefined });
    }
  }
  return { files, requirements, problems, locks, installs, devImages };
}

/** The lock file of a manifest, read and parsed (cached). */
function findLock(input: DependencyInput, dir: string, manifest: 'pyproject.toml' | 'Pipfile'): LockFile | undefined {
  for (const kind of LOCK_FILES) {
    if (lockManifest(kind as LockKind) !== manifest) continue;
    const p = path.join(dir, kind);
    const f = input.files.find((x) => x.path === p);
    if (!f && !input.exists(p)) continue;
    const text = input.read(p);
    if (text === undefined) continue;
    return cached(input, p, text, () => parseLock(p, kind as LockKind, text));
  }
  return undefined;
}

/**
 * pip applies the constraints of one install to every requirement of it: a requirement read
 * through `pip install -r X` is pinned by a `-c` file that X (or a file it includes) names.
 */
function applyConstraints(requirements: Requirement[], parsed: Map<string, ParsedRequirementsFile>, edges: { from: string; to: string; inc: RequirementInclude }[]): void {
  if (!edges.some((e) => e.inc.kind === 'constraint')) return;
  const includedBy = new Set(edges.filter((e) => e.inc.kind === 'requirement').map((e) => e.to));
  const roots = [...parsed.keys()].filter((f) => !includedBy.has(f));
  for (const root of roots) {
    const members = new Set<string>([root]);
    const stack = [root];
    while (stack.length > 0) {
      const f = stack.pop()!;
      for (const e of edges) {
        if (e.from !== f || e.inc.kind !== 'requirement' || !parsed.has(e.to) || members.has(e.to)) continue;
        members.add(e.to);
        stack.push(e.to);
      }
    }
    const pins = new Map<string, { version: string; file: string; line: number }>();
    for (const e of edges) {
      if (e.inc.kind !== 'constraint' || !members.has(e.from)) continue;
      for (const c of parsed.get(e.to)?.requirements ?? []) if (c.pinned && !pins.has(c.name)) pins.set(c.name, { version: c.pinned, file: c.file, line: c.line });
    }
    if (pins.size === 0) continue;
    for (const r of requirements) if (members.has(r.file) && !r.pinned && !r.constrained && pins.has(r.name)) r.constrained = pins.get(r.name);
  }
}

/**
 * Django feature releases and their last patch level (40 for series still patched, as a bound),
 * so that a range gives the newest release pip would pick.
 */
const DJANGO_SERIES: readonly [string, number][] = [
  ['1.8', 19], ['1.9', 13], ['1.10', 8], ['1.11', 29], ['2.0', 13], ['2.1', 15], ['2.2', 28], ['3.0', 14], ['3.1', 14], ['3.2', 25],
  ['4.0', 10], ['4.1', 13], ['4.2', 40], ['5.0', 14], ['5.1', 40], ['5.2', 40], ['6.0', 40],
];
let djangoReleases: string[] | undefined;
function knownDjangoReleases(): string[] {
  djangoReleases ??= DJANGO_SERIES.flatMap(([minor, last]) => Array.from({ length: last + 1 }, (_, n) => (n === 0 ? minor : `${minor}.${n}`)));
  return djangoReleases;
}

export interface InstalledVersion {
  /** [major, minor] of the release that is (or would be) installed. */
  version: [number, number];
  /** Exact version, when a lock or a pin says it. */
  exact?: string;
  /** lock: from a lock file; pin: `==`; constraint: a `-c` file; range: the newest release the range admits. */
  source: 'lock' | 'pin' | 'constraint' | 'range';
}

/**
 * The Django version a requirement installs: the lock file's, the pin, a constraints file's
 * pin, else the newest known release its range admits. Undefined for a URL requirement or a
 * range no known release satisfies. A bare `django` gives the newest release, as pip would.
 */
export function installedVersion(r: Requirement): InstalledVersion | undefined {
  const fromExact = (v: string, source: InstalledVersion['source']): InstalledVersion | undefined => {
    const mm = releaseMajorMinor(v);
    return mm ? { version: mm, exact: v, source } : undefined;
  };
  if (r.locked) return fromExact(r.locked.version, 'lock');
  if (r.pinned) return fromExact(r.pinned, 'pin');
  if (r.constrained) return fromExact(r.constrained.version, 'constraint');
  if (r.direct || r.spec === '@') return undefined;
  const v = newestSatisfying(knownDjangoReleases(), r.spec);
  const mm = releaseMajorMinor(v);
  return mm ? { version: mm, source: 'range' } : undefined;
}
