/**
 * Small plain-data views of a ChecklistReport: the `checklist` array of the CLI's JSON output
 * (design.md) and the summary the language server sends with its change notification.
 */
import type { Severity, Suppression } from '../types';
import { relativePath } from './paths';
import type { ChecklistReport, ChecklistStatus, SeverityCounts } from './model';

export interface ChecklistJsonAccepted {
  rule: string;
  /** Relative to the report's root, `/` separators. */
  file: string;
  /** 1-based. */
  line: number;
  message: string;
  /** How it was suppressed, the reason written with it, and where (relative file, 1-based line). */
  suppression: { kind: Suppression['kind']; reason: string; file?: string; line?: number; check?: string };
}

export interface ChecklistJsonItem {
  id: string;
  category: string;
  title: string;
  status: ChecklistStatus;
  rules: string[];
  /** Why the item has its status (for people). */
  reason: string;
  /** The item's severity (undefined for manual items). */
  severity?: Severity;
  /** What it weighs in the score (0: left out). */
  weight: number;
  /** Manual items: ticked done. */
  done?: boolean;
  /** Accepted (suppressed) findings of the item's rules. */
  accepted?: ChecklistJsonAccepted[];
}

/** A suppressed finding as JSON (paths relative to `root`). */
export function acceptedJson(root: string, f: { code: string; file: string; range: { start: { line: number } }; message: string; suppressed?: Suppression }): ChecklistJsonAccepted {
  const s = f.suppressed;
  return {
    rule: f.code,
    file: relativePath(root, f.file),
    line: f.range.start.line + 1,
    message: f.message,
    suppression: {
      kind: s?.kind ?? 'line',
      reason: s?.reason ?? '',
      ...(s?.file !== undefined ? { file: relativePath(root, s.file) } : {}),
      ...(s?.line !== undefined ? { line: s.line + 1 } : {}),
      ...(s?.check ? { check: s.check } : {}),
    },
  };
}

/** The `checklist` entries of `django-readiness check --format json`. */
export function checklistJsonItems(report: ChecklistReport): ChecklistJsonItem[] {
  return report.items.map((i) => ({
    id: i.id,
    category: i.category,
    title: i.title,
    status: i.status,
    rules: [...i.rules],
    reason: i.reason,
    ...(i.severity ? { severity: i.severity } : {}),
    weight: i.weight,
    ...(i.status === 'manual' ? { done: !!i.done } : {}),
    ...(i.accepted.length > 0 ? { accepted: i.accepted.map((f) => acceptedJson(report.root, f)) } : {}),
  }));
}

export interface ChecklistSummary {
  /** Weighted score 0..1 (null: nothing counts). */
  score: number | null;
  passed: number;
  failed: number;
  accepted: number;
  notApplicable: number;
  notChecked: number;
  manual: number;
  manualDone: number;
  /** Problems of the whole root by severity (the counts the Problems panel shows for it). */
  problems: SeverityCounts;
  hasDjangoProject: boolean;
}

export function checklistSummary(report: ChecklistReport): ChecklistSummary {
  const c = report.counts;
  return {
    score: report.score,
    passed: c.passed,
    failed: c.failed,
    accepted: c.accepted,
    notApplicable: c.notApplicable,
    notChecked: c.notChecked,
    manual: c.manual,
    manualDone: c.manualDone,
    problems: { ...report.problems },
    hasDjangoProject: report.hasDjangoProject,
  };
}
