/**
 * The code rules in worker threads give the same results as in-process: on an example project,
 * on a small generated repository (with a binary and a huge file), and through the language
 * server's deferred path (analyze with `defer`, checkPending, analyze again).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { writeRepo } from '../../bench/repo-generator';
import { Analyzer, defineRule, initParser, mergeConfig, NodeFileSystem, OverlayFileSystem, type AnalysisResult } from '../../server/src/engine';
import { CodePool } from '../../server/src/engine/pool';
import { fixturesRoot } from '../helpers/fixtures';
import { TestClient, uriOf } from '../helpers/lsp';

const config = mergeConfig({ today: '2026-01-15' });

/** Everything but the timing. */
function comparable(r: AnalysisResult) {
  const { ms: _ms, ...stats } = r.stats;
  void _ms;
  return { findings: r.findings, notes: r.notes, projects: r.projects, applicability: r.applicability, stats, pending: r.pending };
}

describe('code rules in worker threads', () => {
  let pool: CodePool;
  let repo: string;

  before(async () => {
    await initParser();
    pool = new CodePool({ registry: allRules, size: 2 });
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-parallel-'));
    writeRepo(repo, { files: 300, seed: 7 });
    // files the workers must skip with the same notes as the main thread
    fs.writeFileSync(path.join(repo, 'apps', 'blob.py'), 'x = 1\n\u0000\u0001binary');
    fs.writeFileSync(path.join(repo, 'apps', 'huge.py'), '# csrf_exempt\n' + 'x = 1\n'.repeat(400_000));
    // a suppressed finding: the worker reads the comment too
    fs.appendFileSync(path.join(repo, 'apps', 'order_0', 'views.py'), '\n\n@csrf_exempt  # noqa: DJR404\ndef hook(request):\n    return None\n\n\n@csrf_exempt\ndef hook2(request):\n    return None\n');
  });

  after(async () => {
    await pool.close();
    fs.rmSync(repo, { recursive: true, force: true });
  });

  for (const [name, root] of [
    ['everything-wrong', () => path.join(fixturesRoot, 'projects', 'everything-wrong')],
    ['production-ready', () => path.join(fixturesRoot, 'projects', 'production-ready')],
    ['generated repository', () => repo],
  ] as const) {
    test(`${name}: worker threads and in-process give the same result`, async () => {
      const inProcess = new Analyzer({ rules: allRules, fs: new NodeFileSystem() }).analyze(root(), config);
      const parallel = await new Analyzer({ rules: allRules, fs: new NodeFileSystem() }).analyzeAsync(root(), config, undefined, { pool, minChars: 0 });
      assert.ok(pool.threads > 0, 'the workers ran');
      if (name !== 'production-ready') assert.ok(inProcess.findings.some((f) => f.code === 'DJR404'), 'code rules found something');
      assert.deepEqual(comparable(parallel), comparable(inProcess));
    });
  }

  test('generated repository: the skipped files and the suppression are handled alike', async () => {
    const r = await new Analyzer({ rules: allRules, fs: new NodeFileSystem() }).analyzeAsync(repo, config, undefined, { pool, minChars: 0 });
    assert.deepEqual(r.notes.filter((n) => n.kind === 'skipped').map((n) => path.basename(n.file)).sort(), ['blob.py', 'huge.py']);
    const views = path.join(repo, 'apps', 'order_0', 'views.py');
    assert.equal(r.findings.filter((f) => f.file === views && f.code === 'DJR404').length, 1);
    assert.ok(r.stats.parsed > 0 && r.stats.skippedByPrefilter > 0);
  });

  test('deferred code rules (language server): pending, checked in workers, then the same result', async () => {
    const expected = new Analyzer({ rules: allRules, fs: new NodeFileSystem() }).analyze(repo, config);
    const an = new Analyzer({ rules: allRules, fs: new NodeFileSystem() });
    const views = path.join(repo, 'apps', 'order_0', 'views.py');
    const first = an.analyze(repo, config, undefined, { defer: { inline: (p) => p === views } });
    assert.ok(first.pending && first.pending.length === 1);
    assert.ok(!first.pending[0].files.some((f) => f.path === views), 'inline files are checked now');
    assert.ok(first.findings.some((f) => f.file === views && f.code === 'DJR404'));
    // settings findings are there already (code and template findings come with the workers)
    const perFile = (f: { file: string }) => f.file.endsWith('views.py') || f.file.endsWith('.html');
    assert.deepEqual(
      first.findings.filter((f) => !perFile(f)).map((f) => f.code),
      expected.findings.filter((f) => !perFile(f)).map((f) => f.code),
    );
    const checked = await an.checkPending(first.pending, pool);
    assert.ok(checked > 0);
    // cached now: nothing left to defer, except what only the main thread handles (huge, binary)
    const second = an.analyze(repo, config, undefined, { defer: {} });
    assert.deepEqual(second.pending?.[0].files.map((f) => path.basename(f.path)).sort() ?? [], ['blob.py', 'huge.py']);
    // the same result; `parsed` counts only what this run parsed (cached files are not parsed again)
    const third = an.analyze(repo, config);
    const parsedless = (r: AnalysisResult) => ({ ...comparable(r), stats: { ...comparable(r).stats, parsed: 0, parsedChars: 0 } });
    assert.deepEqual(parsedless(third), parsedless(expected));
  });

  test('a cancelled deferred run stops sending work; what is done stays cached', async () => {
    const an = new Analyzer({ rules: allRules, fs: new NodeFileSystem() });
    const first = an.analyze(repo, config, undefined, { defer: {} });
    const signal = { aborted: true };
    assert.equal(await an.checkPending(first.pending ?? [], pool, signal), 0);
  });

  test('rules that are not the registry\'s own run in-process (workers load the registry)', async () => {
    const extra = defineRule({
      meta: { code: 'DJR998', name: 'test-code-rule', category: 'api', severity: 'warning', kind: 'code', seeds: ['000'], message: 'test', fix: 'none', docs: { what: '', why: '', example: '', instead: '', references: [] } },
      prefilter: /def /,
      checkFile(ctx) {
        ctx.report({ at: { file: ctx.file.path, range: ctx.nodeRange(ctx.tree.rootNode) } });
      },
    });
    const rules = [...allRules, extra];
    assert.equal(pool.accepts(rules), false);
    const root = path.join(fixturesRoot, 'projects', 'everything-wrong');
    const r = await new Analyzer({ rules, fs: new NodeFileSystem() }).analyzeAsync(root, config, undefined, { pool, minChars: 0 });
    assert.ok(r.findings.some((f) => f.code === 'DJR998'));
    assert.deepEqual(comparable(r), comparable(new Analyzer({ rules, fs: new NodeFileSystem() }).analyze(root, config)));
  });

  test('below the break-even size, no worker starts', async () => {
    const small = new CodePool({ registry: allRules, size: 2 });
    try {
      await new Analyzer({ rules: allRules, fs: new NodeFileSystem() }).analyzeAsync(path.join(fixturesRoot, 'projects', 'everything-wrong'), config, undefined, { pool: small });
      assert.equal(small.threads, 0);
    } finally {
      await small.close();
    }
  });
});

describe('language server: a large folder is scanned in worker threads', () => {
  test('settings diagnostics first, code-rule diagnostics after the scan, the same as in-process; typing is answered meanwhile', async () => {
    await initParser();
    const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-lsp-scan-')));
    writeRepo(repo, { files: 300, seed: 11 });
    const client = new TestClient({ root: repo, server: { debounceMs: 10, parallelMinFiles: 0, workers: 2 } });
    try {
      await client.initialize();
      const settings = path.join(repo, 'config', 'settings', 'production.py');
      const uri = await client.open(settings);
      const end = fs.readFileSync(settings, 'utf8').split('\n').length - 1;
      await client.edit(uri, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, newText: 'DEBUG = True\n' }]);
      const diags = await client.waitForCurrent(uri, (d) => d.some((x) => x.code === 'DJR201'), 10_000);
      assert.ok(diags.length > 0);
      // the scan ends with the complete result: every file's diagnostics as the in-process analyzer finds them
      const edited = new OverlayFileSystem(new NodeFileSystem());
      edited.overlay.set(settings, fs.readFileSync(settings, 'utf8') + 'DEBUG = True\n');
      const want = new Analyzer({ rules: allRules, fs: edited }).analyze(repo, mergeConfig({}));
      const codeFiles = [...new Set(want.findings.filter((f) => ['DJR404', 'DJR511', 'DJR606', 'DJR607'].includes(f.code)).map((f) => f.file))];
      assert.ok(codeFiles.length > 0);
      for (const file of codeFiles) {
        const n = want.findings.filter((f) => f.file === file).length;
        const got = await client.waitFor(uriOf(file), (d) => d.length === n, 20_000);
        assert.deepEqual(got.map((d) => d.code).sort(), want.findings.filter((f) => f.file === file).map((f) => f.code).sort());
      }
      assert.ok(client.logs.some((l) => /in worker threads/.test(l)), 'the scan ran in worker threads');
    } finally {
      await client.dispose();
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
