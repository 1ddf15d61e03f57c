/**
 * The per-file part of the code rules (Rule.checkFile), usable on the main thread (the Analyzer)
 * and in a worker thread (worker.ts): everything it needs about the project is plain data
 * (CodeRunData), so it crosses threads by structured clone, and so do its results.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { ModuleEditor } from './edits';
import type { PackageId } from './packages';
import type { PyModule } from './parser';
import type { DjangoProject, FileSystem, ProjectFile } from './project';
import type { BaseContext, FileContext, ReportArgs, Rule, Where } from './rule';
import { djangoCheckIds, type Suppressions } from './suppressions';
import type { Config, Finding, Fix, Note, Range, Severity } from './types';
import { originRange, type Origin } from './values';

/** What the code rules of one project need, as plain data. */
export interface CodeRunData {
  config: Config;
  project: DjangoProject;
  packages: PackageId[];
  djangoVersion: [number, number];
  djangoVersionPinned: boolean;
  /** BaseContext.today, as an ISO timestamp. */
  today: string;
  /** SILENCED_SYSTEM_CHECKS of the production settings. */
  silenced: string[];
}

/** The code-rule results of one file. */
export interface CodeFileResult {
  findings: Finding[];
  notes: Note[];
  /** The file was parsed (some rule's prefilter matched). */
  parsed: boolean;
  /** No candidate rule's prefilter matched: not parsed. */
  prefiltered: boolean;
}

/** Where files are read and parsed (the Analyzer's caches, or a worker's own). */
export interface CodeEnv {
  readonly fs: FileSystem;
  parse(file: string, text: string): PyModule;
  suppressions(file: string, text: string): Suppressions;
}

/** What a finding needs besides the rule and its report arguments. */
export interface ReportEnv {
  readonly env: CodeEnv;
  readonly config: Config;
  readonly silenced: ReadonlySet<string>;
  readonly projectRoot: string;
}

function isOrigin(w: Where): w is Origin {
  return (w as Origin).module !== undefined;
}

/** The note for a rule that threw (anything: an Error, a string, null...). */
export function ruleFailed(rule: Rule, file: string, e: unknown): Note {
  const message = e instanceof Error ? e.message : String(e);
  const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : `thrown value: ${String(e)}`;
  return { file, kind: 'rule-failed', code: rule.meta.code, message: `${rule.meta.code} (${rule.meta.name}) failed: ${message}`, detail };
}

/**
 * The finding a rule reports, after severity overrides and suppressions (comments on the line or
 * above, SILENCED_SYSTEM_CHECKS); undefined when suppressed.
 */
export function buildFinding(r: ReportEnv, rule: Rule, args: ReportArgs): Finding | undefined {
  let file: string;
  let range: Range;
  if (isOrigin(args.at)) {
    file = args.at.module.path;
    range = originRange(args.at);
  } else {
    file = args.at.file;
    range = args.at.range;
  }
  const meta = rule.meta;
  const override = r.config.severity[meta.code];
  const severity: Severity = override && override !== 'off' ? override : args.severity ?? meta.severity;
  const text = r.env.fs.readFile(file);
  if (text !== undefined && r.env.suppressions(file, text).isSuppressed(meta.code, range.start.line)) return undefined;
  if (djangoCheckIds(meta.django).some((id) => r.silenced.has(id))) return undefined;
  const django = meta.django ? djangoCheckIds(meta.django).join(', ') : undefined;
  return {
    code: meta.code,
    name: meta.name,
    severity,
    file,
    range,
    message: args.message ?? meta.message,
    fixes: manualOnBrokenFiles(r.env, args.fixes ?? []),
    django: django || undefined,
    tags: meta.deprecated ? ['deprecated'] : undefined,
    projectRoot: r.projectRoot,
  };
}

/**
 * Fix-all leaves Python files with syntax errors alone (their fixes stay available as quick
 * fixes): a statement it adds after a broken one may be swallowed by the parser's error
 * recovery, so the setting still looks missing and every pass would add it again.
 */
function manualOnBrokenFiles(env: CodeEnv, fixes: Fix[]): Fix[] {
  if (fixes.length === 0) return fixes;
  const broken = (file: string) => {
    if (!file.endsWith('.py')) return false;
    const text = env.fs.readFile(file);
    return text !== undefined && env.parse(file, text).syntaxErrors.length > 0;
  };
  return fixes.map((fix) => (!fix.manual && fix.edits.some((e) => broken(e.file)) ? { ...fix, manual: true } : fix));
}

/** Whether the code rules look at a file at all (migrations never; tests only when asked). */
export function isCodeRuleFile(f: ProjectFile, config: Pick<Config, 'includeTests'>): boolean {
  return f.kind === 'python' && !f.isMigration && (!f.isTest || config.includeTests);
}

/** Runs code rules over single files of one project. */
export class CodeChecker {
  private readonly report: ReportEnv;
  private readonly packages: Set<string>;
  private readonly today: Date;

  constructor(
    private readonly env: CodeEnv,
    private readonly data: CodeRunData,
    private readonly rules: Rule[],
  ) {
    this.report = { env, config: data.config, silenced: new Set(data.silenced), projectRoot: data.project.root };
    this.packages = new Set(data.packages);
    this.today = new Date(data.today);
  }

  /** The rules whose prefilter matches the text (the file is not parsed when there is none). */
  candidates(text: string): Rule[] {
    return this.rules.filter((r) => !r.prefilter || r.prefilter.test(text));
  }

  check(file: ProjectFile, text: string): CodeFileResult {
    const candidates = this.candidates(text);
    if (candidates.length === 0) return { findings: [], notes: [], parsed: false, prefiltered: true };
    const module = this.env.parse(file.path, text);
    const findings: Finding[] = [];
    const notes: Note[] = [];
    for (const rule of candidates) {
      try {
        rule.checkFile?.(this.fileContext(rule, file, module, findings));
      } catch (e) {
        notes.push(ruleFailed(rule, file.path, e));
      }
    }
    return { findings, notes, parsed: true, prefiltered: false };
  }

  private fileContext(rule: Rule, file: ProjectFile, module: PyModule, sink: Finding[]): FileContext {
    const d = this.data;
    const base: BaseContext = {
      config: d.config,
      thresholds: d.config.thresholds,
      fs: this.env.fs,
      project: d.project,
      today: this.today,
      djangoVersion: d.djangoVersion,
      djangoVersionPinned: d.djangoVersionPinned,
      uses: (pkg) => this.packages.has(pkg),
      report: (args) => {
        const f = buildFinding(this.report, rule, args);
        if (f) sink.push(f);
      },
    };
    return {
      ...base,
      file,
      module,
      tree: module.tree as Tree,
      editor: new ModuleEditor(module),
      nodeRange: (n: Node) => module.lines.range(n.startIndex, n.endIndex),
    };
  }
}

/** The note text for a file above MAX_FILE_BYTES. */
export function tooLargeMessage(size: number, max: number): string {
  return `Not analysed: the file is larger than ${max / 1024 / 1024} MB (${(size / 1024 / 1024).toFixed(1)} MB).`;
}

export const BINARY_MESSAGE = 'Not analysed: the file looks binary (it contains NUL bytes).';
