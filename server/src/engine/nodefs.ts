/**
 * The engine's view of the disk, hardened against hostile repositories (a cloned repository is
 * input, not trusted code): only regular files are read, never more than a size cap, and a
 * symbolic link is followed only when it leads to a place inside one of the roots (the folders
 * being analysed). A FIFO, a socket, a device, a folder where a file is expected, a link out of
 * the project or to nothing, a file over the cap: not read, and `unreadable(p)` says why (the
 * analyzer turns that into one note per file).
 *
 * Files above every root (the repository's `.gitignore`, a `.env` beside a `manage.py` in a
 * sub-folder) are read when they sit in a folder that is an ancestor of a root and are not
 * links themselves.
 *
 * Each read: lstat + realpath (is a link involved, and where does it lead?), stat of the target
 * (regular file? small enough?), open without following a final link and without blocking (a
 * FIFO swapped in meanwhile cannot hang), fstat of the open file (still the same regular file),
 * then a bounded read (a file that grows past the cap while read is refused, not read further).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { decodeBytes, type DecodedText } from './encoding';
import type { DirEntry, FileSystem } from './project';

/** Files bigger than this are not read or analysed (one informational note instead). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The note text for a file above the cap. */
export function tooLargeMessage(size: number, max: number): string {
  return `Not analysed: the file is larger than ${max / 1024 / 1024} MB (${(size / 1024 / 1024).toFixed(1)} MB).`;
}

/** Characters of recently read texts kept (NodeFileSystem.readDecoded). */
const RECENT_CHARS = 8 * 1024 * 1024;

export interface NodeFileSystemOptions {
  /** The folders being analysed: links are followed only to places inside them. */
  roots?: string[];
  /** The size cap of readFile (default MAX_FILE_BYTES). */
  maxBytes?: number;
}

type Inspection = { ok: true; real: string; stat: nodeFs.Stats } | { ok: false; reason: string } | undefined;

function isInside(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function kindOf(st: nodeFs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export class NodeFileSystem implements FileSystem {
  private readonly roots: { given: string; real: string }[] = [];
  readonly maxBytes: number;

  constructor(opts: NodeFileSystemOptions = {}) {
    this.maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
    for (const r of opts.roots ?? []) this.addRoot(r);
  }

  /** Another folder being analysed (a workspace folder, a path given to the CLI). */
  addRoot(root: string): void {
    const given = path.resolve(root);
    if (this.roots.some((r) => r.given === given)) return;
    let real = given;
    try {
      real = nodeFs.realpathSync.native(given);
    } catch {
      /* a root that does not exist (yet): compared as given */
    }
    this.roots.push({ given, real });
  }

  /** What is at `p` for reading purposes: a regular file that may be read, a refusal, or nothing. */
  private inspect(p: string): Inspection {
    const abs = path.resolve(p);
    let lst: nodeFs.Stats | undefined;
    try {
      lst = nodeFs.lstatSync(abs, { throwIfNoEntry: false });
    } catch (e) {
      return { ok: false, reason: `Not read: ${errorText(e)}.` };
    }
    if (!lst) return undefined;
    let real: string;
    try {
      real = nodeFs.realpathSync.native(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { ok: false, reason: 'Not read: a loop of symbolic links.' };
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'Not read: a symbolic link to a file that does not exist.' };
      return { ok: false, reason: `Not read: ${errorText(e)}.` };
    }
    if (real !== abs) {
      // a link somewhere on the way: it must lead inside the root the path is in
      const root = this.roots.filter((r) => isInside(abs, r.given)).sort((a, b) => b.given.length - a.given.length)[0];
      if (root) {
        if (!isInside(real, root.real)) return { ok: false, reason: `Not read: a symbolic link to ${real}, outside the project.` };
      } else if (lst.isSymbolicLink() || (this.roots.length > 0 && !this.inAncestorOfRoot(abs))) {
        return { ok: false, reason: `Not read: a symbolic link to ${real}, outside the project.` };
      }
    } else if (this.roots.length > 0 && !this.roots.some((r) => isInside(abs, r.given)) && !this.inAncestorOfRoot(abs)) {
      // neither in a root nor beside one of its ancestors: not the project's
      return { ok: false, reason: 'Not read: outside the project.' };
    }
    let st: nodeFs.Stats;
    try {
      st = nodeFs.statSync(real);
    } catch (e) {
      return { ok: false, reason: `Not read: ${errorText(e)}.` };
    }
    if (!st.isFile()) return { ok: false, reason: `Not read: ${kindOf(st)}${lst.isSymbolicLink() ? ` (a symbolic link to ${real})` : ''}, not a regular file.` };
    return { ok: true, real, stat: st };
  }

  /**
   * In a folder that is a root's ancestor (the repository's .gitignore above the analysed folder),
   * or in the `.git` (or `.git/info`) folder of such a folder (.git/index, .git/info/exclude).
   */
  private inAncestorOfRoot(abs: string): boolean {
    let dir = path.dirname(abs);
    if (path.basename(dir) === 'info' && path.basename(path.dirname(dir)) === '.git') dir = path.dirname(path.dirname(dir));
    else if (path.basename(dir) === '.git') dir = path.dirname(dir);
    return this.roots.some((r) => isInside(r.given, dir));
  }

  /** Identity, size and times of a readable file: changes when it does. */
  statKey(p: string): string | undefined {
    const i = this.inspect(p);
    return i?.ok ? `${i.stat.dev}:${i.stat.ino}:${i.stat.size}:${i.stat.mtimeMs}:${i.stat.ctimeMs}` : undefined;
  }

  /**
   * Why `p` cannot be read, when it exists and is not read (a note's text); undefined when it
   * can be read or does not exist.
   */
  unreadable(p: string): string | undefined {
    const i = this.inspect(p);
    if (!i) return undefined;
    if (!i.ok) return i.reason;
    if (i.stat.size > this.maxBytes) return tooLargeMessage(i.stat.size, this.maxBytes);
    return undefined;
  }

  /** The bytes of a readable regular file, at most `max` of them (undefined when larger). */
  readBytes(p: string, max = this.maxBytes): Uint8Array | undefined {
    const i = this.inspect(p);
    if (!i?.ok || i.stat.size > max) return undefined;
    let fd: number;
    try {
      const c = nodeFs.constants;
      fd = nodeFs.openSync(i.real, c.O_RDONLY | (c.O_NONBLOCK ?? 0) | (c.O_NOFOLLOW ?? 0));
    } catch {
      return undefined;
    }
    try {
      const st = nodeFs.fstatSync(fd);
      if (!st.isFile() || st.ino !== i.stat.ino || st.dev !== i.stat.dev || st.size > max) return undefined;
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buf = Buffer.allocUnsafe(Math.min(64 * 1024, max + 1 - total));
        const n = nodeFs.readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        chunks.push(n === buf.length ? buf : buf.subarray(0, n));
        total += n;
        if (total > max) return undefined; // grew past the cap while read
      }
      return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    } catch {
      return undefined;
    } finally {
      nodeFs.closeSync(fd);
    }
  }

  /**
   * Texts read recently, by path, with the file's identity, size and times when it was read: a
   * file read again unchanged (a settings module read by several rules, suppressions and fixes)
   * costs one stat and gives the same string (so caches keyed by the text's identity hit).
   */
  private readonly recent = new Map<string, { key: string; decoded: DecodedText }>();
  private recentChars = 0;

  /** The text of a file with how it was decoded (PEP 263 for Python files). */
  readDecoded(p: string): DecodedText | undefined {
    const i = this.inspect(p);
    if (!i?.ok) return undefined;
    const key = `${i.stat.dev}:${i.stat.ino}:${i.stat.size}:${i.stat.mtimeMs}:${i.stat.ctimeMs}`;
    const hit = this.recent.get(p);
    if (hit?.key === key) return hit.decoded;
    const buf = this.readBytes(p);
    if (buf === undefined) return undefined;
    const decoded = decodeBytes(buf, { python: p.endsWith('.py') || p.endsWith('.pyw') });
    this.remember(p, key, decoded);
    return decoded;
  }

  private remember(p: string, key: string, decoded: DecodedText): void {
    const old = this.recent.get(p);
    if (old) {
      this.recent.delete(p);
      this.recentChars -= old.decoded.text.length;
    }
    if (decoded.text.length > RECENT_CHARS / 4) return;
    this.recent.set(p, { key, decoded });
    this.recentChars += decoded.text.length;
    for (const [k, v] of this.recent) {
      if (this.recentChars <= RECENT_CHARS) break;
      this.recent.delete(k);
      this.recentChars -= v.decoded.text.length;
    }
  }

  readFile(p: string): string | undefined {
    return this.readDecoded(p)?.text;
  }

  /**
   * Entries of a folder. A symbolic link counts as a file when it leads to a readable regular
   * file inside the project; links are never folders (no walking out of the project or in
   * circles). What is neither a file nor a folder (FIFOs, sockets, devices, links leading out or
   * nowhere) is `special`.
   */
  readDir(p: string): DirEntry[] {
    let entries: nodeFs.Dirent[];
    try {
      entries = nodeFs.readdirSync(p, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.map((d) => {
      if (d.isDirectory()) return { name: d.name, isDirectory: true, isFile: false };
      if (d.isFile()) return { name: d.name, isDirectory: false, isFile: true };
      if (d.isSymbolicLink() && this.inspect(path.join(p, d.name))?.ok) return { name: d.name, isDirectory: false, isFile: true };
      return { name: d.name, isDirectory: false, isFile: false, special: true };
    });
  }

  exists(p: string): boolean {
    return nodeFs.existsSync(p);
  }

  size(p: string): number | undefined {
    const i = this.inspect(p);
    return i?.ok ? i.stat.size : undefined;
  }
}

function errorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? String(e);
}
