/**
 * The hover over a finding. VS Code (and most LSP clients) already show the diagnostic's message
 * in the same hover, so this never repeats it: it adds why the problem matters, the fix the quick
 * fix menu offers (only when the finding has one: a rule without a fix shows what to write
 * instead), and the documentation link.
 *
 * Several findings on the same range (a production module with several settings missing: they
 * all sit on its docstring) make one block listing them, one line each, not one block per finding.
 */
import { ruleDocUrl, type RuleMeta } from '../engine/rule';
import type { Applicability, Finding, Fix } from '../engine/types';

const APPLICABILITY_NOTE: Record<Applicability, string> = {
  safe: 'safe: the application behaves as before; part of fix-all',
  unsafe: 'unsafe: changes what the application does; review it',
  'display-only': 'applied one at a time only: review it',
};

/** The fix the quick-fix menu puts first: the preferred one, else the first. */
function mainFix(f: Finding): Fix | undefined {
  return f.fixes.find((x) => x.preferred) ?? f.fixes[0];
}

function fence(code: string): string {
  const ticks = code.includes('```') ? '````' : '```';
  const lang = /^\s*(FROM|USER|CMD|RUN)\b/m.test(code) ? 'dockerfile' : /^[A-Za-z][\w.-]*(\[[\w,]+\])?==/m.test(code) ? 'text' : 'python';
  return `${ticks}${lang}\n${code}\n${ticks}`;
}

function docLink(meta: RuleMeta | undefined, f: Finding): string {
  return meta ? `[${f.code} ${f.name}](${ruleDocUrl(meta)})` : `${f.code} ${f.name}`;
}

/** One finding: why, the fix (or what to write instead), the documentation. */
function single(f: Finding, meta: RuleMeta | undefined): string {
  const out: string[] = [];
  if (meta) out.push(meta.docs.why, '');
  const fix = mainFix(f);
  if (fix) {
    const more = f.fixes.length > 1 ? ` (${f.fixes.length - 1} more in the quick-fix menu)` : '';
    out.push(`**Quick fix:** ${fix.title} _(${APPLICABILITY_NOTE[fix.applicability]})_${more}`, '');
  } else if (meta?.docs.instead.trim()) {
    out.push('**Instead:**', '', fence(meta.docs.instead.trim()), '');
  }
  out.push(`Documentation: ${docLink(meta, f)}`);
  return out.join('\n');
}

/** The hover Markdown for the findings under the cursor (undefined: none). */
export function renderFindingsHover(hits: readonly Finding[], metaByCode: ReadonlyMap<string, RuleMeta>): string | undefined {
  if (hits.length === 0) return undefined;
  // the same rule reported twice at one place (two settings modules) is one line
  const seen = new Set<string>();
  const unique = hits.filter((f) => {
    const k = `${f.code}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (unique.length === 1) return single(unique[0], metaByCode.get(unique[0].code));
  const lines = [`**${unique.length} django-readiness findings here**`, ''];
  for (const f of unique) {
    const fix = mainFix(f);
    lines.push(`- ${docLink(metaByCode.get(f.code), f)}${fix ? `: quick fix "${fix.title}"` : ''}`);
  }
  return lines.join('\n');
}
