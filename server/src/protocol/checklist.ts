/**
 * The checklist messages between the language server and the VS Code client. Plain method
 * names and JSON shapes (no vscode or LSP imports), so both sides and the tests share them.
 *
 *  - request  djangoReadiness/checklist         {uri: folder}        -> WireChecklistReport | null
 *  - notification djangoReadiness/checklistChanged {uri, summary}    (server -> client, after each analysis)
 *  - request  djangoReadiness/setManual         {uri, id, done, by?, note?} -> SetManualResult
 *  - request  djangoReadiness/checklistMarkdown {uri, target?}       -> ChecklistMarkdownResult | null
 *                                                (the server renders the Markdown report)
 *
 * The wire types below carry what the view shows, nothing more: no fix edits (a fix is applied
 * by id through djangoReadiness/applyFix), no analysis internals. The language server builds
 * them from the engine's ChecklistReport (lsp/checklist.ts `toWireReport`); the client never
 * imports the engine (eslint: layers/allowed-imports). File paths are absolute file-system
 * paths; the client turns them into URIs.
 */
import type { ChecklistSummary } from '../engine/checklist';
import type { Applicability, Range, Severity } from '../engine/types';

export const CHECKLIST_REQUEST = 'djangoReadiness/checklist';
export const CHECKLIST_CHANGED_NOTIFICATION = 'djangoReadiness/checklistChanged';
export const SET_MANUAL_REQUEST = 'djangoReadiness/setManual';

export interface ChecklistParams {
  /** The workspace folder URI (file:). */
  uri: string;
}

export const CHECKLIST_MARKDOWN_REQUEST = 'djangoReadiness/checklistMarkdown';

export type WireChecklistStatus = 'passed' | 'failed' | 'accepted' | 'not-applicable' | 'not-checked' | 'manual';

/** A fix as the view offers it: applied by id (djangoReadiness/applyFix), never by edits. */
export interface WireFix {
  id: string;
  title: string;
  applicability: Applicability;
  preferred?: boolean;
}

export interface WireFinding {
  code: string;
  name: string;
  severity: Severity;
  /** Absolute path. */
  file: string;
  range: Range;
  /** Masked: never a secret value. */
  message: string;
  fixes: WireFix[];
  /** For accepted findings: how they were silenced, and the reason written. */
  suppressed?: { kind: 'line' | 'file' | 'silenced-check'; reason: string; file?: string; line?: number; check?: string };
}

export interface WireRuleRef {
  code: string;
  name?: string;
  docUrl?: string;
}

export interface WireChecklistItem {
  id: string;
  category: string;
  title: string;
  why: string;
  status: WireChecklistStatus;
  reason: string;
  /** Manual by definition (no static check can decide it). */
  manual: boolean;
  done?: boolean;
  tick?: { done: boolean; by?: string; date?: string; note?: string };
  supersedes?: { advice: string; replacement: string; reason: string };
  ruleRefs: WireRuleRef[];
  findings: WireFinding[];
  accepted: WireFinding[];
  severity?: Severity;
  weight: number;
}

export interface WireChecklistCounts {
  total: number;
  passed: number;
  failed: number;
  accepted: number;
  notApplicable: number;
  notChecked: number;
  manual: number;
  manualDone: number;
  manualOpen: number;
}

export interface WireChecklistReport {
  /** The folder analysed (absolute). */
  root: string;
  hasDjangoProject: boolean;
  items: WireChecklistItem[];
  categories: { category: string; title: string; counts: WireChecklistCounts; score: number | null }[];
  counts: WireChecklistCounts;
  score: number | null;
  points: { earned: number; possible: number };
  problems: Record<Severity, number>;
}

/** null while the folder has not been analysed yet (a checklistChanged notification follows). */
export type ChecklistResponse = WireChecklistReport | null;

export interface ChecklistMarkdownParams {
  /** The workspace folder URI. */
  uri: string;
  /** Where the report will be written (absolute path): its links are relative to that folder. Default: the folder. */
  target?: string;
}

export interface ChecklistMarkdownResult {
  markdown: string;
}

export interface ChecklistChangedParams {
  /** The workspace folder URI whose checklist changed. */
  uri: string;
  summary: ChecklistSummary;
}

export interface SetManualParams {
  /** The workspace folder URI. */
  uri: string;
  /** The checklist item id, e.g. database.backups. */
  id: string;
  /** true: tick it done; false: remove the tick. */
  done: boolean;
  /** Who ticks it (recorded in .django-readiness/checklist.json). */
  by?: string;
  note?: string;
}

export interface SetManualResult {
  ok: boolean;
  /** The tick file written (absolute path). */
  file?: string;
  /** Why it failed (e.g. the tick file is not valid JSON). */
  error?: string;
}
