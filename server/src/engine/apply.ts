/**
 * Where fixes reach files: every change a fix makes, whoever asked for it (the CLI's `--fix`, the
 * language server's code actions and fix-all, the checklist's "Apply fix", the tests), is a
 * FileChange checked by `checkChanges` before it is written (`writeChanges`) or handed to an
 * editor as a WorkspaceEdit (server/src/lsp/edits.ts). Guarantees about what a fix may touch
 * (only inside the project, only regular files, encodings and line breaks kept, several files
 * written all or nothing) belong here, in those two functions.
 */
import * as path from 'node:path';
import { applyEdits, editsByFile } from './fix';
import type { FileChange } from './fixAll';
import type { DirEntry, FileSystem } from './project';
import type { Fix } from './types';

/** The change one fix makes (a quick fix, the checklist's "Apply fix"), against the current texts. */
export function changesOfFix(read: (file: string) => string | undefined, fix: Fix): FileChange[] {
  const out: FileChange[] = [];
  for (const [file, edits] of editsByFile(fix.edits)) {
    const before = read(file);
    const after = applyEdits(before ?? '', edits);
    if (after !== before) out.push({ file, before, after, edits });
  }
  return out;
}

export interface ChangeCheckOptions {
  /** The folder analysed (the workspace folder, the CLI's target): what "inside the project" means. */
  root: string;
}

/**
 * The problems that forbid applying `changes` (empty: they may be applied). Every path that
 * applies fixes calls it first; a change with a problem is applied nowhere, not even partly.
 * Today: absolute paths, each file once, edits that reproduce the new text. (The guarantees of
 * issue 17 about where and how fixes write go here.)
 */
export function checkChanges(changes: readonly FileChange[], opts: ChangeCheckOptions): string[] {
  void opts;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of changes) {
    if (!path.isAbsolute(c.file) || c.file.includes('\0')) problems.push(`${JSON.stringify(c.file)} is not an absolute path`);
    if (seen.has(c.file)) problems.push(`${c.file} is changed twice`);
    seen.add(c.file);
    if (applyEdits(c.before ?? '', c.edits) !== c.after) problems.push(`the edits of ${c.file} do not produce its new text`);
  }
  return problems;
}

/** Where writeChanges writes (the disk for the CLI, a MemoryFileSystem in tests). */
export interface FileWriter {
  write(file: string, text: string): void;
}

/** Writes checked changes; throws (writing nothing) when checkChanges finds a problem. */
export function writeChanges(changes: readonly FileChange[], writer: FileWriter, opts: ChangeCheckOptions): void {
  const problems = checkChanges(changes, opts);
  if (problems.length > 0) throw new Error(`fixes not applied: ${problems.join('; ')}`);
  for (const c of changes) writer.write(c.file, c.after);
}

/**
 * The file system a fix-all pass analyses: `texts` over a base, files they create listed in their
 * folders (so the analysis sees a new `.env`), and sent to the code-rule worker threads (memoryText).
 */
export class PendingFileSystem implements FileSystem {
  texts: ReadonlyMap<string, string> = new Map();
  constructor(private readonly base: FileSystem) {}
  readFile(p: string): string | undefined {
    return this.texts.get(p) ?? this.base.readFile(p);
  }
  readDir(p: string): DirEntry[] {
    const entries = this.base.readDir(p);
    const extra: DirEntry[] = [];
    for (const f of this.texts.keys()) {
      if (path.dirname(f) === p && !this.base.exists(f) && !entries.some((e) => e.name === path.basename(f))) extra.push({ name: path.basename(f), isDirectory: false, isFile: true });
    }
    return extra.length > 0 ? [...entries, ...extra] : entries;
  }
  exists(p: string): boolean {
    return this.texts.has(p) || this.base.exists(p);
  }
  size(p: string): number | undefined {
    const t = this.texts.get(p);
    return t !== undefined ? t.length : this.base.size(p);
  }
  stamp(p: string): string | undefined {
    return this.texts.has(p) ? undefined : this.base.stamp?.(p);
  }
  unreadable(p: string): string | undefined {
    return this.texts.has(p) ? undefined : this.base.unreadable?.(p);
  }
  readBytes(p: string, maxBytes?: number): Uint8Array | undefined {
    const t = this.texts.get(p);
    return t !== undefined ? new TextEncoder().encode(t) : this.base.readBytes?.(p, maxBytes);
  }
  statKey(p: string): string | undefined {
    return this.texts.has(p) ? undefined : this.base.statKey?.(p);
  }
  memoryText(p: string): string | undefined {
    return this.texts.get(p);
  }
}
