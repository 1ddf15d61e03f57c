/**
 * The curated checklist against its sources: the five seed reviews (shared/seeds) and the rule
 * catalogue (test/fixtures/catalogue.json, a copy of shared/rules.md's codes).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { CATEGORY_TITLES, CHECKLIST, checklistRuleCodes, LEFT_OUT, SEED_IDS, seedsOf, type SeedId } from '../../server/src/engine';
import { fixturesRoot, repoRoot } from '../helpers/fixtures';

const catalogue: Record<string, string> = JSON.parse(fs.readFileSync(path.join(fixturesRoot, 'catalogue.json'), 'utf8'));
const seedsDir = path.join(repoRoot, '..', 'shared', 'seeds');

function seedTexts(): Map<SeedId, string> | undefined {
  if (!fs.existsSync(seedsDir)) return undefined;
  const out = new Map<SeedId, string>();
  for (const f of fs.readdirSync(seedsDir)) {
    const id = f.slice(0, 3) as SeedId;
    if (SEED_IDS.includes(id)) out.set(id, fs.readFileSync(path.join(seedsDir, f), 'utf8'));
  }
  return out;
}

test('at least 40 items, ids unique and named <category>.<kebab-name>', () => {
  assert.ok(CHECKLIST.length >= 40, `${CHECKLIST.length} items`);
  const ids = CHECKLIST.map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
  for (const item of CHECKLIST) {
    assert.ok(item.category in CATEGORY_TITLES, `${item.id}: unknown category ${item.category}`);
    assert.match(item.id, new RegExp(`^${item.category}\\.[a-z0-9]+(-[a-z0-9]+)*$`), item.id);
    assert.ok(item.title.length > 10 && item.title.length < 120, `${item.id}: title length`);
    assert.ok(item.why.length > 20, `${item.id}: why`);
  }
});

test('every item is decided either by rules or by the team, never both', () => {
  for (const item of CHECKLIST) {
    const hasRules = (item.rules?.length ?? 0) > 0;
    assert.ok(hasRules !== !!item.manual, `${item.id}: needs exactly one of rules / manual`);
    if (hasRules) assert.equal(new Set(item.rules).size, item.rules!.length, `${item.id}: duplicate codes`);
  }
});

test('every rule code referenced exists in the catalogue (shared/rules.md)', () => {
  for (const item of CHECKLIST) for (const code of item.rules ?? []) assert.ok(code in catalogue, `${item.id}: ${code} is not in the catalogue`);
});

test('every catalogue rule feeds some item, so every finding lands in the checklist', () => {
  const used = new Set(checklistRuleCodes());
  // codes reserved in the catalogue for rules not written yet produce no finding: they join an
  // item when their rule lands
  const registered = new Set(allRules.map((r) => r.meta.code));
  const missing = Object.keys(catalogue).filter((c) => !used.has(c) && registered.has(c));
  assert.deepEqual(missing, []);
  // and the rules registered today too (a rule newer than the catalogue copy would show here)
  for (const r of allRules) assert.ok(used.has(r.meta.code), `${r.meta.code} ${r.meta.name} is in no checklist item`);
});

test('items without a seed come from the catalogue alone and are rule items', () => {
  for (const item of CHECKLIST) {
    if (seedsOf(item).length > 0) continue;
    assert.ok((item.rules?.length ?? 0) > 0, `${item.id}: a manual item must come from a seed`);
  }
});

test('the text meant for people (titles, why, obsolete advice) has no internal words: seeds, catalogue, item ids', () => {
  const ids = CHECKLIST.map((i) => i.id);
  for (const item of CHECKLIST) {
    const texts = [item.title, item.why, ...(item.supersedes ? [item.supersedes.advice, item.supersedes.replacement, item.supersedes.reason] : [])];
    for (const t of texts) {
      assert.doesNotMatch(t, /\bseeds?\b|catalogue/i, `${item.id}: ${t}`);
      for (const id of ids) assert.ok(!t.includes(id), `${item.id} mentions the item id ${id}: ${t}`);
    }
  }
});

test('per seed file: the items drawn from it (every seed contributes)', (t) => {
  const lines: string[] = [];
  for (const seed of SEED_IDS) {
    const items = CHECKLIST.filter((i) => seedsOf(i).includes(seed));
    lines.push(`${seed}: ${items.length} items: ${items.map((i) => i.id).join(', ')}`);
    assert.ok(items.length >= 10, `seed ${seed} contributes only ${items.length} items`);
  }
  const merged = CHECKLIST.filter((i) => seedsOf(i).length >= 2).length;
  lines.push(`items merged from two or more seeds: ${merged}; catalogue-only items: ${CHECKLIST.filter((i) => seedsOf(i).length === 0).length}; total: ${CHECKLIST.length}`);
  for (const l of lines) t.diagnostic(l);
  assert.ok(merged >= 20, 'the seeds overlap a lot: most common items must be merged, not repeated');
});

test('every quoted seed line is really in that seed, and left-out lines are not quoted', (t) => {
  const texts = seedTexts();
  if (!texts) {
    t.skip(`seeds not found at ${seedsDir}`);
    return;
  }
  assert.deepEqual([...texts.keys()].sort(), [...SEED_IDS]);
  for (const item of CHECKLIST) {
    for (const [seed, quotes] of Object.entries(item.sources) as [SeedId, string[]][]) {
      for (const q of quotes) assert.ok(texts.get(seed)!.includes(q), `${item.id}: "${q}" is not in seed ${seed}`);
    }
  }
  const quoted = new Set(CHECKLIST.flatMap((i) => Object.values(i.sources).flat()));
  for (const l of LEFT_OUT) {
    assert.ok(texts.get(l.seed)!.includes(l.text), `left out: "${l.text}" is not in seed ${l.seed}`);
    assert.ok(!quoted.has(l.text), `"${l.text}" is both left out and quoted`);
    assert.ok(l.reason.length > 10);
  }
});

test('obsolete seed advice appears with its modern replacement', () => {
  const xss = CHECKLIST.find((i) => i.id === 'https.no-xss-filter');
  assert.ok(xss && xss.rules?.includes('DJR311'));
  assert.match(xss.supersedes?.advice ?? '', /SECURE_BROWSER_XSS_FILTER/);
  assert.match(xss.supersedes?.replacement ?? '', /Content-Security-Policy/);
  assert.ok(CHECKLIST.some((i) => i.id === 'https.csp' && i.rules?.includes('DJR314')), 'the replacement has its own item');
  for (const i of CHECKLIST.filter((x) => x.supersedes)) {
    assert.ok(i.supersedes!.reason.length > 20, `${i.id}: say why the advice is obsolete`);
    assert.ok(seedsOf(i).length > 0, `${i.id}: superseded advice must come from a seed`);
  }
});

test('the manual items include what no static check can decide', () => {
  const manual = new Set(CHECKLIST.filter((i) => i.manual).map((i) => i.id));
  for (const id of ['database.backups', 'database.restore-tested', 'logging.monitoring-alerts', 'deployment.security-testing', 'deployment.incident-response', 'secrets.secret-key-rotation']) {
    assert.ok(manual.has(id), `${id} should be a manual item`);
  }
});
