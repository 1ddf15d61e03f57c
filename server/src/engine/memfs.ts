/** An in-memory file system (tests, fixtures, the language server's virtual documents). */
import * as path from 'node:path';
import type { DirEntry, FileSystem } from './project';

export class MemoryFileSystem implements FileSystem {
  readonly files = new Map<string, string>();

  constructor(files?: Record<string, string>, root = '/') {
    if (files) for (const [p, t] of Object.entries(files)) this.files.set(path.resolve(root, p), t);
  }

  write(p: string, text: string): void {
    this.files.set(p, text);
  }

  readFile(p: string): string | undefined {
    return this.files.get(p);
  }

  readDir(dir: string): DirEntry[] {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const seen = new Map<string, DirEntry>();
    for (const p of this.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const i = rest.indexOf(path.sep);
      const name = i < 0 ? rest : rest.slice(0, i);
      if (!seen.has(name)) seen.set(name, { name, isDirectory: i >= 0, isFile: i < 0 });
    }
    return [...seen.values()];
  }

  exists(p: string): boolean {
    if (this.files.has(p)) return true;
    const prefix = p + path.sep;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  size(p: string): number | undefined {
    return this.files.get(p)?.length;
  }

  /** The bytes of a file: byte for byte when every character is below 256 (binary files are kept so), else UTF-8. */
  readBytes(p: string, maxBytes = Infinity): Uint8Array | undefined {
    const t = this.files.get(p);
    if (t === undefined) return undefined;
    const b = [...t].every((c) => c.charCodeAt(0) < 256) ? Buffer.from(t, 'latin1') : Buffer.from(t, 'utf8');
    return b.length > maxBytes ? undefined : b;
  }

  /** Changes with the text (tests). */
  statKey(p: string): string | undefined {
    const t = this.files.get(p);
    return t === undefined ? undefined : `${t.length}:${hash(t)}`;
  }
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
