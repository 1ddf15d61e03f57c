/**
 * Configuration: defaults, `[tool.django-readiness]` in pyproject.toml, and merging with the
 * editor's settings. Precedence (highest first): editor settings explicitly set by the user,
 * then pyproject.toml, then the built-in defaults. The CLI reads only pyproject.toml + flags.
 */
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { FileSystem } from './project';
import { OPTIONS, optionByPyproject, readOption } from '../options';
import { defaultConfig, type Config, type SeverityOverride } from './types';

export interface ConfigProblem {
  file: string;
  message: string;
}

/** A partial configuration, as read from one source. */
export type PartialConfig = Partial<Omit<Config, 'thresholds'>> & { thresholds?: Partial<Config['thresholds']> };

/**
 * Reads `[tool.django-readiness]` from a pyproject.toml text. Every key is read by the options
 * table's validator (server/src/options.ts), the same as the editor settings; unknown keys and
 * malformed values are reported in `problems` and skipped.
 */
export function parsePyprojectConfig(file: string, text: string, problems: ConfigProblem[] = []): PartialConfig {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    problems.push({ file, message: `pyproject.toml is not valid TOML: ${(e as Error).message.split('\n')[0]}` });
    return {};
  }
  const tool = (data.tool as Record<string, unknown> | undefined)?.['django-readiness'] as Record<string, unknown> | undefined;
  if (!tool || typeof tool !== 'object') return {};
  const out: PartialConfig = {};
  const messages: string[] = [];
  for (const [key, value] of Object.entries(tool)) {
    const o = optionByPyproject(key);
    if (!o) {
      messages.push(`[tool.django-readiness] unknown key: ${key} (known: ${OPTIONS.flatMap((x) => (x.pyproject ? [x.pyproject] : [])).join(', ')})`);
      continue;
    }
    const v = readOption(o, value, `[tool.django-readiness] ${key}`, messages);
    if (v === undefined) continue;
    const t = o.target;
    if (t.to === 'threshold') out.thresholds = { ...out.thresholds, [t.field]: v as number };
    else if (t.to === 'config') (out as Record<string, unknown>)[t.field] = v;
  }
  for (const message of messages) problems.push({ file, message });
  return out;
}

/** Reads the nearest pyproject.toml at or above `root` (stopping at the filesystem root). */
export function loadPyprojectConfig(fs: FileSystem, root: string, problems: ConfigProblem[] = []): PartialConfig {
  let dir = root;
  for (let i = 0; i < 32; i++) {
    const p = path.join(dir, 'pyproject.toml');
    const text = fs.readFile(p);
    if (text !== undefined) {
      const cfg = parsePyprojectConfig(p, text, problems);
      if (Object.keys(cfg).length > 0) return cfg;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return {};
}

/** Merges partial configurations, later ones winning, over the defaults. */
export function mergeConfig(...parts: PartialConfig[]): Config {
  const c = defaultConfig();
  for (const p of parts) {
    if (!p) continue;
    if (p.enable !== undefined) c.enable = p.enable;
    if (p.select !== undefined) c.select = p.select;
    if (p.ignore !== undefined) c.ignore = p.ignore;
    if (p.severity !== undefined) c.severity = { ...c.severity, ...p.severity };
    if (p.productionSettingsModule) c.productionSettingsModule = p.productionSettingsModule;
    if (p.includeTests !== undefined) c.includeTests = p.includeTests;
    if (p.exclude !== undefined) c.exclude = p.exclude;
    if (p.today !== undefined) c.today = p.today;
    if (p.thresholds) c.thresholds = { ...c.thresholds, ...p.thresholds };
  }
  return c;
}

/**
 * Whether `pattern` (a code, a prefix such as DJR3, a wildcard such as DJR3* or DJR30?, or ALL)
 * matches `code`. `*` stands for any digits, `?` for one.
 */
export function codeMatches(pattern: string, code: string): boolean {
  const p = pattern.trim().toUpperCase();
  if (p === 'ALL' || p === '*') return true;
  if (/[*?]/.test(p)) return new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '\\d*').replace(/\?/g, '\\d')}$`).test(code);
  return code.startsWith(p);
}

/** How specific a pattern is: an exact code beats a longer prefix, which beats a shorter one. */
function specificity(pattern: string, code: string): number {
  const p = pattern.trim().toUpperCase();
  if (p === code) return 1000;
  if (p === 'ALL' || p === '*') return 0;
  return p.replace(/[*?]/g, '').length;
}

/**
 * The severity override of a rule: `severity` keys are codes (DJR304), prefixes (DJR3) or
 * wildcards (DJR3*, DJR30?); the most specific matching key wins (an exact code over DJR30*,
 * DJR30* over DJR3*).
 */
export function severityOverride(config: Pick<Config, 'severity'>, code: string): SeverityOverride | undefined {
  const exact = config.severity[code];
  if (exact !== undefined) return exact;
  let best: { s: number; v: SeverityOverride } | undefined;
  for (const [key, v] of Object.entries(config.severity)) {
    if (!codeMatches(key, code)) continue;
    const s = specificity(key, code);
    if (!best || s > best.s) best = { s, v };
  }
  return best?.v;
}

/** Whether a rule code runs under `select` / `ignore` (codes, prefixes such as DJR3, wildcards such as DJR3*). */
export function ruleEnabled(config: Config, code: string, optIn = false): boolean {
  const match = (list: string[] | undefined) => !!list && list.some((p) => codeMatches(p, code));
  const selected = !!config.select && config.select.length > 0;
  if (selected && !match(config.select)) return false;
  if (match(config.ignore)) return false;
  const severity = severityOverride(config, code);
  if (severity === 'off') return false;
  // an opt-in rule (RuleMeta.optIn) runs only when asked for: selected, or given a severity
  return !optIn || selected || severity !== undefined;
}
