/**
 * Fuzzing with a fixed seed and a small budget (the long run: `npm run fuzz -- --iterations N
 * --seed S`, scripts/fuzz.ts): mutants of the example projects' files, huge files and 10,000-deep
 * expressions never make the engine throw or a rule fail, every reported range lies inside its
 * file, and incremental re-analysis (the parse cache, as in the language server) gives exactly
 * what a fresh analysis gives. The per-file time is measured and reported; the assertion on it
 * is deliberately generous (a loaded CI machine must not fail the suite), the script asserts
 * the real 100 ms budget.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { Analyzer, MemoryFileSystem, ParseCache } from '../../server/src/engine';
import { ready, repoRoot } from '../helpers/fixtures';
import { fuzzConfig, mutate, MUTATIONS, mutateOnce, resultProblems, Rng, runFsFuzz, runFuzz, specialTexts } from '../helpers/fuzz';

const SEED = 20260523;

describe('fuzz: the engine on mutated example projects', () => {
  before(ready);

  test('mutants, huge and deeply nested files, incremental sequences: no throw, no failed rule, ranges inside', (t) => {
    const report = runFuzz({ seed: SEED, iterations: 500, sequences: 50, steps: 5 });
    const summary = `seed ${report.seed}: ${report.cases} cases, ${report.steps} incremental steps; max ${report.maxMs.toFixed(1)} ms per file (${report.maxCase}); fixed cases max ${report.maxSpecialMs.toFixed(1)} ms (${report.maxSpecialCase}); total ${(report.totalMs / 1000).toFixed(1)} s`;
    t.diagnostic(summary);
    assert.deepEqual(
      report.failures.map((f) => `${f.name} ${f.file}: ${f.problems.slice(0, 3).join(' | ').slice(0, 1500)}`),
      [],
    );
    assert.equal(report.cases, 500 + specialTexts().length);
    assert.ok(report.steps > 0, 'incremental steps ran');
    // The budget is 100 ms per file (asserted by scripts/fuzz.ts); here only a stall fails.
    assert.ok(report.maxMs < 2000, `a mutant took ${report.maxMs.toFixed(0)} ms: ${report.maxCase}`);
    assert.ok(report.maxSpecialMs < 5000, `a fixed case took ${report.maxSpecialMs.toFixed(0)} ms: ${report.maxSpecialCase}`);
  });

  test('file-system mutations (links to devices and outside, FIFOs, sockets, folders for files): the CLI neither crashes, hangs nor writes outside the project', (t) => {
    const cli = path.join(repoRoot, 'dist', 'cli.js');
    assert.ok(fs.existsSync(cli), 'dist/cli.js missing: npm run build');
    const report = runFsFuzz({ seed: SEED, cases: 8, cli });
    t.diagnostic(`${report.cases} cases, max ${report.maxMs.toFixed(0)} ms; mutations ${JSON.stringify(report.applied)}`);
    const show = (c: { name: string; mutations: string[]; problems: string[] }) => `${c.name} [${c.mutations.join('; ')}]: ${c.problems.join(' | ').slice(0, 1500)}`;
    assert.deepEqual(report.crashes.map(show), []);
    assert.deepEqual(report.hangs.map(show), []);
    assert.deepEqual(report.writesOutside.map(show), []);
  });

  test('the mutations are deterministic for a seed and each one changes the text', () => {
    const text = "import os\nDEBUG = True\nSECRET_KEY = 'abc'\n\nif DEBUG:\n    X = [1, 2]\n";
    const a = new Rng(7);
    const b = new Rng(7);
    for (let i = 0; i < 50; i++) assert.deepEqual(mutate(a, text), mutate(b, text));
    for (const op of MUTATIONS) {
      if (op === 'swap' || op === 'tabs' || op === 'truncate') continue; // may leave the text as it is
      const r = new Rng(3);
      assert.notEqual(mutateOnce(r, text, op), text, op);
    }
  });
});

describe('fuzz regressions', () => {
  before(ready);

  const broken = '"""Doc."""\nfrom pathlib import Path\n\nTRUSTED = [\n    "https://example.com",\n\ndef helper(:\n    pass\n\nSECRET_KEY = "still-typing"\n';

  test('a syntax error found after a re-synchronisation keeps its range whatever was parsed before (tree read after delete)', () => {
    const fresh = new ParseCache().parse('/a.py', broken).syntaxErrors;
    assert.equal(fresh.length, 2);
    assert.ok(fresh.every((e) => e.end > e.start), JSON.stringify(fresh));
    // the same text reached through other versions of the file (the language server's path)
    const rng = new Rng(11);
    for (let i = 0; i < 200; i++) {
      const cache = new ParseCache();
      cache.parse('/a.py', broken);
      cache.parse('/a.py', mutate(rng, broken).text);
      assert.deepEqual(cache.parse('/a.py', broken).syntaxErrors, fresh, `after mutant #${i}`);
    }
  });

  test('an edit inside a CRLF line break re-parses the statement before it whole (it was cut one character short)', () => {
    const sig = (m: { stmts: { start: number; end: number; ir: unknown }[]; syntaxErrors: unknown[] }) => JSON.stringify([m.stmts.map((x) => [x.start, x.end, x.ir]), m.syntaxErrors]);
    const before = 'import os\r\nfrom snippets.models import Snippet\r\n\nDEBUG = True\r\n';
    const i = before.indexOf('Snippet') + 'Snippet'.length;
    const variants = [
      before.slice(0, i) + before.slice(i + 1), // the '\r' deleted: Snippet\n
      before.slice(0, i + 1) + 'x' + before.slice(i + 1), // typed between '\r' and '\n'
      before.slice(0, i + 1) + before.slice(i + 2), // the '\n' deleted: Snippet\r
    ];
    for (const after of variants) {
      const cache = new ParseCache();
      cache.parse('/v.py', before);
      const incremental = cache.parse('/v.py', after);
      assert.equal(sig(incremental), sig(new ParseCache().parse('/v.py', after)), JSON.stringify(after));
    }
  });

  test('when recovery fails the whole module is an ERROR: its first fragment is a syntax error and the statements after it are found', () => {
    // found by the long fuzz run: nothing was marked broken, the rest of the file vanished with
    // no syntax error, and the next edit was spliced onto that wrong statement list
    const text = 'DATABASES = {\n    "default": {\n            "analytics": {\n        "USER": "analytics",\n        "PASSWORD": "pw-123"""",\nSTATIC_URL = "static/"\n\nDEBUG = True\n';
    const m = new ParseCache().parse('/e.py', text);
    assert.equal(m.tree.rootNode.type, 'ERROR', 'the case still makes tree-sitter give up (else this test tests nothing)');
    assert.ok(m.syntaxErrors.length > 0);
    const firstLines = m.stmts.map((s) => text.slice(s.start, s.end).split('\n')[0]);
    assert.ok(firstLines.includes('DEBUG = True'), JSON.stringify(firstLines));
    // and an edit after it gives what a fresh parse gives
    const cache = new ParseCache();
    cache.parse('/e.py', text);
    const edited = text.replace('DEBUG = True', 'DEBUG = False');
    const sig = (x: typeof m) => JSON.stringify([x.stmts.map((s) => [s.start, s.end, s.ir]), x.syntaxErrors]);
    assert.equal(sig(cache.parse('/e.py', edited)), sig(new ParseCache().parse('/e.py', edited)));
  });

  test('files with old Mac line breaks (\\r): project-rule ranges stay inside the file', () => {
    const cr = (s: string) => s.replace(/\n/g, '\r');
    const mem = new MemoryFileSystem(
      {
        'manage.py': cr("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"),
        'mysite/__init__.py': '',
        'mysite/settings.py': cr("DEBUG = False\nINSTALLED_APPS = ['django.contrib.admin']\n"),
        'mysite/urls.py': cr("from django.urls import path\nurlpatterns = [\n    path('admin/', admin.site.urls),\n]\n"),
        'requirements.txt': cr('django\nrequests>=2\n'),
        Dockerfile: cr('FROM python:3.12\nCOPY . /app\nRUN pip install -r requirements.txt\nCMD python manage.py runserver 0.0.0.0:8000\n'),
        Procfile: cr('web: python manage.py runserver\n'),
      },
      '/cr',
    );
    const result = new Analyzer({ rules: allRules, fs: mem }).analyze('/cr', fuzzConfig());
    const codes = new Set(result.findings.map((f) => f.code));
    for (const code of ['DJR903', 'DJR905', 'DJR906', 'DJR910']) assert.ok(codes.has(code), `${code} expected, got ${[...codes].join(', ')}`);
    assert.deepEqual(resultProblems(result, (f) => mem.readFile(f)), []);
  });
});
