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
import { randomBytes } from 'node:crypto';
import { decodeBytes, encodeText, type DecodedText } from './encoding';
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

  textEncoding(p: string): { encoding: string; bom: boolean } | undefined {
    const d = this.readDecoded(p);
    return d ? { encoding: d.encoding, bom: d.bom } : undefined;
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

  /**
   * Why a fix may not write `p` (undefined: it may): it must lie inside one of the roots (the
   * folders analysed), every folder on the way from the root must be a real folder (not a
   * link), and `p` itself must be a regular file or not exist at all (not a link, even a
   * dangling one, whose target would be created; not a folder, FIFO, socket or device).
   */
  writable(p: string): string | undefined {
    const abs = path.resolve(p);
    const name = path.basename(abs);
    const root = this.roots.filter((r) => isInside(abs, r.given) && abs !== r.given).sort((a, b) => b.given.length - a.given.length)[0];
    if (!root) return this.roots.length > 0 ? `${name} is outside the folder analysed (${abs})` : undefined;
    const rel = path.relative(root.given, abs).split(path.sep);
    let dir = root.given;
    for (let i = 0; i < rel.length - 1; i++) {
      dir = path.join(dir, rel[i]);
      let st: nodeFs.Stats | undefined;
      try {
        st = nodeFs.lstatSync(dir, { throwIfNoEntry: false });
      } catch (e) {
        return `${path.relative(root.given, dir)} cannot be checked (${errorText(e)})`;
      }
      if (!st) return undefined; // created with its folders, all inside the root
      if (st.isSymbolicLink()) return `the folder ${path.relative(root.given, dir)} is a symbolic link`;
      if (!st.isDirectory()) return `${path.relative(root.given, dir)} is not a folder`;
    }
    let st: nodeFs.Stats | undefined;
    try {
      st = nodeFs.lstatSync(abs, { throwIfNoEntry: false });
    } catch (e) {
      return `${name} cannot be checked (${errorText(e)})`;
    }
    if (!st) return undefined;
    if (st.isSymbolicLink()) return nodeFs.existsSync(abs) ? `${name} is a symbolic link` : `${name} is a symbolic link to a file that does not exist`;
    if (!st.isFile()) return `${name} is ${kindOf(st)}, not a regular file`;
    try {
      nodeFs.accessSync(abs, nodeFs.constants.W_OK);
    } catch {
      return `${name} is read-only`;
    }
    return undefined;
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

/**
 * Writes fixes to disk, all of them or none: every new text is encoded first (in the file's own
 * encoding and with its byte order mark: a Latin-1 module stays Latin-1), each file is checked
 * to still hold the text the fix was computed for, every new content goes to a temporary file
 * beside its target (created exclusively, never through a link, with the target's permissions),
 * and only then are they renamed over their targets. When anything fails before the renames,
 * the temporary files are removed and nothing has changed; a rename that fails puts back the
 * files already renamed.
 */
export class DiskWriter {
  constructor(private readonly fs: NodeFileSystem) {}

  write(file: string, text: string): void {
    this.writeAll([{ file, before: this.fs.readFile(file), after: text }]);
  }

  writeAll(changes: readonly { file: string; before: string | undefined; after: string }[]): void {
    interface Plan {
      file: string;
      bytes: Uint8Array;
      /** The current content (undefined: the file is created). */
      original?: Uint8Array;
      mode?: number;
      temp?: string;
    }
    const plans: Plan[] = [];
    const madeDirs: string[] = [];
    const fail = (message: string): never => {
      throw new Error(`fixes not applied (nothing was changed): ${message}`);
    };
    for (const c of changes) {
      const name = path.basename(c.file);
      let info: { encoding: string; bom: boolean } = { encoding: 'utf-8', bom: false };
      let original: Uint8Array | undefined;
      let mode: number | undefined;
      if (c.before !== undefined) {
        const decoded = this.fs.readDecoded(c.file);
        original = this.fs.readBytes(c.file);
        if (!decoded || !original) fail(`${name} can no longer be read`);
        if (decoded!.text !== c.before) fail(`${name} changed since the fix was computed`);
        info = decoded!;
        mode = nodeFs.statSync(c.file).mode & 0o7777;
      } else if (lstatOrError(c.file) !== undefined) fail(`${name} exists now, or cannot be created`);
      const bytes = encodeText(c.after, info);
      if (!bytes) fail(`${name} is encoded in ${info.encoding}, which cannot hold a character the fix writes`);
      plans.push({ file: c.file, bytes: bytes!, original, mode });
    }
    const removeTemps = () => {
      for (const p of plans) {
        if (!p.temp) continue;
        try {
          nodeFs.unlinkSync(p.temp);
        } catch {
          /* already gone */
        }
        p.temp = undefined;
      }
      for (const d of madeDirs.reverse()) {
        try {
          nodeFs.rmdirSync(d);
        } catch {
          /* not empty: keep it */
        }
      }
    };
    try {
      for (const p of plans) {
        const dir = path.dirname(p.file);
        this.makeDirs(dir, madeDirs);
        p.temp = path.join(dir, `.${path.basename(p.file)}.djr-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
        writeExclusive(p.temp, p.bytes, p.mode);
      }
    } catch (e) {
      removeTemps();
      fail((e as Error).message);
    }
    const done: Plan[] = [];
    try {
      for (const p of plans) {
        nodeFs.renameSync(p.temp as string, p.file);
        p.temp = undefined;
        done.push(p);
      }
    } catch (e) {
      // put back what was already renamed
      for (const p of done) {
        try {
          if (p.original === undefined) nodeFs.unlinkSync(p.file);
          else {
            const back = `${p.file}.djr-restore-${randomBytes(6).toString('hex')}`;
            writeExclusive(back, p.original, p.mode);
            nodeFs.renameSync(back, p.file);
          }
        } catch {
          /* best effort */
        }
      }
      removeTemps();
      fail((e as Error).message);
    }
  }

  /** Creates the missing folders of `dir` (recorded in `made`, outermost first). */
  private makeDirs(dir: string, made: string[]): void {
    const missing: string[] = [];
    let d = dir;
    while (!nodeFs.existsSync(d)) {
      missing.unshift(d);
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
    for (const m of missing) {
      nodeFs.mkdirSync(m);
      made.push(m);
    }
  }
}

/** lstat, undefined when nothing is there; `'error'` when it cannot be known (a file on the way). */
function lstatOrError(p: string): nodeFs.Stats | 'error' | undefined {
  try {
    return nodeFs.lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return 'error';
  }
}

/** Writes a new file (fails if anything is at `file`, a link included). */
function writeExclusive(file: string, bytes: Uint8Array, mode: number | undefined): void {
  const c = nodeFs.constants;
  const fd = nodeFs.openSync(file, c.O_WRONLY | c.O_CREAT | c.O_EXCL | (c.O_NOFOLLOW ?? 0), mode ?? 0o666);
  try {
    let off = 0;
    while (off < bytes.length) off += nodeFs.writeSync(fd, bytes, off, bytes.length - off);
    nodeFs.fsyncSync(fd);
    if (mode !== undefined) nodeFs.fchmodSync(fd, mode);
  } finally {
    nodeFs.closeSync(fd);
  }
}
