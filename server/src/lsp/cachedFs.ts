/**
 * A caching file system for the language server: file texts, sizes and folder listings are
 * read from disk once and kept until a watched-file event (or a save, or a re-check) says they
 * changed. Every analysis after a keystroke reads every project file; without this cache that
 * is thousands of system calls per keystroke in a large workspace.
 *
 * Caching is only turned on when the client reports file changes (workspace/didChangeWatchedFiles);
 * without them it is a pass-through.
 */
import * as path from 'node:path';
import type { DirEntry, FileSystem } from '../engine/project';

/** Files bigger than this are not kept in memory (the engine skips files above 2 MB anyway). */
const MAX_CACHED_CHARS = 1024 * 1024;
/**
 * Python texts kept in memory, at most (least recently read dropped first). The code rules'
 * results are cached by stamp, so a large workspace's sources need not stay in memory: only the
 * files read on every analysis (settings modules, manage.py...) do, and they stay recent.
 */
const MAX_CACHED_PYTHON_CHARS = 4 * 1024 * 1024;

export class CachingFileSystem implements FileSystem {
  /** When false every call goes to the base file system. */
  enabled = false;
  private readonly texts = new Map<string, string | null>();
  private readonly sizes = new Map<string, number | null>();
  private readonly dirs = new Map<string, DirEntry[]>();
  private readonly existence = new Map<string, boolean>();
  /** Per-file change counters, and one for everything (folder events, clear). */
  private readonly versions = new Map<string, number>();
  private epoch = 0;
  /** Python texts in `texts`, in order of last read (for the memory cap). */
  private readonly pythonTexts = new Map<string, number>();
  private pythonChars = 0;

  constructor(private readonly base: FileSystem) {}

  readFile(p: string): string | undefined {
    if (!this.enabled) return this.base.readFile(p);
    const c = this.texts.get(p);
    if (c !== undefined) {
      if (c !== null && this.pythonTexts.has(p)) {
        this.pythonTexts.delete(p); // most recently read last
        this.pythonTexts.set(p, c.length);
      }
      return c ?? undefined;
    }
    const t = this.base.readFile(p);
    if (t === undefined) this.texts.set(p, null);
    else if (t.length <= MAX_CACHED_CHARS) {
      this.texts.set(p, t);
      if (p.endsWith('.py')) this.keepPython(p, t.length);
    }
    return t;
  }

  private keepPython(p: string, chars: number): void {
    this.pythonTexts.set(p, chars);
    this.pythonChars += chars;
    for (const [old, n] of this.pythonTexts) {
      if (this.pythonChars <= MAX_CACHED_PYTHON_CHARS || old === p) break;
      this.pythonTexts.delete(old);
      this.texts.delete(old);
      this.pythonChars -= n;
    }
  }

  private forgetText(p: string): void {
    const n = this.pythonTexts.get(p);
    if (n !== undefined) {
      this.pythonTexts.delete(p);
      this.pythonChars -= n;
    }
    this.texts.delete(p);
  }

  /** Changes whenever the file may have changed (an event about it or a folder above, a clear). */
  stamp(p: string): string | undefined {
    if (!this.enabled) return undefined;
    return `${this.epoch}.${this.versions.get(p) ?? 0}`;
  }

  readDir(p: string): DirEntry[] {
    if (!this.enabled) return this.base.readDir(p);
    let d = this.dirs.get(p);
    if (!d) {
      d = this.base.readDir(p);
      this.dirs.set(p, d);
    }
    return d;
  }

  exists(p: string): boolean {
    if (!this.enabled) return this.base.exists(p);
    let e = this.existence.get(p);
    if (e === undefined) {
      e = this.base.exists(p);
      this.existence.set(p, e);
    }
    return e;
  }

  size(p: string): number | undefined {
    if (!this.enabled) return this.base.size(p);
    const c = this.sizes.get(p);
    if (c !== undefined) return c ?? undefined;
    const s = this.base.size(p);
    this.sizes.set(p, s ?? null);
    return s;
  }

  /** Why a file is not read (asked only about files that were not: not cached). */
  unreadable(p: string): string | undefined {
    return this.base.unreadable?.(p);
  }

  /** Binary reads (.git/index) are not cached: their statKey says when they changed. */
  readBytes(p: string, maxBytes?: number): Uint8Array | undefined {
    return this.base.readBytes?.(p, maxBytes);
  }

  statKey(p: string): string | undefined {
    return this.base.statKey?.(p);
  }

  /** Whether a fix may write a file (kept until an event about it or its folder). */
  writable(p: string): string | undefined {
    if (!this.enabled) return this.base.writable?.(p);
    let w = this.writability.get(p);
    if (w === undefined) {
      w = this.base.writable?.(p) ?? null;
      this.writability.set(p, w);
    }
    return w ?? undefined;
  }

  private readonly writability = new Map<string, string | null>();

  textEncoding(p: string): { encoding: string; bom: boolean } | undefined {
    return this.base.textEncoding?.(p);
  }

  /**
   * Forgets what is known about `p` (changed, created or deleted) and the listing of its folder.
   * `tree`: also everything below it (a folder was created, deleted or renamed).
   */
  invalidate(p: string, tree = false): void {
    this.forgetText(p);
    this.versions.set(p, (this.versions.get(p) ?? 0) + 1);
    for (const m of [this.sizes, this.dirs, this.existence] as Map<string, unknown>[]) m.delete(p);
    // a file or folder appearing, vanishing or becoming a link changes what may be written below it
    for (const k of [...this.writability.keys()]) if (k === p || k.startsWith(p + path.sep)) this.writability.delete(k);
    this.dirs.delete(path.dirname(p));
    if (tree) {
      this.epoch++; // every stamp changes: files below a created/deleted/renamed folder
      const prefix = p + path.sep;
      for (const k of [...this.texts.keys()]) if (k.startsWith(prefix)) this.forgetText(k);
      for (const m of [this.sizes, this.dirs, this.existence] as Map<string, unknown>[]) {
        for (const k of m.keys()) if (k.startsWith(prefix)) m.delete(k);
      }
      // a created/deleted folder changes the existence of nothing above it but its parent listing
    }
  }

  clear(): void {
    this.epoch++;
    this.pythonTexts.clear();
    this.pythonChars = 0;
    this.texts.clear();
    this.sizes.clear();
    this.dirs.clear();
    this.existence.clear();
    this.writability.clear();
  }

  /** Number of cached file texts and characters (debug stats). */
  cachedTexts(): { files: number; chars: number } {
    let chars = 0;
    for (const t of this.texts.values()) chars += t?.length ?? 0;
    return { files: this.texts.size, chars };
  }
}
