/**
 * Is a file tracked by git? Answered from the repository's index file (`.git/index`), read as a
 * file: git is never run. Index versions 2, 3 and 4 (path prefix compression), SHA-1 and SHA-256
 * repositories, sparse-directory entries. What cannot be read faithfully (a split index, a
 * damaged or oversized index, a `.git` file pointing outside the project) is "unknown": never
 * guessed.
 *
 * Index layout (git's Documentation/gitformat-index.txt): "DIRC", version, entry count; each
 * entry: 40 bytes of stat data, the object id (20 or 32 bytes), 16-bit flags (name length in the
 * low 12 bits, "extended" in bit 14), 16 more flag bits when extended (v3+), then the path:
 * NUL-terminated and padded with NULs to a multiple of 8 bytes (v2/v3), or, in v4, a varint
 * count of bytes to drop from the previous entry's path followed by the NUL-terminated rest.
 */
import * as path from 'node:path';
import type { FileSystem } from './project';

/** Indexes larger than this are not read (the answer is "unknown"). */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;

export type TrackedState = 'tracked' | 'untracked' | 'unknown';

export interface TrackedAnswer {
  state: TrackedState;
  /** For "unknown": why. */
  reason?: string;
  /** The repository's folder (when one was found). */
  repo?: string;
}

export class IndexFormatError extends Error {}

/** Decodes git's offset varint (v4 path prefixes). */
function varint(buf: Uint8Array, at: number): { value: number; next: number } {
  let c = buf[at++];
  if (c === undefined) throw new IndexFormatError('truncated varint');
  let value = c & 127;
  while (c & 128) {
    value += 1;
    c = buf[at++];
    if (c === undefined) throw new IndexFormatError('truncated varint');
    value = value * 128 + (c & 127);
    if (value > 0xffffffff) throw new IndexFormatError('varint overflow');
  }
  return { value, next: at };
}

export interface ParsedIndex {
  version: number;
  /** Entry paths (bytes as latin1 strings, so that comparison is byte for byte). */
  paths: string[];
  /** The index is split (a `link` extension): its entries are not all here. */
  split: boolean;
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 8192) s += String.fromCharCode(...buf.subarray(i, Math.min(end, i + 8192)));
  return s;
}

/**
 * Parses an index file. `hashLength`: 20 (SHA-1) or 32 (SHA-256). Throws IndexFormatError on
 * anything that is not a well-formed index.
 */
export function parseGitIndex(buf: Uint8Array, hashLength = 20): ParsedIndex {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 12 + hashLength || latin1(buf, 0, 4) !== 'DIRC') throw new IndexFormatError('not an index file');
  const version = dv.getUint32(4);
  if (version < 2 || version > 4) throw new IndexFormatError(`index version ${version}`);
  const count = dv.getUint32(8);
  const end = buf.length - hashLength; // the trailing checksum
  const paths: string[] = [];
  let at = 12;
  let prev = '';
  for (let i = 0; i < count; i++) {
    const start = at;
    const fixed = 40 + hashLength;
    if (at + fixed + 2 > end) throw new IndexFormatError('truncated entry');
    const flags = dv.getUint16(at + fixed);
    at += fixed + 2;
    if (flags & 0x4000) {
      if (version < 3) throw new IndexFormatError('extended flags in a version 2 index');
      at += 2;
    }
    let p: string;
    if (version === 4) {
      const v = varint(buf, at);
      if (v.value > prev.length) throw new IndexFormatError('bad path prefix');
      at = v.next;
      const nul = buf.indexOf(0, at);
      if (nul < 0 || nul >= end) throw new IndexFormatError('unterminated path');
      p = prev.slice(0, prev.length - v.value) + latin1(buf, at, nul);
      at = nul + 1;
    } else {
      const nul = buf.indexOf(0, at);
      if (nul < 0 || nul >= end) throw new IndexFormatError('unterminated path');
      p = latin1(buf, at, nul);
      const nameLen = flags & 0xfff;
      if (nameLen !== 0xfff && nameLen !== nul - at) throw new IndexFormatError('path length mismatch');
      // entries are padded with 1-8 NULs to a multiple of 8 bytes
      at = start + ((nul - start + 8) & ~7);
      if (at > end) throw new IndexFormatError('truncated padding');
    }
    paths.push(p);
    prev = p;
  }
  // extensions: 4-byte signature, 32-bit size, data
  let split = false;
  while (at + 8 <= end) {
    const sig = latin1(buf, at, at + 4);
    const size = dv.getUint32(at + 4);
    if (sig === 'link') split = true;
    at += 8 + size;
  }
  if (at !== end) throw new IndexFormatError('trailing bytes after the extensions');
  return { version, paths, split };
}

/** The git folder of a repository root: `.git`, or where a `.git` file (`gitdir: ...`) points. */
export function gitDirOf(fs: FileSystem, repo: string): string | undefined {
  const dotGit = path.join(repo, '.git');
  const asFile = fs.readFile(dotGit);
  if (asFile === undefined) return fs.exists(dotGit) ? dotGit : undefined;
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(asFile);
  return m ? path.resolve(repo, m[1]) : undefined;
}

interface IndexCacheEntry {
  key: string;
  /** Paths asked about, with their answer. */
  answers: Map<string, boolean>;
}

const indexCache = new Map<string, IndexCacheEntry>();

function utf8Latin1(s: string): string {
  return latin1(new TextEncoder().encode(s), 0, Buffer.byteLength(s, 'utf8'));
}

/** Whether git tracks `file` (its repository is the nearest folder above it holding `.git`). */
export function gitTracked(fs: FileSystem, file: string, maxUp = 24): TrackedAnswer {
  let repo: string | undefined;
  let dir = path.dirname(file);
  for (let i = 0; i < maxUp; i++) {
    if (fs.exists(path.join(dir, '.git'))) {
      repo = dir;
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!repo) return { state: 'untracked' };
  const gitDir = gitDirOf(fs, repo);
  if (!gitDir) return { state: 'unknown', reason: 'the .git file does not say where the repository is', repo };
  const indexFile = path.join(gitDir, 'index');
  if (!fs.exists(indexFile)) return { state: 'untracked', repo }; // a repository without a commit or an add yet
  const rel = path.relative(repo, file).split(path.sep).join('/');
  const want = utf8Latin1(rel);
  const key = fs.statKey?.(indexFile);
  const cached = indexCache.get(indexFile);
  if (key !== undefined && cached?.key === key) {
    const a = cached.answers.get(want);
    if (a !== undefined) return { state: a ? 'tracked' : 'untracked', repo };
  }
  const unreadable = fs.unreadable?.(indexFile);
  const bytes = unreadable ? undefined : fs.readBytes?.(indexFile, MAX_INDEX_BYTES);
  if (!bytes) return { state: 'unknown', reason: unreadable ?? `the git index could not be read (${path.relative(repo, indexFile) || indexFile})`, repo };
  const config = fs.readFile(path.join(gitDir, 'config')) ?? '';
  const hashLength = /^\s*objectformat\s*=\s*sha256\s*$/im.test(config) ? 32 : 20;
  let parsed: ParsedIndex;
  try {
    parsed = parseGitIndex(bytes, hashLength);
  } catch (e) {
    return { state: 'unknown', reason: `the git index could not be read: ${(e as Error).message}`, repo };
  }
  // a sparse-directory entry (`dir/`) tracks everything below it
  const tracked = parsed.paths.some((p) => p === want || (p.endsWith('/') && want.startsWith(p)));
  if (!tracked && parsed.split) return { state: 'unknown', reason: 'the git index is split (core.splitIndex): its entries are not all in .git/index', repo };
  if (key !== undefined) {
    const entry = cached?.key === key ? cached : { key, answers: new Map<string, boolean>() };
    entry.answers.set(want, tracked);
    if (indexCache.size > 64) indexCache.clear();
    indexCache.set(indexFile, entry);
  }
  return { state: tracked ? 'tracked' : 'untracked', repo };
}
