/**
 * Every option of django-readiness, in one table: its `[tool.django-readiness]` key in
 * pyproject.toml, its VS Code setting (`djangoReadiness.<setting>`), type, default, bounds and
 * description. Derived from it:
 *  - the `contributes.configuration` block of package.json (`npm run docs` writes it, a test
 *    checks it is in sync): `contributedConfiguration()`;
 *  - the pyproject.toml reader (engine/config.ts `parsePyprojectConfig`) and the editor
 *    settings reader (protocol/settings.ts `resolveSettings`), both through `readOption()`;
 *  - the keys the VS Code client reads with `inspect()` (protocol/settings.ts `SETTING_KEYS`).
 *
 * Plain data and pure functions, no import: the engine, the protocol, the client and the
 * scripts share it (a leaf of the layer graph, see eslint.config.mjs).
 */

/** The severities a rule may be given (`off` disables it). Same order as engine SEVERITIES. */
export const SEVERITY_VALUES = ['error', 'warning', 'info', 'hint', 'off'] as const;

/** A rule code, a prefix (DJR3), a wildcard (DJR3*, DJR30?) or ALL / *. */
export const CODE_PATTERN = '^(DJR[0-9?]{0,3}\\*?|ALL|\\*)$';

export type OptionType =
  | { kind: 'boolean' }
  /** Trimmed; an empty string means "not set". */
  | { kind: 'string' }
  | { kind: 'number'; minimum?: number; maximum?: number }
  | { kind: 'enum'; values: readonly string[]; descriptions?: readonly string[] }
  /** Rule code patterns: a list, or one comma-separated string; upper-cased. */
  | { kind: 'codes' }
  /** Rule code pattern -> one of SEVERITY_VALUES. */
  | { kind: 'severities' }
  /** A list of strings (folder names or paths). */
  | { kind: 'strings' };

/** Where a value goes: a field of the engine configuration, a threshold, or the editor only. */
export type OptionTarget =
  | { to: 'config'; field: 'enable' | 'select' | 'ignore' | 'severity' | 'productionSettingsModule' | 'includeTests' | 'exclude' }
  | { to: 'threshold'; field: 'jwtAccessTokenMaxMinutes' | 'jwtRefreshTokenMaxDays' | 'hstsMinSeconds' | 'passwordMinLength' }
  | { to: 'editor'; field: 'run' | 'logLevel' | 'traceServer' };

export interface OptionSpec {
  /** Key in `[tool.django-readiness]`; absent: not an option of pyproject.toml. */
  pyproject?: string;
  /** Key below `djangoReadiness.` in the editor; absent: not an editor setting. */
  setting?: string;
  type: OptionType;
  default: boolean | string | number | string[] | Record<string, string>;
  /** VS Code setting scope (default resource: per folder). */
  scope?: 'resource' | 'window';
  /** Markdown; the README and package.json show it. */
  description: string;
  target: OptionTarget;
}

const PRECEDENCE = 'A value set here (user, workspace or folder settings) wins over `[tool.django-readiness]` in `pyproject.toml`, which wins over the default.';

export const OPTIONS: readonly OptionSpec[] = [
  {
    pyproject: 'enable',
    setting: 'enable',
    type: { kind: 'boolean' },
    default: true,
    description: 'Analyse Django projects in this folder.',
    target: { to: 'config', field: 'enable' },
  },
  {
    pyproject: 'select',
    setting: 'rules.select',
    type: { kind: 'codes' },
    default: [],
    description: 'Run only these rules: codes, prefixes or wildcards (`DJR1` or `DJR1*` = every secrets rule). Empty: all rules.',
    target: { to: 'config', field: 'select' },
  },
  {
    pyproject: 'ignore',
    setting: 'rules.ignore',
    type: { kind: 'codes' },
    default: [],
    description: 'Never run these rules (codes, prefixes or wildcards).',
    target: { to: 'config', field: 'ignore' },
  },
  {
    pyproject: 'severity',
    setting: 'rules.severity',
    type: { kind: 'severities' },
    default: {},
    description: 'Severity per rule code, prefix or wildcard, e.g. `{ "DJR3*": "warning", "DJR802": "hint", "DJR701": "off" }` (`off` disables the rule; the most specific key wins). The editor\'s value is merged key by key with `[tool.django-readiness.severity]` in `pyproject.toml`; a code set in the editor wins.',
    target: { to: 'config', field: 'severity' },
  },
  {
    pyproject: 'production-settings-module',
    setting: 'productionSettingsModule',
    type: { kind: 'string' },
    default: '',
    description: 'The settings module that runs in production, as a dotted name (`mysite.settings.production`) or a path relative to the folder. Empty: detected (a module named production/prod/live, the `DJANGO_SETTINGS_MODULE` default of wsgi.py, a lone settings.py). In VS Code, **Django Readiness: Choose the Production Settings Module…** picks one.',
    target: { to: 'config', field: 'productionSettingsModule' },
  },
  {
    pyproject: 'include-tests',
    type: { kind: 'boolean' },
    default: false,
    description: 'Run the code rules over test files too: `test_*.py`, `*_test.py`, `*_tests.py`, `*_testing.py`, `tests.py`, `conftest.py`, and every file under a `tests/`, `test/`, `*_tests/` or `tests_*/` folder.',
    target: { to: 'config', field: 'includeTests' },
  },
  {
    pyproject: 'exclude',
    type: { kind: 'strings' },
    default: [],
    description: 'Folders to skip (names or paths relative to the project).',
    target: { to: 'config', field: 'exclude' },
  },
  {
    pyproject: 'jwt-access-token-max-minutes',
    setting: 'jwt.accessTokenMaxMinutes',
    type: { kind: 'number', minimum: 0 },
    default: 15,
    description: 'Longest acceptable `SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]`, in minutes (DJR501).',
    target: { to: 'threshold', field: 'jwtAccessTokenMaxMinutes' },
  },
  {
    pyproject: 'jwt-refresh-token-max-days',
    setting: 'jwt.refreshTokenMaxDays',
    type: { kind: 'number', minimum: 0 },
    default: 7,
    description: 'Longest acceptable `SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]`, in days (DJR502).',
    target: { to: 'threshold', field: 'jwtRefreshTokenMaxDays' },
  },
  {
    pyproject: 'hsts-min-seconds',
    setting: 'hsts.minSeconds',
    type: { kind: 'number', minimum: 0 },
    default: 31536000,
    description: 'Smallest acceptable `SECURE_HSTS_SECONDS`, in seconds (DJR304; default: one year).',
    target: { to: 'threshold', field: 'hstsMinSeconds' },
  },
  {
    pyproject: 'password-min-length',
    setting: 'passwords.minLength',
    type: { kind: 'number', minimum: 0 },
    default: 12,
    description: 'Smallest acceptable `min_length` of `MinimumLengthValidator` (DJR506, DJR507).',
    target: { to: 'threshold', field: 'passwordMinLength' },
  },
  {
    setting: 'run',
    type: { kind: 'enum', values: ['onType', 'onSave'], descriptions: ['Analyse while typing (debounced).', 'Analyse when a file is saved.'] },
    default: 'onType',
    description: 'When to analyse: while typing or on save. Fix-all on save (`source.fixAll.djangoReadiness` in `editor.codeActionsOnSave`) works in both modes.',
    target: { to: 'editor', field: 'run' },
  },
  {
    setting: 'logLevel',
    type: {
      kind: 'enum',
      values: ['error', 'warn', 'info', 'debug'],
      descriptions: [
        'Errors only.',
        'Errors and warnings (settings that could not be read, fixes not offered).',
        'Also what the server decided at start-up: version, workspace folders, the production settings module chosen and why, rules enabled, time to the first diagnostics.',
        'Also each analysis with its timing.',
      ],
    },
    default: 'info',
    scope: 'window',
    description: 'What the language server writes to the "Django Readiness" output (**Django Readiness: Show Logs**).',
    target: { to: 'editor', field: 'logLevel' },
  },
  {
    setting: 'trace.server',
    type: { kind: 'enum', values: ['off', 'messages', 'verbose'] },
    default: 'off',
    scope: 'window',
    description: 'Traces the communication between VS Code and the Django Readiness language server (in the "Django Readiness" output).',
    target: { to: 'editor', field: 'traceServer' },
  },
];

/** What a value must be, in words (the problem messages of both readers). */
export function expected(t: OptionType): string {
  switch (t.kind) {
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'number': {
      const lo = t.minimum !== undefined ? (t.minimum === 0 ? 'a non-negative number' : `a number >= ${t.minimum}`) : 'a number';
      return t.maximum !== undefined ? `${lo} <= ${t.maximum}` : lo;
    }
    case 'enum':
      return t.values.length === 2 ? `${t.values[0]} or ${t.values[1]}` : `${t.values.slice(0, -1).join(', ')} or ${t.values[t.values.length - 1]}`;
    case 'codes':
      return 'a list of rule codes, prefixes or wildcards (DJR101, DJR3, DJR3*)';
    case 'severities':
      return `a table of rule code -> ${SEVERITY_VALUES.slice(0, -1).join(', ')} or ${SEVERITY_VALUES[SEVERITY_VALUES.length - 1]}`;
    case 'strings':
      return 'a list of strings';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const codeRe = new RegExp(CODE_PATTERN);

/**
 * Validates one option's raw value (from TOML or from the editor's JSON) against its type.
 * `name` names the value in problem messages. Returns undefined (with a problem when the value
 * was malformed) when the value is absent, empty (a blank string) or unusable; a list or table
 * keeps its valid entries and reports the others.
 */
export function readOption(spec: OptionSpec, raw: unknown, name: string, problems: string[]): unknown {
  if (raw === undefined || raw === null) return undefined;
  const t = spec.type;
  const bad = (what = name) => {
    problems.push(`${what}: expected ${expected(t)}`);
    return undefined;
  };
  switch (t.kind) {
    case 'boolean':
      return typeof raw === 'boolean' ? raw : bad();
    case 'string':
      if (typeof raw !== 'string') return bad();
      return raw.trim() || undefined;
    case 'number':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return bad();
      if (t.minimum !== undefined && raw < t.minimum) return bad();
      if (t.maximum !== undefined && raw > t.maximum) return bad();
      return raw;
    case 'enum':
      return typeof raw === 'string' && t.values.includes(raw) ? raw : bad();
    case 'codes': {
      const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
      if (!items) return bad();
      const out: string[] = [];
      for (const x of items) {
        const code = typeof x === 'string' ? x.trim().toUpperCase() : undefined;
        if (code === '' && typeof raw === 'string') continue;
        if (code && codeRe.test(code)) out.push(code);
        else problems.push(`${name}: ignored ${JSON.stringify(x)}, not a rule code, prefix or wildcard`);
      }
      return out;
    }
    case 'severities': {
      if (!isObject(raw)) return bad();
      const out: Record<string, string> = {};
      for (const [key, v] of Object.entries(raw)) {
        const code = key.trim().toUpperCase();
        if (!codeRe.test(code)) problems.push(`${name}: ignored ${JSON.stringify(key)}, not a rule code, prefix or wildcard`);
        else if (typeof v === 'string' && (SEVERITY_VALUES as readonly string[]).includes(v)) out[code] = v;
        else problems.push(`${name}.${key}: expected ${SEVERITY_VALUES.slice(0, -1).join(', ')} or ${SEVERITY_VALUES[SEVERITY_VALUES.length - 1]}`);
      }
      return out;
    }
    case 'strings': {
      if (!Array.isArray(raw)) return bad();
      const out: string[] = [];
      for (const x of raw) {
        if (typeof x === 'string' && x.trim()) out.push(x.trim());
        else problems.push(`${name}: ignored a non-string entry`);
      }
      return out;
    }
  }
}

/** The option of an editor setting key (below `djangoReadiness.`). */
export function optionBySetting(key: string): OptionSpec | undefined {
  return OPTIONS.find((o) => o.setting === key);
}

/** The option of a `[tool.django-readiness]` key. */
export function optionByPyproject(key: string): OptionSpec | undefined {
  return OPTIONS.find((o) => o.pyproject === key);
}

/** The editor setting keys with how values set in several scopes merge (tables key by key). */
export function settingKeys(): { key: string; merge: 'value' | 'object' }[] {
  return OPTIONS.filter((o) => o.setting).map((o) => ({ key: o.setting as string, merge: o.type.kind === 'severities' ? 'object' : 'value' }));
}

/** One setting's JSON schema, as package.json `contributes.configuration.properties` holds it. */
function schemaOf(o: OptionSpec): Record<string, unknown> {
  const t = o.type;
  const s: Record<string, unknown> = {};
  switch (t.kind) {
    case 'boolean':
      s.type = 'boolean';
      break;
    case 'string':
      s.type = 'string';
      break;
    case 'number':
      s.type = 'number';
      break;
    case 'enum':
      s.type = 'string';
      s.enum = [...t.values];
      if (t.descriptions) s.enumDescriptions = [...t.descriptions];
      break;
    case 'codes':
      s.type = 'array';
      s.items = { type: 'string', pattern: CODE_PATTERN };
      break;
    case 'severities':
      s.type = 'object';
      break;
    case 'strings':
      s.type = 'array';
      s.items = { type: 'string' };
      break;
  }
  s.default = o.default;
  if (t.kind === 'number') {
    if (t.minimum !== undefined) s.minimum = t.minimum;
    if (t.maximum !== undefined) s.maximum = t.maximum;
  }
  if (t.kind === 'severities') {
    s.propertyNames = { pattern: CODE_PATTERN };
    s.additionalProperties = { type: 'string', enum: [...SEVERITY_VALUES] };
  }
  s.scope = o.scope ?? 'resource';
  const py = o.pyproject ? ` \`pyproject.toml\`: \`${o.pyproject}\`.` : '';
  const precedence = o.pyproject && o.type.kind !== 'severities' ? ` ${PRECEDENCE}` : '';
  s.markdownDescription = `${o.description}${py}${precedence}`;
  return s;
}

/** package.json `contributes.configuration`, generated from the table. */
export function contributedConfiguration(): { title: string; properties: Record<string, Record<string, unknown>> } {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const o of OPTIONS) if (o.setting) properties[`djangoReadiness.${o.setting}`] = schemaOf(o);
  return { title: 'Django Readiness', properties };
}

/** The options as a Markdown table (README, between `<!-- options:start -->` and `<!-- options:end -->`). */
export function optionsMarkdownTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const typeOf = (o: OptionSpec): string => {
    const t = o.type;
    if (t.kind === 'enum') return t.values.map((v) => `\`${v}\``).join(' \\| ');
    if (t.kind === 'number') return `number${t.minimum !== undefined ? ` ≥ ${t.minimum}` : ''}${t.maximum !== undefined ? ` ≤ ${t.maximum}` : ''}`;
    return { boolean: 'boolean', string: 'string', codes: 'list of codes', severities: 'table code → severity', strings: 'list of strings' }[t.kind];
  };
  const rows = OPTIONS.map((o) => `| ${o.pyproject ? `\`${o.pyproject}\`` : '—'} | ${o.setting ? `\`djangoReadiness.${o.setting}\`` : '—'} | ${typeOf(o)} | \`${JSON.stringify(o.default)}\` | ${cell(o.description)} |`);
  return ['| pyproject.toml | VS Code setting | type | default | description |', '|---|---|---|---|---|', ...rows].join('\n');
}
