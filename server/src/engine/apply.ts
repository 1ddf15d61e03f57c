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
import { withTextEol } from './text';
import type { Fix } from './types';

/** The change one fix makes (a quick fix, the checklist's "Apply fix"), against the current texts. */
export function changesOfFix(read: (file: string) => string | undefined, fix: Fix): FileChange[] {
  const out: FileChange[] = [];
  for (const [file, fixEdits] of editsByFile(fix.edits)) {
    const before = read(file);
    // line breaks as the file has them (a CR-only or CRLF file stays so)
    const edits = withTextEol(before ?? '', fixEdits);
    const after = applyEdits(before ?? '', edits);
    if (after !== before) out.push({ file, before, after, edits });
  }
  return out;
}

export interface ChangeCheckOptions {
  /** The folder analysed (the workspace folder, the CLI's target): what "inside the project" means. */
  root: string;
  /**
   * The files as they are (what is on disk, what the editor has open): each target must be one a
   * fix may write (FileSystem.writable), a file the fix creates must not exist, and a file it
   * changes must still hold the text the fix was computed for.
   */
  fs?: Pick<FileSystem, 'readFile' | 'exists'> & Partial<Pick<FileSystem, 'writable' | 'textEncoding'>>;
  /**
   * The changes go to an editor (a WorkspaceEdit), which decodes the files it opens its own way
   * (VS Code does not read PEP 263 declarations): a file on disk that is not UTF-8 is refused,
   * unless the editor has it open already (`isOpen`).
   */
  editor?: { isOpen(file: string): boolean };
}

function inside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The problems that forbid applying `changes` (empty: they may be applied). Every path that
 * applies fixes calls it first; when there is any problem, no change is applied, not even partly.
 * Each change: an absolute path inside the folder analysed, changed once, with edits that
 * reproduce its new text; with `fs`: a target a fix may write (a regular file or nothing, no
 * symbolic link on the way), absent when created, unchanged since the fix was computed.
 */
export function checkChanges(changes: readonly FileChange[], opts: ChangeCheckOptions): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const root = path.resolve(opts.root);
  for (const c of changes) {
    if (!path.isAbsolute(c.file) || c.file.includes('\0')) {
      problems.push(`${JSON.stringify(c.file)} is not an absolute path`);
      continue;
    }
    if (!inside(path.resolve(c.file), root)) problems.push(`${c.file} is outside the folder analysed (${root})`);
    if (seen.has(c.file)) problems.push(`${c.file} is changed twice`);
    seen.add(c.file);
    let produced: string | undefined;
    try {
      produced = applyEdits(c.before ?? '', c.edits);
    } catch {
      produced = undefined;
    }
    if (produced !== c.after) problems.push(`the edits of ${c.file} do not produce its new text`);
    const fs = opts.fs;
    if (!fs) continue;
    const why = fs.writable?.(c.file);
    if (why) problems.push(why);
    else if (c.before === undefined && fs.exists(c.file)) problems.push(`${path.basename(c.file)} exists now: the fix was computed when it did not`);
    else if (c.before !== undefined && fs.readFile(c.file) !== c.before) problems.push(`${path.basename(c.file)} changed since the fix was computed`);
    else if (c.before !== undefined && opts.editor && !opts.editor.isOpen(c.file)) {
      const enc = fs.textEncoding?.(c.file);
      if (enc && enc.encoding !== 'utf-8') problems.push(`${path.basename(c.file)} is encoded in ${enc.encoding}: an editor may not write it back so (django-readiness check --fix keeps it)`);
    }
  }
  return problems;
}

/** Where writeChanges writes (the disk for the CLI, a MemoryFileSystem in tests). */
export interface FileWriter {
  write(file: string, text: string): void;
  /**
   * Writes every change or none (preferred over `write` when present): see DiskWriter. Throws,
   * having changed nothing, when one of them cannot be written.
   */
  writeAll?(changes: readonly FileChange[]): void;
}

/** The problems checkChanges found: nothing was applied. */
export class ChangesRefused extends Error {
  constructor(readonly problems: string[]) {
    super(`fixes not applied (nothing was changed): ${problems.join('; ')}`);
  }
}

/** Writes checked changes, all or nothing; throws ChangesRefused (writing nothing) when checkChanges finds a problem. */
export function writeChanges(changes: readonly FileChange[], writer: FileWriter, opts: ChangeCheckOptions): void {
  const problems = checkChanges(changes, opts);
  if (problems.length > 0) throw new ChangesRefused(problems);
  if (writer.writeAll) writer.writeAll(changes);
  else for (const c of changes) writer.write(c.file, c.after);
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
  writable(p: string): string | undefined {
    return this.base.writable?.(p);
  }
  textEncoding(p: string): { encoding: string; bom: boolean } | undefined {
    return this.base.textEncoding?.(p);
  }
  memoryText(p: string): string | undefined {
    return this.texts.get(p);
  }
}
