// Writes docs/rules/<code>-<name>.md and docs/rules/README.md from the rule metadata.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index.generated';
import { CATEGORY_TITLES, readmeRuleTable, renderRuleMarkdown } from '../server/src/engine';

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
