/**
 * The settings payload the client sends to the server (workspace/configuration answers):
 * only the values the user explicitly set, as reported by `WorkspaceConfiguration.inspect()`,
 * never the contributed defaults. That is how the server knows that a value "set in VS Code"
 * must win over `[tool.django-readiness]` in pyproject.toml, while an untouched setting lets
 * pyproject.toml decide. No vscode import: unit-tested without VS Code.
 */
import { SETTING_KEYS, type DjangoReadinessSettings } from '../../server/src/protocol/settings';

/** The part of vscode's `inspect()` result used here. */
export interface InspectResult {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type Inspect = (key: string) => InspectResult | undefined;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The explicitly set value of one setting: the most specific scope that sets it (folder >
 * workspace > user), or for object settings the union of the scopes, more specific keys winning
 * (as vscode's own `get()` merges them). undefined when no scope sets it.
 */
export function explicitValue(r: InspectResult | undefined, merge: 'value' | 'object'): unknown {
  if (!r) return undefined;
  const scopes = [r.globalValue, r.workspaceValue, r.workspaceFolderValue];
  if (merge === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const s of scopes) {
      if (!isPlainObject(s)) continue;
      out = { ...(out ?? {}), ...s };
    }
    return out;
  }
  for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i] !== undefined && scopes[i] !== null) return scopes[i];
  return undefined;
}

/** Builds the nested settings object (`rules.severity` -> {rules: {severity}}) of the set values. */
export function buildSettingsPayload(inspect: Inspect): DjangoReadinessSettings {
  const out: Record<string, unknown> = {};
  for (const { key, merge } of SETTING_KEYS) {
    let v: unknown;
    try {
      v = explicitValue(inspect(key), merge);
    } catch {
      v = undefined;
    }
    if (v === undefined) continue;
    const parts = key.split('.');
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]];
      if (isPlainObject(next)) node = next;
      else node = node[parts[i]] = {};
    }
    node[parts[parts.length - 1]] = v;
  }
  return out as DjangoReadinessSettings;
}
