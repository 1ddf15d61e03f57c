/**
 * The readiness checklist of one analysis root: every item of CHECKLIST with its status,
 * decided from an AnalysisResult (rule items) or the team's ticks (manual items).
 *
 * Status of a rule item (codes = item.rules), first match wins:
 *  - not-applicable  the root holds no Django project;
 *  - failed          some finding of its codes is a problem (not suppressed);
 *  - accepted        its only findings are suppressed (`# noqa`, an ignore comment,
 *                    SILENCED_SYSTEM_CHECKS): a risk the team accepted, with the reason written;
 *  - not-checked     one of its codes was switched off by the configuration, or could not decide
 *                    (a value it cannot read, a prerequisite failing elsewhere, no production
 *                    settings module, the background scan not finished): AnalysisResult.outcomes;
 *  - passed          at least one of its codes was checked and found nothing;
 *  - not-applicable  every code says what it checks does not exist here (its package is not
 *                    used, SQLite has no connection to encrypt...), with the reasons.
 * Codes this build does not have are left out of the decision (an item with none at all is
 * not checked). A manual item is always 'manual', done or open according to the shared tick file.
 *
 * Score (0..1): weighted by severity, SEVERITY_WEIGHT of each passed or failed item (its worst
 * finding's severity when failed, else its rules' worst default severity) and MANUAL_WEIGHT of
 * each manual item (earned when ticked done): earned / possible. Accepted, not-checked and
 * not-applicable items are left out of it (and counted apart).
 */
import { PACKAGE_TITLES, type PackageId } from '../packages';
import { ruleDocUrl, type Rule } from '../rule';
import { CATEGORY_TITLES, type Category, type Finding, type Severity } from '../types';
import type { AnalysisResult } from '../analyzer';
import { CHECKLIST, type ChecklistItemDef, type SeedId, type Supersedes } from './items';
import type { ManualState, ManualTick } from './manual';
import { relativePath } from './paths';

export type ChecklistStatus = 'passed' | 'failed' | 'accepted' | 'not-applicable' | 'not-checked' | 'manual';

/**
 * What happened to one rule code of an item. 'disabled' and 'not-implemented' need the rule
 * list; without it a rule that did not run is 'not-evaluated'.
 */
export type RuleState = 'applies' | 'not-applicable' | 'not-checked' | 'disabled' | 'not-implemented' | 'not-evaluated';

export interface ChecklistRuleRef {
  code: string;
  /** The rule's name, when the rule is registered. */
  name?: string;
  docUrl?: string;
  /** The rule's default severity, when the rule is registered. */
  severity?: Severity;
  state: RuleState;
  /** For not-applicable and not-checked rules: why, for people. */
  reason?: string;
  /** For not-applicable rules that need packages: their display names. */
  requires?: string[];
  /**
   * For the rules that fail an item: the rule's "use instead" snippet and its language (the fix
   * the report shows under the item).
   */
  instead?: { text: string; lang: 'python' | 'dockerfile' | 'text' | 'django' };
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
  /** One sentence for people: why the item has its status. */
  reason: string;
  /** For status 'manual': whether the team ticked it done. */
  done?: boolean;
  /** The tick, when there is one (manual status only). */
  tick?: ManualTick;
  ruleRefs: ChecklistRuleRef[];
  /** The problems that fail the item (masked messages), in file/line order. */
  findings: Finding[];
  /** Suppressed findings of its codes (each with `suppressed`: kind, reason, where). */
  accepted: Finding[];
  /**
   * The item's severity: its worst problem's when failed, its worst accepted finding's when
   * accepted, else its rules' worst default severity (undefined for manual items).
   */
  severity?: Severity;
  /** What the item weighs in the score (0 when it is left out). */
  weight: number;
}

export interface ChecklistCounts {
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

export interface ChecklistCategory {
  category: Category;
  title: string;
  counts: ChecklistCounts;
  /** The category's own score (same weights), null when nothing in it counts. */
  score: number | null;
}

/** Problems (not suppressed findings) by severity. */
export type SeverityCounts = Record<Severity, number>;

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
  /** Weighted score, 0..1 (see the module comment); null when no item counts. */
  score: number | null;
  /** The score's terms: earned and possible weight. */
  points: { earned: number; possible: number };
  /** Every problem of the analysis by severity (the Problems panel's counts for the whole root). */
  problems: SeverityCounts;
  /** Findings whose rule no checklist item lists (a rule newer than the checklist). */
  unlisted: Finding[];
}

export const CATEGORY_ORDER = Object.keys(CATEGORY_TITLES) as Category[];

/** Score weight of a decided rule item, by its severity. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { error: 4, warning: 2, info: 1, hint: 1 };
/** Score weight of a manual item (earned when ticked done). */
export const MANUAL_WEIGHT = 1;

export function seedsOf(def: ChecklistItemDef): SeedId[] {
  return (Object.keys(def.sources) as SeedId[]).filter((s) => (def.sources[s]?.length ?? 0) > 0).sort();
}

/** Every rule code the checklist references. */
export function checklistRuleCodes(defs: readonly ChecklistItemDef[] = CHECKLIST): string[] {
  return [...new Set(defs.flatMap((d) => d.rules ?? []))].sort();
}

export function emptyCounts(): ChecklistCounts {
  return { total: 0, passed: 0, failed: 0, accepted: 0, notApplicable: 0, notChecked: 0, manual: 0, manualDone: 0, manualOpen: 0 };
}

export function emptySeverityCounts(): SeverityCounts {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}

function count(c: ChecklistCounts, item: ChecklistItem): void {
  c.total++;
  switch (item.status) {
    case 'passed': c.passed++; break;
    case 'failed': c.failed++; break;
    case 'accepted': c.accepted++; break;
    case 'not-applicable': c.notApplicable++; break;
    case 'not-checked': c.notChecked++; break;
    case 'manual':
      c.manual++;
      if (item.done) c.manualDone++;
      else c.manualOpen++;
  }
}

/** Weight earned by an item (its weight when passed or ticked done, else 0). */
export function earnedWeight(item: Pick<ChecklistItem, 'status' | 'done' | 'weight'>): number {
  return item.status === 'passed' || (item.status === 'manual' && item.done) ? item.weight : 0;
}

/** The weighted score of some items, and its terms. */
export function scoreItems(items: readonly Pick<ChecklistItem, 'status' | 'done' | 'weight'>[]): { score: number | null; earned: number; possible: number } {
  let earned = 0;
  let possible = 0;
  for (const i of items) {
    possible += i.weight;
    earned += earnedWeight(i);
  }
  return { score: possible === 0 ? null : earned / possible, earned, possible };
}

/** "72%" or "n/a". */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${Math.floor(score * 100 + 1e-9)}%`;
}

/** A Django project was found (the same test the checklist, the status and the start-up log use). */
export function hasProject(result: Pick<AnalysisResult, 'projects'>): boolean {
  return result.projects.some((p) => p.productionModule !== undefined || p.settingsModules.length > 0 || p.productionReason !== 'no Django project found');
}

function ruleRef(code: string, result: AnalysisResult, byCode: Map<string, Rule>): ChecklistRuleRef {
  const rule = byCode.get(code);
  const ref: ChecklistRuleRef = { code, state: 'not-evaluated' };
  if (rule) {
    ref.name = rule.meta.name;
    ref.docUrl = ruleDocUrl(rule.meta);
    ref.severity = rule.meta.severity;
  }
  const applies = result.applicability[code];
  const outcome = result.outcomes?.[code];
  if (applies === undefined) {
    // Absent from the applicability map: the rule did not run. Registered means the
    // configuration switched it off; otherwise this build does not have it.
    if (rule?.meta.optIn) {
      // an opt-in rule not asked for: the item is decided by its other rules, as when it did not exist
      ref.reason = `${code} is opt-in (select it, or give it a severity, to run it).`;
    } else if (byCode.size > 0) {
      ref.state = rule ? 'disabled' : 'not-implemented';
      ref.reason = rule ? `${code} is switched off by the configuration.` : `${code} is not available in this version.`;
    } else ref.reason = `${code} did not run.`;
  } else if (outcome) {
    ref.state = outcome.state;
    ref.reason = outcome.reason;
    if (outcome.state === 'not-applicable' && rule?.meta.requires?.length && !applies) ref.requires = rule.meta.requires.map((p: PackageId) => PACKAGE_TITLES[p] ?? p);
  } else if (applies) ref.state = 'applies';
  else {
    // an analysis without outcomes (older callers): the package or the settings are missing
    ref.state = 'not-applicable';
    if (rule?.meta.requires?.length) {
      ref.requires = rule.meta.requires.map((p: PackageId) => PACKAGE_TITLES[p] ?? p);
      ref.reason = `The project does not use ${ref.requires.join(' or ')}.`;
    } else ref.reason = `${code} cannot run here (no production settings module was found).`;
  }
  return ref;
}

/** The language of a rule's snippets: Dockerfile instructions, requirements lines, templates, else Python. */
function snippetLang(meta: Rule['meta']): 'python' | 'dockerfile' | 'text' | 'django' {
  if (meta.kind === 'template') return 'django';
  if (/^\s*(FROM|CMD|USER|ENTRYPOINT|RUN)\b/m.test(meta.docs.instead) && !/^\s*(import|from \S+ import|[A-Z_]+\s*=)/m.test(meta.docs.instead)) return 'dockerfile';
  if (meta.category === 'dependencies' || /^[A-Za-z][\w.-]*(\[[\w,]+\])?==/m.test(meta.docs.instead)) return 'text';
  return 'python';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function list(codes: string[]): string {
  return codes.join(', ');
}

function uniqueReasons(refs: ChecklistRuleRef[]): string {
  const reasons = [...new Set(refs.map((r) => r.reason).filter((x): x is string => !!x))];
  // "MIDDLEWARE is not set." beside "MIDDLEWARE is not set, so ...": the longer one says it all
  return reasons.filter((r) => !reasons.some((o) => o !== r && o.startsWith(r.replace(/\.$/, '')))).join(' ');
}

function byPlace(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.code.localeCompare(b.code);
}

/** "the comment on mysite/settings.py:76" / "SILENCED_SYSTEM_CHECKS (security.W004)". */
export function suppressionPlace(f: Finding, root: string): string {
  const s = f.suppressed;
  if (!s) return '';
  const where = s.file !== undefined && s.line !== undefined ? ` at ${relativePath(root, s.file)}:${s.line + 1}` : '';
  if (s.kind === 'silenced-check') return `SILENCED_SYSTEM_CHECKS (${s.check ?? 'a Django check id'})${where}`;
  return `${s.kind === 'file' ? 'a file-wide ignore comment' : 'an ignore comment'}${where}`;
}

/** The item's sentence for accepted findings: the reasons written, and where. */
function acceptedReason(accepted: Finding[], root: string): string {
  const parts = [...new Set(accepted.map((f) => {
    const why = f.suppressed?.reason ? `"${f.suppressed.reason}"` : 'no reason written';
    return `${f.code}: ${why} (${suppressionPlace(f, root)})`;
  }))];
  return `Accepted: ${parts.join('; ')}.`;
}

/**
 * Builds the checklist of one root. `rules` (the registered rules) supplies names, severities
 * and documentation links and tells "not implemented" from "disabled"; statuses only need the
 * result's applicability and outcomes.
 */
export function buildChecklist(result: AnalysisResult, manual: ManualState, rules: Rule[] = [], defs: readonly ChecklistItemDef[] = CHECKLIST): ChecklistReport {
  const byCode = new Map(rules.map((r) => [r.meta.code, r] as const));
  const hasDjango = hasProject(result);
  const group = (findings: readonly Finding[]) => {
    const m = new Map<string, Finding[]>();
    for (const f of findings) {
      const l = m.get(f.code);
      if (l) l.push(f);
      else m.set(f.code, [f]);
    }
    return m;
  };
  const problemsByCode = group(result.findings);
  const acceptedByCode = group(result.suppressed ?? []);
  const listed = new Set(checklistRuleCodes(defs));
  const items: ChecklistItem[] = [];
  for (const def of defs) {
    const codes = def.rules ?? [];
    const base = { id: def.id, category: def.category, title: def.title, why: def.why, seeds: seedsOf(def), rules: [...codes], manual: !!def.manual, ...(def.supersedes ? { supersedes: def.supersedes } : {}) };
    const refs = codes.map((c) => ruleRef(c, result, byCode));
    if (def.manual || codes.length === 0) {
      const tick = manual.items[def.id];
      items.push({ ...base, status: 'manual', reason: 'No static check can decide this: the team ticks it once it is true.', done: !!tick?.done, ...(tick ? { tick } : {}), ruleRefs: refs, findings: [], accepted: [], weight: hasDjango ? MANUAL_WEIGHT : 0 });
      continue;
    }
    const defaultSeverity = worstSeverity(refs.filter((r) => r.severity).map((r) => ({ severity: r.severity! })));
    const item = (status: ChecklistStatus, reason: string, extra: Partial<ChecklistItem> = {}): ChecklistItem => {
      const severity = extra.severity ?? defaultSeverity;
      const counted = status === 'passed' || status === 'failed';
      return { ...base, status, reason, ruleRefs: refs, findings: [], accepted: [], ...extra, ...(severity ? { severity } : {}), weight: counted ? SEVERITY_WEIGHT[severity ?? 'warning'] : 0 };
    };
    if (!hasDjango) {
      items.push(item('not-applicable', 'No Django project (manage.py or settings module) was found.'));
      continue;
    }
    const findings = codes.flatMap((c) => problemsByCode.get(c) ?? []).sort(byPlace);
    const accepted = codes.flatMap((c) => acceptedByCode.get(c) ?? []).sort(byPlace);
    const known = refs.filter((r) => r.state !== 'not-implemented' && r.state !== 'not-evaluated');
    const disabled = refs.filter((r) => r.state === 'disabled');
    const notChecked = refs.filter((r) => r.state === 'not-checked');
    const applying = refs.filter((r) => r.state === 'applies');
    if (findings.length > 0) {
      const failing = [...new Set(findings.map((f) => f.code))];
      for (const r of refs) {
        const meta = byCode.get(r.code)?.meta;
        if (meta && failing.includes(r.code) && meta.docs.instead.trim()) r.instead = { text: meta.docs.instead, lang: snippetLang(meta) };
      }
      const acceptedNote = accepted.length > 0 ? ` ${plural(accepted.length, 'other finding')} accepted.` : '';
      items.push(item('failed', `${plural(findings.length, 'problem')} found (${list(failing)}).${acceptedNote}`, { findings, accepted, severity: worstSeverity(findings) }));
    } else if (accepted.length > 0) {
      items.push(item('accepted', acceptedReason(accepted, result.root), { accepted, severity: worstSeverity(accepted) }));
    } else if (disabled.length > 0 || notChecked.length > 0 || known.length === 0) {
      const why = known.length === 0 ? uniqueReasons(refs) || 'Nothing in this version checks it.' : uniqueReasons([...disabled, ...notChecked]);
      items.push(item('not-checked', why));
    } else if (applying.length > 0) {
      items.push(item('passed', `Checked by ${list(applying.map((r) => r.code))}: no problem found.`));
    } else {
      items.push(item('not-applicable', uniqueReasons(known) || 'Does not apply to this project.'));
    }
  }
  const counts = emptyCounts();
  const perCategory = new Map<Category, ChecklistItem[]>();
  for (const it of items) {
    count(counts, it);
    const l = perCategory.get(it.category);
    if (l) l.push(it);
    else perCategory.set(it.category, [it]);
  }
  // Order items by category (stable inside a category), as the report and the tree show them.
  const rank = new Map(CATEGORY_ORDER.map((c, i) => [c, i] as const));
  const ordered = items.map((it, i) => ({ it, i })).sort((a, b) => (rank.get(a.it.category) ?? 99) - (rank.get(b.it.category) ?? 99) || a.i - b.i).map((x) => x.it);
  const categories = CATEGORY_ORDER.filter((c) => perCategory.has(c)).map((c) => {
    const its = perCategory.get(c)!;
    const k = emptyCounts();
    for (const it of its) count(k, it);
    return { category: c, title: CATEGORY_TITLES[c], counts: k, score: scoreItems(its).score };
  });
  const unlisted = result.findings.filter((f) => !listed.has(f.code));
  const problems = emptySeverityCounts();
  for (const f of result.findings) problems[f.severity]++;
  const sc = scoreItems(items);
  return { version: 1, root: result.root, hasDjangoProject: hasDjango, items: ordered, categories, counts, score: sc.score, points: { earned: sc.earned, possible: sc.possible }, problems, unlisted };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** The most severe severity among findings (undefined when none). */
export function worstSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}
