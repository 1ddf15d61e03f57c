/**
 * One source for every option (issue 13 item 6): server/src/options.ts. package.json's
 * `contributes.configuration` and the README table are generated from it (`npm run docs`), the
 * engine defaults come from it, and the pyproject.toml and editor-settings readers both validate
 * through it, so the same value is accepted or refused the same way in both places.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfig, DEFAULT_THRESHOLDS, mergeConfig, parsePyprojectConfig, SEVERITIES, type ConfigProblem } from '../../server/src/engine';
import { contributedConfiguration, OPTIONS, optionsMarkdownTable, SEVERITY_VALUES, type OptionSpec } from '../../server/src/options';
import { resolveSettings, SETTING_KEYS } from '../../server/src/protocol/settings';
import { repoRoot } from '../helpers/fixtures';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/** A TOML value for the simple shapes used here (booleans, numbers, strings, arrays, inline tables). */
function toml(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(toml).join(', ')}]`;
  if (v && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} = ${toml(x)}`).join(', ')} }`;
  throw new Error(`no TOML for ${String(v)}`);
}

/** The editor's nested settings object holding one value at a dotted key. */
function nested(key: string, value: unknown): Record<string, unknown> {
  const parts = key.split('.');
  let out: unknown = value;
  for (let i = parts.length - 1; i >= 0; i--) out = { [parts[i]]: out };
  return out as Record<string, unknown>;
}

function fromPyproject(o: OptionSpec, value: unknown): { config: Record<string, unknown>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config = parsePyprojectConfig('/p/pyproject.toml', `[tool.django-readiness]\n${JSON.stringify(o.pyproject)} = ${toml(value)}\n`, problems) as Record<string, unknown>;
  return { config, problems };
}

/** Values of each type that are valid, and values that are not. */
function samples(o: OptionSpec): { good: unknown[]; bad: unknown[] } {
  const t = o.type;
  switch (t.kind) {
    case 'boolean':
      return { good: [true, false], bad: ['yes', 1] };
    case 'string':
      return { good: ['mysite.settings.production'], bad: [3, true] };
    case 'number':
      return { good: [t.minimum ?? 0, (t.minimum ?? 0) + 5], bad: ['5', ...(t.minimum !== undefined ? [t.minimum - 1] : [])] };
    case 'enum':
      return { good: [...t.values], bad: ['sometimes', 1] };
    case 'codes':
      return { good: [['DJR101', 'DJR3*'], 'djr1, DJR20?'], bad: [3, true] };
    case 'severities':
      return { good: [{ DJR101: 'warning', 'DJR3*': 'off' }], bad: ['loud', 5] };
    case 'strings':
      return { good: [['legacy', 'vendor/x']], bad: ['legacy', 5] };
  }
}

describe('the options table', () => {
  test('package.json contributes.configuration is generated from it and in sync (npm run docs)', () => {
    assert.deepEqual(pkg.contributes.configuration, contributedConfiguration(), 'package.json drifted from server/src/options.ts: run npm run docs');
  });

  test('the options tables of README.md and docs/editor.md are generated from it and in sync (npm run docs)', () => {
    for (const doc of ['README.md', path.join('docs', 'editor.md')]) {
      const text = fs.readFileSync(path.join(repoRoot, doc), 'utf8');
      const m = /<!-- options:start -->\n([\s\S]*?)\n<!-- options:end -->/.exec(text);
      assert.ok(m, `${doc} has the options markers`);
      assert.equal(m[1], optionsMarkdownTable(), `${doc}: run npm run docs`);
    }
  });

  test('every key is unique; the client reads exactly the editor settings of the table', () => {
    const py = OPTIONS.flatMap((o) => (o.pyproject ? [o.pyproject] : []));
    const st = OPTIONS.flatMap((o) => (o.setting ? [o.setting] : []));
    assert.equal(new Set(py).size, py.length);
    assert.equal(new Set(st).size, st.length);
    assert.deepEqual(SETTING_KEYS.map((k) => k.key), st);
    assert.equal(SETTING_KEYS.find((k) => k.key === 'rules.severity')?.merge, 'object');
    assert.ok(st.includes('logLevel'), 'djangoReadiness.logLevel (added by hand before) is in the table');
    assert.deepEqual([...SEVERITY_VALUES], [...SEVERITIES, 'off']);
  });

  test('the engine defaults are the table defaults', () => {
    const d = defaultConfig() as unknown as Record<string, unknown>;
    for (const o of OPTIONS) {
      if (o.target.to === 'threshold') assert.equal(DEFAULT_THRESHOLDS[o.target.field], o.default, o.target.field);
      else if (o.target.to === 'config' && o.target.field !== 'select' && o.target.field !== 'productionSettingsModule') assert.deepEqual(d[o.target.field], o.default, o.target.field);
    }
    // select: [] and undefined both mean "all"; an empty production module means "detected"
    assert.equal(d.select, undefined);
    assert.equal(d.productionSettingsModule, undefined);
  });

  test('pyproject.toml and the editor accept and refuse the same values (one validator)', () => {
    let compared = 0;
    for (const o of OPTIONS) {
      const { good, bad } = samples(o);
      for (const value of good) {
        const editor = o.setting ? resolveSettings(nested(o.setting, value)) : undefined;
        if (editor) assert.deepEqual(editor.problems, [], `editor ${o.setting} = ${JSON.stringify(value)}`);
        if (!o.pyproject) continue;
        const py = fromPyproject(o, value);
        assert.deepEqual(py.problems, [], `pyproject ${o.pyproject} = ${JSON.stringify(value)}`);
        assert.ok(Object.keys(py.config).length > 0, `pyproject ${o.pyproject} = ${JSON.stringify(value)} is taken`);
        if (editor) {
          assert.deepEqual(editor.config, py.config, `${o.pyproject} / ${o.setting}: same configuration from both sources`);
          compared++;
        }
      }
      for (const value of bad) {
        if (o.setting) {
          const editor = resolveSettings(nested(o.setting, value));
          assert.equal(editor.problems.length, 1, `editor ${o.setting} = ${JSON.stringify(value)} is refused: ${editor.problems}`);
          assert.match(editor.problems[0], new RegExp(`^${o.setting.replace(/\./g, '\\.')}: expected `));
        }
        if (o.pyproject) {
          const py = fromPyproject(o, value);
          assert.equal(py.problems.length, 1, `pyproject ${o.pyproject} = ${JSON.stringify(value)} is refused`);
          assert.match(py.problems[0].message, new RegExp(`^\\[tool\\.django-readiness\\] ${o.pyproject}: expected `));
          assert.deepEqual(py.config, {});
        }
      }
    }
    assert.ok(compared >= 10, `compared ${compared} values`);
  });

  test('bounds come from the table: a negative threshold is refused in both places, the default stays', () => {
    const problems: ConfigProblem[] = [];
    const py = parsePyprojectConfig('/p/pyproject.toml', '[tool.django-readiness]\nhsts-min-seconds = -1\npassword-min-length = 14\n', problems);
    assert.equal(problems.length, 1);
    assert.equal(mergeConfig(py).thresholds.hstsMinSeconds, DEFAULT_THRESHOLDS.hstsMinSeconds);
    assert.equal(mergeConfig(py).thresholds.passwordMinLength, 14);
    const ed = resolveSettings({ hsts: { minSeconds: -1 } });
    assert.deepEqual(ed.problems, ['hsts.minSeconds: expected a non-negative number']);
    for (const o of OPTIONS) if (o.type.kind === 'number') assert.equal(pkg.contributes.configuration.properties[`djangoReadiness.${o.setting}`]?.minimum, o.type.minimum);
  });

  test('a list keeps its valid entries and names the others; unknown pyproject keys are reported', () => {
    const problems: ConfigProblem[] = [];
    const py = parsePyprojectConfig('/p/pyproject.toml', '[tool.django-readiness]\nselect = ["DJR1", "not a code", 3]\nbogus = 1\n', problems);
    assert.deepEqual(py.select, ['DJR1']);
    assert.equal(problems.length, 3);
    assert.match(problems[2].message, /unknown key: bogus \(known: enable, select, /);
    const ed = resolveSettings({ rules: { select: ['DJR1', 'nope'] } });
    assert.deepEqual(ed.config.select, ['DJR1']);
    assert.equal(ed.problems.length, 1);
  });
});
