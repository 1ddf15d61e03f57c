/**
 * The readiness checklist of one analysis root: every item of CHECKLIST with its status,
 * decided from an AnalysisResult (rule items) or the team's ticks (manual items).
 *
 * Status of a rule item (codes = item.rules):
 *  - failed          some finding carries one of its codes;
 *  - passed          no finding, and at least one of its codes applies (AnalysisResult.applicability);
 *  - not-applicable  no finding, every code that ran says it does not apply (its package is not
 *                    used, or no production settings module was found for a settings rule);
 *  - manual          none of its codes was evaluated (not registered in this build, or switched
 *                    off by the configuration): nothing automatic decided the item, so it falls
 *                    back to a manual item the team can tick, and it does not count in the score.
 * A manual item is always 'manual', done or open according to the shared tick file.
 * Score = passed / (passed + failed); manual and not-applicable items are counted apart.
 */
import { PACKAGE_TITLES, type PackageId } from '../packages';
import { ruleDocUrl, type Rule } from '../rule';
import { CATEGORY_TITLES, type Category, type Finding, type Severity } from '../types';
import type { AnalysisResult } from '../analyzer';
import { CHECKLIST, type ChecklistItemDef, type SeedId, type Supersedes } from './items';
import type { ManualState, ManualTick } from './manual';

export type ChecklistStatus = 'passed' | 'failed' | 'not-applicable' | 'manual';

/**
 * What happened to one rule code of an item. 'disabled' and 'not-implemented' need the rule
 * list; without it a rule that did not run is 'not-evaluated'.
 */
export type RuleState = 'applies' | 'not-applicable' | 'disabled' | 'not-implemented' | 'not-evaluated';

export interface ChecklistRuleRef {
  code: string;
  /** The rule's name, when the rule is registered. */
  name?: string;
  docUrl?: string;
  state: RuleState;
  /** For not-applicable rules that need packages: their display names. */
  requires?: string[];
}

export interface ChecklistItem {
  id: string;
  category: Category;
  title: string;
  why: string;
  /** Seed files ('000'...'004') that list the item. */
  seeds: SeedId[];
  /** Rule codes that decide the item (empty for manual items). */
  rules: string[];
  /** True when the item is manual by definition (no static check can decide it). */
  manual: boolean;
  supersedes?: Supersedes;
  status: ChecklistStatus;
  /** One sentence: why the item has its status. */
  reason: string;
  /** For status 'manual': whether the team ticked it done. */
  done?: boolean;
  /** The tick, when there is one (manual status only). */
  tick?: ManualTick;
  ruleRefs: ChecklistRuleRef[];
  /** The findings that fail the item (masked messages), in file/line order. */
  findings: Finding[];
}

export interface ChecklistCounts {
  total: number;
  passed: number;
  failed: number;
  notApplicable: number;
  manual: number;
  manualDone: number;
  manualOpen: number;
}

export interface ChecklistCategory {
  category: Category;
  title: string;
  counts: ChecklistCounts;
}

export interface ChecklistReport {
  version: 1;
  /** The analysis root (absolute). */
  root: string;
  /** False when the root holds no Django project (every item is then not applicable). */
  hasDjangoProject: boolean;
  /** Items in checklist order (grouped by category). */
  items: ChecklistItem[];
  /** The categories that have items, in CATEGORY_TITLES order, with their counts. */
  categories: ChecklistCategory[];
  counts: ChecklistCounts;
  /** passed / (passed + failed), 0..1; null when no automated item was decided. */
  score: number | null;
  /** Findings whose rule no checklist item lists (a rule newer than the checklist). */
  unlisted: Finding[];
}

export const CATEGORY_ORDER = Object.keys(CATEGORY_TITLES) as Category[];

export function seedsOf(def: ChecklistItemDef): SeedId[] {
  return (Object.keys(def.sources) as SeedId[]).filter((s) => (def.sources[s]?.length ?? 0) > 0).sort();
}

/** Every rule code the checklist references. */
export function checklistRuleCodes(defs: readonly ChecklistItemDef[] = CHECKLIST): string[] {
  return [...new Set(defs.flatMap((d) => d.rules ?? []))].sort();
}

export function emptyCounts(): ChecklistCounts {
  return { total: 0, passed: 0, failed: 0, notApplicable: 0, manual: 0, manualDone: 0, manualOpen: 0 };
}

function count(c: ChecklistCounts, item: ChecklistItem): void {
  c.total++;
  if (item.status === 'passed') c.passed++;
  else if (item.status === 'failed') c.failed++;
  else if (item.status === 'not-applicable') c.notApplicable++;
  else {
    c.manual++;
    if (item.done) c.manualDone++;
    else c.manualOpen++;
  }
}

/** The score of some counts: passed / (passed + failed), or null. */
export function scoreOf(c: Pick<ChecklistCounts, 'passed' | 'failed'>): number | null {
  const decided = c.passed + c.failed;
  return decided === 0 ? null : c.passed / decided;
}

/** "72%" or "n/a". */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${Math.floor(score * 100 + 1e-9)}%`;
}

function hasProject(result: AnalysisResult): boolean {
  return result.projects.some((p) => p.productionModule !== undefined || p.settingsModules.length > 0 || p.productionReason !== 'no Django project found');
}

function ruleRef(code: string, result: AnalysisResult, byCode: Map<string, Rule>, hasDjango: boolean): ChecklistRuleRef {
  const rule = byCode.get(code);
  const ref: ChecklistRuleRef = { code, state: 'not-evaluated' };
  if (rule) {
    ref.name = rule.meta.name;
    ref.docUrl = ruleDocUrl(rule.meta);
  }
  const applies = result.applicability[code];
  if (applies === true && hasDjango) ref.state = 'applies';
  else if (applies !== undefined) {
    ref.state = 'not-applicable';
    if (rule?.meta.requires?.length) ref.requires = rule.meta.requires.map((p: PackageId) => PACKAGE_TITLES[p] ?? p);
  } else if (byCode.size > 0) {
    // Absent from the applicability map: the rule did not run. Registered means the
    // configuration switched it off; otherwise this build does not have it.
    ref.state = rule ? 'disabled' : 'not-implemented';
  }
  return ref;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function list(codes: string[]): string {
  return codes.join(', ');
}

/**
 * Builds the checklist of one root. `rules` (the registered rules) supplies names and
 * documentation links and tells "not implemented" from "disabled"; statuses only need the
 * result's applicability map.
 */
export function buildChecklist(result: AnalysisResult, manual: ManualState, rules: Rule[] = [], defs: readonly ChecklistItemDef[] = CHECKLIST): ChecklistReport {
  const byCode = new Map(rules.map((r) => [r.meta.code, r] as const));
  const hasDjango = hasProject(result);
  const findingsByCode = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const l = findingsByCode.get(f.code);
    if (l) l.push(f);
    else findingsByCode.set(f.code, [f]);
  }
  const listed = new Set(checklistRuleCodes(defs));
  const items: ChecklistItem[] = [];
  for (const def of defs) {
    const codes = def.rules ?? [];
    const base = { id: def.id, category: def.category, title: def.title, why: def.why, seeds: seedsOf(def), rules: [...codes], manual: !!def.manual, ...(def.supersedes ? { supersedes: def.supersedes } : {}) };
    const tick = manual.items[def.id];
    const manualStatus = (reason: string): ChecklistItem => ({ ...base, status: 'manual', reason, done: !!tick?.done, ...(tick ? { tick } : {}), ruleRefs: codes.map((c) => ruleRef(c, result, byCode, hasDjango)), findings: [] });
    if (def.manual || codes.length === 0) {
      items.push(manualStatus('No static check can decide this: the team ticks it once it is true.'));
      continue;
    }
    const refs = codes.map((c) => ruleRef(c, result, byCode, hasDjango));
    const findings = hasDjango ? codes.flatMap((c) => findingsByCode.get(c) ?? []) : [];
    findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.code.localeCompare(b.code)));
    const applying = refs.filter((r) => r.state === 'applies').map((r) => r.code);
    const notApplying = refs.filter((r) => r.state === 'not-applicable');
    const unevaluated = refs.filter((r) => r.state === 'disabled' || r.state === 'not-implemented' || r.state === 'not-evaluated');
    const unevaluatedNote = unevaluated.length > 0 ? ` ${list(unevaluated.map((r) => r.code))} ${unevaluated.length === 1 ? 'was' : 'were'} not evaluated.` : '';
    if (findings.length > 0) {
      const failing = [...new Set(findings.map((f) => f.code))];
      items.push({ ...base, status: 'failed', reason: `${plural(findings.length, 'finding')} from ${list(failing)}.`, ruleRefs: refs, findings });
    } else if (applying.length > 0) {
      items.push({ ...base, status: 'passed', reason: `Checked by ${list(applying)}: no finding.${unevaluatedNote}`, ruleRefs: refs, findings: [] });
    } else if (notApplying.length > 0 || !hasDjango) {
      let reason: string;
      if (!hasDjango) reason = 'No Django project (manage.py or settings module) was found.';
      else {
        const needs = [...new Set(notApplying.flatMap((r) => r.requires ?? []))];
        reason = needs.length > 0 ? `Does not apply: the project does not use ${needs.join(' or ')}.` : `Does not apply: ${list(notApplying.map((r) => r.code))} cannot run here (no production settings module was found).`;
      }
      items.push({ ...base, status: 'not-applicable', reason: reason + unevaluatedNote, ruleRefs: refs, findings: [] });
    } else {
      const states = new Set(unevaluated.map((r) => r.state));
      const why = states.size === 1 && states.has('disabled') ? 'switched off by the configuration' : states.size === 1 && states.has('not-implemented') ? 'not available in this version' : 'not evaluated (not available, or switched off)';
      const item = manualStatus(`Not checked automatically: ${list(unevaluated.map((r) => r.code))} ${unevaluated.length === 1 ? 'is' : 'are'} ${why}. Tick it by hand once verified.`);
      items.push(item);
    }
  }
  const counts = emptyCounts();
  const perCategory = new Map<Category, ChecklistCounts>();
  for (const item of items) {
    count(counts, item);
    let c = perCategory.get(item.category);
    if (!c) perCategory.set(item.category, (c = emptyCounts()));
    count(c, item);
  }
  // Order items by category (stable inside a category), as the report and the tree show them.
  const rank = new Map(CATEGORY_ORDER.map((c, i) => [c, i] as const));
  const ordered = items.map((it, i) => ({ it, i })).sort((a, b) => (rank.get(a.it.category) ?? 99) - (rank.get(b.it.category) ?? 99) || a.i - b.i).map((x) => x.it);
  const categories = CATEGORY_ORDER.filter((c) => perCategory.has(c)).map((c) => ({ category: c, title: CATEGORY_TITLES[c], counts: perCategory.get(c)! }));
  const unlisted = result.findings.filter((f) => !listed.has(f.code));
  return { version: 1, root: result.root, hasDjangoProject: hasDjango, items: ordered, categories, counts, score: scoreOf(counts), unlisted };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** The most severe severity among findings (undefined when none). */
export function worstSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}
