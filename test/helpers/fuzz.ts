/**
 * The engine fuzzer, shared by test/unit/fuzz.test.ts (small budget, part of `npm test`) and
 * scripts/fuzz.ts (`npm run fuzz -- --iterations N --seed S`).
 *
 * Every case is an example project (test/fixtures/projects/*) in an in-memory file system with
 * one file (mostly a settings module; also other Python files, requirements, Dockerfiles...)
 * replaced by a mutant of itself: truncated, with random insertions and
 * deletions, unbalanced brackets and quotes, tabs and odd indentation, invalid UTF-8 (decoded
 * the way the engine decodes files from disk), NUL bytes, other line breaks; plus fixed cases
 * (a 5 MB file, expressions nested 10,000 deep). Each case is analysed by the project's
 * long-lived Analyzer (parse cache reused, as in the language server) and checked:
 *
 *  - the engine does not throw and no rule fails (no `rule-failed` note);
 *  - the parse cache's module of the mutated file equals a fresh parse of the same text;
 *  - every range it reports (findings, fix edits, notes) lies inside its file;
 *  - the time of the analysis (the other files of the project are cached) is recorded.
 *
 * File-system mutations (runFsFuzz): links to devices, outside the project, to nothing or in a
 * loop, FIFOs, sockets, folders where files are expected, files above the size cap; the built
 * CLI checks and fixes each project in a child process: no crash, no hang, nothing written
 * outside the project.
 *
 * Incremental sequences apply several small edits one after the other to one file through the
 * same Analyzer (the parse cache's statement splicing and incremental re-parse) and compare the
 * result of each step with a fresh Analyzer's: they must be identical.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../../rules/index.generated';
import { Analyzer, decodeText, MemoryFileSystem, parseOnce, type AnalysisResult, type Config, type Range, type Rule } from '../../server/src/engine';
import { config as testConfig, fixturesRoot } from './fixtures';

// ------------------------------------------------------------------ deterministic randomness

/** mulberry32: a small, fast, seedable PRNG (same sequence on every platform). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ------------------------------------------------------------------ mutations

const SNIPPETS = [
  '(', ')', '[', ']', '{', '}', "'", '"', "'''", '"""', 'f"', "b'", 'r"', '\\', ':', ',', '=', '==', '+=', '*', '**', '.', '...', '#', '@',
  '\t', '\n', '\r', '\r\n', '\f', '\v', ' ', '    ', '\u00a0', '\u2028', '\ufeff', '\u0000', '\ud800', '\udfff', '😀', 'é',
  'if DEBUG:\n', 'else:\n', 'elif x:\n', 'try:\n', 'except:\n', 'def f(', 'class C:', 'lambda: ', 'import os\n', 'from .base import *\n',
  'os.environ', "os.environ['X']", "os.getenv('X', 'y')", "config('X', default=", 'env.bool(', 'timedelta(days=',
  'DEBUG = True\n', "SECRET_KEY = 'x'\n", 'ALLOWED_HOSTS = ["*"]\n', 'INSTALLED_APPS += [', 'MIDDLEWARE = ', 'DATABASES = {',
  "REST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': ", 'SIMPLE_JWT = {', 'del DEBUG\n', 'global X\n', 'X: int = 1\n', 'a, *b = c\n',
  'await ', 'yield ', 'async ', 'match x:\n    case 1:\n', '# noqa: DJR101', '# django-readiness: ignore', '\\\n',
];

const OPEN = ['(', '[', '{'];
const CLOSE = [')', ']', '}'];
const QUOTES = ["'", '"', "'''", '"""', "f'", 'b"'];

export type MutationName =
  | 'truncate'
  | 'insert'
  | 'delete'
  | 'bracket'
  | 'quote'
  | 'indent'
  | 'tabs'
  | 'utf8'
  | 'nul'
  | 'eol'
  | 'duplicate'
  | 'swap';

export const MUTATIONS: readonly MutationName[] = ['truncate', 'insert', 'delete', 'bracket', 'quote', 'indent', 'tabs', 'utf8', 'nul', 'eol', 'duplicate', 'swap'];

function randomChars(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.6) s += String.fromCharCode(32 + rng.int(95));
    else if (r < 0.8) s += rng.pick(['\n', '\t', ' ', '\r\n']);
    else s += String.fromCharCode(rng.int(0x10000));
  }
  return s;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

/** Applies one named mutation at a random place. */
export function mutateOnce(rng: Rng, text: string, op: MutationName): string {
  const at = rng.int(text.length + 1);
  switch (op) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + (rng.chance(0.6) ? rng.pick(SNIPPETS) : randomChars(rng, 1 + rng.int(12))) + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + rng.int(rng.chance(0.2) ? 400 : 20)));
    case 'bracket':
      return text.slice(0, at) + (rng.chance(0.5) ? rng.pick(OPEN) : rng.pick(CLOSE)).repeat(1 + rng.int(3)) + text.slice(at);
    case 'quote':
      return text.slice(0, at) + rng.pick(QUOTES) + text.slice(at);
    case 'indent': {
      const starts = lineStarts(text);
      const s = rng.pick(starts);
      return text.slice(0, s) + rng.pick([' ', '  ', '   ', '\t', ' \t', '\t ', '        ', '\f']) + text.slice(s);
    }
    case 'tabs':
      return text.replace(/^( {4})+/gm, (m) => (rng.chance(0.5) ? '\t'.repeat(m.length / 4) : m.replace(/ {4}/, '\t')));
    case 'utf8': {
      // bytes that are not UTF-8, decoded as the engine decodes a file read from disk
      const buf = Buffer.from(text, 'utf8');
      const pos = rng.int(buf.length + 1);
      const bad = Buffer.from(rng.pick([[0xff], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfe, 0xfe]]));
      return decodeText(Buffer.concat([buf.subarray(0, pos), bad, buf.subarray(pos)]));
    }
    case 'nul':
      return text.slice(0, at) + '\u0000'.repeat(1 + rng.int(3)) + text.slice(at);
    case 'eol': {
      const eol = rng.pick(['\r\n', '\r', '\n\r', '\u2028', '\u0085']);
      return rng.chance(0.5) ? text.replace(/\n/g, eol) : text.slice(0, at) + text.slice(at).replace('\n', eol);
    }
    case 'duplicate': {
      const starts = lineStarts(text);
      const a = rng.int(starts.length);
      const b = Math.min(starts.length - 1, a + 1 + rng.int(6));
      const chunk = text.slice(starts[a], b < starts.length ? starts[b] : text.length);
      const where = rng.pick(starts);
      return text.slice(0, where) + chunk + text.slice(where);
    }
    case 'swap': {
      const lines = text.split('\n');
      if (lines.length < 2) return text;
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
  }
}

/** 1 to 4 random mutations. */
export function mutate(rng: Rng, text: string): { text: string; ops: MutationName[] } {
  const ops: MutationName[] = [];
  let out = text;
  const n = 1 + rng.int(rng.chance(0.7) ? 2 : 4);
  for (let i = 0; i < n; i++) {
    const op = rng.pick(MUTATIONS);
    ops.push(op);
    out = mutateOnce(rng, out, op);
  }
  return { text: out, ops };
}

/** The fixed cases: huge files and deeply nested expressions (10,000 levels). */
export function specialTexts(): { name: string; text: string }[] {
  const N = 10_000;
  const settingsLine = "DEBUG = True\nSECRET_KEY = 'django-insecure-special-case-0123456789'\n";
  const big = (bytes: number) => {
    const unit = "X_SETTING = {'a': [1, 2, 3], 'b': 'text'}  # filler\n";
    return settingsLine + unit.repeat(Math.ceil(bytes / unit.length));
  };
  return [
    { name: '5 MB file', text: big(5 * 1024 * 1024) },
    { name: '5 MB file of NUL bytes', text: '\u0000'.repeat(5 * 1024 * 1024) },
    { name: 'NUL bytes after the first 8 KB', text: big(16 * 1024) + '\u0000\u0000\n' + settingsLine },
    { name: 'binary (NUL at the start)', text: '\u0000\u0001\u0002PK\u0003\u0004' + settingsLine },
    { name: 'nested parentheses', text: `${settingsLine}X = ${'('.repeat(N)}1${')'.repeat(N)}\n` },
    { name: 'nested lists', text: `${settingsLine}ALLOWED_HOSTS = ${'['.repeat(N)}'*'${']'.repeat(N)}\n` },
    { name: 'nested dicts', text: `${settingsLine}REST_FRAMEWORK = ${"{'a': ".repeat(N)}1${'}'.repeat(N)}\n` },
    { name: 'nested calls', text: `${settingsLine}SECRET_KEY = ${"os.environ.get('K', ".repeat(N)}'x'${')'.repeat(N)}\n` },
    { name: 'long + chain', text: `${settingsLine}SECRET_KEY = ${Array(N).fill("'ab'").join(' + ')}\n` },
    { name: 'long * chain', text: `${settingsLine}SECURE_HSTS_SECONDS = ${Array(N).fill('2').join(' * ')}\n` },
    { name: 'nested not', text: `${settingsLine}DEBUG = ${'not '.repeat(N)}True\n` },
    { name: 'nested unary minus', text: `${settingsLine}X = ${'-'.repeat(N)}1\n` },
    { name: 'nested conditional expressions', text: `${settingsLine}DEBUG = ${'True if DEBUG else '.repeat(N)}False\n` },
    { name: 'nested lambdas', text: `${settingsLine}X = ${'lambda: '.repeat(N)}1\n` },
    { name: 'long attribute chain', text: `${settingsLine}X = a${'.b'.repeat(N)}\n` },
    { name: 'long subscript chain', text: `${settingsLine}X = a${'[0]'.repeat(N)}\n` },
    { name: 'unclosed brackets 10,000 deep', text: `${settingsLine}X = ${'(['.repeat(N)}\nDEBUG = False\n` },
    { name: 'nested if blocks', text: settingsLine + Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}if DEBUG:\n`).join('') + `${' '.repeat(500)}DEBUG = True\n` },
    { name: '10,000 augmented assignments', text: `${settingsLine}INSTALLED_APPS = []\n${"INSTALLED_APPS += ['a']\n".repeat(N)}` },
    { name: 'one 1 MB line', text: `${settingsLine}X = '${'a'.repeat(1024 * 1024)}'\n` },
    { name: 'lone surrogates', text: `${settingsLine}X = '\ud800\udc00\ud800'\nY = '\udfff'\n` },
  ];
}

// ------------------------------------------------------------------ projects

export interface FuzzProject {
  name: string;
  root: string;
  files: Map<string, string>;
  /** The files that get mutated (settings modules twice, for weight). */
  targets: string[];
}

/** The example projects, each with the files to mutate (settings modules weighted double). */
export function loadProjects(mount = '/fuzz'): FuzzProject[] {
  const dir = path.join(fixturesRoot, 'projects');
  const out: FuzzProject[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const src = path.join(dir, name);
    if (!fs.statSync(src).isDirectory()) continue;
    const root = path.join(mount, name);
    const files = new Map<string, string>();
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.set(path.join(root, path.relative(src, p)), fs.readFileSync(p, 'utf8'));
      }
    };
    walk(src);
    const py = [...files.keys()].filter((p) => p.endsWith('.py'));
    const settings = py.filter((p) => /settings/.test(p));
    const others = py.filter((p) => !settings.includes(p) && (files.get(p) ?? '').length > 0);
    // requirements, Dockerfile, Procfile, pyproject.toml: read by the project rules
    const projectFiles = [...files.keys()].filter((p) => !p.endsWith('.py'));
    out.push({ name, root, files, targets: [...settings, ...settings, ...others, ...projectFiles] });
  }
  return out;
}

// ------------------------------------------------------------------ checks

/** Line lengths of a text with LSP's line breaks (\n, \r\n, \r). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

/** Why `r` is not a range inside `text`, or undefined when it is. */
export function rangeProblem(text: string | undefined, r: Range): string | undefined {
  if (text === undefined) return 'the file does not exist';
  const lens = lineLengths(text);
  const bad = (p: Range['start']) =>
    !Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0 || p.line >= lens.length || p.character > lens[p.line];
  if (bad(r.start)) return `start ${r.start.line}:${r.start.character} outside (${lens.length} lines)`;
  if (bad(r.end)) return `end ${r.end.line}:${r.end.character} outside (${lens.length} lines)`;
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return 'start after end';
  return undefined;
}

/** A problem with the offsets of an edit in `text`, if any. */
export function offsetProblem(text: string | undefined, start: number, end: number): string | undefined {
  if (text === undefined) return 'the file does not exist';
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length) return `[${start}, ${end}) outside a text of ${text.length} characters`;
  if (start > end) return 'start after end';
  // never between the two halves of a surrogate pair or of a CR LF
  const splits = (o: number) => o > 0 && o < text.length && ((/[\uD800-\uDBFF]/.test(text[o - 1]) && /[\uDC00-\uDFFF]/.test(text[o])) || (text[o - 1] === '\r' && text[o] === '\n'));
  if (splits(start) || splits(end)) return `[${start}, ${end}) splits a character or a line break`;
  return undefined;
}

/** Every property violation of one result (empty when the result is fine). */
export function resultProblems(result: AnalysisResult, read: (file: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const n of result.notes) {
    if (n.kind === 'rule-failed') problems.push(`rule failed: ${n.message}`);
    if (n.range) {
      const p = rangeProblem(read(n.file), n.range);
      if (p) problems.push(`note ${n.kind} in ${n.file}: ${p}`);
    }
  }
  for (const f of result.findings) {
    const p = rangeProblem(read(f.file), f.range);
    if (p) problems.push(`${f.code} in ${f.file}: ${p}`);
    for (const fix of f.fixes) {
      for (const e of fix.edits) {
        const current = read(e.file);
        if (e.create && current === undefined) {
          if (e.start !== 0 || e.end !== 0) problems.push(`${f.code} fix creates ${e.file} at offsets other than 0`);
          continue;
        }
        const q = offsetProblem(current, e.start, e.end);
        if (q) problems.push(`${f.code} fix edit in ${e.file}: ${q}`);
      }
    }
  }
  return problems;
}

/**
 * A comparable summary of a result (findings with ranges, fixes and messages; notes). Text
 * written to .env files is compared by length only: a rotation fix generates a new random key.
 */
export function signature(result: AnalysisResult): string[] {
  const r = (x: Range) => `${x.start.line}:${x.start.character}-${x.end.line}:${x.end.character}`;
  const edits = (f: AnalysisResult['findings'][number]) =>
    JSON.stringify(f.fixes.map((x) => [x.id, x.title, x.applicability, x.edits.map((e) => [e.file, e.start, e.end, e.create, path.basename(e.file).startsWith('.env') ? e.newText.length : e.newText])]));
  return [
    ...result.findings.map((f) => `${f.code} ${f.file} ${r(f.range)} ${f.severity} ${f.message} fixes=${edits(f)}`),
    ...result.notes.map((n) => `note ${n.kind} ${n.file} ${n.range ? r(n.range) : ''} ${n.message}`).sort(),
  ];
}

// ------------------------------------------------------------------ the run

export interface FuzzCaseReport {
  name: string;
  file: string;
  ms: number;
  bytes: number;
  problems: string[];
}

export interface FuzzOptions {
  seed: number;
  /** Random mutants. */
  iterations: number;
  /** Incremental sequences (each: `steps` edits to one file, compared with a fresh analysis). */
  sequences: number;
  steps?: number;
  /** Include the fixed cases (huge files, deep nesting). Default true. */
  special?: boolean;
  rules?: Rule[];
  /** Called for every mutant that survived (no problem), e.g. to collect files for fix checks. */
  onSurvivor?: (c: { project: FuzzProject; file: string; text: string }) => void;
  /**
   * A mutant whose analysis took longer than this is timed twice more (from the same previous
   * state) and keeps its fastest time: a pause of the machine (GC, another process) is not the
   * input's cost, a slow input stays slow. Default: no re-timing.
   */
  retimeAboveMs?: number;
  /** Progress (the script prints it). */
  onProgress?: (done: number, total: number) => void;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  sequences: number;
  steps: number;
  /** The slowest analysis of a mutant of an example file (the huge/deep fixed cases excluded). */
  maxMs: number;
  maxCase: string;
  /** The slowest fixed case. */
  maxSpecialMs: number;
  maxSpecialCase: string;
  totalMs: number;
  /** Re-timings of slow mutants (see `retimeAboveMs`). */
  retimed: number;
  failures: FuzzCaseReport[];
  timings: FuzzCaseReport[];
}

export function fuzzConfig(): Config {
  return testConfig();
}

/**
 * Runs the fuzzer. Each project keeps one Analyzer over one MemoryFileSystem for the whole run
 * (as the language server keeps one per folder); a case writes its mutant, analyses, restores.
 */
export function runFuzz(opts: FuzzOptions): FuzzReport {
  const rng = new Rng(opts.seed);
  const projects = loadProjects();
  const config = fuzzConfig();
  const rules = opts.rules ?? allRules;
  const state = projects.map((p) => {
    const mem = new MemoryFileSystem();
    for (const [f, t] of p.files) mem.write(f, t);
    const analyzer = new Analyzer({ rules, fs: mem });
    analyzer.analyze(p.root, config); // warm the caches, as an open workspace would be
    return { p, mem, analyzer };
  });
  const report: FuzzReport = { seed: opts.seed, cases: 0, sequences: 0, steps: 0, maxMs: 0, maxCase: '', maxSpecialMs: 0, maxSpecialCase: '', totalMs: 0, retimed: 0, failures: [], timings: [] };
  const t0 = performance.now();
  const special = opts.special === false ? [] : specialTexts();
  const total = opts.iterations + opts.sequences + special.length;
  let done = 0;

  const runCase = (s: (typeof state)[number], file: string, text: string, name: string, isSpecial: boolean): FuzzCaseReport => {
    const original = s.mem.readFile(file);
    s.mem.write(file, text);
    const c: FuzzCaseReport = { name, file, ms: 0, bytes: text.length, problems: [] };
    try {
      const t = performance.now();
      const result = s.analyzer.analyze(s.p.root, config);
      c.ms = performance.now() - t;
      c.problems.push(...resultProblems(result, (f) => s.mem.readFile(f)));
      if (file.endsWith('.py')) {
        // the cached (incrementally re-parsed) module must equal a fresh parse of the same text
        const cached = s.analyzer.cache.parse(file, text);
        const fresh = parseOnce(file, text);
        const sig = (m: typeof cached) => JSON.stringify([m.stmts.map((x) => [x.start, x.end, x.ir]), m.syntaxErrors]);
        if (sig(cached) !== sig(fresh)) c.problems.push(`the parse cache's module differs from a fresh parse of the same text`);
        fresh.tree.delete();
      }
      for (let k = 0; k < 2 && opts.retimeAboveMs !== undefined && c.ms > opts.retimeAboveMs; k++) {
        if (original === undefined) s.mem.files.delete(file);
        else s.mem.write(file, original);
        s.analyzer.analyze(s.p.root, config);
        s.mem.write(file, text);
        const t2 = performance.now();
        s.analyzer.analyze(s.p.root, config);
        c.ms = Math.min(c.ms, performance.now() - t2);
        report.retimed++;
      }
    } catch (e) {
      c.problems.push(`threw: ${(e as Error)?.stack ?? String(e)}`);
    } finally {
      if (original === undefined) s.mem.files.delete(file);
      else s.mem.write(file, original);
    }
    report.cases++;
    report.timings.push(c);
    if (isSpecial) {
      if (c.ms > report.maxSpecialMs) [report.maxSpecialMs, report.maxSpecialCase] = [c.ms, `${name} (${file})`];
    } else if (c.ms > report.maxMs) [report.maxMs, report.maxCase] = [c.ms, `${name} (${file})`];
    if (c.problems.length > 0) report.failures.push(c);
    else if (!isSpecial) opts.onSurvivor?.({ project: s.p, file, text });
    return c;
  };

  for (const sp of special) {
    const s = state[done % state.length];
    runCase(s, s.p.targets[0], sp.text, `special: ${sp.name}`, true);
    opts.onProgress?.(++done, total);
  }

  for (let i = 0; i < opts.iterations; i++) {
    const s = rng.pick(state);
    const file = rng.pick(s.p.targets);
    const { text, ops } = mutate(rng, s.p.files.get(file) ?? '');
    runCase(s, file, text, `#${i} seed ${opts.seed} ${ops.join('+')}`, false);
    opts.onProgress?.(++done, total);
  }

  // Incremental sequences: small edits one after the other, the cached analyzer against a fresh one.
  const steps = opts.steps ?? 5;
  for (let q = 0; q < opts.sequences; q++) {
    const s = rng.pick(state);
    const file = rng.pick(s.p.targets);
    const original = s.p.files.get(file) ?? '';
    let text = original;
    const seqName = `sequence #${q} seed ${opts.seed}`;
    const problems: string[] = [];
    let worst = 0;
    try {
      for (let k = 0; k < steps; k++) {
        const op = rng.pick<MutationName>(['insert', 'insert', 'delete', 'bracket', 'quote', 'indent', 'duplicate', 'truncate']);
        text = op === 'truncate' && rng.chance(0.7) ? text : mutateOnce(rng, text, op);
        s.mem.write(file, text);
        const t = performance.now();
        const incremental = s.analyzer.analyze(s.p.root, config);
        worst = Math.max(worst, performance.now() - t);
        problems.push(...resultProblems(incremental, (f) => s.mem.readFile(f)).map((p) => `step ${k} (${op}): ${p}`));
        const fresh = new Analyzer({ rules, fs: s.mem }).analyze(s.p.root, config);
        const a = signature(incremental);
        const b = signature(fresh);
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          const onlyA = a.filter((x) => !b.includes(x));
          const onlyB = b.filter((x) => !a.includes(x));
          problems.push(`step ${k} (${op}): the incremental result differs from a fresh analysis: incremental only ${JSON.stringify(onlyA.slice(0, 3))}, fresh only ${JSON.stringify(onlyB.slice(0, 3))}`);
          break;
        }
        report.steps++;
      }
    } catch (e) {
      problems.push(`threw: ${(e as Error)?.stack ?? String(e)}`);
    } finally {
      s.mem.write(file, original);
    }
    report.sequences++;
    const c: FuzzCaseReport = { name: seqName, file, ms: worst, bytes: text.length, problems };
    report.timings.push(c);
    if (worst > report.maxMs) [report.maxMs, report.maxCase] = [worst, `${seqName} (${file})`];
    if (problems.length > 0) report.failures.push({ ...c, problems: [...problems, `final text: ${JSON.stringify(text.length > 4000 ? text.slice(0, 4000) + '…' : text)}`] });
    opts.onProgress?.(++done, total);
  }
  report.totalMs = performance.now() - t0;
  return report;
}

// ------------------------------------------------------------------ file-system mutations

/**
 * What a hostile repository can put where a file is expected: links to devices, to files and
 * folders outside the project, to nothing or to themselves, FIFOs, sockets, folders, files above
 * the size cap (sparse), links inside the project.
 */
export type FsMutationName = 'link-dev-zero' | 'link-dev-urandom' | 'link-dev-null' | 'link-outside-file' | 'link-outside-dir' | 'dangling-link' | 'link-loop' | 'fifo' | 'socket' | 'dir-for-file' | 'huge-sparse' | 'link-inside' | 'link-parent-dir';

export const FS_MUTATIONS: readonly FsMutationName[] = ['link-dev-zero', 'link-dev-urandom', 'link-dev-null', 'link-outside-file', 'link-outside-dir', 'dangling-link', 'link-loop', 'fifo', 'socket', 'dir-for-file', 'huge-sparse', 'link-inside', 'link-parent-dir'];

/** Names the rules read (relative to a project root), beside the project's own files. */
const FS_TARGETS = ['.env', '.env.production', '.gitignore', '.env.example', 'requirements.txt', 'Dockerfile', 'pyproject.toml', 'Procfile', '.git/index', '.git/info/exclude', '.git'];

export interface FsFuzzCase {
  name: string;
  mutations: string[];
  ms: number;
  problems: string[];
}

export interface FsFuzzReport {
  seed: number;
  cases: number;
  crashes: FsFuzzCase[];
  hangs: FsFuzzCase[];
  /** Cases after which something outside the project (in the temporary root) changed. */
  writesOutside: FsFuzzCase[];
  /** Mutations applied, by name. */
  applied: Record<string, number>;
  totalMs: number;
  maxMs: number;
}

export interface FsFuzzOptions {
  seed: number;
  cases: number;
  /** The built CLI (dist/cli.js). */
  cli: string;
  /** A check taking longer than this is a hang (killed). */
  timeoutMs?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Every entry below `dir` (links not followed): kind, size, mode, mtime and content hash. */
function fsSnapshot(dir: string, skip: (rel: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (skip(rel)) continue;
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out.set(rel, `link ${fs.readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(rel, `dir ${st.mode}`);
        walk(p);
      } else if (st.isFile()) out.set(rel, `file ${st.size} ${st.mode} ${st.mtimeMs} ${createHash('sha1').update(fs.readFileSync(p)).digest('hex')}`);
      else out.set(rel, `special ${st.mode}`);
    }
  };
  walk(dir);
  return out;
}

function applyFsMutation(rng: Rng, op: FsMutationName, root: string, outside: string, target: string): string {
  const p = path.join(root, target);
  // the harness itself never works through a link (an earlier mutation may have made a folder one)
  for (let d = path.dirname(p); d.startsWith(root + path.sep); d = path.dirname(d)) {
    if (fs.existsSync(d) && fs.lstatSync(d).isSymbolicLink()) return 'skipped (a link on the way)';
  }
  fs.mkdirSync(path.dirname(p), { recursive: true });
  if (fs.existsSync(path.dirname(p)) && !fs.realpathSync(path.dirname(p)).startsWith(root)) return 'skipped (outside)';
  fs.rmSync(p, { recursive: true, force: true });
  switch (op) {
    case 'link-dev-zero':
      fs.symlinkSync('/dev/zero', p);
      break;
    case 'link-dev-urandom':
      fs.symlinkSync('/dev/urandom', p);
      break;
    case 'link-dev-null':
      fs.symlinkSync('/dev/null', p);
      break;
    case 'link-outside-file':
      fs.symlinkSync(path.join(outside, rng.pick(['secret.env', 'settings.py', 'requirements.txt'])), p);
      break;
    case 'link-outside-dir':
      fs.symlinkSync(outside, p);
      break;
    case 'dangling-link':
      fs.symlinkSync(path.join(outside, `missing-${rng.int(1000)}`), p);
      break;
    case 'link-loop':
      fs.symlinkSync(path.basename(p) + '.loop', p);
      fs.symlinkSync(path.basename(p), p + '.loop');
      break;
    case 'fifo':
      if (spawnSync('mkfifo', [p]).status !== 0) return 'skipped (no mkfifo)';
      break;
    case 'socket': {
      const r = spawnSync('python3', ['-c', 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])', p]);
      if (r.status !== 0) return 'skipped (no python3)';
      break;
    }
    case 'dir-for-file':
      fs.mkdirSync(p);
      fs.writeFileSync(path.join(p, 'inner.txt'), 'a file inside a folder named like a file\n');
      break;
    case 'huge-sparse':
      fs.writeFileSync(p, "SECRET_KEY = 'sparse'\n");
      fs.truncateSync(p, 64 * 1024 * 1024);
      break;
    case 'link-inside': {
      const others = fs.readdirSync(root).filter((n) => n !== path.basename(p) && fs.lstatSync(path.join(root, n)).isFile());
      fs.symlinkSync(others.length > 0 ? path.join(root, rng.pick(others)) : path.join(root, 'manage.py'), p);
      break;
    }
    case 'link-parent-dir':
      // a folder of the project replaced by a link to the folder outside
      fs.symlinkSync(outside, p);
      break;
  }
  return op;
}

/**
 * File-system fuzzing (issue 17): each case is an example project copied into a fresh
 * temporary root, beside a folder `outside` (with a secret, a settings module, requirements),
 * with 1 to 3 file-system mutations; the built CLI runs `check --fix --unsafe-fixes --format
 * json` on it in a child process. A crash: exit code 2, no JSON, or a stack trace on stderr; a
 * hang: killed after `timeoutMs`; a write outside: anything in the temporary root but the
 * project changed (the outside folder, or a new file beside it).
 */
export function runFsFuzz(opts: FsFuzzOptions): FsFuzzReport {
  const rng = new Rng(opts.seed);
  const projects = fs.readdirSync(path.join(fixturesRoot, 'projects')).filter((n) => fs.statSync(path.join(fixturesRoot, 'projects', n)).isDirectory()).sort();
  const report: FsFuzzReport = { seed: opts.seed, cases: 0, crashes: [], hangs: [], writesOutside: [], applied: {}, totalMs: 0, maxMs: 0 };
  const t0 = performance.now();
  for (let i = 0; i < opts.cases; i++) {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-fsfuzz-')));
    const name = rng.pick(projects);
    const root = path.join(tmp, 'project');
    const outside = path.join(tmp, 'outside');
    fs.cpSync(path.join(fixturesRoot, 'projects', name), root, { recursive: true });
    fs.mkdirSync(path.join(outside, 'dir'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'secret.env'), "SECRET_KEY='outside-secret-must-not-change'\n");
    fs.writeFileSync(path.join(outside, 'settings.py'), "DEBUG = True\nSECRET_KEY = 'outside-settings-must-not-change-0123456789'\nALLOWED_HOSTS = ['*']\n");
    fs.writeFileSync(path.join(outside, 'requirements.txt'), 'django\n');
    fs.writeFileSync(path.join(outside, 'dir', 'file.txt'), 'x\n');
    // targets: names the rules read and the project's own files
    const own: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          own.push(path.relative(root, p));
          walk(p);
        } else own.push(path.relative(root, p));
      }
    };
    walk(root);
    const mutations: string[] = [];
    const n = 1 + rng.int(3);
    for (let k = 0; k < n; k++) {
      const op = rng.pick(FS_MUTATIONS);
      const dirs = own.filter((o) => fs.existsSync(path.join(root, o)) && fs.lstatSync(path.join(root, o)).isDirectory());
      const target = op === 'link-parent-dir' && dirs.length > 0 ? rng.pick(dirs) : rng.chance(0.5) ? rng.pick(FS_TARGETS) : rng.pick(own);
      let done: string;
      try {
        done = applyFsMutation(rng, op, root, outside, target);
      } catch (e) {
        done = `skipped (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
      }
      mutations.push(`${done} ${target}`);
      report.applied[op] = (report.applied[op] ?? 0) + 1;
    }
    const before = fsSnapshot(tmp, (rel) => rel === 'project' || rel.startsWith('project' + path.sep));
    const c: FsFuzzCase = { name: `#${i} seed ${opts.seed} ${name}`, mutations, ms: 0, problems: [] };
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--max-old-space-size=768', opts.cli, 'check', root, '--fix', '--unsafe-fixes', '--format', 'json', '--workers', '0'], {
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
    });
    c.ms = performance.now() - t;
    report.maxMs = Math.max(report.maxMs, c.ms);
    if (r.signal === 'SIGKILL' || (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
      c.problems.push(`killed after ${c.ms.toFixed(0)} ms`);
      report.hangs.push(c);
    } else {
      let json = true;
      try {
        JSON.parse(r.stdout);
      } catch {
        json = false;
      }
      if (r.status === 2 || r.status === null || !json || /\n\s+at [^\n]*:\d+:\d+\)?\n|Uncaught|Unhandled/.test(r.stderr)) {
        c.problems.push(`exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(0, 2000)}`);
        report.crashes.push(c);
      }
    }
    const after = fsSnapshot(tmp, (rel) => rel === 'project' || rel.startsWith('project' + path.sep));
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    if (changed.length > 0) {
      c.problems.push(`changed outside the project: ${changed.join(', ')}`);
      report.writesOutside.push(c);
    }
    report.cases++;
    fs.rmSync(tmp, { recursive: true, force: true });
    opts.onProgress?.(i + 1, opts.cases);
  }
  report.totalMs = performance.now() - t0;
  return report;
}
