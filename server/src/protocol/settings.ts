/**
 * The editor settings (`djangoReadiness.*` in VS Code) as the language server receives them,
 * and their translation to the engine's configuration. Plain data, no vscode or LSP import:
 * the client, the server and the tests share it.
 *
 * Precedence (highest first): a setting the user explicitly set in the editor, then
 * `[tool.django-readiness]` in pyproject.toml, then the built-in defaults. To know what is
 * "explicitly set", the VS Code client sends only the values `inspect()` reports as set in some
 * scope (user, workspace, folder), never the contributed defaults; other LSP clients send
 * whatever their user configured, which is explicit by nature.
 */
import type { PartialConfig } from '../engine/config';
import { SEVERITIES, type SeverityOverride } from '../engine/types';

/** The configuration section (workspace/configuration `section`, VS Code setting prefix). */
export const SETTINGS_SECTION = 'djangoReadiness';

export type RunMode = 'onType' | 'onSave';

/** How much the server writes to the "Django Readiness" output: debug adds each analysis's timing. */
export type LogLevelSetting = 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevelSetting[] = ['error', 'warn', 'info', 'debug'];

/** What the client sends: every field optional (absent = not set by the user). */
export interface DjangoReadinessSettings {
  enable?: boolean;
  rules?: {
    select?: string[];
    ignore?: string[];
    /** Rule code -> error | warning | info | hint | off. */
    severity?: Record<string, SeverityOverride>;
  };
  /** Dotted module name (mysite.settings.production) or a path relative to the folder. */
  productionSettingsModule?: string;
  jwt?: { accessTokenMaxMinutes?: number; refreshTokenMaxDays?: number };
  hsts?: { minSeconds?: number };
  passwords?: { minLength?: number };
  /** Analyse while typing (default) or only when a file is saved. */
  run?: RunMode;
  /** What the server logs (default info: start-up, the production module chosen and why). */
  logLevel?: LogLevelSetting;
  trace?: { server?: 'off' | 'messages' | 'verbose' };
}

/**
 * The flat setting keys below `djangoReadiness` that the client reads with `inspect()`, with
 * how to merge values set in several scopes ('object': merged key by key, user < workspace <
 * folder, as VS Code's own `get()` does; 'value': the most specific scope wins).
 */
export const SETTING_KEYS: readonly { key: string; merge: 'value' | 'object' }[] = [
  { key: 'enable', merge: 'value' },
  { key: 'rules.select', merge: 'value' },
  { key: 'rules.ignore', merge: 'value' },
  { key: 'rules.severity', merge: 'object' },
  { key: 'productionSettingsModule', merge: 'value' },
  { key: 'jwt.accessTokenMaxMinutes', merge: 'value' },
  { key: 'jwt.refreshTokenMaxDays', merge: 'value' },
  { key: 'hsts.minSeconds', merge: 'value' },
  { key: 'passwords.minLength', merge: 'value' },
  { key: 'run', merge: 'value' },
  { key: 'logLevel', merge: 'value' },
  { key: 'trace.server', merge: 'value' },
];

export interface ResolvedSettings {
  /** The editor's explicit part of the configuration (merged over pyproject.toml). */
  config: PartialConfig;
  run: RunMode;
  logLevel: LogLevelSetting;
  /** Values that were ignored because they are malformed (reported in the server log). */
  problems: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function codeList(v: unknown, name: string, problems: string[]): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) {
      if (typeof x === 'string' && x.trim()) out.push(x.trim().toUpperCase());
      else problems.push(`${name}: ignored a non-string entry`);
    }
    return out;
  }
  problems.push(`${name}: expected a list of rule codes`);
  return undefined;
}

function threshold(v: unknown, name: string, problems: string[]): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  problems.push(`${name}: expected a non-negative number`);
  return undefined;
}

/**
 * Validates a settings object (anything a client may send) and turns it into a partial engine
 * configuration. Never throws: malformed values are skipped and listed in `problems`.
 */
export function resolveSettings(raw: unknown): ResolvedSettings {
  const problems: string[] = [];
  const config: PartialConfig = {};
  let run: RunMode = 'onType';
  let logLevel: LogLevelSetting = 'info';
  if (raw === undefined || raw === null) return { config, run, logLevel, problems };
  if (!isObject(raw)) return { config, run, logLevel, problems: ['djangoReadiness: expected an object'] };
  const s = raw as Record<string, unknown>;
  if (s.enable !== undefined && s.enable !== null) {
    if (typeof s.enable === 'boolean') config.enable = s.enable;
    else problems.push('enable: expected true or false');
  }
  const rules = s.rules;
  if (rules !== undefined && rules !== null) {
    if (!isObject(rules)) problems.push('rules: expected an object');
    else {
      const select = codeList(rules.select, 'rules.select', problems);
      if (select !== undefined) config.select = select;
      const ignore = codeList(rules.ignore, 'rules.ignore', problems);
      if (ignore !== undefined) config.ignore = ignore;
      if (rules.severity !== undefined && rules.severity !== null) {
        if (!isObject(rules.severity)) problems.push('rules.severity: expected an object of rule code -> severity');
        else {
          const sev: Record<string, SeverityOverride> = {};
          for (const [code, v] of Object.entries(rules.severity)) {
            if (typeof v === 'string' && (v === 'off' || (SEVERITIES as readonly string[]).includes(v))) sev[code.trim().toUpperCase()] = v as SeverityOverride;
            else problems.push(`rules.severity.${code}: expected error, warning, info, hint or off`);
          }
          config.severity = sev;
        }
      }
    }
  }
  if (s.productionSettingsModule !== undefined && s.productionSettingsModule !== null) {
    if (typeof s.productionSettingsModule === 'string') {
      const m = s.productionSettingsModule.trim();
      if (m) config.productionSettingsModule = m;
    } else problems.push('productionSettingsModule: expected a string');
  }
  const thresholds: NonNullable<PartialConfig['thresholds']> = {};
  const jwt = isObject(s.jwt) ? s.jwt : {};
  const hsts = isObject(s.hsts) ? s.hsts : {};
  const passwords = isObject(s.passwords) ? s.passwords : {};
  const t1 = threshold(jwt.accessTokenMaxMinutes, 'jwt.accessTokenMaxMinutes', problems);
  if (t1 !== undefined) thresholds.jwtAccessTokenMaxMinutes = t1;
  const t2 = threshold(jwt.refreshTokenMaxDays, 'jwt.refreshTokenMaxDays', problems);
  if (t2 !== undefined) thresholds.jwtRefreshTokenMaxDays = t2;
  const t3 = threshold(hsts.minSeconds, 'hsts.minSeconds', problems);
  if (t3 !== undefined) thresholds.hstsMinSeconds = t3;
  const t4 = threshold(passwords.minLength, 'passwords.minLength', problems);
  if (t4 !== undefined) thresholds.passwordMinLength = t4;
  if (Object.keys(thresholds).length > 0) config.thresholds = thresholds;
  if (s.run !== undefined && s.run !== null) {
    if (s.run === 'onType' || s.run === 'onSave') run = s.run;
    else problems.push('run: expected onType or onSave');
  }
  if (s.logLevel !== undefined && s.logLevel !== null) {
    if (typeof s.logLevel === 'string' && (LOG_LEVELS as readonly string[]).includes(s.logLevel)) logLevel = s.logLevel as LogLevelSetting;
    else problems.push('logLevel: expected error, warn, info or debug');
  }
  return { config, run, logLevel, problems };
}
