/**
 * Fixes that add several keys to one dict setting (DJR601 throttle classes + rates, DJR602 class +
 * PAGE_SIZE, DJR702 CONN_MAX_AGE + CONN_HEALTH_CHECKS): edits computed against the original text
 * that insert at the same point must all apply, in order, without doubled commas; fixes of
 * several rules that each create the missing dict must not create it twice. Also: database URL
 * query parameters become OPTIONS.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { applyEdits, defineRule, MemoryFileSystem, normalizeEdits, parseDatabaseUrl, setDictKeysEdits, type Value } from '../../server/src/engine';
import { analyze, fixUntilStable, ready } from '../helpers/fixtures';

function parses(text: string): boolean | undefined {
  try {
    execFileSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: text, stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'ENOENT' ? undefined : false;
  }
}

/** A throwaway rule whose one fix sets `entries` in `dict` through setDictKeysEdits. */
function keysRule(dict: string, entries: { keys: string[]; valueSrc: string }[]) {
  return defineRule({
    meta: {
      code: 'DJR999', name: 'test-dict-keys', category: 'api', severity: 'warning', kind: 'settings', seeds: ['000'], message: 'm', fix: 'safe', fixTitle: 't',
      docs: { what: 'w', why: 'w', example: 'e', instead: 'i', references: ['r'] },
    },
    checkSettings(ctx) {
      const v = ctx.value(dict);
      const missing = entries.filter((e) => {
        let cur: Value | undefined = v;
        for (const k of e.keys) cur = cur?.kind === 'dict' ? [...cur.entries].reverse().find((x) => x.key.kind === 'str' && x.key.value === k)?.value : undefined;
        return cur === undefined;
      });
      if (missing.length) ctx.report({ at: ctx.missingAt(dict), fixes: [{ title: 't', applicability: 'safe', edits: setDictKeysEdits(ctx, dict, missing) }] });
    },
  });
}

function fixWith(settings: string, rule: ReturnType<typeof keysRule>): { text: string; passes: number } {
  const mem = new MemoryFileSystem({ '/p/settings.py': settings });
  const passes = fixUntilStable(mem, '/p', { unsafe: true, rules: [rule] });
  return { text: mem.readFile('/p/settings.py') ?? '', passes };
}

const TWO = [
  { keys: ['A'], valueSrc: '1' },
  { keys: ['B'], valueSrc: '2' },
];

describe('several keys of one dict in one fix', () => {
  before(ready);

  test('a fix merges identical edits at one point even when others sit between them', () => {
    const text = 'X = {"k": 1\n}\n';
    const at = text.indexOf('1') + 1;
    const e = (newText: string) => ({ file: '/p/settings.py', start: at, end: at, newText });
    const edits = normalizeEdits([e(','), e('\n    "A": 1,'), e(','), e('\n    "B": 2,')]);
    assert.deepEqual(edits.map((x) => x.newText), [',', '\n    "A": 1,', '\n    "B": 2,'], 'the duplicate dropped, the order kept');
    assert.equal(applyEdits(text, edits), 'X = {"k": 1,\n    "A": 1,\n    "B": 2,\n}\n');
  });

  test('multi-line dict whose last entry has no trailing comma: one comma, both keys, in order', () => {
    const { text, passes } = fixWith('REST = {\n    "k": 1  # note\n}\n', keysRule('REST', TWO));
    assert.equal(text, 'REST = {\n    "k": 1,  # note\n    "A": 1,\n    "B": 2,\n}\n');
    assert.equal(passes, 1, 'both keys in one pass');
    assert.notEqual(parses(text), false);
  });

  test('multi-line dict closing on the last entry line (each insertion brings its own line break: a blank line between)', () => {
    const { text, passes } = fixWith('REST = {\n    "k": 1}\n', keysRule('REST', TWO));
    assert.equal(text, 'REST = {\n    "k": 1,\n    "A": 1,\n\n    "B": 2,\n}\n');
    assert.notEqual(parses(text), false);
    assert.equal(passes, 1);
  });

  test('one-line dict', () => {
    const { text, passes } = fixWith('REST = {"k": 1}\n', keysRule('REST', TWO));
    assert.equal(text, 'REST = {"k": 1, "A": 1, "B": 2}\n');
    assert.equal(passes, 1);
  });

  test('an empty one-line dict takes one key per pass and converges', () => {
    const { text, passes } = fixWith('REST = {}\n', keysRule('REST', TWO));
    assert.equal(text, 'REST = {"A": 1, "B": 2}\n');
    assert.equal(passes, 2);
  });

  test('an absent dict is created once with every key', () => {
    const { text, passes } = fixWith('DEBUG = False\n', keysRule('REST', TWO));
    assert.equal(text, 'DEBUG = False\n\nREST = {\n    "A": 1,\n    "B": 2,\n}\n');
    assert.equal(passes, 1);
  });

  test('nested keys into an entry that is not a literal: subscript assignments, in order', () => {
    const rule = keysRule('DATABASES', [
      { keys: ['default', 'CONN_MAX_AGE'], valueSrc: '60' },
      { keys: ['default', 'CONN_HEALTH_CHECKS'], valueSrc: 'True' },
    ]);
    const { text } = fixWith('import environ\nenv = environ.Env()\nDATABASES = {"default": env.db("DATABASE_URL", default="postgres://db/app")}\n', rule);
    assert.equal(text, 'import environ\nenv = environ.Env()\nDATABASES = {"default": env.db("DATABASE_URL", default="postgres://db/app")}\nDATABASES["default"]["CONN_MAX_AGE"] = 60\nDATABASES["default"]["CONN_HEALTH_CHECKS"] = True\n');
  });

  test('fix-all over rules that each create the missing REST_FRAMEWORK: one dict with all keys', () => {
    const mem = new MemoryFileSystem({ '/p/settings.py': 'INSTALLED_APPS = ["rest_framework"]\n' });
    fixUntilStable(mem, '/p', { unsafe: true, codes: ['DJR601', 'DJR602', 'DJR603'] });
    const text = mem.readFile('/p/settings.py') ?? '';
    assert.equal(text.match(/^REST_FRAMEWORK = /gm)?.length, 1, text);
    for (const k of ['DEFAULT_THROTTLE_CLASSES', 'DEFAULT_THROTTLE_RATES', 'DEFAULT_PAGINATION_CLASS', 'PAGE_SIZE', 'DEFAULT_PERMISSION_CLASSES']) assert.ok(text.includes(`"${k}"`), k);
    assert.notEqual(parses(text), false);
    assert.equal(fixUntilStable(mem, '/p', { unsafe: true, codes: ['DJR601', 'DJR602', 'DJR603'] }), 0);
    const left = analyze(mem, '/p', {}, allRules).findings.filter((f) => ['DJR601', 'DJR602', 'DJR603'].includes(f.code));
    assert.deepEqual(left.map((f) => f.message), []);
  });

  test('fix-all over DRF rules with an existing dict, last entry without comma: still one comma', () => {
    const mem = new MemoryFileSystem({ '/p/settings.py': 'INSTALLED_APPS = ["rest_framework"]\nREST_FRAMEWORK = {\n    "PAGE_SIZE": 20\n}\n' });
    fixUntilStable(mem, '/p', { unsafe: true, codes: ['DJR601', 'DJR602', 'DJR603'] });
    const text = mem.readFile('/p/settings.py') ?? '';
    assert.ok(!text.includes(',,'), text);
    assert.ok(text.startsWith('INSTALLED_APPS = ["rest_framework"]\nREST_FRAMEWORK = {\n    "PAGE_SIZE": 20,\n    "DEFAULT_THROTTLE_CLASSES": '), text);
    assert.notEqual(parses(text), false);
  });
});

describe('database URLs', () => {
  before(ready);
  const origin = {} as never;
  const parse = (url: string) => parseDatabaseUrl({ kind: 'str', value: url, origin });
  const plain = (v: Value | undefined): unknown =>
    v?.kind === 'dict' ? Object.fromEntries(v.entries.map((e) => [e.key.kind === 'str' ? e.key.value : '?', plain(e.value)])) : v && 'value' in v ? v.value : undefined;

  test('query parameters become OPTIONS (numbers as numbers)', () => {
    assert.deepEqual(plain(parse('postgres://u:p@db.example.com:5432/app?sslmode=require&connect_timeout=10')), {
      ENGINE: 'django.db.backends.postgresql',
      NAME: 'app',
      USER: 'u',
      PASSWORD: 'p',
      HOST: 'db.example.com',
      PORT: '5432',
      OPTIONS: { sslmode: 'require', connect_timeout: 10 },
    });
  });

  test('no query, no OPTIONS; a malformed escape does not throw', () => {
    assert.deepEqual(plain(parse('sqlite:///db.sqlite3')), { ENGINE: 'django.db.backends.sqlite3', NAME: 'db.sqlite3' });
    assert.deepEqual((plain(parse('mysql://db/app?init_command=100%')) as { OPTIONS: unknown }).OPTIONS, { init_command: '100%' });
  });
});
