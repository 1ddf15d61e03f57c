/**
 * The checklist messages between the language server and the VS Code client. Plain method
 * names and JSON shapes (no vscode or LSP imports), so both sides and the tests share them.
 *
 *  - request  djangoReadiness/checklist         {uri: folder}        -> ChecklistReport | null
 *  - notification djangoReadiness/checklistChanged {uri, summary}    (server -> client, after each analysis)
 *  - request  djangoReadiness/setManual         {uri, id, done, by?, note?} -> SetManualResult
 *
 * File paths inside the report (root, findings' files, fix edits) are absolute file-system
 * paths, as the engine produces them; the client turns them into URIs.
 */
import type { ChecklistReport, ChecklistSummary } from '../engine/checklist';

export const CHECKLIST_REQUEST = 'djangoReadiness/checklist';
export const CHECKLIST_CHANGED_NOTIFICATION = 'djangoReadiness/checklistChanged';
export const SET_MANUAL_REQUEST = 'djangoReadiness/setManual';

export interface ChecklistParams {
  /** The workspace folder URI (file:). */
  uri: string;
}

/** null while the folder has not been analysed yet (a checklistChanged notification follows). */
export type ChecklistResponse = ChecklistReport | null;

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
