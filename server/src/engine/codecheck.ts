/**
 * The per-file part of the code rules (Rule.checkFile), usable on the main thread (the Analyzer)
 * and in a worker thread (worker.ts): everything it needs about the project is plain data
 * (CodeRunData), so it crosses threads by structured clone, and so do its results.
 */
import * as path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { ModuleEditor } from './edits';
import type { PackageId } from './packages';
import type { PyModule } from './parser';
import type { DjangoProject, FileSystem, ProjectFile } from './project';
import { isDeferredFix, type BaseContext, type DeferredFix, type FileContext, type ReportArgs, type Rule, type TemplateContext, type Where } from './rule';
import { ProjectSource } from './projectsource';
import { BINDER_TYPES, BINDER_TYPE_SET, SemanticModel } from './semantic';
import { isHtmlTemplate } from './templateDirs';
import { looksLikeHtml, looksLikeJinja, parseTemplate } from './templates';
import type { LineIndex } from './text';
import { djangoCheckIds, type Suppressions } from './suppressions';
import { severityOverride } from './config';
import { buildFixes, fixId, setDeferredFixes } from './fix';
import type { Config, Finding, Fix, FixSpec, Note, Range, Severity, Suppression } from './types';
import { originRange, type Origin } from './values';
import { fitFixLines } from './linefit';

/** What the code rules of one project need, as plain data. */
export interface CodeRunData {
  config: Config;
  project: DjangoProject;
  packages: PackageId[];
  djangoVersion: [number, number];
  djangoVersionPinned: boolean;
  /** BaseContext.today, as an ISO timestamp. */
  today: string;
  /**
   * SILENCED_SYSTEM_CHECKS of the production settings: check id -> where it is listed (and the
   * comment written beside it, as the reason).
   */
  silenced: Record<string, SilencedCheck>;
  /** Every rule reads every file: prefilters not applied (AnalyzerOptions.prefilters false). */
  noPrefilter?: boolean;
}

/** An entry of SILENCED_SYSTEM_CHECKS: where it is written and the comment beside it. */
export interface SilencedCheck {
  file: string;
  /** 0-based line of the entry. */
  line: number;
  /** The comment on the entry's line ('' when none). */
  comment: string;
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

/** A file's result that says only that no rule's prefilter matched it. */
export const PREFILTERED: CodeFileResult = Object.freeze({ findings: [], notes: [], parsed: false, prefiltered: true }) as CodeFileResult;

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
  readonly silenced: Readonly<Record<string, SilencedCheck>>;
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
/**
 * The finding a rule reports, after severity overrides and suppressions (comments on the line or
 * above, a file-wide comment, SILENCED_SYSTEM_CHECKS): a suppressed finding carries `suppressed`.
 */
export function buildFinding(r: ReportEnv, rule: Rule, args: ReportArgs): Finding {
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
  const override = severityOverride(r.config, meta.code);
  const severity: Severity = override && override !== 'off' ? override : args.severity ?? meta.severity;
  const django = meta.django ? djangoCheckIds(meta.django).join(', ') : undefined;
  const { fixes, refused } = writableFixes(r.env.fs, args.fixes ?? []);
  const why = args.unfixable ?? refused;
  const build = (specs: FixSpec[]) => displayOnlyOnBrokenFiles(r.env, buildFixes(meta.code, file, range.start, specs.map((f) => fitFixLines(r.env.fs, f))));
  const deferred = fixes.some(isDeferredFix);
  // with deferred fixes, every kind (hence id) is fixed by its place in what the rule reported,
  // as buildFixes would name it: a deferred fix that is not confirmed renames no other fix
  const specs = deferred ? fixes.map((f, i) => (f.kind !== undefined ? f : { ...f, kind: i === 0 ? 'fix' : `fix-${i + 1}` })) : fixes;
  // the others are built now: a rule's broken edits fail the rule here, as without deferred fixes
  const ready = build(specs.filter((f): f is FixSpec => !isDeferredFix(f)));
  const finding: Finding = {
    code: meta.code,
    name: meta.name,
    severity,
    file,
    range,
    message: (args.message ?? meta.message) + (why ? ` (${why})` : ''),
    fixes: ready,
    django: django || undefined,
    tags: meta.deprecated ? ['deprecated'] : undefined,
    projectRoot: r.projectRoot,
  };
  if (deferred) {
    const ids = specs.map((f) => fixId(meta.code, file, range.start, f.kind as string));
    // the texts the deferred fixes' edits will be made against: asked for after one changed (a
    // result read once newer texts exist), they are not offered rather than built for other texts
    const targets = [...new Set(specs.flatMap((f) => (isDeferredFix(f) ? f.targets : [])))];
    const texts = targets.map((p) => r.env.fs.readFile(p));
    setDeferredFixes(finding, ids, () => {
      if (targets.some((p, i) => r.env.fs.readFile(p) !== texts[i])) return ready;
      const all: FixSpec[] = [];
      for (const f of specs) {
        if (!isDeferredFix(f)) all.push(f);
        else {
          const checked = resolveDeferred(r.env.fs, f);
          if (checked) all.push(checked);
        }
      }
      try {
        return build(all);
      } catch {
        return ready;
      }
    });
  }
  const suppressed = suppressionOf(r, meta.code, meta.django, file, range.start.line);
  if (suppressed) finding.suppressed = suppressed;
  return finding;
}

function suppressionOf(r: ReportEnv, code: string, django: string | undefined, file: string, line: number): Suppression | undefined {
  const text = r.env.fs.readFile(file);
  const c = text !== undefined ? r.env.suppressions(file, text).find(code, line) : undefined;
  if (c) return { kind: c.kind, reason: c.reason, file, line: c.line };
  for (const id of djangoCheckIds(django)) {
    const s = r.silenced[id];
    if (s) return { kind: 'silenced-check', reason: s.comment, file: s.file, line: s.line, check: id };
  }
  return undefined;
}

/**
 * The fixes whose every target a fix may write (FileSystem.writable: inside the folders analysed,
 * regular files, no symbolic link on the way); the others are not offered, and the finding says
 * why (the first reason).
 */
function writableFixes(fs: FileSystem, specs: readonly (FixSpec | DeferredFix)[]): { fixes: (FixSpec | DeferredFix)[]; refused?: string } {
  if (specs.length === 0 || !fs.writable) return { fixes: [...specs] };
  const fixes: (FixSpec | DeferredFix)[] = [];
  let refused: string | undefined;
  const verdicts = new Map<string, string | undefined>();
  for (const spec of specs) {
    let why: string | undefined;
    // a deferred fix: the files it may touch, declared up front
    for (const target of isDeferredFix(spec) ? spec.targets : spec.edits.map((e) => e.file)) {
      if (!verdicts.has(target)) verdicts.set(target, fs.writable(target));
      why = verdicts.get(target);
      if (why) break;
    }
    if (!why) fixes.push(spec);
    else if (!isDeferredFix(spec)) refused ??= `"${spec.title}" is not offered: ${why}`;
    else {
      // named in the message as the fix it would have been (none when it is not confirmed)
      const title = resolveDeferred(undefined, spec)?.title;
      if (title !== undefined) refused ??= `"${title}" is not offered: ${why}`;
    }
  }
  return { fixes, refused };
}

/**
 * A deferred fix checked now (rule.ts DeferredFix): the fix it confirms, under its declared kind,
 * or undefined when it is not confirmed, its check fails, or it edits a file a fix may not write.
 */
function resolveDeferred(fs: FileSystem | undefined, d: DeferredFix): FixSpec | undefined {
  let spec: FixSpec | undefined;
  try {
    spec = d.resolve();
  } catch {
    // asked for long after the analysis (its rule can no longer fail): not offered
    return undefined;
  }
  if (!spec) return undefined;
  if (fs?.writable && spec.edits.some((e) => fs.writable?.(e.file) !== undefined)) return undefined;
  return { ...spec, kind: d.kind };
}

/**
 * Fix-all leaves Python files with syntax errors alone (their fixes become display-only: still
 * offered as quick fixes): a statement it adds after a broken one may be swallowed by the
 * parser's error recovery, so the setting still looks missing and every pass would add it again.
 */
function displayOnlyOnBrokenFiles(env: CodeEnv, fixes: Fix[]): Fix[] {
  if (fixes.length === 0) return fixes;
  const broken = (file: string) => {
    if (!file.endsWith('.py')) return false;
    const text = env.fs.readFile(file);
    return text !== undefined && env.parse(file, text).syntaxErrors.length > 0;
  };
  return fixes.map((fix) => (fix.applicability !== 'display-only' && fix.edits.some((e) => broken(e.file)) ? { ...fix, applicability: 'display-only' } : fix));
}

/**
 * Whether the code rules look at a file at all: Python files, tests only when asked, never tooling
 * in dot-folders (.github, .semgrep). Migrations are included: only the rules declared with `files: 'migrations'` see them (see wantsFile).
 */
export function isCodeRuleFile(f: ProjectFile, config: Pick<Config, 'includeTests'>): boolean {
  return f.kind === 'python' && !f.tooling && (!f.isTest || config.includeTests);
}

/** A rule that runs per Python file (create or checkFile). */
export function isCodeRule(rule: Rule): boolean {
  return !!rule.create || !!rule.checkFile;
}

/** A rule that runs per file: a code rule (Python files) or a template rule (Django templates). */
export function isPerFileRule(rule: Rule): boolean {
  return isCodeRule(rule) || !!rule.checkTemplate;
}

/** Whether a code rule looks at this file: migration rules see only migrations, the others never. */
export function wantsFile(rule: Rule, f: ProjectFile): boolean {
  return (rule.files === 'migrations') === !!f.isMigration && !(f.isMigration && isPackageInit(f.path));
}

/** A package's `__init__.py` (in a migrations folder: never a migration). */
export function isPackageInit(file: string): boolean {
  return path.basename(file) === '__init__.py';
}

/** The dotted module name of a file under a Django root (`shop/views.py` -> `shop.views`), and whether it is a package. */
export function moduleNameOf(root: string, file: string): { dotted: string; isPackage: boolean } {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { dotted: path.basename(file).replace(/\.py$/, ''), isPackage: false };
  const parts = rel.replace(/\.py$/, '').split('/');
  const isPackage = parts[parts.length - 1] === '__init__';
  if (isPackage) parts.pop();
  return { dotted: parts.filter((p) => /^[A-Za-z_]\w*$/.test(p)).join('.'), isPackage };
}

/** What every rule's context of one file shares: built once per file, the costly parts on first use. */
class FileShared {
  private editorValue: ModuleEditor | undefined;
  private semanticValue: SemanticModel | undefined;
  private sourceValue: ProjectSource | undefined;

  constructor(
    readonly file: ProjectFile,
    readonly module: PyModule,
    private readonly root: string,
    private readonly fs: FileSystem,
  ) {}

  get projectSource(): ProjectSource {
    return (this.sourceValue ??= new ProjectSource(this.fs, this.root, this.file.path));
  }

  get editor(): ModuleEditor {
    return (this.editorValue ??= new ModuleEditor(this.module));
  }

  /** The semantic model if some rule took it and it was not built yet (it can take the runner's walk). */
  get unbuiltSemantic(): SemanticModel | undefined {
    return this.semanticValue && !this.semanticValue.built ? this.semanticValue : undefined;
  }

  get semantic(): SemanticModel {
    if (!this.semanticValue) {
      const { dotted, isPackage } = moduleNameOf(this.root, this.file.path);
      this.semanticValue = new SemanticModel((this.module.tree as Tree).rootNode, dotted, isPackage);
    }
    return this.semanticValue;
  }
}

/** One rule's context for one file (the rule decides what `report` attributes findings to). */
class FileContextImpl implements FileContext {
  constructor(
    private readonly base: BaseContext,
    private readonly shared: FileShared,
  ) {}
  get config() {
    return this.base.config;
  }
  get thresholds() {
    return this.base.thresholds;
  }
  get fs() {
    return this.base.fs;
  }
  get project() {
    return this.base.project;
  }
  get today() {
    return this.base.today;
  }
  get djangoVersion() {
    return this.base.djangoVersion;
  }
  get djangoVersionPinned() {
    return this.base.djangoVersionPinned;
  }
  uses(pkg: PackageId): boolean {
    return this.base.uses(pkg);
  }
  report(args: ReportArgs): void {
    this.base.report(args);
  }
  get file() {
    return this.shared.file;
  }
  get module() {
    return this.shared.module;
  }
  get tree(): Tree {
    return this.shared.module.tree as Tree;
  }
  get editor() {
    return this.shared.editor;
  }
  get semantic() {
    return this.shared.semantic;
  }
  get projectSource() {
    return this.shared.projectSource;
  }
  nodeRange(n: Node): Range {
    return this.shared.module.lines.range(n.startIndex, n.endIndex);
  }
  reportNode(n: Node, args: Omit<ReportArgs, 'at'>): void {
    this.base.report({ ...args, at: { file: this.shared.file.path, range: this.nodeRange(n) } });
  }
}

/** Runs code rules over single files of one project: one walk of each file's tree, dispatched by node type. */
export class CodeChecker {
  private readonly report: ReportEnv;
  private readonly packages: Set<string>;
  private readonly today: Date;
  private readonly rules: Rule[];
  private readonly templateRules: Rule[];
  /** Every rule reads every file (prefilters off: CodeRunData.noPrefilter, for checks of the prefilters). */
  private readonly noPrefilter: boolean;

  constructor(
    private readonly env: CodeEnv,
    private readonly data: CodeRunData,
    rules: Rule[],
  ) {
    this.report = { env, config: data.config, silenced: data.silenced, projectRoot: data.project.root };
    this.packages = new Set(data.packages);
    this.today = new Date(data.today);
    this.rules = rules.filter(isCodeRule);
    this.templateRules = rules.filter((r) => r.checkTemplate);
    this.noPrefilter = !!data.noPrefilter;
  }

  /** The rules of this checker by code (what a worker thread is told to run on a file). */
  rulesByCode(codes: readonly string[]): Rule[] {
    const all = [...this.rules, ...this.templateRules];
    return codes.map((c) => all.find((r) => r.meta.code === c)).filter((r): r is Rule => r !== undefined);
  }

  /** The rules that look at this file and whose prefilter matches its text (none: the file is not parsed). */
  candidates(text: string, file?: ProjectFile): Rule[] {
    const rules = file?.kind === 'template' ? this.templateRules : this.rules;
    const out: Rule[] = [];
    // one pass over the rules: a rule without a prefilter, or whose prefilter matches
    for (const r of rules) if ((!file || file.kind === 'template' || wantsFile(r, file)) && (this.noPrefilter || !r.prefilter || r.prefilter.test(text))) out.push(r);
    return out;
  }

  /**
   * Checks one file. `candidates`: the rules candidates() chose for this text already (the
   * prefilter ran where the file was read; the worker threads get them with the text).
   */
  check(file: ProjectFile, text: string, candidates: Rule[] = this.candidates(text, file)): CodeFileResult {
    if (candidates.length === 0) return { findings: [], notes: [], parsed: false, prefiltered: true };
    if (file.kind === 'template') return this.checkTemplate(file, text, candidates);
    const module = this.env.parse(file.path, text);
    const findings: Finding[] = [];
    const notes: Note[] = [];
    const shared = new FileShared(file, module, this.data.project.root, this.env.fs);
    // visitors by node type, in rule order; a rule that throws is dropped for the rest of the file
    const byType = new Map<string, { rule: Rule; fn: (n: Node) => void }[]>();
    const exits: { rule: Rule; fn: () => void }[] = [];
    const failed = new Set<Rule>();
    const fail = (rule: Rule, e: unknown) => {
      failed.add(rule);
      notes.push(ruleFailed(rule, file.path, e));
    };
    for (const rule of candidates) {
      const ctx = new FileContextImpl(this.base(rule, findings), shared);
      try {
        if (rule.create) {
          const visitors = rule.create(ctx);
          for (const [type, fn] of Object.entries(visitors)) {
            if (!fn) continue;
            if (type === 'module:exit') exits.push({ rule, fn: fn as () => void });
            else {
              let list = byType.get(type);
              if (!list) byType.set(type, (list = []));
              list.push({ rule, fn });
            }
          }
        }
        rule.checkFile?.(ctx);
      } catch (e) {
        fail(rule, e);
      }
    }
    if (byType.size > 0) {
      // the matching happens inside tree-sitter: no JS object for the nodes no rule visits; one
      // walk of the tree also finds what the semantic model is built from, when a rule took it
      const semantic = shared.unbuiltSemantic;
      const types = [...byType.keys()];
      if (semantic) for (const t of BINDER_TYPES) if (!byType.has(t)) types.push(t);
      const nodes = (module.tree as Tree).rootNode.descendantsOfType(types);
      // each node's type read once (a call into the parser)
      const nodeTypes: string[] = new Array<string>(nodes.length);
      if (semantic) {
        const binders: Node[] = [];
        for (let i = 0; i < nodes.length; i++) {
          const n = nodes[i];
          if (!n) continue;
          const t = (nodeTypes[i] = n.type);
          if (BINDER_TYPE_SET.has(t)) binders.push(n);
        }
        semantic.supply(binders);
      } else for (let i = 0; i < nodes.length; i++) nodeTypes[i] = nodes[i]?.type ?? '';
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i];
        if (!n) continue;
        const visitors = byType.get(nodeTypes[i]);
        if (!visitors) continue;
        for (const v of visitors) {
          if (failed.has(v.rule)) continue;
          try {
            v.fn(n);
          } catch (e) {
            fail(v.rule, e);
          }
        }
      }
    }
    for (const x of exits) {
      if (failed.has(x.rule)) continue;
      try {
        x.fn();
      } catch (e) {
        fail(x.rule, e);
      }
    }
    return { findings, notes, parsed: true, prefiltered: false };
  }

  /**
   * Template rules over one template (tokenized only when some rule's prefilter matches). A file
   * written in Jinja2's syntax is not a Django template: no rule judges it.
   */
  private checkTemplate(file: ProjectFile, text: string, candidates: Rule[]): CodeFileResult {
    const template = parseTemplate(text);
    const findings: Finding[] = [];
    const notes: Note[] = [];
    if (looksLikeJinja(template)) return { findings, notes, parsed: true, prefiltered: false };
    let lines: LineIndex | undefined;
    const html = isHtmlTemplate(file.path) && looksLikeHtml(template);
    for (const rule of candidates) {
      try {
        const ctx: TemplateContext = {
          ...this.base(rule, findings),
          file,
          template,
          html,
          range: (start, end) => (lines ??= template.lines).range(start, end),
        };
        rule.checkTemplate?.(ctx);
      } catch (e) {
        notes.push(ruleFailed(rule, file.path, e));
      }
    }
    return { findings, notes, parsed: true, prefiltered: false };
  }

  private base(rule: Rule, sink: Finding[]): BaseContext {
    const d = this.data;
    return {
      config: d.config,
      thresholds: d.config.thresholds,
      fs: this.env.fs,
      project: d.project,
      today: this.today,
      djangoVersion: d.djangoVersion,
      djangoVersionPinned: d.djangoVersionPinned,
      uses: (pkg) => this.packages.has(pkg),
      report: (args) => {
        sink.push(buildFinding(this.report, rule, args));
      },
    };
  }
}

export { tooLargeMessage } from './nodefs';

export const BINARY_MESSAGE = 'Not analysed: the file looks binary (it contains NUL bytes).';
