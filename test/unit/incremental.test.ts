/**
 * Incremental analysis (what the language server does on every keystroke): one Analyzer kept
 * across edits (settings evaluations of unchanged modules reused, discovery and file lists kept
 * per inventory, parsed requirements reused while their texts are the same) gives exactly what a
 * fresh Analyzer gives, edit after edit: in the production module, in a module it imports, with
 * a syntax error and back, with an import added and removed, with requirements changed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { writeRepo } from '../../bench/repo-generator';
import { Analyzer, initParser, listFiles, mergeConfig, NodeFileSystem, OverlayFileSystem, ScopeCache, type AnalysisResult } from '../../server/src/engine';
import { CachingFileSystem } from '../../server/src/lsp/cachedFs';
import { copyProject } from '../helpers/cli';

const config = mergeConfig({ today: '2026-01-15' });

/** What a run found (a fix's edits left out: a generated SECRET_KEY differs run to run). */
const comparable = (r: AnalysisResult) => ({
  findings: r.findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => ({ id: x.id, title: x.title, applicability: x.applicability, files: x.edits.map((e) => e.file) })) })),
  notes: r.notes,
  projects: r.projects,
  applicability: r.applicability,
});

describe('incremental analysis gives what a fresh analysis gives', () => {
  const dirs: string[] = [];

  before(async () => {
    await initParser();
  });

  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const projects = ['generated repository', 'split-settings', 'overlay', 'env-helpers', 'everything-wrong', 'split', 'decouple', 'environ'];
  for (const [name, stamped] of projects.flatMap((p) => [[p, false], [p, true]] as const)) {
    test(`${name}${stamped ? ' (the language server\'s cached disk, with stamps)' : ''}: edit after edit, the kept analyzer agrees with a fresh one`, () => {
      let root: string;
      if (name === 'generated repository') {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'djr-incremental-'));
        writeRepo(root, { files: 120, seed: 5 });
      } else root = copyProject(name);
      dirs.push(root);
      const disk = new NodeFileSystem({ roots: [root] });
      const cached = new CachingFileSystem(disk);
      cached.enabled = true;
      const ofs = new OverlayFileSystem(stamped ? cached : disk);
      const kept = new Analyzer({ rules: allRules, fs: ofs });
      let inventory = listFiles(root, ofs, config);
      const first = kept.analyze(root, config, inventory);
      const prod = first.projects.find((p) => p.productionModule)?.productionModule;
      assert.ok(prod, 'a production settings module');
      // the other settings modules the production module runs (imports, includes)
      const others = first.projects.flatMap((p) => p.settingsModules.map((m) => m.path)).filter((p) => p !== prod);
      const text = (p: string) => ofs.readFile(p) ?? '';
      const edits: [string, (p: string) => void][] = [
        ['a setting changed in the production module', () => ofs.overlay.set(prod, text(prod) + '\nDEBUG = True\nALLOWED_HOSTS = ["*"]\n')],
        ['typing: the same setting again', () => ofs.overlay.set(prod, text(prod).replace('ALLOWED_HOSTS = ["*"]', 'ALLOWED_HOSTS = ["example.com"]'))],
        ['a syntax error', () => ofs.overlay.set(prod, text(prod) + '\nSECURE_HSTS_SECONDS = (\n')],
        ['the syntax error fixed', () => ofs.overlay.set(prod, text(prod).replace('SECURE_HSTS_SECONDS = (\n', 'SECURE_HSTS_SECONDS = 3600\n'))],
        ['a module it imports changed', () => others[0] && ofs.overlay.set(others[0], text(others[0]) + '\nSESSION_COOKIE_SECURE = False\nINCREMENTAL_MARK = 1\n')],
        ['an import of a module that does not exist', () => ofs.overlay.set(prod, 'from .incremental_local import *\n' + text(prod))],
        ['that module created', () => {
          const created = path.join(path.dirname(prod), 'incremental_local.py');
          ofs.overlay.set(created, 'CSRF_COOKIE_SECURE = False\nSECRET_KEY = "hardcoded-but-long-enough-0123456789abcdefghijklmnopqrstuvwxyz"\n');
          inventory = listFiles(root, ofs, config);
        }],
        ['the created module changed', () => {
          const created = path.join(path.dirname(prod), 'incremental_local.py');
          ofs.overlay.set(created, text(created).replace('CSRF_COOKIE_SECURE = False', 'CSRF_COOKIE_SECURE = True'));
        }],
        ['the import removed', () => ofs.overlay.set(prod, text(prod).replace('from .incremental_local import *\n', ''))],
        ['requirements changed (on disk, as a watched-file event says)', () => {
          const req = inventory.files.find((f) => f.kind === 'requirements')?.path ?? path.join(root, 'requirements.txt');
          fs.writeFileSync(req, (ofs.readFile(req) ?? '') + '\ndjango==3.2\ngunicorn\n');
          cached.invalidate(req);
          if (!inventory.files.some((f) => f.path === req)) inventory = listFiles(root, ofs, config);
        }],
        ['a urls.py changed on disk', () => {
          const urls = inventory.files.find((f) => f.path.endsWith(`${path.sep}urls.py`))?.path;
          if (!urls) return;
          fs.writeFileSync(urls, (disk.readFile(urls) ?? '') + '\n# changed on disk\n');
          cached.invalidate(urls);
        }],
        ['a urls.py routes a health check', () => {
          const urls = inventory.files.find((f) => f.path.endsWith(`${path.sep}urls.py`))?.path;
          if (urls) ofs.overlay.set(urls, text(urls) + '\nurlpatterns += [path("healthz/", lambda r: None)]\n');
        }],
        ['INSTALLED_APPS changed', () => ofs.overlay.set(prod, text(prod) + '\nINSTALLED_APPS = [*INSTALLED_APPS, "health_check"]\n')],
        ['a .env file created', () => {
          ofs.overlay.set(path.join(root, '.env'), 'SECRET_KEY=abc\nDEBUG=True\n');
          inventory = listFiles(root, ofs, config);
        }],
        ['the production module back as it was', () => ofs.overlay.set(prod, disk.readFile(prod) ?? '')],
      ];
      for (const [what, edit] of edits) {
        edit(prod);
        const incremental = kept.analyze(root, config, inventory);
        const fresh = new Analyzer({ rules: allRules, fs: ofs }).analyze(root, config, listFiles(root, ofs, config));
        assert.deepEqual(comparable(incremental), comparable(fresh), `after: ${what}`);
      }
    });
  }

  test('a project rule that lists folders (DJR910 looking for Kubernetes manifests) is reused after a keystroke; a new chart makes it run again', () => {
    const root = copyProject('deploy-health-missing');
    dirs.push(root);
    const djr910 = allRules.find((r) => r.meta.code === 'DJR910');
    assert.ok(djr910?.checkProject);
    let runs = 0;
    const counted = { ...djr910, checkProject: (ctx: Parameters<NonNullable<typeof djr910.checkProject>>[0]) => (runs++, djr910.checkProject?.(ctx)) };
    const rules = allRules.map((r) => (r === djr910 ? counted : r));
    const ofs = new OverlayFileSystem(new NodeFileSystem({ roots: [root] }));
    const an = new Analyzer({ rules, fs: ofs });
    const inventory = listFiles(root, ofs, config);
    const first = an.analyze(root, config, inventory);
    assert.ok(first.findings.some((f) => f.code === 'DJR910'), 'no health check in this project');
    assert.equal(runs, 1);
    const prod = first.projects[0].productionModule as string;
    ofs.overlay.set(prod, (ofs.readFile(prod) ?? '') + '\nX_TYPED = 1\n');
    const typed = an.analyze(root, config, inventory);
    assert.equal(runs, 1, 'reused: the folders it listed are the same');
    assert.ok(typed.findings.some((f) => f.code === 'DJR910'));
    // a Helm chart with an HTTP probe appears: the listing differs, the rule runs again and passes
    fs.mkdirSync(path.join(root, 'helm', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(root, 'helm', 'templates', 'deployment.yaml'), 'spec:\n  containers:\n    - name: web\n      livenessProbe:\n        httpGet:\n          path: /\n');
    const after = an.analyze(root, config, inventory);
    assert.equal(runs, 2);
    assert.ok(!after.findings.some((f) => f.code === 'DJR910'), 'the probe counts');
  });

  test('a keystroke re-evaluates the module typed in and what imports it, not what it imports', () => {
    const root = copyProject('split');
    dirs.push(root);
    const ofs = new OverlayFileSystem(new NodeFileSystem({ roots: [root] }));
    const an = new Analyzer({ rules: allRules, fs: ofs });
    const inventory = listFiles(root, ofs, config);
    const r = an.analyze(root, config, inventory);
    const prod = r.projects[0].productionModule as string;
    const caches = (an as unknown as { scopeCaches: Map<string, ScopeCache> }).scopeCaches;
    const cache = [...caches.values()][0];
    assert.ok(cache && cache.entries.size >= 2, 'the production module and what it imports are kept');
    const imported = cache.entries.size - 1;
    const { hits, misses } = cache;
    ofs.overlay.set(prod, (ofs.readFile(prod) ?? '') + '\nX_TYPED = 1\n');
    an.analyze(root, config, inventory);
    assert.equal(cache.misses - misses, 1, 'only the production module is evaluated again');
    assert.ok(cache.hits - hits >= imported, 'what it imports is reused');
  });
});
