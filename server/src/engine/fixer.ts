/**
 * One pass of fix-all: the fixes an applicability selects, applied whole, a fix whose edits
 * overlap an earlier one's left for the next pass. Edits that create files (`.env`) are applied
 * to the file's current content (empty when it does not exist).
 */
import * as path from 'node:path';
import { applyEdits, editsByFile, fixToApply } from './fix';
import { classify, type FileSystem } from './project';
import { withTextEol } from './text';
import type { Edit, Finding, Fix } from './types';

export interface FixOptions {
  /** Apply unsafe fixes too (`--unsafe-fixes`). */
  unsafe: boolean;
  /** Only fixes for these files (absolute paths). */
  files?: Set<string>;
}

/** The name an inserted top-level statement assigns (`NAME = ...`), if it is one. */
function assignedName(text: string): string | undefined {
  return /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(text)?.[1];
}

function isDotenvFile(file: string): boolean {
  const kind = classify(path.basename(file));
  return kind === 'env' || kind === 'env-example';
}

/** The variables `NAME=...` lines of a dotenv text define. */
function dotenvNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=/gm)].map((m) => m[1]));
}

function sharesVariable(a: string, b: string): boolean {
  const names = dotenvNames(a);
  for (const n of dotenvNames(b)) if (names.has(n)) return true;
  return false;
}

export interface FixPassResult {
  /** New texts by file. */
  changed: Map<string, string>;
  /** The edits that made each changed file's new text (against its text before the pass). */
  edits: Map<string, Edit[]>;
  /** Number of edits applied. */
  applied: number;
  /** The fixes applied, in order. */
  fixes: Fix[];
}

/** Whether edit `e` conflicts with edit `t` taken earlier in the same pass (same file). */
function conflicts(e: Edit, t: Edit): boolean {
  const sameInsert = e.start === e.end && t.start === t.end && e.start === t.start;
  if (sameInsert && t.newText === e.newText) return false;
  // two fixes creating the same setting here (e.g. `REST_FRAMEWORK = {...}` with different
  // keys): the second waits for the next pass, where it adds its key to the first one's
  if (sameInsert && assignedName(e.newText) !== undefined && assignedName(e.newText) === assignedName(t.newText)) return true;
  // two fixes creating one file with different texts (each would write its own header), or
  // listing the same variable in a dotenv file (DJR106 and a move to .env both adding every
  // variable the settings read to .env.example): the second waits for the next pass, where it
  // adds only what is still missing
  if (e.create && t.create && e.newText !== t.newText) return true;
  if (sameInsert && isDotenvFile(e.file) && sharesVariable(e.newText, t.newText)) return true;
  if (e.start < t.end && t.start < e.end) return true;
  if (e.start === e.end && t.start < e.start && e.start < t.end) return true;
  // edits of two fixes that touch, one of them replacing or deleting text: each was written for
  // the text as it was (DJR104 dropping `default=...` and DJR702 appending `, conn_max_age=60`
  // after it gave `config(, conn_max_age=60)`): the second waits for the next pass
  if ((e.start !== e.end || t.start !== t.end) && (e.start === t.end || e.end === t.start)) return true;
  return false;
}

/**
 * Computes one pass of fix-all over `findings` against the current file contents (`overlay`
 * over `fs`). Nothing is written.
 */
export function fixPass(fs: FileSystem, findings: Finding[], opts: FixOptions, overlay?: Map<string, string>): FixPassResult {
  const chosen: Fix[] = [];
  for (const f of findings) {
    if (opts.files && !opts.files.has(f.file)) continue;
    const fix = fixToApply(f, opts.unsafe);
    if (fix && !chosen.includes(fix)) chosen.push(fix);
  }
  return applyFixesOnce(fs, chosen, overlay);
}

/**
 * Applies the given fixes whole, in order, skipping a fix whose edits conflict with one already
 * taken (it is left for the next pass). Identical edits of two fixes are applied once.
 */
export function applyFixesOnce(fs: Pick<FileSystem, 'readFile'>, fixes: readonly Fix[], overlay?: Map<string, string>): FixPassResult {
  const current = (file: string) => overlay?.get(file) ?? fs.readFile(file) ?? '';
  const taken = new Map<string, Edit[]>();
  const applied: Fix[] = [];
  for (const fix of fixes) {
    if (fix.edits.some((e) => (taken.get(e.file) ?? []).some((t) => conflicts(e, t)))) continue;
    for (const e of fix.edits) {
      let list = taken.get(e.file);
      if (!list) taken.set(e.file, (list = []));
      // an identical edit taken already (the same import added by two fixes) is applied once
      if (!list.some((t) => t.start === e.start && t.end === e.end && t.newText === e.newText)) list.push(e);
    }
    applied.push(fix);
  }
  const changed = new Map<string, string>();
  const edited = new Map<string, Edit[]>();
  let count = 0;
  for (const [file, edits] of taken) {
    const before = current(file);
    // stable sort: insertions at one point keep the fixes' order; line breaks as the file has them
    const sorted = withTextEol(before, edits).sort((a, b) => a.start - b.start || a.end - b.end);
    const text = applyEdits(before, sorted);
    if (text !== before) {
      changed.set(file, text);
      edited.set(file, sorted);
      count += sorted.length;
    }
  }
  return { changed, edits: edited, applied: count, fixes: applied };
}

/** The texts after applying one fix alone (files it leaves unchanged are not listed). */
export function applyFix(fs: FileSystem, fix: Fix, overlay?: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, edits] of editsByFile(fix.edits)) {
    const before = overlay?.get(file) ?? fs.readFile(file) ?? '';
    const text = applyEdits(before, edits);
    if (text !== before) out.set(file, text);
  }
  return out;
}
