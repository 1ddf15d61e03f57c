/**
 * Bounded work per file and per keystroke (issue 17, point 8). Speed itself is measured by the
 * benchmarks (bench/hostile.ts), never asserted here; these tests check what makes it bounded and
 * that the shortcuts give exactly what the slow paths gave:
 *
 *  - the IR built with the text shortcuts (plain literals read from the text, huge literal lists
 *    not given to tree-sitter) equals the IR built from a full tree-sitter tree, on the fixtures
 *    and on generated literal collections;
 *  - a 100,000-element list is evaluated whole (a '*' at its end is still found);
 *  - after syntax errors, the rest of the file is parsed in windows: the characters given to
 *    tree-sitter stay a small multiple of the file, and statements between broken ones are found.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Parser, type Language } from 'web-tree-sitter';
import { allRules } from '../../rules/index.generated';
import { Analyzer, MemoryFileSystem, parseOnce, resyncStats } from '../../server/src/engine';
import { IrBuilder } from '../../server/src/engine/ir';
import { config, fixturesRoot, ready } from '../helpers/fixtures';
import { Rng } from '../helpers/fuzz';

let language: Language;
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** The IR of every top-level statement, built from a full tree of the text as it is, with no shortcut. */
function referenceIr(text: string): unknown[] {
  const parser = new Parser();
  parser.setLanguage(language);
  const tree = parser.parse(text);
  assert.ok(tree);
  try {
    return tree.rootNode.namedChildren.filter((c) => c && c.type !== 'comment').map((c) => new IrBuilder(c!.startIndex, false, text, true).stmt(c!));
  } finally {
    tree.delete();
    parser.delete();
  }
}

function engineIr(text: string): unknown[] {
  const m = parseOnce('/t.py', text);
  try {
    assert.deepEqual(m.syntaxErrors, []);
    return m.stmts.map((s) => s.ir);
  } finally {
    m.tree.delete();
  }
}

const LITERALS = [
  "'a'", '"b"', "''", '""', "'''x\ny'''", '"""q"""', "r'\\d+'", "b'\\x00'", "rb'\\''", "u'é'", "'\\n\\t\\\\'", "'it\\'s'", "'\\u00e9'", "'\\\n'",
  '0', '42', '1_000', '0x1F', '0o17', '0b101', '3.14', '1e10', '1E-5', '.5', '5.', '1_0.2_5',
  'True', 'False', 'None', 'name', 'Name_2',
];

function genCollection(rng: Rng, n: number): string {
  const open = rng.pick(['[', '(']);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    let sep = rng.pick([', ', ',', ',\n    ', ' ,  ', ', # note\n  ', ',\\\n ']);
    if (i === n - 1) sep = rng.pick(['', ',', ',\n', '\n']);
    parts.push(rng.pick(LITERALS) + sep);
  }
  return `${open}${rng.chance(0.5) ? '\n    ' : ''}${parts.join('')}${open === '[' ? ']' : ')'}`;
}

describe('bounded work', () => {
  before(async () => {
    await ready();
    const m = parseOnce('/x.py', 'x = 1\n');
    language = m.tree.language;
    m.tree.delete();
  });

  test('the IR with the text shortcuts equals the IR from the tree, on every fixture module', () => {
    let modules = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.py$|^(valid|invalid)(\.fixed)?(\.py)?$/.test(e.name)) {
          const text = fs.readFileSync(p, 'utf8');
          const m = parseOnce(p, text);
          const clean = m.syntaxErrors.length === 0;
          const ir = m.stmts.map((s) => s.ir);
          m.tree.delete();
          if (!clean) continue;
          assert.deepEqual(ir, referenceIr(text), p);
          modules++;
        }
      }
    };
    walk(fixturesRoot);
    assert.ok(modules > 100, `${modules} modules`);
  });

  test('generated literal collections, small and huge (the huge ones are not given to tree-sitter): the same IR', () => {
    const rng = new Rng(1717);
    for (let k = 0; k < 60; k++) {
      const n = k % 3 === 0 ? 6000 + rng.int(4000) : 1 + rng.int(40);
      const text = `X = ${genCollection(rng, n)}\nY = [${genCollection(rng, 3)}, 1]\nZ = f(${genCollection(rng, n % 50)})\n`;
      assert.deepEqual(engineIr(text), referenceIr(text), `case ${k}`);
    }
    // a parenthesized huge string is not a tuple; a call's huge argument list is not blanked
    const big = "'" + 'a'.repeat(70_000) + "'";
    for (const text of [`X = (${big})\n`, `X = f(${Array.from({ length: 9000 }, (_, i) => `'v${i}'`).join(', ')})\n`, `X = d[${Array.from({ length: 9000 }, (_, i) => `'v${i}'`).join(', ')}]\n`]) {
      assert.deepEqual(engineIr(text), referenceIr(text));
    }
  });

  test('string literals read from the text have the values Python gives them', { skip: !hasPython && 'python3 is not installed' }, () => {
    const literals = LITERALS.filter((l) => /^[rbuRBU]*['"]/.test(l));
    const ir = engineIr(`X = [${literals.join(', ')}]\n`);
    const items = (ir[0] as { value: { items: { v: string }[] } }).value.items.map((x) => x.v);
    const script = 'import ast, json, sys\nout = []\nfor s in json.load(sys.stdin):\n    v = ast.literal_eval(s)\n    out.append(v.decode("latin-1") if isinstance(v, bytes) else v)\nprint(json.dumps(out))';
    const py = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(literals) }).toString()) as string[];
    assert.deepEqual(items, py);
  });

  test('a settings list of 100,000 hosts is evaluated whole: a wildcard at its end is found', () => {
    const hosts = Array.from({ length: 100_000 }, (_, i) => `'h${i}.example'`);
    hosts[99_999] = "'*'";
    const settings = `import os\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = [${hosts.join(', ')}]\n`;
    assert.ok(settings.length < 2 * 1024 * 1024);
    const mem = new MemoryFileSystem({ 'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n", 'mysite/__init__.py': '', 'mysite/settings.py': settings }, '/big');
    const r = new Analyzer({ rules: allRules, fs: mem }).analyze('/big', config());
    const wildcard = r.findings.find((f) => f.code === 'DJR203');
    assert.ok(wildcard, r.findings.map((f) => f.code).join(' '));
    assert.deepEqual(r.notes.filter((n) => n.kind === 'rule-failed' || n.kind === 'syntax-error'), []);
  });

  test('after syntax errors the rest is parsed in windows: statements between broken ones are found, the work stays linear', () => {
    const lines: string[] = ['DEBUG = True'];
    for (let i = 0; i < 40; i++) lines.push(`BROKEN_${i} = [[[[[[[[[[{{{{((((`, `GOOD_${i} = ${i}`);
    lines.push('SECRET_KEY = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz0123"');
    const text = lines.join('\n') + '\n';
    const before = { ...resyncStats };
    const m = parseOnce('/s.py', text);
    const names = m.stmts.map((s) => (s.ir.t === 'assign' && s.ir.targets[0].t === 'name' ? s.ir.targets[0].id : '?'));
    m.tree.delete();
    assert.equal(m.syntaxErrors.length, 40);
    for (let i = 0; i < 40; i++) assert.ok(names.includes(`GOOD_${i}`), `GOOD_${i} missing`);
    assert.ok(names.includes('SECRET_KEY'));
    const chars = resyncStats.chars - before.chars;
    // main re-parsed the whole file after each error (40 x the file); windows cover it about once
    assert.ok(chars <= 2 * text.length, `${chars} characters re-parsed for a ${text.length}-character file`);
  });

  test('past 64 syntax errors the rest of the file is not analysed, and the last error says so', () => {
    const text = Array.from({ length: 200 }, (_, i) => `X_${i} = [[[(((\n`).join('') + 'DEBUG = True\n';
    const m = parseOnce('/t.py', text);
    m.tree.delete();
    assert.equal(m.syntaxErrors.length, 64);
    assert.match(m.syntaxErrors[63].message, /the rest of it is not analysed/);
  });
});
