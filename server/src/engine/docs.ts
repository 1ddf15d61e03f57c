/**
 * Rule documentation rendered from the rule's metadata: the Markdown page (docs/rules/),
 * the hover text, and the terminal text of `django-readiness rule DJR101`.
 */
import { ruleDocUrl, type Rule, type RuleMeta } from './rule';
import { CATEGORY_TITLES, type Applicability } from './types';

function djangoLine(meta: RuleMeta): string {
  return meta.django ? `Closest Django check: \`security.${meta.django.split('/').join('`, `security.')}\` (\`manage.py check --deploy\`).` : '';
}

/** What each applicability means for the user (docs, `rule DJRxxx`). */
export const APPLICABILITY_TEXT: Record<Applicability, string> = {
  safe: 'safe: the running application behaves exactly as before; applied by fix-all, fix-on-save and `--fix`',
  unsafe: 'unsafe: it changes what the application does; offered as a quick fix, applied in bulk only with `--fix --unsafe-fixes` or "Fix all DJRxxx problems in this file"',
  'display-only': 'display-only: offered as a one-off quick fix, never applied by any fix-all (not even `--unsafe-fixes`)',
};

function fixLine(meta: RuleMeta): string {
  if (meta.fix === 'none' || !meta.fixTitle) return 'No automatic fix.';
  return `Quick fix: ${meta.fixTitle}. Applicability: ${APPLICABILITY_TEXT[meta.fix]}.`;
}

function fence(code: string): string {
  // a Django template: a line starting with a tag, a variable or HTML markup
  if (/^\s*(\{[%{#]|<[a-zA-Z!])/m.test(code)) return '```django\n' + code.trim() + '\n```';
  const lang = /^(FROM|RUN|CMD|USER|web:)/m.test(code) ? '' : /==|^[a-z-]+\s*$/m.test(code) && !/=\s/.test(code) ? 'text' : 'python';
  return '```' + lang + '\n' + code.trim() + '\n```';
}

export function renderRuleMarkdown(meta: RuleMeta): string {
  const d = meta.docs;
  const lines = [
    `# ${meta.code} ${meta.name}`,
    '',
    `Category: ${CATEGORY_TITLES[meta.category]} · Default severity: ${meta.severity} · Fix: ${meta.fix}${meta.requires ? ` · Applies when the project uses: ${meta.requires.join(', ')}` : ''}${meta.optIn ? ' · Opt-in: runs only when `select` names it or `severity` gives it a level' : ''}`,
    '',
    '## What it does',
    '',
    d.what,
    '',
    '## Why it matters',
    '',
    d.why,
    '',
    '## Example',
    '',
    fence(d.example),
    '',
    '## Use instead',
    '',
    fence(d.instead),
    '',
    '## Fix safety',
    '',
    fixLine(meta),
    ...(d.fixSafety ? ['', d.fixSafety] : []),
    '',
  ];
  const dj = djangoLine(meta);
  if (dj) lines.push(dj, '');
  lines.push(`Suppress with \`# django-readiness: ignore[${meta.code}]\` on the line or the line above, or \`# noqa: ${meta.code}\` on the line.`, '');
  if (d.references.length) {
    lines.push('## References', '');
    for (const r of d.references) lines.push(`- ${r}`);
    lines.push('');
  }
  lines.push(`Seed reviews listing this concern: ${meta.seeds.join(', ')}.`, '');
  return lines.join('\n');
}

/** The hover on a finding: why, and the fix, in Markdown. */
export function renderHover(meta: RuleMeta, message: string): string {
  return [
    `**${meta.code} ${meta.name}**: ${message}`,
    '',
    meta.docs.why,
    '',
    `**Fix:** ${meta.fix === 'none' || !meta.fixTitle ? meta.docs.instead.split('\n')[0] : meta.fixTitle}${meta.fix === 'unsafe' || meta.fix === 'display-only' ? ` _(${meta.fix}: review before applying)_` : ''}`,
    '',
    `[Documentation](${ruleDocUrl(meta)})`,
  ].join('\n');
}

/** Terminal text for `django-readiness rule DJR101`. */
export function renderRuleText(meta: RuleMeta): string {
  return renderRuleMarkdown(meta)
    .replace(/^```\w*\n/gm, '')
    .replace(/^```$/gm, '')
    .replace(/`/g, '');
}

/** The rule table of the README (between its `rules:start` / `rules:end` markers). */
export function readmeRuleTable(rules: Rule[]): string {
  const rows = [...rules]
    .sort((a, b) => a.meta.code.localeCompare(b.meta.code))
    .map((r) => `| [${r.meta.code}](docs/rules/${r.meta.code}-${r.meta.name}.md) | ${r.meta.name} | ${r.meta.severity}${r.meta.optIn ? ' (opt-in)' : ''} | ${r.meta.fix === 'none' ? '' : r.meta.fix} | ${r.meta.message} |`);
  return ['| code | name | severity | fix | finds |', '|---|---|---|---|---|', ...rows].join('\n');
}
