/**
 * Small plain-data views of a ChecklistReport: the `checklist` array of the CLI's JSON output
 * (design.md) and the summary the language server sends with its change notification.
 */
import type { ChecklistReport, ChecklistStatus } from './model';

export interface ChecklistJsonItem {
  id: string;
  category: string;
  title: string;
  status: ChecklistStatus;
  rules: string[];
}

/** The `checklist` entries of `django-readiness check --format json`. */
export function checklistJsonItems(report: ChecklistReport): ChecklistJsonItem[] {
  return report.items.map((i) => ({ id: i.id, category: i.category, title: i.title, status: i.status, rules: [...i.rules] }));
}

export interface ChecklistSummary {
  score: number | null;
  passed: number;
  failed: number;
  notApplicable: number;
  manual: number;
  manualDone: number;
  hasDjangoProject: boolean;
}

export function checklistSummary(report: ChecklistReport): ChecklistSummary {
  const c = report.counts;
  return { score: report.score, passed: c.passed, failed: c.failed, notApplicable: c.notApplicable, manual: c.manual, manualDone: c.manualDone, hasDjangoProject: report.hasDjangoProject };
}
