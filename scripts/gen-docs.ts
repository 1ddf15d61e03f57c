// Writes docs/rules/<code>-<name>.md and docs/rules/README.md from the rule metadata.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index.generated';
import { CATEGORY_TITLES, readmeRuleTable, renderRuleMarkdown } from '../server/src/engine';
import { contributedConfiguration, optionsMarkdownTable } from '../server/src/options';

const dir = path.resolve(__dirname, '..', 'docs', 'rules');
fs.mkdirSync(dir, { recursive: true });
const keep = new Set<string>(['README.md']);
for (const r of allRules) {
  const name = `${r.meta.code}-${r.meta.name}.md`;
  keep.add(name);
  fs.writeFileSync(path.join(dir, name), renderRuleMarkdown(r.meta));
}
for (const f of fs.readdirSync(dir)) if (!keep.has(f)) fs.unlinkSync(path.join(dir, f));
const rows = [...allRules]
  .sort((a, b) => a.meta.code.localeCompare(b.meta.code))
  .map((r) => `| [${r.meta.code}](${r.meta.code}-${r.meta.name}.md) | ${r.meta.name} | ${CATEGORY_TITLES[r.meta.category]} | ${r.meta.severity}${r.meta.optIn ? ' (opt-in)' : ''} | ${r.meta.fix} |`);
fs.writeFileSync(path.join(dir, 'README.md'), ['# Rules', '', 'Generated from the rule metadata by `npm run docs`.', '', '| code | name | category | severity | fix |', '|---|---|---|---|---|', ...rows, ''].join('\n'));
// The rule table of the README, between its markers.
const readme = path.resolve(__dirname, '..', 'README.md');
const text = fs.readFileSync(readme, 'utf8');
fs.writeFileSync(readme, text.replace(/<!-- rules:start -->[\s\S]*<!-- rules:end -->/, `<!-- rules:start -->\n${readmeRuleTable(allRules)}\n<!-- rules:end -->`));
console.log(`docs: ${allRules.length} rule pages`);
// package.json `contributes.configuration` and the README options table, from the options table.
const pkgPath = path.resolve(__dirname, '..', 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
pkg.contributes.configuration = contributedConfiguration();
fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
for (const doc of [readme, path.resolve(__dirname, '..', 'docs', 'editor.md')]) {
  const t = fs.readFileSync(doc, 'utf8');
  fs.writeFileSync(doc, t.replace(/<!-- options:start -->[\s\S]*<!-- options:end -->/, `<!-- options:start -->\n${optionsMarkdownTable()}\n<!-- options:end -->`));
}
console.log(`docs: package.json configuration (${Object.keys(pkg.contributes.configuration.properties).length} settings), options table in README.md and docs/editor.md`);
