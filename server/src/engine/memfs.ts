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
}
