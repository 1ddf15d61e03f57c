/**
 * The checklist tree, as plain data: which nodes exist, their labels, icons, context values
 * and click actions. No vscode import, so it is tested in-process; checklistView.ts is the thin
 * TreeDataProvider adapter that turns these specs into vscode.TreeItems.
 *
 * Shape: (workspace folder ›, when several have a Django project) category › item › finding.
 * Within a category: failing items first (errors, then warnings...), accepted, not checked,
 * passed, not applicable, then the manual items. Failed items expand to their findings, accepted
 * ones to their suppressed findings with the reason written (click opens the file there);
 * context values carry space-separated tokens for the menus (`viewItem =~ /\bmanualOpen\b/`).
 */
import * as path from 'node:path';
import type { WireChecklistItem as ChecklistItem, WireChecklistReport as ChecklistReport, WireFinding as Finding, WireFix as Fix } from '../../../server/src/protocol/checklist';
import type { Range, Severity } from '../../../server/src/protocol/messages';

/** A checklist category id (secrets, debug...), as the server sends it. */
type Category = string;

export interface FolderState {
  /** Workspace folder URI (the key). */
  uri: string;
  name: string;
  report?: ChecklistReport;
  /**
   * The folder's diagnostics by severity as the server published them (djangoReadiness/status):
   * the badge shows these, like the status item and the Problems panel.
   */
  problems?: Record<Severity, number>;
  /** The folder is being analysed (no report yet). */
  loading?: boolean;
  error?: string;
}

export type ChecklistNode =
  | { kind: 'folder'; key: string; folder: FolderState }
  | { kind: 'category'; key: string; folder: FolderState; category: Category; title: string }
  | { kind: 'item'; key: string; folder: FolderState; item: ChecklistItem }
  | { kind: 'finding'; key: string; folder: FolderState; item: ChecklistItem; finding: Finding; index: number; accepted?: boolean }
  | { kind: 'message'; key: string; text: string; icon?: IconSpec; tooltip?: string };

export interface IconSpec {
  /** A codicon id (ThemeIcon). */
  id: string;
  /** A theme color id (ThemeColor). */
  color?: string;
}

export interface TreeItemSpec {
  /** Stable across refreshes (keeps expansion state). */
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon?: IconSpec;
  collapsible: 'none' | 'collapsed' | 'expanded';
  contextValue?: string;
  /** Click: open this file with this selection (vscode.open). */
  open?: { file: string; range: Range };
}

/** What the view shows when it has no nodes (drives the viewsWelcome `when` clause). */
export type ViewState = 'loading' | 'no-project' | 'ready';

const SEVERITY_ICON: Record<Severity, IconSpec> = {
  error: { id: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  info: { id: 'info', color: 'problemsInfoIcon.foreground' },
  hint: { id: 'lightbulb', color: 'problemsInfoIcon.foreground' },
};
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export const ICONS = {
  passed: { id: 'pass', color: 'testing.iconPassed' },
  notApplicable: { id: 'circle-slash', color: 'disabledForeground' },
  accepted: { id: 'shield', color: 'problemsInfoIcon.foreground' },
  notChecked: { id: 'question', color: 'disabledForeground' },
  manualOpen: { id: 'checklist' },
  manualDone: { id: 'pass-filled', color: 'testing.iconPassed' },
  loading: { id: 'loading~spin' },
  problem: { id: 'warning', color: 'problemsWarningIcon.foreground' },
} satisfies Record<string, IconSpec>;

function worst(findings: readonly Finding[]): Severity {
  let w: Severity = 'hint';
  for (const f of findings) if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[w]) w = f.severity;
  return w;
}

export function scoreText(score: number | null): string {
  return score === null ? 'n/a' : `${Math.floor(score * 100 + 1e-9)}%`;
}

/** The fix the "apply the fix" action uses: the preferred one, else the first safe, else the first. */
export function primaryFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.preferred) ?? finding.fixes.find((f) => f.applicability === 'safe') ?? finding.fixes[0];
}

/** The finding an item-level action uses: the first with a fix. */
export function fixableFinding(item: ChecklistItem): Finding | undefined {
  return item.findings.find((f) => f.fixes.length > 0);
}

/** The documentation link of a finding or an item (its first rule that has one). */
export function docUrlOf(node: ChecklistNode): string | undefined {
  if (node.kind === 'finding') return node.item.ruleRefs.find((r) => r.code === node.finding.code)?.docUrl ?? node.item.ruleRefs.find((r) => r.docUrl)?.docUrl;
  if (node.kind === 'item') return node.item.ruleRefs.find((r) => r.docUrl)?.docUrl;
  return undefined;
}

/** The rule code a "show documentation" action on the node opens (a registered rule's). */
export function docCodeOf(node: ChecklistNode): string | undefined {
  if (node.kind === 'finding') return node.finding.code;
  if (node.kind === 'item') return node.item.ruleRefs.find((r) => r.docUrl)?.code;
  return undefined;
}

function relative(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel === '' || rel.startsWith('..') ? file : rel).split(path.sep).join('/');
}

function mdEscape(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}

export interface Totals {
  passed: number;
  failed: number;
  accepted: number;
  notChecked: number;
  notApplicable: number;
  manual: number;
  manualDone: number;
  score: number | null;
  /** Published diagnostics of the folders with a Django project, by severity. */
  problems: Record<Severity, number>;
}

const STATUS_RANK: Record<ChecklistItem['status'], number> = { failed: 0, accepted: 1, 'not-checked': 2, passed: 3, 'not-applicable': 4, manual: 5 };

/** Items as the tree (and the report) list them: failing first by severity, manual last. */
export function displayOrder(items: readonly ChecklistItem[]): ChecklistItem[] {
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => STATUS_RANK[a.it.status] - STATUS_RANK[b.it.status] || (a.it.status === 'failed' ? SEVERITY_RANK[a.it.severity ?? 'hint'] - SEVERITY_RANK[b.it.severity ?? 'hint'] : 0) || a.i - b.i)
    .map((x) => x.it);
}

function short(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** "5 errors, 17 warnings, 5 info" (zeros left out; "no problems" when all are). */
export function problemsText(p: Record<Severity, number>): string {
  const parts: string[] = [];
  if (p.error > 0) parts.push(`${p.error} error${p.error === 1 ? '' : 's'}`);
  if (p.warning > 0) parts.push(`${p.warning} warning${p.warning === 1 ? '' : 's'}`);
  if (p.info > 0) parts.push(`${p.info} info`);
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

export class ChecklistTreeModel {
  private readonly folders = new Map<string, FolderState>();
  onlyFailing = false;

  /** Replaces (or adds) a folder's state. Keeps insertion order (workspace order). */
  setFolder(state: FolderState): void {
    const problems = state.problems ?? this.folders.get(state.uri)?.problems ?? this.pendingProblems.get(state.uri);
    this.pendingProblems.delete(state.uri);
    this.folders.set(state.uri, problems ? { ...state, problems } : state);
  }

  removeFolder(uri: string): void {
    this.folders.delete(uri);
  }

  folder(uri: string): FolderState | undefined {
    return this.folders.get(uri);
  }

  folderStates(): FolderState[] {
    return [...this.folders.values()];
  }

  /** Folders shown: those with a Django project (or still loading, or failing). */
  private visibleFolders(): FolderState[] {
    return this.folderStates().filter((f) => f.loading || f.error || f.report?.hasDjangoProject);
  }

  state(): ViewState {
    const all = this.folderStates();
    if (all.some((f) => f.report?.hasDjangoProject || f.error)) return 'ready';
    if (all.length === 0 || all.some((f) => f.loading)) return 'loading';
    return 'no-project';
  }

  totals(): Totals {
    const t: Totals = { passed: 0, failed: 0, accepted: 0, notChecked: 0, notApplicable: 0, manual: 0, manualDone: 0, score: null, problems: { error: 0, warning: 0, info: 0, hint: 0 } };
    let earned = 0;
    let possible = 0;
    for (const f of this.folderStates()) {
      const r = f.report?.hasDjangoProject ? f.report : undefined;
      if (!r) continue;
      const c = r.counts;
      t.passed += c.passed;
      t.failed += c.failed;
      t.accepted += c.accepted;
      t.notChecked += c.notChecked;
      t.notApplicable += c.notApplicable;
      for (const k of ['error', 'warning', 'info', 'hint'] as const) t.problems[k] += f.problems?.[k] ?? 0;
      t.manual += c.manual;
      t.manualDone += c.manualDone;
      earned += r.points.earned;
      possible += r.points.possible;
    }
    // the reports' weighted scores, summed over the folders (the same formula as one report's)
    t.score = possible === 0 ? null : earned / possible;
    return t;
  }

  /** The view's title: "Checklist · 72%" (the score where users look, even when the description is hidden). */
  title(): string {
    return this.state() === 'ready' ? `Checklist · ${scoreText(this.totals().score)}` : 'Checklist';
  }

  /** The view's description: "Score 72% · 3 failing · 2 accepted · manual 5/40". */
  description(): string {
    if (this.state() !== 'ready') return '';
    const t = this.totals();
    const parts = [`Score ${scoreText(t.score)}`];
    parts.push(t.failed === 0 ? 'nothing failing' : `${t.failed} failing`);
    if (t.accepted > 0) parts.push(`${t.accepted} accepted`);
    if (t.manual > 0) parts.push(`manual ${t.manualDone}/${t.manual}`);
    if (this.onlyFailing) parts.push('only failing');
    return parts.join(' · ');
  }

  /**
   * The activity-bar badge: the Problems panel's count of django-readiness problems (errors,
   * warnings and info, as the status item shows them); none outside a Django project.
   */
  badge(): { value: number; tooltip: string } | undefined {
    if (this.state() !== 'ready') return undefined;
    const t = this.totals();
    const value = t.problems.error + t.problems.warning + t.problems.info;
    if (value === 0) return undefined;
    return { value, tooltip: `${value} problem${value === 1 ? '' : 's'} (${problemsText(t.problems)}), as in the Problems panel · ${t.failed} checklist item${t.failed === 1 ? '' : 's'} failing · score ${scoreText(t.score)}` };
  }

  /** The published diagnostics of a folder (from djangoReadiness/status). */
  setProblems(uri: string, problems: Record<Severity, number>): void {
    const f = this.folders.get(uri);
    if (f) f.problems = { ...problems };
    else this.pendingProblems.set(uri, { ...problems });
  }

  private readonly pendingProblems = new Map<string, Record<Severity, number>>();

  children(node?: ChecklistNode): ChecklistNode[] {
    if (!node) {
      const folders = this.visibleFolders();
      if (folders.length === 0) return [];
      if (folders.length === 1) return this.folderChildren(folders[0]);
      return folders.map((folder) => ({ kind: 'folder', key: `f:${folder.uri}`, folder }));
    }
    switch (node.kind) {
      case 'folder':
        return this.folderChildren(node.folder);
      case 'category':
        return displayOrder(this.items(node.folder).filter((i) => i.category === node.category)).map((item) => ({ kind: 'item', key: `${node.folder.uri}#${item.id}`, folder: node.folder, item }));
      case 'item': {
        const item = node.item;
        if (item.status === 'failed') return item.findings.map((finding, index) => ({ kind: 'finding', key: `${node.key}#${index}:${finding.code}:${finding.file}:${finding.range.start.line}`, folder: node.folder, item, finding, index }));
        if (item.status === 'accepted') return item.accepted.map((finding, index) => ({ kind: 'finding', key: `${node.key}#a${index}:${finding.code}:${finding.file}:${finding.range.start.line}`, folder: node.folder, item, finding, index, accepted: true }));
        return [];
      }
      default:
        return [];
    }
  }

  /** The parent of a node (TreeDataProvider.getParent, for reveal). */
  parent(node: ChecklistNode): ChecklistNode | undefined {
    const multi = this.visibleFolders().length > 1;
    const folderNode = (folder: FolderState): ChecklistNode | undefined => (multi ? { kind: 'folder', key: `f:${folder.uri}`, folder } : undefined);
    switch (node.kind) {
      case 'category':
        return folderNode(node.folder);
      case 'item':
        return this.categoryNode(node.folder, node.item.category);
      case 'finding':
        return { kind: 'item', key: `${node.folder.uri}#${node.item.id}`, folder: node.folder, item: node.item };
      default:
        return undefined;
    }
  }

  /** The node of a checklist item (for reveal after a command), if shown. */
  itemNode(folderUri: string, id: string): ChecklistNode | undefined {
    const folder = this.folders.get(folderUri);
    const item = folder?.report?.items.find((i) => i.id === id);
    return folder && item ? { kind: 'item', key: `${folder.uri}#${item.id}`, folder, item } : undefined;
  }

  private categoryNode(folder: FolderState, category: Category): ChecklistNode {
    const title = folder.report?.categories.find((c) => c.category === category)?.title ?? category;
    return { kind: 'category', key: `${folder.uri}#${category}`, folder, category, title };
  }

  private items(folder: FolderState): ChecklistItem[] {
    const items = folder.report?.items ?? [];
    return this.onlyFailing ? items.filter((i) => i.status === 'failed') : items;
  }

  private folderChildren(folder: FolderState): ChecklistNode[] {
    if (folder.error) return [{ kind: 'message', key: `${folder.uri}#error`, text: folder.error, icon: ICONS.problem }];
    if (!folder.report) return [{ kind: 'message', key: `${folder.uri}#loading`, text: 'Analysing the project…', icon: ICONS.loading }];
    const items = this.items(folder);
    if (this.onlyFailing && items.length === 0) return [{ kind: 'message', key: `${folder.uri}#nothing-failing`, text: 'No failing item.', icon: ICONS.passed }];
    const cats = new Set(items.map((i) => i.category));
    return folder.report.categories.filter((c) => cats.has(c.category)).map((c) => this.categoryNode(folder, c.category));
  }

  treeItem(node: ChecklistNode): TreeItemSpec {
    switch (node.kind) {
      case 'folder': {
        const r = node.folder.report;
        return {
          id: node.key,
          label: node.folder.name,
          description: r ? `${scoreText(r.score)} · ${r.counts.failed} failing` : node.folder.error ? 'error' : 'analysing…',
          icon: { id: 'root-folder' },
          collapsible: 'expanded',
          contextValue: 'djrFolder',
        };
      }
      case 'category': {
        const c = node.folder.report?.categories.find((x) => x.category === node.category)?.counts;
        const parts: string[] = [];
        if (c) {
          if (c.passed + c.failed > 0) parts.push(`${c.passed}/${c.passed + c.failed} passed`);
          if (c.failed > 0) parts.push(`${c.failed} failing`);
          if (c.accepted > 0) parts.push(`${c.accepted} accepted`);
          if (c.notChecked > 0) parts.push(`${c.notChecked} not checked`);
          if (c.manual > 0) parts.push(`manual ${c.manualDone}/${c.manual}`);
          if (c.notApplicable > 0) parts.push(`${c.notApplicable} n/a`);
        }
        return {
          id: node.key,
          label: node.title,
          description: parts.join(' · '),
          icon: c && c.failed > 0 ? { id: 'folder', color: 'problemsErrorIcon.foreground' } : { id: 'folder' },
          collapsible: c && c.failed > 0 ? 'expanded' : 'collapsed',
          contextValue: 'djrCategory',
        };
      }
      case 'item':
        return this.itemSpec(node);
      case 'finding': {
        const f = node.finding;
        const root = node.folder.report?.root ?? '';
        if (node.accepted) {
          const s = f.suppressed;
          const why = s?.reason ? `"${short(s.reason, 60)}"` : 'no reason written';
          const how = s?.kind === 'silenced-check' ? `SILENCED_SYSTEM_CHECKS (${s.check ?? ''})` : s?.kind === 'file' ? 'file-wide ignore comment' : 'ignore comment';
          return {
            id: node.key,
            label: `${relative(root, f.file)}:${f.range.start.line + 1}`,
            description: `accepted: ${why}`,
            tooltip: [`**${f.code}**${f.name ? ` ${f.name}` : ''}: accepted`, '', mdEscape(f.message), '', `Reason: ${s?.reason ? mdEscape(s.reason) : '_none written_'} (${how}${s?.file !== undefined && s.line !== undefined ? ` at ${relative(root, s.file)}:${s.line + 1}` : ''})`].join('\n'),
            icon: ICONS.accepted,
            collapsible: 'none',
            contextValue: docUrlOf(node) ? 'djrFinding djrAccepted doc' : 'djrFinding djrAccepted',
            open: { file: f.file, range: f.range },
          };
        }
        const fix = primaryFix(f);
        const tokens = ['djrFinding'];
        if (fix) tokens.push('fixable');
        if (docUrlOf(node)) tokens.push('doc');
        return {
          id: node.key,
          label: `${relative(root, f.file)}:${f.range.start.line + 1}`,
          description: f.message,
          tooltip: [`**${f.code}**${f.name ? ` ${f.name}` : ''} (${f.severity})`, '', mdEscape(f.message), ...(fix ? ['', `Fix: ${mdEscape(fix.title)}${fix.applicability === 'safe' ? '' : fix.applicability === 'unsafe' ? ' (unsafe: changes what the application does)' : ' (display-only: review it, never applied automatically)'}`] : [])].join('\n'),
          icon: SEVERITY_ICON[f.severity],
          collapsible: 'none',
          contextValue: tokens.join(' '),
          open: { file: f.file, range: f.range },
        };
      }
      case 'message':
        return { id: node.key, label: node.text, icon: node.icon, tooltip: node.tooltip, collapsible: 'none', contextValue: 'djrMessage' };
    }
  }

  private itemSpec(node: Extract<ChecklistNode, { kind: 'item' }>): TreeItemSpec {
    const item = node.item;
    const tokens = ['djrItem', item.status];
    let icon: IconSpec;
    let description: string;
    switch (item.status) {
      case 'failed': {
        icon = SEVERITY_ICON[worst(item.findings)];
        const first = item.findings[0];
        description = first ? first.message + (item.findings.length > 1 ? ` (+${item.findings.length - 1} more)` : '') : 'failing';
        if (fixableFinding(item)) tokens.push('fixable');
        break;
      }
      case 'passed':
        icon = ICONS.passed;
        description = 'passed';
        break;
      case 'not-applicable':
        icon = ICONS.notApplicable;
        description = `not applicable: ${item.reason}`;
        break;
      case 'accepted': {
        icon = ICONS.accepted;
        const reasons = [...new Set(item.accepted.map((f) => f.suppressed?.reason).filter((r): r is string => !!r))];
        description = `accepted: ${reasons.length > 0 ? `"${short(reasons[0], 60)}"${reasons.length > 1 ? ` (+${reasons.length - 1})` : ''}` : 'no reason written'}`;
        break;
      }
      case 'not-checked':
        icon = ICONS.notChecked;
        description = `not checked: ${item.reason}`;
        break;
      case 'manual':
        icon = item.done ? ICONS.manualDone : ICONS.manualOpen;
        tokens.push(item.done ? 'manualDone' : 'manualOpen');
        description = item.done ? `done${item.tick?.by ? ` by ${item.tick.by}` : ''}${item.tick?.date ? `, ${item.tick.date}` : ''}` : item.manual ? 'check by hand' : 'not checked automatically';
        break;
    }
    if (docUrlOf(node)) tokens.push('doc');
    const rules = item.ruleRefs.map((r) => `${r.code}${r.name ? ` ${r.name}` : ''}`).join(', ');
    const tooltip = [
      `**${mdEscape(item.title)}**`,
      '',
      mdEscape(item.why),
      '',
      `*${statusLabel(item)}:* ${mdEscape(item.reason)}`,
      ...(rules ? ['', `Rules: ${rules}`] : []),
      ...(item.supersedes ? ['', `Often recommended, now obsolete: ${mdEscape(item.supersedes.advice)}. Instead: ${mdEscape(item.supersedes.replacement)}. ${mdEscape(item.supersedes.reason)}`] : []),
      ...(item.tick?.note ? ['', `Note: ${mdEscape(item.tick.note)}`] : []),
    ].join('\n');
    return {
      id: node.key,
      label: item.title,
      description,
      tooltip,
      icon,
      collapsible: (item.status === 'failed' && item.findings.length > 0) || (item.status === 'accepted' && item.accepted.length > 0) ? 'collapsed' : 'none',
      contextValue: tokens.join(' '),
    };
  }
}

export function statusLabel(item: Pick<ChecklistItem, 'status' | 'done'>): string {
  switch (item.status) {
    case 'passed':
      return 'Passed';
    case 'failed':
      return 'Failing';
    case 'not-applicable':
      return 'Not applicable';
    case 'accepted':
      return 'Accepted';
    case 'not-checked':
      return 'Not checked';
    case 'manual':
      return item.done ? 'Done (manual)' : 'Open (manual)';
  }
}
