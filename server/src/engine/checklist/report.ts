/**
 * The checklist as a Markdown report, written for a tech lead deciding whether to ship:
 *
 *  1. a summary first: the score, the problems by severity, the checklist counts and the top
 *     five problems (the worst failing items, each with its first finding);
 *  2. one section per category, its items ordered by severity: failing items first (errors,
 *     then warnings...), each with its findings as file:line links relative to the report's
 *     folder, why it matters and the fix (the rule's "use instead" snippet); then accepted
 *     risks with the reason written in the suppression, items not checked with why, passed
 *     items, and not-applicable ones struck through with the reason;
 *  3. the manual checks in their own section at the end, grouped by category, with their ticks.
 *
 * No internal vocabulary (item ids, source documents) appears in the text. Finding messages are
 * already masked by the rules; nothing else in the report comes from the user's files except the
 * reasons written in suppression comments and tick notes, which are escaped.
 */
import * as path from 'node:path';
import type { Finding, Severity } from '../types';
import { relativePath } from './paths';
import { formatScore, MANUAL_WEIGHT, SEVERITY_WEIGHT, suppressionPlace, type ChecklistItem, type ChecklistReport } from './model';

export { relativePath };

export interface MarkdownReportOptions {
  /** Folder the report's links are relative to (where the report is written). */
  root: string;
  /** The date printed in the report (YYYY-MM-DD). */
  date: string;
  /** Title of the document (default "Production readiness report"). */
  title?: string;
  /** Findings listed per item before "... and N more" (default 20). */
  maxFindingsPerItem?: number;
}

/** Escapes what would turn a message into markup (HTML, links, emphasis by asterisks). */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/([\\[\]<>*])/g, '\\$1');
}

function linkTarget(rel: string, line: number): string {
  return `${rel.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}

function place(file: string, line0: number, root: string): string {
  const rel = relativePath(root, file);
  return `[${escapeMarkdown(rel)}:${line0 + 1}](${linkTarget(rel, line0 + 1)})`;
}

function findingLine(f: Finding, root: string): string {
  return `${place(f.file, f.range.start.line, root)} ${escapeMarkdown(f.message)} (${f.code})`;
}

/** Curated text (titles, reasons): written for Markdown already; only line breaks are folded. */
function plain(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
const STATUS_RANK: Record<ChecklistItem['status'], number> = { failed: 0, accepted: 1, 'not-checked': 2, passed: 3, 'not-applicable': 4, manual: 5 };

/** Items as the report lists them: failing first by severity, then accepted, not checked, passed, not applicable. */
export function reportOrder(items: readonly ChecklistItem[]): ChecklistItem[] {
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => STATUS_RANK[a.it.status] - STATUS_RANK[b.it.status] || (a.it.status === 'failed' ? SEVERITY_RANK[a.it.severity ?? 'hint'] - SEVERITY_RANK[b.it.severity ?? 'hint'] : 0) || a.i - b.i)
    .map((x) => x.it);
}

/** The worst failing items: by severity, then by number of findings, then checklist order. */
export function topProblems(report: ChecklistReport, n = 5): ChecklistItem[] {
  return report.items
    .map((it, i) => ({ it, i }))
    .filter((x) => x.it.status === 'failed')
    .sort((a, b) => SEVERITY_RANK[a.it.severity ?? 'hint'] - SEVERITY_RANK[b.it.severity ?? 'hint'] || b.it.findings.length - a.it.findings.length || a.i - b.i)
    .slice(0, n)
    .map((x) => x.it);
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function severityCounts(c: Record<Severity, number>): string {
  const parts = SEVERITY_ORDER.filter((s) => c[s] > 0).map((s) => plural(c[s], s === 'info' ? 'info' : s, s === 'info' ? 'info' : `${s}s`));
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function fence(text: string, lang: string): string[] {
  const ticks = /```/.test(text) ? '````' : '```';
  return [`${ticks}${lang}`, ...text.split(/\r\n|\r|\n/), ticks];
}

function indent(lines: string[], by = '  '): string[] {
  return lines.map((l) => (l === '' ? l : by + l));
}

function obsolete(item: ChecklistItem): string[] {
  const s = item.supersedes;
  return s ? [`  - _Often recommended, now obsolete: ${plain(s.advice)}. Instead: ${plain(s.replacement)}. ${plain(s.reason)}_`] : [];
}

function itemLines(item: ChecklistItem, opts: MarkdownReportOptions): string[] {
  const title = plain(item.title);
  const out: string[] = [];
  switch (item.status) {
    case 'failed': {
      out.push(`- [ ] **${title}** — ${item.severity ?? 'warning'}, ${plural(item.findings.length, 'problem')}`);
      const max = opts.maxFindingsPerItem ?? 20;
      for (const f of item.findings.slice(0, max)) out.push(`  - ${findingLine(f, opts.root)}`);
      if (item.findings.length > max) out.push(`  - … and ${item.findings.length - max} more`);
      out.push(`  - _Why it matters:_ ${plain(item.why)}`);
      const fixes = item.ruleRefs.filter((r) => r.instead);
      for (const r of fixes) {
        out.push(`  - _Fix${fixes.length > 1 ? ` (${r.code})` : ''}:_`, '', ...indent(fence(r.instead!.text, r.instead!.lang), '    '));
      }
      if (item.accepted.length > 0) out.push(`  - _Also accepted:_ ${item.accepted.map((f) => acceptedText(f, opts.root)).join('; ')}`);
      break;
    }
    case 'accepted':
      out.push(`- **Accepted:** ${title}`);
      for (const f of item.accepted) out.push(`  - ${findingLine(f, opts.root)}: ${acceptedText(f, opts.root)}`);
      break;
    case 'not-checked':
      out.push(`- _Not checked:_ ${title} — ${plain(item.reason)}`);
      break;
    case 'passed':
      out.push(`- [x] ${title}`);
      break;
    case 'not-applicable':
      out.push(`- ~~${title}~~ — _not applicable: ${plain(item.reason)}_`);
      break;
    case 'manual': {
      if (item.done) {
        const who = item.tick?.by ? ` by ${escapeMarkdown(item.tick.by)}` : '';
        const when = item.tick?.date ? ` on ${escapeMarkdown(item.tick.date)}` : '';
        out.push(`- [x] ${title} — _done${who}${when}_`);
      } else out.push(`- [ ] ${title}`);
      if (item.tick?.note) out.push(`  - _Note:_ ${escapeMarkdown(item.tick.note)}`);
      break;
    }
  }
  out.push(...obsolete(item));
  return out;
}

/** "accepted: \"reason\" (an ignore comment at settings.py:12)" */
function acceptedText(f: Finding, root: string): string {
  const s = f.suppressed;
  const why = s?.reason ? `"${escapeMarkdown(s.reason)}"` : 'no reason written';
  return `${why} (${suppressionPlace(f, root)})`;
}

function statusCounts(report: ChecklistReport): string {
  const c = report.counts;
  const parts = [`${c.passed} passed`, `${c.failed} failing`];
  if (c.accepted > 0) parts.push(`${c.accepted} accepted`);
  if (c.notChecked > 0) parts.push(`${c.notChecked} not checked`);
  if (c.notApplicable > 0) parts.push(`${c.notApplicable} not applicable`);
  return parts.join(' · ');
}

export function renderMarkdownReport(report: ChecklistReport, opts: MarkdownReportOptions): string {
  const c = report.counts;
  const lines: string[] = [];
  const project = path.basename(report.root) || report.root;
  lines.push(`# ${opts.title ?? 'Production readiness report'}: ${escapeMarkdown(project)}`, '');
  lines.push(`${escapeMarkdown(opts.date)} · generated by django-readiness from the source (nothing was run)`, '');

  // ── Summary ──
  lines.push('## Summary', '');
  if (!report.hasDjangoProject) {
    lines.push('No Django project (manage.py or a settings module) was found here: nothing was checked.', '');
    return lines.join('\n');
  }
  lines.push(`**Score: ${formatScore(report.score)}**${report.score !== null ? ` (${report.points.earned} of ${report.points.possible} points)` : ''}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Problems | ${severityCounts(report.problems)} |`);
  lines.push(`| Automated checks | ${statusCounts(report)} |`);
  lines.push(`| Manual checks | ${c.manualDone} of ${c.manual} done |`, '');
  const top = topProblems(report);
  if (top.length > 0) {
    lines.push(`### Top ${top.length === 1 ? 'problem' : `${top.length} problems`}`, '');
    top.forEach((item, i) => {
      const f = item.findings[0];
      const more = item.findings.length > 1 ? ` (+${item.findings.length - 1} more)` : '';
      lines.push(`${i + 1}. **${plain(item.title)}** (${item.severity ?? 'warning'}): ${f ? findingLine(f, opts.root) : plain(item.reason)}${more}`);
    });
    lines.push('');
  } else lines.push('No automated check fails.', '');

  // ── Automated checks, by category ──
  for (const cat of report.categories) {
    const items = reportOrder(report.items.filter((i) => i.category === cat.category && i.status !== 'manual'));
    if (items.length === 0) continue;
    const k = cat.counts;
    const decided = k.passed + k.failed;
    const head = decided > 0 ? ` (${k.passed} of ${decided} passing)` : '';
    lines.push(`## ${plain(cat.title)}${head}`, '');
    for (const item of items) lines.push(...itemLines(item, opts));
    lines.push('');
  }
  if (report.unlisted.length > 0) {
    lines.push('## Other findings', '');
    for (const f of report.unlisted) lines.push(`- ${findingLine(f, opts.root)}`);
    lines.push('');
  }

  // ── Manual checks ──
  const manual = report.items.filter((i) => i.status === 'manual');
  if (manual.length > 0) {
    lines.push(`## Manual checks (${c.manualDone} of ${c.manual} done)`, '');
    lines.push('No static analysis can decide these: the team ticks them once they are true (Django Readiness view, or `.django-readiness/checklist.json` in the repository).', '');
    for (const cat of report.categories) {
      const items = manual.filter((i) => i.category === cat.category);
      if (items.length === 0) continue;
      lines.push(`### ${plain(cat.title)}`, '');
      for (const item of items) lines.push(...itemLines(item, opts));
      lines.push('');
    }
  }

  lines.push('---', '');
  lines.push(
    `How the score is computed: each passing or failing check counts ${SEVERITY_WEIGHT.error} points for an error, ${SEVERITY_WEIGHT.warning} for a warning and ${SEVERITY_WEIGHT.info} for info; each manual check counts ${MANUAL_WEIGHT} when ticked. Accepted risks, checks that could not run and checks that do not apply are left out. ` +
      'To accept a risk, write the reason in a suppression comment (`# noqa: DJR701 reason`, `# django-readiness: ignore[DJR701] reason`, or `# django-readiness: ignore-file[DJR701] reason` for a whole file).',
    '',
  );
  return lines.join('\n');
}
