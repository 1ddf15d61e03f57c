/**
 * Shared data types of the engine. Everything here is plain data (no tree-sitter nodes,
 * no VS Code types) so findings can cross worker threads, the LSP and the CLI unchanged.
 * Positions are 0-based lines and UTF-16 columns, exactly as in LSP.
 */

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

/** One text replacement in one file. `file` is an absolute path. */
export interface FileEdit {
  file: string;
  range: Range;
  newText: string;
  /** The file does not exist yet: create it with `newText` (range is 0:0-0:0). */
  create?: boolean;
}

export interface Fix {
  title: string;
  /** Safe fixes go into fix-all and `--fix`; unsafe ones only on request. */
  safe: boolean;
  edits: FileEdit[];
  /** Preferred quick fix in the editor. Defaults to `safe`. */
  preferred?: boolean;
  /**
   * Offered as a quick fix only, never applied by fix-all or `--fix --unsafe-fixes`: it drops
   * data the user must keep elsewhere first (e.g. a secret literal replaced by a lookup).
   */
  manual?: boolean;
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

export const DEFAULT_THRESHOLDS: Thresholds = {
  jwtAccessTokenMaxMinutes: 15,
  jwtRefreshTokenMaxDays: 7,
  hstsMinSeconds: 31536000,
  passwordMinLength: 12,
};

export function defaultConfig(): Config {
  return {
    enable: true,
    ignore: [],
    severity: {},
    thresholds: { ...DEFAULT_THRESHOLDS },
    includeTests: false,
    exclude: [],
  };
}
