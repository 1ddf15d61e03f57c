/** Meta-test: the rule set, its registry, docs and fixtures never drift apart. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allRules, ruleFilePaths } from '../../rules/index.generated';
import { readmeRuleTable, renderRuleMarkdown, CATEGORY_TITLES } from '../../server/src/engine';
import { fixturesRoot, repoRoot } from '../helpers/fixtures';

// The public contract of codes (from shared/rules.md): a code never changes meaning.
const catalogue: Record<string, string> = JSON.parse(fs.readFileSync(path.join(fixturesRoot, 'catalogue.json'), 'utf8'));
const sharedCatalogue = path.join(repoRoot, '..', 'shared', 'rules.md');

test('codes are unique and well formed', () => {
  const codes = allRules.map((r) => r.meta.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^DJR\d{3}$/);
  const names = allRules.map((r) => r.meta.name);
  assert.equal(new Set(names).size, names.length);
});

test('each rule file is named after its rule and sits in its category folder', () => {
  for (let i = 0; i < allRules.length; i++) {
    const meta = allRules[i].meta;
    const [folder, file] = ruleFilePaths[i].split('/');
    assert.equal(file, meta.name, `${ruleFilePaths[i]} exports ${meta.name}`);
    assert.equal(folder, meta.category, `${meta.name} lives in rules/${folder} but its category is ${meta.category}`);
    assert.ok(meta.category in CATEGORY_TITLES);
  }
});

test('the registry lists every rule file', () => {
  const onDisk: string[] = [];
  for (const cat of fs.readdirSync(path.join(repoRoot, 'rules'), { withFileTypes: true })) {
    if (!cat.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(repoRoot, 'rules', cat.name))) if (f.endsWith('.ts')) onDisk.push(`${cat.name}/${f.slice(0, -3)}`);
  }
  assert.deepEqual([...ruleFilePaths].sort(), onDisk.sort());
});

test('codes and names match the catalogue, a code never changes meaning', () => {
  for (const r of allRules) assert.equal(catalogue[r.meta.code], r.meta.name, `${r.meta.code} ${r.meta.name} is not in the catalogue`);
  if (fs.existsSync(sharedCatalogue)) {
    // the planning copy, when it sits beside the repository
    const text = fs.readFileSync(sharedCatalogue, 'utf8');
    for (const [code, name] of Object.entries(catalogue)) assert.match(text, new RegExp(`\\|\\s*${code}\\s*\\|\\s*${name}\\s*\\|`));
  }
});

test('docs are complete and the generated pages are current', () => {
  for (const r of allRules) {
    const d = r.meta.docs;
    for (const k of ['what', 'why', 'example', 'instead'] as const) assert.ok(d[k] && d[k].trim().length > 10, `${r.meta.code}: docs.${k}`);
    assert.ok(d.references.length > 0, `${r.meta.code}: references`);
    assert.ok(r.meta.seeds.length > 0, `${r.meta.code}: seeds`);
    if (r.meta.fix !== 'none') assert.ok(r.meta.fixTitle, `${r.meta.code}: fixTitle`);
    const page = path.join(repoRoot, 'docs', 'rules', `${r.meta.code}-${r.meta.name}.md`);
    assert.ok(fs.existsSync(page), `missing ${path.relative(repoRoot, page)}: run npm run docs`);
    assert.equal(fs.readFileSync(page, 'utf8'), renderRuleMarkdown(r.meta), `${path.relative(repoRoot, page)} is stale: run npm run docs`);
  }
  const pages = fs.readdirSync(path.join(repoRoot, 'docs', 'rules')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  assert.equal(pages.length, allRules.length, 'docs/rules has pages for rules that no longer exist: run npm run docs');
});

test('the README rule table is current', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  assert.ok(readme.includes(`<!-- rules:start -->\n${readmeRuleTable(allRules)}\n<!-- rules:end -->`), 'README rule table is stale: run npm run docs');
});

test('every rule has a fixture folder', () => {
  for (const r of allRules) {
    const dir = path.join(fixturesRoot, 'rules', r.meta.name);
    assert.ok(fs.existsSync(dir), `missing fixture folder test/fixtures/rules/${r.meta.name}`);
  }
});

test('a rule declares the kind of its check function, and template rules have .html fixtures', () => {
  const hooks = { settings: ['checkSettings'], code: ['create', 'checkFile'], template: ['checkTemplate'], project: ['checkProject'] } as const;
  for (const r of allRules) {
    assert.ok(hooks[r.meta.kind].some((h) => r[h]), `${r.meta.code}: kind ${r.meta.kind} without ${hooks[r.meta.kind].join(' or ')}`);
    assert.equal(!!r.checkTemplate, r.meta.kind === 'template', `${r.meta.code}: checkTemplate belongs to template rules`);
    const dir = path.join(fixturesRoot, 'rules', r.meta.name);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((x) => /^(valid|invalid)\./.test(x))) {
      if (r.meta.kind === 'template') assert.match(f, /\.html$/, `${r.meta.name}/${f}: template rule fixtures are .html files`);
      else assert.doesNotMatch(f, /\.html$/, `${r.meta.name}/${f}: an .html fixture for a ${r.meta.kind} rule`);
    }
  }
});
