/**
 * The checklist side of the language server: answers djangoReadiness/checklist (the checklist
 * of a workspace folder, built from its latest analysis and the shared tick file), saves manual
 * ticks (djangoReadiness/setManual, into .django-readiness/checklist.json), and tells the client
 * when a folder's checklist changed (djangoReadiness/checklistChanged, only when something the
 * view shows changed: not after every keystroke).
 *
 * The tick file is read from disk at each build (it changes through git or by hand and is not
 * among the watched files, so the server's file cache must not keep it).
 */
import type { Connection } from 'vscode-languageserver';
import { allRules } from '../../../rules/index.generated';
import * as path from 'node:path';
import { buildChecklist, checklistSummary, isoDate, NodeFileSystem, readManualState, renderMarkdownReport, updateManualState, type AnalysisResult, type ChecklistItem, type ChecklistReport, type FileSystem, type Finding, type Rule } from '../engine';
import {
  CHECKLIST_CHANGED_NOTIFICATION,
  CHECKLIST_MARKDOWN_REQUEST,
  CHECKLIST_REQUEST,
  SET_MANUAL_REQUEST,
  type ChecklistChangedParams,
  type ChecklistMarkdownParams,
  type ChecklistMarkdownResult,
  type ChecklistParams,
  type ChecklistResponse,
  type SetManualParams,
  type SetManualResult,
  type WireChecklistItem,
  type WireChecklistReport,
  type WireFinding,
} from '../protocol/checklist';
import type { FolderInfo } from './server';

/** What the checklist needs from DjangoReadinessServer. */
export interface ChecklistSource {
  folders(): FolderInfo[];
  getResult(folderUri: string): AnalysisResult | undefined;
  flush(folderUri: string): AnalysisResult | undefined;
  onDidAnalyze(listener: (folder: FolderInfo, result: AnalysisResult) => void): { dispose(): void };
}

export interface ChecklistServiceOptions {
  /** The rules the server runs (names and documentation links); default: all rules. */
  rules?: Rule[];
  /** Where the tick file is read (default: the disk, uncached). */
  disk?: FileSystem;
  /** How it is written (default: node:fs). */
  write?: (file: string, text: string) => void;
  log?: (message: string) => void;
  /** Delay between an analysis and the checklistChanged notification (default 200 ms; 0: at once). */
  announceDelayMs?: number;
}

export class ChecklistService {
  private readonly disk: FileSystem;
  /** Folder URI -> signature of the last checklist announced. */
  private readonly announced = new Map<string, string>();
  /** Folder URI -> a pending announcement (typing re-analyses on each keystroke; the view follows a moment later). */
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly connection: Pick<Connection, 'sendNotification'>,
    private readonly source: ChecklistSource,
    private readonly opts: ChecklistServiceOptions,
  ) {
    this.disk = opts.disk ?? new NodeFileSystem();
    this.subscription = source.onDidAnalyze((folder) => {
      if (folder.implicit) return;
      // building the whole checklist is not keystroke work: announce once typing pauses
      const delay = opts.announceDelayMs ?? 200;
      if (delay <= 0) return this.announce(folder.uri);
      clearTimeout(this.timers.get(folder.uri));
      const t = setTimeout(() => {
        this.timers.delete(folder.uri);
        try {
          this.announce(folder.uri);
        } catch (e) {
          opts.log?.(`checklist announcement failed: ${(e as Error).stack ?? String(e)}`);
        }
      }, delay);
      t.unref?.();
      this.timers.set(folder.uri, t);
    });
  }

  private folder(uri: string): FolderInfo | undefined {
    return this.source.folders().find((f) => f.uri === uri);
  }

  /** The engine's checklist of a folder; undefined while it has not been analysed. */
  private build(folderUri: string): ChecklistReport | undefined {
    const folder = this.folder(folderUri);
    if (!folder) return undefined;
    const result = this.source.getResult(folderUri) ?? this.source.flush(folderUri);
    if (!result) return undefined;
    const ticks = readManualState(this.disk, folder.root);
    if (ticks.errors.length > 0) this.opts.log?.(`${ticks.file}: ${ticks.errors.join('; ')}`);
    return buildChecklist(result, ticks.state, this.opts.rules ?? allRules);
  }

  /** The checklist of a folder as the view gets it; null while it has not been analysed (a notification follows). */
  report(folderUri: string): ChecklistResponse {
    const r = this.build(folderUri);
    return r ? toWireReport(r) : null;
  }

  /** The Markdown report of a folder (links relative to `target`'s folder); null while not analysed. */
  markdown(p: ChecklistMarkdownParams): ChecklistMarkdownResult | null {
    const r = p && typeof p.uri === 'string' ? this.build(p.uri) : undefined;
    if (!r) return null;
    const root = typeof p.target === 'string' && path.isAbsolute(p.target) ? path.dirname(p.target) : r.root;
    return { markdown: renderMarkdownReport(r, { root, date: isoDate() }) };
  }

  /** Sends checklistChanged when what the view shows changed since the last announcement. */
  announce(folderUri: string, force = false): void {
    const report = this.build(folderUri);
    if (!report) return;
    const sig = signature(report);
    if (!force && this.announced.get(folderUri) === sig) return;
    this.announced.set(folderUri, sig);
    void this.connection.sendNotification(CHECKLIST_CHANGED_NOTIFICATION, { uri: folderUri, summary: checklistSummary(report) } satisfies ChecklistChangedParams);
  }

  setManual(p: SetManualParams): SetManualResult {
    const folder = p && typeof p.uri === 'string' ? this.folder(p.uri) : undefined;
    if (!folder) return { ok: false, error: 'unknown workspace folder' };
    if (typeof p.id !== 'string' || !/^[a-z0-9]+\.[a-z0-9-]+$/.test(p.id)) return { ok: false, error: `invalid item id ${JSON.stringify(p.id)}` };
    try {
      const tick = p.done ? { done: true, ...(p.by ? { by: String(p.by) } : {}), date: isoDate(), ...(p.note ? { note: String(p.note) } : {}) } : undefined;
      const { file } = updateManualState(this.disk, folder.root, p.id, tick, this.opts.write);
      this.announce(folder.uri, true);
      return { ok: true, file };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  dispose(): void {
    this.subscription.dispose();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** What the view shows of a report: statuses, ticks and findings (not the fix edits). */
function signature(r: ChecklistReport): string {
  return JSON.stringify([r.hasDjangoProject, r.items.map((i) => [i.id, i.status, i.done ?? null, i.tick?.by ?? null, i.tick?.date ?? null, i.tick?.note ?? null, i.findings.map((f) => [f.code, f.file, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character, f.message, f.severity, f.fixes.map((x) => x.title)])])]);
}

/** Registers the checklist requests on a connection; returns the service (for tests). */
export function attachChecklist(connection: Pick<Connection, 'onRequest' | 'sendNotification'>, source: ChecklistSource, opts: ChecklistServiceOptions): ChecklistService {
  const service = new ChecklistService(connection, source, opts);
  const safe =
    <P, R>(what: string, fn: (p: P) => R, fallback: R) =>
    (p: P): R => {
      try {
        return fn(p);
      } catch (e) {
        opts.log?.(`${what} failed: ${(e as Error).stack ?? String(e)}`);
        return fallback;
      }
    };
  connection.onRequest(CHECKLIST_REQUEST, safe('checklist', (p: ChecklistParams) => service.report(p?.uri), null));
  connection.onRequest(CHECKLIST_MARKDOWN_REQUEST, safe('checklistMarkdown', (p: ChecklistMarkdownParams) => service.markdown(p), null));
  connection.onRequest(SET_MANUAL_REQUEST, safe('setManual', (p: SetManualParams) => service.setManual(p), { ok: false, error: 'internal error' } as SetManualResult));
  return service;
}

function wireFinding(f: Finding): WireFinding {
  return {
    code: f.code,
    name: f.name,
    severity: f.severity,
    file: f.file,
    range: f.range,
    message: f.message,
    fixes: f.fixes.map((x) => ({ id: x.id, title: x.title, applicability: x.applicability, ...(x.preferred ? { preferred: true } : {}) })),
    ...(f.suppressed ? { suppressed: { ...f.suppressed } } : {}),
  };
}

function wireItem(i: ChecklistItem): WireChecklistItem {
  return {
    id: i.id,
    category: i.category,
    title: i.title,
    why: i.why,
    status: i.status,
    reason: i.reason,
    manual: i.manual,
    ...(i.done !== undefined ? { done: i.done } : {}),
    ...(i.tick ? { tick: { ...i.tick } } : {}),
    ...(i.supersedes ? { supersedes: { ...i.supersedes } } : {}),
    ruleRefs: i.ruleRefs.map((r) => ({ code: r.code, ...(r.name ? { name: r.name } : {}), ...(r.docUrl ? { docUrl: r.docUrl } : {}) })),
    findings: i.findings.map(wireFinding),
    accepted: i.accepted.map(wireFinding),
    ...(i.severity ? { severity: i.severity } : {}),
    weight: i.weight,
  };
}

/** What the checklist view gets of a report (protocol/checklist.ts): no fix edits, no analysis internals. */
export function toWireReport(r: ChecklistReport): WireChecklistReport {
  return {
    root: r.root,
    hasDjangoProject: r.hasDjangoProject,
    items: r.items.map(wireItem),
    categories: r.categories.map((c) => ({ category: c.category, title: c.title, counts: { ...c.counts }, score: c.score })),
    counts: { ...r.counts },
    score: r.score,
    points: { ...r.points },
    problems: { ...r.problems },
  };
}
