/**
 * The rule API. A rule is one file under rules/<category>/<name>.ts exporting
 * `defineRule({...})` as default: its metadata, docs, and one or more check functions.
 *
 *  - checkSettings: once per Django project, on the effective production settings;
 *  - create: code rules (ESLint's `create`, Ruff's AST checkers): called once per Python file that
 *    passes the rule's `prefilter`, returns node-type visitors; the runner walks the file's tree
 *    once for every rule and calls each visitor on the nodes of its type, in document order;
 *  - checkFile: once per Python source file, for a rule that needs the whole file at once (rare:
 *    prefer `create`, which shares the walk);
 *  - checkTemplate: once per Django template (templateDirs.ts decides which files are templates;
 *    `prefilter` skips templates cheaply, as for code rules);
 *  - checkProject: once per Django project, over its other files (requirements, Dockerfile...).
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Binding, EnvLookupSite, ModuleScope, TopCall } from './evaluator';
import type { ModuleEditor } from './edits';
import type { PackageId } from './packages';
import type { PyModule } from './parser';
import type { DjangoProject, FileSystem, ProjectFile } from './project';
import type { DependencyModel } from './dependencies';
import type { Requirement, RequirementProblem } from './requirements';
import type { ProjectSource } from './projectsource';
import type { SemanticModel } from './semantic';
import type { Applicability, Category, Config, Edit, FixSpec, Range, Severity, Thresholds } from './types';
import type { TemplateDocument } from './templates';
import type { Origin, Value } from './values';

export interface RuleDocs {
  /** What the rule checks, one or two sentences. */
  what: string;
  /** Why it matters in production. */
  why: string;
  /** A Python (or requirements/Dockerfile) snippet that triggers the rule. */
  example: string;
  /** What to write instead. */
  instead: string;
  /** What the fix does and whether it is safe. */
  fixSafety?: string;
  /** Links: Django docs, OWASP, package docs. */
  references: string[];
}

export interface RuleMeta {
  code: string;
  name: string;
  category: Category;
  severity: Severity;
  kind: 'settings' | 'code' | 'template' | 'project';
  /** Seed documents that list this concern (file number prefixes: '000'...'004'). */
  seeds: string[];
  /** Closest `manage.py check --deploy` id(s), e.g. 'W009/W025'. */
  django?: string;
  /** The problem, as a short default message. */
  message: string;
  /** The action of the primary fix, when there is one. */
  fixTitle?: string;
  /** The applicability of the rule's primary fix (`none`: the rule offers no fix). */
  fix: Applicability | 'none';
  /** Packages the rule needs; it does not apply (not-applicable) when none of them is used. */
  requires?: PackageId[];
  /**
   * Off unless the configuration asks for it: `select` matches it (its code, a prefix, ALL) or
   * `severity` gives it a level (Ruff's model for rules that flag every use of something that is
   * only sometimes a problem, e.g. DJR610 on every `|safe`).
   */
  optIn?: boolean;
  /** Rendered with a strike-through (DiagnosticTag.Deprecated). */
  deprecated?: boolean;
  docs: RuleDocs;
}

/** A location for a finding: a value/statement origin, or an explicit file + range. */
export type Where = Origin | { file: string; range: Range };

export interface ReportArgs {
  at: Where;
  /** Defaults to the rule's message. Must never contain a secret value (use maskSecret). */
  message?: string;
  fixes?: (FixSpec | DeferredFix)[];
  severity?: Severity;
  /**
   * Why a fix one would expect is not offered (the value cannot be written to .env faithfully,
   * the .env already holds another value...): appended to the message in parentheses.
   */
  unfixable?: string;
}

/**
 * A fix whose check is costly (DJR202 evaluates the settings again to see that DEBUG really
 * turns off with the new default): the analysis does not run it. It runs when the finding's
 * fixes are first read (a quick fix or the lightbulb on that line, hover, fix-all, `--fix`, the
 * checklist, the CLI's output), not on every keystroke; a fix that `resolve` does not confirm
 * is never listed. Only for settings rules: their findings are made anew by every analysis
 * (a kept project-rule result would not know what the check read), and they run on the main
 * thread (a function does not cross to a worker).
 */
export interface DeferredFix {
  deferred: true;
  /** The fix's kind (its id): fixed in advance, whatever `resolve` returns. */
  kind: string;
  /**
   * The files its edits may touch: checked for writability up front (when one is not writable,
   * the fix is checked then, and the message names it with why it is not offered).
   */
  targets: string[];
  /** The fix, checked; undefined when it would not do what it says (it is then not offered). */
  resolve(): FixSpec | undefined;
}

export function isDeferredFix(f: FixSpec | DeferredFix): f is DeferredFix {
  return (f as DeferredFix).deferred === true;
}

export interface BaseContext {
  readonly config: Config;
  readonly thresholds: Thresholds;
  readonly fs: FileSystem;
  readonly project: DjangoProject;
  /** Today's date (config.today or the clock), for date-dependent rules. */
  readonly today: Date;
  report(args: ReportArgs): void;
  /** The packages the project uses (INSTALLED_APPS, MIDDLEWARE, requirements). */
  uses(pkg: PackageId): boolean;
  /**
   * The example dotenv files of the project (`.env.example`, `.env.local.example`...: FileKind
   * 'env-example'), for envExampleTarget: every fix that lists variables picks the same file.
   */
  envExamples?(): readonly string[];
  /** Django version [major, minor]: the pinned one, else the current release. */
  readonly djangoVersion: [number, number];
  readonly djangoVersionPinned: boolean;
}

/**
 * What a settings or project rule says when it cannot pass honestly. A rule that returns without
 * a finding passes its checklist items; when that silence would overstate readiness it says why:
 *  - notApplicable: what the rule checks does not exist here (SQLite has no network connection
 *    to encrypt; no Dockerfile to run as root). The items are "not applicable", with the reason.
 *  - notChecked: the rule could not decide (a value it cannot read statically, a prerequisite
 *    that fails elsewhere: HSTS subdomains while HSTS is off). The items are "not checked".
 * A finding reported in the same run wins; notChecked wins over notApplicable. Reasons are
 * sentences for people ("HSTS is off (SECURE_HSTS_SECONDS), so there are no subdomains to cover").
 */
export interface Verdicts {
  notApplicable(reason: string): void;
  notChecked(reason: string): void;
}

export interface SettingsContext extends BaseContext, Verdicts {
  /** The production settings module. */
  readonly module: PyModule;
  /** Its evaluated scope (star-imports merged). */
  readonly scope: ModuleScope;
  /** Every module the production settings ran (imports, includes, overlays), parsed from the texts this analysis read. */
  readonly modules?: readonly PyModule[];
  /**
   * `fn` of the production settings evaluated as if `module` read `text` (what a fix would make
   * of them); evaluations that do not depend on `module` are reused. Undefined when the
   * production module cannot be read.
   */
  withSettings?<T>(module: PyModule, text: string, fn: (scope: ModuleScope) => T): T | undefined;
  /** The effective binding of a setting in production, if assigned anywhere in the closure. */
  setting(name: string): Binding | undefined;
  /** Shortcut for setting(name)?.value. */
  value(name: string): Value | undefined;
  /** String entries of INSTALLED_APPS / MIDDLEWARE in production. */
  readonly installedApps: string[];
  readonly middleware: string[];
  /**
   * The environment variables the production closure's modules read (string-literal names), in
   * source order, found syntactically: cheap on every keystroke (nothing is forced).
   */
  envLookups(): EnvLookupSite[];
  /** Top-level calls of the production closure (e.g. sentry_sdk.init). */
  readonly calls: TopCall[];
  /**
   * An editor for the module fixes add settings to: the production module, or the production
   * overlay it pulls in under an environment switch (DjangoProject.overlays).
   */
  readonly editor: ModuleEditor;
  /** An editor for any module of the closure (fixes at the value's own line). */
  editorFor(module: PyModule): ModuleEditor;
  /**
   * Where a missing setting is reported: the enclosing dict's assignment, else the production
   * module's docstring (or first statement).
   */
  missingAt(dictSetting?: string): Where;
  /**
   * Where the missing setting `name` is reported: on the production module's assignment of the
   * closest related setting (sharing the longest name prefix of at least two words, SECURE_HSTS_
   * for SECURE_HSTS_PRELOAD; one for a two-word name, STATIC_ for STATIC_ROOT); else as missingAt().
   */
  missingNear(name: string): Where;
  /** The range an assignment binding is reported on: `NAME = value` of its statement. */
  bindingAt(b: Binding): Where;
  /**
   * Edits that make `name` equal `valueSrc` in production: replace the value where the
   * production module assigns it, else add `NAME = value` to the production module (after the
   * settings of the same family, else at the end).
   */
  setSettingEdits(name: string, valueSrc: string): Edit[];
  /**
   * Edits that set `key` inside the dict setting `dictName` (e.g. REST_FRAMEWORK). Nested keys
   * (['default', 'CONN_MAX_AGE']) walk into nested literals. Creates the dict when absent.
   */
  setDictKeyEdits(dictName: string, keys: string[], valueSrc: string): Edit[];
}

export interface FileContext extends BaseContext {
  readonly file: ProjectFile;
  readonly module: PyModule;
  /** The tree-sitter tree (valid during the call only). */
  readonly tree: Tree;
  readonly editor: ModuleEditor;
  /**
   * The file's semantic model (imports, scopes, qualified names, enclosing class/function,
   * single-assignment values: see semantic.ts), built on first use and shared by the rules.
   */
  readonly semantic: SemanticModel;
  /** Other modules of the project, read as text (a decorator's source, a constant): see projectsource.ts. */
  readonly projectSource: ProjectSource;
  /** Range of a tree-sitter node. */
  nodeRange(node: Node): Range;
  /** Reports a finding on a node of this file (shorthand for report({at: {file, range}})). */
  reportNode(node: Node, args: Omit<ReportArgs, 'at'>): void;
}

/**
 * The visitors a code rule's `create` returns: a tree-sitter node type (`call`, `decorator`,
 * `class_definition`...) to a function called with each node of that type, in document order,
 * and `module:exit`, called once after the walk (for rules that collect first and decide at the end).
 */
export type CodeVisitors = { [nodeType: string]: ((node: Node) => void) | undefined } & { 'module:exit'?: () => void };

export interface TemplateContext extends BaseContext {
  /** The template file (kind 'template'). */
  readonly file: ProjectFile;
  /** Its tokens, tags, variables and HTML forms (templates.ts). */
  readonly template: TemplateDocument;
  /**
   * Whether the template's output is HTML: an `.html`/`.htm`/`.djhtml` file with HTML markup or
   * `{% extends %}` (templates.ts, looksLikeHtml), not plain text (`.txt`, or a `.html` e-mail
   * subject / text body / chat message without markup).
   */
  readonly html: boolean;
  /** The range of [start, end) offsets of the template. */
  range(start: number, end: number): Range;
}

export interface ProjectContext extends BaseContext, Verdicts {
  readonly files: ProjectFile[];
  /** Every requirement of every dependency file (dependencies.requirements), each with its scope. */
  readonly requirements: Requirement[];
  readonly requirementProblems: RequirementProblem[];
  /** Dependency files, their roles (which one production installs), lock files. */
  readonly dependencies: DependencyModel;
  /** The analysed folder (the workspace folder, or the CLI's PATH): fixes never write above it. */
  readonly analysisRoot: string;
  /** The production settings scope, if a production module was found. */
  readonly settings?: SettingsContext;
  readFile(path: string): string | undefined;
}

/** A test of a file's text (a RegExp is one). */
export interface Prefilter {
  test(text: string): boolean;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * For code and template rules: a file whose text does not match is not parsed at all. A
   * regular expression, or any cheap test of the text (engine/textcalls.ts reads calls from it):
   * it must match every file where the rule can report (test/unit/prefilters.test.ts).
   */
  prefilter?: Prefilter;
  /**
   * For code rules: which Python files they see. Default `code`: application code, never
   * migrations. `migrations`: migration modules only (read as code, never imported). Test files
   * are seen only with the `includeTests` option, whatever this says.
   */
  files?: 'code' | 'migrations';
  checkSettings?(ctx: SettingsContext): void;
  /** Code rules: visitors for the file's single walk (see CodeVisitors). */
  create?(ctx: FileContext): CodeVisitors;
  checkFile?(ctx: FileContext): void;
  checkTemplate?(ctx: TemplateContext): void;
  checkProject?(ctx: ProjectContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** The documentation page of a rule (rendered from its metadata, see docs/rules). */
export const DOCS_BASE = 'https://github.com/django-readiness/django-readiness/blob/main/docs/rules';

export function ruleDocUrl(meta: Pick<RuleMeta, 'code' | 'name'>): string {
  return `${DOCS_BASE}/${meta.code}-${meta.name}.md`;
}
