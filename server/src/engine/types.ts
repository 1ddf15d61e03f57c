/**
 * Shared data types of the engine. Everything here is plain data (no tree-sitter nodes,
 * no VS Code types) so findings can cross worker threads, the LSP and the CLI unchanged.
 * Positions are 0-based lines and UTF-16 columns, exactly as in LSP.
 */
import { OPTIONS } from '../options';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeverityOverride = Severity | 'off';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** The checklist sections; a rule's category is the section it feeds. */
export type Category =
  | 'secrets'
  | 'debug'
  | 'https'
  | 'cors'
  | 'auth'
  | 'api'
  | 'database'
  | 'logging'
  | 'deployment'
  | 'dependencies';

export const CATEGORY_TITLES: Record<Category, string> = {
  secrets: 'Secrets and environment',
  debug: 'Debug and hosts',
  https: 'HTTPS and security headers',
  cors: 'CORS and CSRF',
  auth: 'Authentication: JWT, passwords, accounts',
  api: 'API (Django REST framework) and code',
  database: 'Database',
  logging: 'Logging and monitoring',
  deployment: 'Static files and deployment',
  dependencies: 'Dependencies',
};

/**
 * How far a fix may be applied without asking (Ruff's meaning):
 *  - `safe`: the running application behaves exactly as before (only what production reads from
 *    settings it already reads, a comment, a file nothing imports...). Fix-all, `--fix` and
 *    fix-on-save apply it.
 *  - `unsafe`: it changes behaviour (a setting now required from the environment, a header the
 *    browsers start enforcing...). Offered as a quick fix; applied in bulk only on request
 *    (`--fix --unsafe-fixes`, "Fix all DJRxxx problems in this file").
 *  - `display-only`: offered as a one-off quick fix (and in the checklist, after a confirmation),
 *    never applied by any fix-all, not even with `--unsafe-fixes`: applied blindly it would lose
 *    something (a secret literal replaced by a lookup with nowhere to go), or it edits a file
 *    with syntax errors.
 */
export type Applicability = 'safe' | 'unsafe' | 'display-only';

export const APPLICABILITIES: readonly Applicability[] = ['safe', 'unsafe', 'display-only'];

/**
 * The one edit type: replace [start, end) of the file's text with `newText`. Offsets are UTF-16
 * code units (the unit of JavaScript strings and of LSP positions) into the text the fix was
 * computed against. `file` is an absolute path.
 */
export interface Edit {
  file: string;
  start: number;
  end: number;
  newText: string;
  /** The file does not exist yet: the fix creates it (start = end = 0). */
  create?: boolean;
}

/** A fix as a rule reports it (ReportArgs.fixes); the analyzer makes it a Fix (buildFix). */
export interface FixSpec {
  /** The action, imperative ("Set X = 1"); says so when a follow-up step is needed (migrate, a new dependency). */
  title: string;
  applicability: Applicability;
  edits: Edit[];
  /**
   * Distinguishes the fixes of one finding in their id (`move-to-dotenv`, `read-env`...).
   * Default: `fix` for the first, `fix-2`, `fix-3`... for the others.
   */
  kind?: string;
  /** Preferred quick fix in the editor. Defaults to applicability safe (or the only fix). */
  preferred?: boolean;
}

/**
 * A fix of a finding. Its edits are sorted by file then offset, never overlap and hold no
 * duplicate (buildFix makes them so); a fix is applied whole or not at all.
 */
export interface Fix {
  /**
   * Stable identifier: rule code, location of the finding and kind
   * (`DJR101@/abs/settings.py:13:0#move-to-dotenv`). Analysing the same texts again gives the same
   * ids, so a caller (the checklist, a code action) can ask for the fix again by id.
   */
  id: string;
  title: string;
  applicability: Applicability;
  edits: Edit[];
  preferred?: boolean;
}

export interface Finding {
  /** Rule code, e.g. DJR101. */
  code: string;
  /** Rule name, e.g. hardcoded-secret-key. */
  name: string;
  severity: Severity;
  /** Absolute path of the file the finding belongs to. */
  file: string;
  range: Range;
  /** Already masked: never contains a secret value. */
  message: string;
  fixes: Fix[];
  /** The closest `manage.py check --deploy` id, e.g. security.W018. */
  django?: string;
  tags?: ('deprecated' | 'unnecessary')[];
  /** The Django root (folder of manage.py) the finding was computed for. */
  projectRoot?: string;
  /**
   * Set when a suppression comment or SILENCED_SYSTEM_CHECKS silences the finding: it is then
   * not a problem (no diagnostic, no exit code) but an accepted risk, listed with its reason.
   */
  suppressed?: Suppression;
}

/** How a finding was silenced, and the reason written with it. */
export interface Suppression {
  /**
   * 'line': `# noqa: DJR101` / `# django-readiness: ignore[DJR101]` on (or above) the line;
   * 'file': `# django-readiness: ignore-file[DJR101]`; 'silenced-check': the Django check id the
   * rule maps to is in SILENCED_SYSTEM_CHECKS.
   */
  kind: 'line' | 'file' | 'silenced-check';
  /** The reason written with the suppression ('' when none was written). */
  reason: string;
  /** Where the suppression is written (absolute path, 0-based line), when known. */
  file?: string;
  line?: number;
  /** For 'silenced-check': the Django check id (security.W004). */
  check?: string;
}

/** Something the user should know that is not a rule finding (syntax error, skipped file...). */
export interface Note {
  file: string;
  range?: Range;
  kind: 'syntax-error' | 'skipped' | 'rule-failed' | 'info';
  message: string;
  /** For rule-failed notes, the rule code. */
  code?: string;
  /** For rule-failed notes, the error's stack (for logs, not for users). */
  detail?: string;
}

export interface Thresholds {
  jwtAccessTokenMaxMinutes: number;
  jwtRefreshTokenMaxDays: number;
  hstsMinSeconds: number;
  passwordMinLength: number;
}

export interface Config {
  enable: boolean;
  /** Rule codes or prefixes to run (empty/undefined = all). */
  select?: string[];
  /** Rule codes or prefixes not to run. */
  ignore: string[];
  /** Per-code severity overrides. */
  severity: Record<string, SeverityOverride>;
  /** Dotted module name (mysite.settings.production) or a path relative to the root. */
  productionSettingsModule?: string;
  thresholds: Thresholds;
  /** Run code rules over test files too. */
  includeTests: boolean;
  /** Extra glob-ish folder names/paths to skip. */
  exclude: string[];
  /** "Today" for date-dependent rules (DJR908); injectable for tests. ISO date. */
  today?: string;
}

/** A default from the options table (server/src/options.ts), by its engine field. */
function optionDefault<T>(field: string): T {
  const o = OPTIONS.find((x) => x.target.field === field);
  if (!o) throw new Error(`no option for ${field}`);
  return (Array.isArray(o.default) ? [...o.default] : o.default) as T;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  jwtAccessTokenMaxMinutes: optionDefault('jwtAccessTokenMaxMinutes'),
  jwtRefreshTokenMaxDays: optionDefault('jwtRefreshTokenMaxDays'),
  hstsMinSeconds: optionDefault('hstsMinSeconds'),
  passwordMinLength: optionDefault('passwordMinLength'),
};

export function defaultConfig(): Config {
  return {
    enable: optionDefault('enable'),
    ignore: optionDefault('ignore'),
    severity: {},
    thresholds: { ...DEFAULT_THRESHOLDS },
    includeTests: optionDefault('includeTests'),
    exclude: optionDefault('exclude'),
  };
}
