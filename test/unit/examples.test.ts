/**
 * The example projects as a whole: the production-ready project has no warning or error, the
 * everything-wrong project triggers every settings rule of the catalogue at the right line.
 * Each is analysed as a standalone copy outside this repository (inside it, git tracks their
 * .env files: DJR109 would take the place of DJR105).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NodeFileSystem } from '../../server/src/engine';
import { copyProject } from '../helpers/cli';
import { analyze, ready } from '../helpers/fixtures';

/** rule -> "file:line" (1-based) where the everything-wrong project must report it. */
const EVERYTHING_WRONG: [string, string][] = [
  ['DJR101', 'backend/settings.py:7'],
  ['DJR201', 'backend/settings.py:8'],
  ['DJR203', 'backend/settings.py:9'],
  ['DJR301', 'backend/settings.py:1'],
  ['DJR302', 'backend/settings.py:1'],
  ['DJR303', 'backend/settings.py:1'],
  ['DJR304', 'backend/settings.py:1'],
  ['DJR401', 'backend/settings.py:86'],
  ['DJR402', 'backend/settings.py:87'],
  ['DJR403', 'backend/settings.py:88'],
  ['DJR405', 'backend/settings.py:31'],
  ['DJR405', 'backend/settings.py:32'],
  ['DJR501', 'backend/settings.py:80'],
  ['DJR502', 'backend/settings.py:81'],
  ['DJR503', 'backend/settings.py:82'],
  ['DJR504', 'backend/settings.py:83'],
  ['DJR506', 'backend/settings.py:56'],
  ['DJR507', 'portal/portal/settings.py:19'],
  ['DJR508', 'backend/settings.py:59'],
  ['DJR509', 'backend/settings.py:63'],
  ['DJR601', 'backend/settings.py:65'],
  ['DJR602', 'backend/settings.py:65'],
  ['DJR603', 'backend/settings.py:69'],
  ['DJR604', 'backend/settings.py:74'],
  ['DJR701', 'backend/settings.py:44'],
  ['DJR702', 'backend/settings.py:47'],
  ['DJR703', 'backend/settings.py:47'],
  ['DJR801', 'backend/settings.py:1'],
  ['DJR802', 'backend/settings.py:1'],
  ['DJR803', 'backend/settings.py:90'],
  ['DJR901', 'backend/settings.py:93'], // STATIC_ROOT missing: beside STATIC_URL
  ['DJR103', 'backend/settings.py:51'],
  ['DJR103', 'backend/settings.py:91'],
  ['DJR914', 'backend/settings.py:95'],
  ['DJR914', 'backend/settings.py:96'],
  // project rules
  ['DJR108', 'Dockerfile:3'],
  ['DJR911', 'backend/settings.py:97'],
  ['DJR912', 'requirements.txt:1'],
  ['DJR913', 'manage.py:1'],
  // code and secrets-on-disk rules
  ['DJR105', '.env:1'],
  ['DJR404', 'api/views.py:18'],
  ['DJR511', 'api/views.py:20'],
  ['DJR606', 'api/views.py:12'],
  ['DJR606', 'api/views.py:14'],
  ['DJR607', 'api/views.py:15'],
];

describe('example projects', () => {
  before(ready);
  const copies: string[] = [];
  const standalone = (name: string) => {
    const dir = fs.realpathSync(copyProject(name, 'djr-example'));
    copies.push(dir);
    return dir;
  };
  after(() => {
    for (const d of copies) fs.rmSync(d, { recursive: true, force: true });
  });

  test('production-ready: no warning or error, no rule failure', () => {
    const root = standalone('production-ready');
    const r = analyze(new NodeFileSystem(), root);
    const serious = r.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    assert.deepEqual(serious.map((f) => `${f.code} ${path.relative(root, f.file)}:${f.range.start.line + 1} ${f.message}`), []);
    assert.deepEqual(r.notes.filter((n) => n.kind === 'rule-failed'), []);
  });

  test('everything-wrong: each listed rule at its line', () => {
    const root = standalone('everything-wrong');
    const r = analyze(new NodeFileSystem(), root);
    const got = new Set(r.findings.map((f) => `${f.code} ${path.relative(root, f.file)}:${f.range.start.line + 1}`));
    const missing = EVERYTHING_WRONG.map(([c, w]) => `${c} ${w}`).filter((k) => !got.has(k));
    assert.deepEqual(missing, [], `reported: ${[...got].sort().join(', ')}`);
    assert.deepEqual(r.notes.filter((n) => n.kind === 'rule-failed'), []);
  });
});
