/**
 * The fix model: building a Fix from what a rule reports (edits sorted, duplicates dropped,
 * insertions at one point merged, overlaps refused), its stable id, choosing the fix an
 * applicability selects, and applying edits to a text.
 */
import type { Applicability, Edit, Finding, Fix, FixSpec, Position } from './types';

/** Thrown when a rule builds a fix whose edits overlap (a rule bug: reported as a rule failure). */
export class OverlappingEditsError extends Error {}

function compareEdits(a: Edit, b: Edit): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end;
}

/**
 * Sorts edits by file then offset, drops exact duplicates (the same import or `,` added by two
 * helpers) and merges an insertion into the replacement that starts at its point. Insertions at
 * one point stay separate edits, in the order given (as LSP orders them): fix-all drops an
 * insertion two fixes share (the `,` after a dict's last entry) piece by piece. Throws
 * OverlappingEditsError when two edits overlap otherwise.
 */
export function normalizeEdits(edits: readonly Edit[], what = 'fix'): Edit[] {
  const indexed = edits.map((e, i) => ({ e, i }));
  for (const { e } of indexed) {
    if (!(Number.isInteger(e.start) && Number.isInteger(e.end) && 0 <= e.start && e.start <= e.end)) throw new OverlappingEditsError(`${what}: invalid edit span [${e.start}, ${e.end}) in ${e.file}`);
  }
  // insertions at one point keep their order, except that imports go first: a statement and the
  // import it needs inserted at one place (an empty module) must run in that order
  indexed.sort((a, b) => compareEdits(a.e, b.e) || (a.e.start === a.e.end && b.e.start === b.e.end ? importFirst(a.e) - importFirst(b.e) : 0) || a.i - b.i);
  const out: Edit[] = [];
  const seen = new Set<string>();
  for (const { e } of indexed) {
    const key = `${e.file}\u0000${e.start}\u0000${e.end}\u0000${e.newText}`;
    if (seen.has(key) || (e.start === e.end && e.newText === '')) continue;
    seen.add(key);
    const last = out[out.length - 1];
    // another file, after the last edit, or an insertion where the last edit ends / an insertion is
    if (!last || last.file !== e.file || e.start > last.end || (e.start === last.end && (last.start !== last.end || e.start === e.end))) {
      out.push({ ...e });
      continue;
    }
    if (last.start === last.end && e.start === last.start) {
      // insertions followed by a replacement starting at their point: one edit
      let k = out.length - 1;
      while (k > 0 && out[k - 1].file === e.file && out[k - 1].start === e.start && out[k - 1].end === e.start) k--;
      const merged = out.splice(k);
      const edit: Edit = { file: e.file, start: e.start, end: e.end, newText: merged.map((m) => m.newText).join('') + e.newText };
      if (merged.some((m) => m.create) || e.create) edit.create = true;
      out.push(edit);
      continue;
    }
    throw new OverlappingEditsError(`${what}: overlapping edits in ${e.file} at [${last.start}, ${last.end}) and [${e.start}, ${e.end})`);
  }
  return out;
}

/** 0 for an inserted import statement, 1 for anything else. */
function importFirst(e: Edit): number {
  return /^(?:\r\n|\r|\n)*(?:import|from)[ \t]+[\w.]+/.test(e.newText) ? 0 : 1;
}

/** The stable id of a fix: rule code, where its finding starts (1-based) and the fix's kind. */
export function fixId(code: string, file: string, at: Position, kind: string): string {
  return `${code}@${file}:${at.line + 1}:${at.character + 1}#${kind}`;
}

/** Builds the fixes of a finding from what its rule reported (ids from the finding's location). */
export function buildFixes(code: string, file: string, at: Position, specs: readonly FixSpec[]): Fix[] {
  const kinds = new Set<string>();
  return specs.map((spec, i) => {
    let kind = spec.kind ?? (i === 0 ? 'fix' : `fix-${i + 1}`);
    for (let n = 2; kinds.has(kind); n++) kind = `${spec.kind ?? 'fix'}-${n}`;
    kinds.add(kind);
    const fix: Fix = { id: fixId(code, file, at, kind), title: spec.title, applicability: spec.applicability, edits: normalizeEdits(spec.edits, `${code} fix "${spec.title}"`) };
    if (spec.preferred !== undefined) fix.preferred = spec.preferred;
    return fix;
  });
}

/** Findings whose fixes are computed on first read (DeferredFix) -> the ids those fixes may have. */
const deferredIds = new WeakMap<Finding, readonly string[]>();

/**
 * Makes `finding.fixes` computed on first read (then kept): `compute` runs the deferred checks
 * (rule.ts DeferredFix). `ids`: every id the fixes may have (known without computing them).
 */
export function setDeferredFixes(finding: Finding, ids: readonly string[], compute: () => Fix[]): void {
  const settle = (value: Fix[]) => {
    deferredIds.delete(finding);
    Object.defineProperty(finding, 'fixes', { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  deferredIds.set(finding, ids);
  Object.defineProperty(finding, 'fixes', {
    enumerable: true,
    configurable: true,
    get: () => settle(compute()),
    set: (value: Fix[]) => settle(value),
  });
}

/**
 * The ids a finding's fixes may have while they are not computed yet (undefined: they are, or
 * were never deferred): read this instead of `fixes` where only the ids matter.
 */
export function pendingFixIds(f: Finding): readonly string[] | undefined {
  return deferredIds.get(f);
}

/** Whether an applicability is taken by a fix-all that selects `selected`. */
export function isSelected(applicability: Applicability, selected: 'safe' | 'unsafe'): boolean {
  return applicability === 'safe' || (selected === 'unsafe' && applicability === 'unsafe');
}

/**
 * The fix fix-all applies for a finding: its first safe fix, or with `unsafe` its first fix that
 * is not display-only. Display-only fixes are never applied in bulk.
 */
export function fixToApply(f: Finding, unsafe: boolean): Fix | undefined {
  return f.fixes.find((x) => x.applicability === 'safe') ?? (unsafe ? f.fixes.find((x) => x.applicability === 'unsafe') : undefined);
}

/** The fix with this id among the findings (undefined: gone, e.g. the text changed). */
export function findFix(findings: readonly Finding[], id: string): { finding: Finding; fix: Fix } | undefined {
  for (const finding of findings) for (const fix of finding.fixes) if (fix.id === id) return { finding, fix };
  return undefined;
}

/** The edits of a fix grouped by file (in the fix's order: by file, then offset). */
export function editsByFile(edits: readonly Edit[]): Map<string, Edit[]> {
  const out = new Map<string, Edit[]>();
  for (const e of edits) {
    let l = out.get(e.file);
    if (!l) out.set(e.file, (l = []));
    l.push(e);
  }
  return out;
}

/**
 * Applies sorted, non-overlapping edits of one file (normalizeEdits' output) to its text. Throws
 * when an edit lies beyond the text (the edits were computed for another text) or its span is
 * not one (ends before it starts, not whole code units): never applied clamped.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = '';
  let pos = 0;
  for (const e of edits) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < pos || e.end < e.start || e.end > text.length) throw new RangeError(`edit [${e.start}, ${e.end}) does not fit a text of ${text.length} characters (edits unsorted, or computed for another text)`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}
