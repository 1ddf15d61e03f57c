/**
 * The prefilters only save work: with every code and template rule reading every file (prefilters
 * off) the findings and notes are the same, on the example projects and on a generated repository
 * (bench/repo-generator.ts, which has the risky and the benign shapes the rules look for). The
 * CLI's one-shot analysis (nothing kept) gives the same result as the language server's.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { writeRepo } from '../../bench/repo-generator';
import { Analyzer, initParser, mergeConfig, NodeFileSystem, type AnalysisResult } from '../../server/src/engine';
import { copyProject } from '../helpers/cli';
import { fixturesRoot } from '../helpers/fixtures';

const config = mergeConfig({ today: '2026-01-15' });
const withTests = mergeConfig({ today: '2026-01-15', includeTests: true });

/** What a run found (a fix's edits left out: a generated SECRET_KEY differs run to run). */
const comparable = (r: AnalysisResult) => ({
  findings: r.findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => ({ id: x.id, title: x.title, applicability: x.applicability, files: x.edits.map((e) => e.file) })) })),
  notes: r.notes,
  projects: r.projects,
  applicability: r.applicability,
});

describe('prefilters that skip settings modules', () => {
  test('DJR804: send_default_pii set to a plain False everywhere is skipped; every shape the rule flags passes', () => {
    const prefilter = allRules.find((r) => r.meta.code === 'DJR804')?.prefilter;
    assert.ok(prefilter);
    const skipped = ['sentry_sdk.init(dsn="", send_default_pii=False)\n', 'sentry_sdk.init(\n    dsn=DSN,\n    send_default_pii = False,\n)\n', 'OPTIONS = {"send_default_pii": False}\n', "OPTIONS = {'send_default_pii' : False, 'x': 1}\n"];
    for (const t of skipped) assert.equal(prefilter.test(t), false, t);
    const invalid = fs.readFileSync(path.join(fixturesRoot, 'rules', 'error-tracker-sends-pii', 'invalid.py'), 'utf8');
    const passes = [
      invalid,
      'sentry_sdk.init(send_default_pii=True)\n',
      'sentry_sdk.init(send_default_pii=env.bool("PII", default=True))\n',
      // False is not the whole value, or something stands between = and it
      'sentry_sdk.init(send_default_pii=False or True)\n',
      'sentry_sdk.init(send_default_pii=False_unless(default=True))\n',
      'sentry_sdk.init(send_default_pii=(\n    True))\n',
      'sentry_sdk.init(send_default_pii  # on\n    =True)\n',
      'sentry_sdk.init(send_default_pii=False  # off\n)\n',
      'OPTIONS = {"send_default_pii": True}\n',
      // one plain False does not hide another occurrence
      'sentry_sdk.init(send_default_pii=False)\nsentry_sdk.init(send_default_pii=True)\n',
    ];
    for (const t of passes) assert.equal(prefilter.test(t), true, t);
  });
});

describe('DJR107 (secret in code): the prefilter lets every credential name through', () => {
  test('names ending in _KEY (SECRET_KEY, AWS_SECRET_ACCESS_KEY, PRIVATE_KEY) as well as _SECRET, _TOKEN, _PASSWORD', () => {
    const prefilter = allRules.find((r) => r.meta.code === 'DJR107')?.prefilter;
    assert.ok(prefilter);
    for (const name of ['SECRET_KEY', 'AWS_SECRET_ACCESS_KEY', 'STRIPE_PRIVATE_KEY', 'self.secret_key', 'client_access_key', 'API_KEY', 'GITHUB_TOKEN', 'DB_PASSWORD', 'STRIPE_SECRET']) {
      assert.equal(prefilter.test(`${name} = 'x9Q2mL7pR4tV8wZ1'\n`), true, name);
    }
  });
});

describe('prefilters lose no finding', () => {
  let repo: string;
  const copies: string[] = [];

  before(async () => {
    await initParser();
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-prefilters-'));
    writeRepo(repo, { files: 400, seed: 11 });
  });

  after(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    for (const c of copies) fs.rmSync(c, { recursive: true, force: true });
  });

  const projects = fs.readdirSync(path.join(fixturesRoot, 'projects')).sort();
  for (const name of ['generated repository', ...projects]) {
    test(`${name}: prefilters on and off give the same findings (one-shot and cached analyses alike)`, async () => {
      let root = repo;
      if (name !== 'generated repository') {
        root = copyProject(name);
        copies.push(root);
      }
      for (const cfg of [config, withTests]) {
        const off = new Analyzer({ rules: allRules, fs: new NodeFileSystem(), prefilters: false }).analyze(root, cfg);
        const on = new Analyzer({ rules: allRules, fs: new NodeFileSystem() }).analyze(root, cfg);
        const oneShot = await new Analyzer({ rules: allRules, fs: new NodeFileSystem(), oneShot: true }).analyzeAsync(root, cfg);
        assert.deepEqual(comparable(on), comparable(off));
        assert.deepEqual(comparable(oneShot), comparable(off));
        if (name === 'generated repository') {
          assert.ok(off.findings.some((f) => f.code === 'DJR404') && off.findings.some((f) => f.code === 'DJR606'), 'the code rules found something');
          assert.ok(on.stats.skippedByPrefilter > 0 && on.stats.parsed < off.stats.parsed, 'the prefilters skipped files');
        }
      }
    });
  }
});
