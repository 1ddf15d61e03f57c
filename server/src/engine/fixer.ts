/**
 * Applying fixes: fix-all for a file or a project, repeated until nothing changes (at most
 * 10 passes), edits that overlap in one pass left for the next. Edits that create files
 * (`.env`) are merged with the file's current content.
 */
import { applyTextEdits } from './edits';
import type { FileSystem } from './project';
import { LineIndex } from './text';
import type { FileEdit, Finding, Fix } from './types';

export interface FixOptions {
  /** Apply unsafe fixes too (`--unsafe-fixes`). */
  unsafe: boolean;
  /** Only fixes for these files (absolute paths). */
  files?: Set<string>;
}

/**
 * The fix applied by fix-all for a finding: its first safe fix, or with `unsafe` its first fix
 * that is not manual-only.
 */
export function fixToApply(f: Finding, unsafe: boolean): Fix | undefined {
  return f.fixes.find((x) => x.safe && !x.manual) ?? (unsafe ? f.fixes.find((x) => !x.manual) : undefined);
}

/** Groups the chosen fixes' edits by file. Each fix is applied whole or not at all. */
export function collectEdits(findings: Finding[], opts: FixOptions): Map<string, FileEdit[]>[] {
  const byFile = new Map<string, FileEdit[]>();
  for (const f of findings) {
    if (opts.files && !opts.files.has(f.file)) continue;
    const fix = fixToApply(f, opts.unsafe);
    if (!fix) continue;
    for (const e of fix.edits) {
      let list = byFile.get(e.file);
      if (!list) byFile.set(e.file, (list = []));
      list.push(e);
    }
  }
  return [byFile];
}

/** The name an inserted top-level statement assigns (`NAME = ...`), if it is one. */
function assignedName(text: string): string | undefined {
  return /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(text)?.[1];
}

/** Applies edits for one file to its text. Returns the new text and how many edits applied. */
export function applyFileEdits(text: string, edits: FileEdit[]): { text: string; applied: number } {
  return applyTextEdits(text, edits, new LineIndex(text));
}

export interface FixPassResult {
  /** New texts by file. */
  changed: Map<string, string>;
  applied: number;
}

/**
 * Computes one pass of fix-all over `findings` against the current file contents.
 * Nothing is written: the caller writes (CLI) or turns it into a WorkspaceEdit (LSP).
 */
export function fixPass(fs: FileSystem, findings: Finding[], opts: FixOptions, overlay?: Map<string, string>): FixPassResult {
  const changed = new Map<string, string>();
  let applied = 0;
  // Apply one fix at a time per file, skipping fixes that overlap earlier ones in this pass.
  const chosen: Fix[] = [];
  for (const f of findings) {
    if (opts.files && !opts.files.has(f.file)) continue;
    const fix = fixToApply(f, opts.unsafe);
    if (fix && !chosen.includes(fix)) chosen.push(fix);
  }
  const taken = new Map<string, { start: number; end: number; text: string }[]>();
  const perFile = new Map<string, FileEdit[]>();
  const current = (file: string) => overlay?.get(file) ?? fs.readFile(file) ?? '';
  for (const fix of chosen) {
    // a fix whose edits overlap already-taken ones is postponed to the next pass
    let ok = true;
    for (const e of fix.edits) {
      const text = current(e.file);
      const li = new LineIndex(text);
      const s = li.offsetAt(e.range.start);
      const en = li.offsetAt(e.range.end);
      for (const t of taken.get(e.file) ?? []) {
        const sameInsert = s === en && t.start === t.end && s === t.start;
        if (sameInsert && t.text === e.newText) continue;
        // two fixes creating the same setting here (e.g. `REST_FRAMEWORK = {...}` with different
        // keys): the second waits for the next pass, where it adds its key to the first one's
        if (sameInsert && assignedName(e.newText) !== undefined && assignedName(e.newText) === assignedName(t.text)) ok = false;
        if (s < t.end && t.start < en) ok = false;
        if (s === en && t.start < s && s < t.end) ok = false;
      }
    }
    if (!ok) continue;
    for (const e of fix.edits) {
      const text = current(e.file);
      const li = new LineIndex(text);
      let list = taken.get(e.file);
      if (!list) taken.set(e.file, (list = []));
      list.push({ start: li.offsetAt(e.range.start), end: li.offsetAt(e.range.end), text: e.newText });
      let pf = perFile.get(e.file);
      if (!pf) perFile.set(e.file, (pf = []));
      pf.push(e);
    }
  }
  for (const [file, edits] of perFile) {
    const before = current(file);
    const { text, applied: n } = applyFileEdits(before, edits);
    if (text !== before) {
      changed.set(file, text);
      applied += n;
    }
  }
  return { changed, applied };
}
