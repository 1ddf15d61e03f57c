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
import type { SeverityOverride } from '../engine/types';
import { OPTIONS, readOption, settingKeys } from '../options';

/** The configuration section (workspace/configuration `section`, VS Code setting prefix). */
export const SETTINGS_SECTION = 'djangoReadiness';

export type RunMode = 'onType' | 'onSave';

/** How much the server writes to the "Django Readiness" output: debug adds each analysis's timing. */
export type LogLevelSetting = 'error' | 'warn' | 'info' | 'debug';

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
 * folder, as VS Code's own `get()` does; 'value': the most specific scope wins). From the
 * options table (server/src/options.ts).
 */
export const SETTING_KEYS: readonly { key: string; merge: 'value' | 'object' }[] = settingKeys();

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

/** The value at a dotted setting key (`rules.select`) of the nested settings object. */
function valueAt(s: Record<string, unknown>, key: string): unknown {
  let node: unknown = s;
  for (const part of key.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

/**
 * Validates a settings object (anything a client may send) and turns it into a partial engine
 * configuration. Never throws: malformed values are skipped and listed in `problems`. Every
 * setting is read by the options table's validator (server/src/options.ts `readOption`), the
 * same as `[tool.django-readiness]` in pyproject.toml.
 */
export function resolveSettings(raw: unknown): ResolvedSettings {
  const problems: string[] = [];
  const config: PartialConfig = {};
  let run: RunMode = 'onType';
  let logLevel: LogLevelSetting = 'info';
  if (raw === undefined || raw === null) return { config, run, logLevel, problems };
  if (!isObject(raw)) return { config, run, logLevel, problems: ['djangoReadiness: expected an object'] };
  for (const parent of ['rules', 'jwt', 'hsts', 'passwords', 'trace']) {
    const v = raw[parent];
    if (v !== undefined && v !== null && !isObject(v)) problems.push(`${parent}: expected an object`);
  }
  const thresholds: NonNullable<PartialConfig['thresholds']> = {};
  for (const o of OPTIONS) {
    if (!o.setting) continue;
    const v = readOption(o, valueAt(raw, o.setting), o.setting, problems);
    if (v === undefined) continue;
    const t = o.target;
    if (t.to === 'threshold') thresholds[t.field] = v as number;
    else if (t.to === 'config') (config as Record<string, unknown>)[t.field] = v;
    else if (t.field === 'run') run = v as RunMode;
    else if (t.field === 'logLevel') logLevel = v as LogLevelSetting;
  }
  if (Object.keys(thresholds).length > 0) config.thresholds = thresholds;
  return { config, run, logLevel, problems };
}
