/**
 * Output formats of `django-readiness check`: text (like Ruff's), JSON (design.md contract)
 * and SARIF 2.1.0 (GitHub code scanning). Messages are already masked by the rules.
 */
import * as path from 'node:path';
import { acceptedJson, fixToApply, ruleDocUrl, type ChecklistJsonItem, type ChecklistReport, type Finding, type Note, type ProjectSummary, type Rule, type Severity, unreadSentence } from '../engine';

export type JsonChecklistItem = ChecklistJsonItem;

/** One analysed root's readiness in the JSON output. */
export interface JsonSummary {
  root: string;
  /** Weighted score 0..1, null when nothing counts (see the README: "The score"). */
  score: number | null;
  points: ChecklistReport['points'];
  counts: ChecklistReport['counts'];
  problems: ChecklistReport['problems'];
}

export function jsonSummary(report: ChecklistReport): JsonSummary {
  return { root: report.root, score: report.score, points: { ...report.points }, counts: { ...report.counts }, problems: { ...report.problems } };
}

/** Which settings module was judged as production for one Django project, and why. */
export interface JsonProduction {
  /** The Django project's folder (manage.py), relative to the output's root ('.' for the root). */
  project: string;
  /** Dotted name of the production module; null when none could be chosen. */
  module: string | null;
  /** Its file, relative to the root; null when none. */
  file: string | null;
  reason: string;
  /** The modules that could be production, when none could be chosen (or the configured one matches none). */
  candidates: string[];
  /** Production overlays evaluated as part of the module (pulled in by an environment switch). */
  overlays: string[];
  /**
   * The repository folder above the project whose deployment files (requirements/, Dockerfile,
   * Procfile...) are the project's, and why; null when the project reads its own folder.
   */
  repository: { folder: string; reason: string } | null;
  /**
   * Files the production settings run after their own settings whose settings are unknown
   * (`from .local import *` of a gitignored local.py, exec of local_settings.py): `file` and
   * `from` relative to the root, `line` of the statement, `state` missing | gitignored |
   * not-followed, `ignored` (a missing file's path is gitignored).
   */
  unread: { file: string; from: string; line: number; state: string; ignored: boolean }[];
}

export function productionJson(root: string, projects: ProjectSummary[]): JsonProduction[] {
  return projects.map((p) => ({
    project: path.relative(root, p.root).split(path.sep).join('/') || '.',
    module: p.productionDotted ?? null,
    file: p.productionModule ? relPath(root, p.productionModule) : null,
    reason: p.productionReason,
    candidates: p.candidates ?? [],
    overlays: (p.overlays ?? []).map((o) => relPath(root, o)),
    repository: p.repository ? { folder: path.relative(root, p.repository.root).split(path.sep).join('/') || '.', reason: p.repository.reason } : null,
    unread: (p.unread ?? []).map((u) => ({ file: relPath(root, u.file), from: relPath(root, u.from), line: u.line, state: u.state, ignored: !!u.ignored })),
  }));
}

/** The `note:` lines of the text output that say which module is production (one per project). */
export function productionNotes(projects: ProjectSummary[]): Note[] {
  return projects.flatMap((p) => {
    if (!p.repository) return [productionNote(p)];
    const project = path.relative(p.repository.root, p.root).split(path.sep).join('/');
    return [productionNote(p), { file: p.repository.root, kind: 'info' as const, message: `deployment files: the whole folder's are those of the Django project in ${project} (${p.repository.reason})` }];
  });
}

function productionNote(p: ProjectSummary): Note {
    const file = p.productionModule ?? p.root;
    if (p.productionDotted) {
      const unread = p.unread?.length ? `; ${unreadSentence(p.unread, (f) => relPath(p.root, f))}` : '';
      return { file, kind: 'info', message: `production settings: ${p.productionDotted} (${p.productionReason})${unread}` };
    }
    const candidates = p.candidates && p.candidates.length > 0 ? `; candidates: ${p.candidates.join(', ')}` : '';
    const hint = p.settingsModules.length > 0 ? ' — name it with --production-settings (or production-settings-module in pyproject.toml)' : '';
    return { file, kind: 'info', message: `production settings: unknown, ${p.productionReason.replace(/^unknown: /, '')}${candidates}${hint}; settings rules did not run` };
}

export function relPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

export function toJson(root: string, findings: Finding[], checklist: JsonChecklistItem[], extra: { accepted?: Finding[]; summaries?: JsonSummary[]; production?: JsonProduction[] } = {}): object {
  return {
    version: 1,
    root,
    diagnostics: findings.map((f) => {
      const fix = f.fixes[0];
      return {
        rule: f.code,
        name: f.name,
        severity: f.severity,
        file: relPath(root, f.file),
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        message: f.message,
        fix: fix ? { title: fix.title, safe: fix.applicability === 'safe', applicability: fix.applicability, id: fix.id } : null,
      };
    }),
    checklist,
    /** Suppressed findings: not problems, but risks someone accepted, with the reason written. */
    accepted: (extra.accepted ?? []).map((f) => acceptedJson(root, f)),
    summaries: extra.summaries ?? [],
    /**
     * The production settings module of the (first) Django project and why it was chosen; null
     * when no Django project was found. `projects`: the same for every project found.
     */
    production: extra.production?.[0] ?? null,
    projects: extra.production ?? [],
  };
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * SARIF 2.1.0. Suppressed findings are results too, each with a `suppressions` entry (kind
 * inSource, status accepted, the reason as justification), as code-scanning tools expect.
 */
export function toSarif(root: string, findings: Finding[], rules: Rule[], version: string, accepted: Finding[] = [], production: JsonProduction[] = []): object {
  const index = new Map(rules.map((r, i) => [r.meta.code, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'django-readiness',
            version,
            informationUri: 'https://github.com/django-readiness/django-readiness',
            rules: rules.map((r) => ({
              id: r.meta.code,
              name: r.meta.name,
              shortDescription: { text: r.meta.message },
              fullDescription: { text: r.meta.docs.what.replace(/`/g, '') },
              help: { text: r.meta.docs.why.replace(/`/g, ''), markdown: r.meta.docs.why },
              helpUri: ruleDocUrl(r.meta),
              defaultConfiguration: { level: SARIF_LEVEL[r.meta.severity], enabled: !r.meta.optIn },
              properties: { tags: ['security', 'django', r.meta.category], category: r.meta.category },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        // which settings module was judged as production, per Django project, and why
        properties: { production: production[0] ?? null, projects: production },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file://' + root.split(path.sep).join('/').replace(/\/?$/, '/') } },
        results: [...findings, ...accepted].map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code) ?? -1,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relPath(root, f.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          partialFingerprints: { 'djangoReadiness/v1': `${f.code}:${relPath(root, f.file)}:${f.message}` },
          ...(f.suppressed ? { suppressions: [sarifSuppression(root, f)] } : {}),
        })),
      },
    ],
  };
}

function sarifSuppression(root: string, f: Finding): object {
  const s = f.suppressed!;
  const what = s.kind === 'silenced-check' ? `SILENCED_SYSTEM_CHECKS lists ${s.check ?? 'its Django check id'}` : s.kind === 'file' ? 'django-readiness: ignore-file comment' : 'suppression comment';
  return {
    kind: 'inSource',
    status: 'accepted',
    justification: s.reason ? `${s.reason} (${what})` : `${what}; no reason written`,
    ...(s.file !== undefined && s.line !== undefined ? { location: { physicalLocation: { artifactLocation: { uri: relPath(root, s.file), uriBaseId: '%SRCROOT%' }, region: { startLine: s.line + 1 } } } } : {}),
  };
}

const COLORS = { red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', cyan: '\x1b[36m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' };

export function toText(root: string, findings: Finding[], notes: Note[], opts: { color: boolean; unsafeHint: boolean; noProject?: boolean }): string {
  const c = (k: keyof typeof COLORS, s: string) => (opts.color ? COLORS[k] + s + COLORS.reset : s);
  const sevColor: Record<Severity, keyof typeof COLORS> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'dim' };
  const lines: string[] = [];
  for (const f of findings) {
    const fixable = fixToApply(f, false) ? ' [*]' : '';
    lines.push(`${c('bold', relPath(root, f.file))}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${c(sevColor[f.severity], f.code)}${fixable} ${f.message}`);
  }
  for (const n of notes) {
    const where = n.range ? `:${n.range.start.line + 1}:${n.range.start.character + 1}` : '';
    lines.push(`${c('bold', relPath(root, n.file))}${where}: ${c('dim', 'note:')} ${n.message}`);
  }
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  const files = new Set(findings.map((f) => f.file)).size;
  const notAnalysed = new Set(notes.filter((n) => n.kind === 'skipped' || n.kind === 'syntax-error' || n.kind === 'rule-failed').map((n) => n.file)).size;
  if (opts.noProject && findings.length === 0) lines.push(c('bold', 'No Django project found: nothing to check (no manage.py, no Django settings, no Django import or requirement).'));
  else if (findings.length === 0 && notAnalysed > 0) lines.push(c('bold', `No problem found, but ${notAnalysed} file${notAnalysed === 1 ? ' was' : 's were'} not fully analysed (see the notes above).`));
  else if (findings.length === 0) lines.push(c('bold', 'All checks passed!'));
  else {
    const parts = (['error', 'warning', 'info', 'hint'] as Severity[]).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}${counts[s] === 1 || s === 'info' ? '' : 's'}`);
    lines.push(c('bold', `Found ${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} file${files === 1 ? '' : 's'}.`));
    const safe = findings.filter((f) => fixToApply(f, false)).length;
    const unsafe = findings.filter((f) => !fixToApply(f, false) && fixToApply(f, true)).length;
    if (safe > 0) lines.push(`[*] ${safe} fixable with --fix.`);
    if (unsafe > 0 && opts.unsafeHint) lines.push(`${unsafe} more fixable with --fix --unsafe-fixes (review them: they change what the application does).`);
  }
  return lines.join('\n') + '\n';
}
