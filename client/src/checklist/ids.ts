/**
 * Ids of the checklist view, its commands and context keys (as in package.json). No vscode
 * import: test/unit/checklist-package.test.ts checks package.json against them.
 */
export const VIEW_CONTAINER_ID = 'djangoReadiness';
export const VIEW_ID = 'djangoReadiness.checklist';

export const CHECKLIST_COMMANDS = {
  refresh: 'djangoReadiness.checklist.refresh',
  exportReport: 'djangoReadiness.checklist.exportReport',
  showOnlyFailing: 'djangoReadiness.checklist.showOnlyFailing',
  showAll: 'djangoReadiness.checklist.showAll',
  applyFix: 'djangoReadiness.checklist.applyFix',
  showDocumentation: 'djangoReadiness.checklist.showDocumentation',
  markDone: 'djangoReadiness.checklist.markDone',
  markNotDone: 'djangoReadiness.checklist.markNotDone',
} as const;

/** Context keys set by the view (menus and viewsWelcome `when` clauses). */
export const CONTEXT_KEYS = {
  /** ViewState of tree.ts: 'loading' | 'no-project' | 'ready'. */
  state: 'djangoReadiness.checklist.state',
  onlyFailing: 'djangoReadiness.checklist.onlyFailing',
} as const;
