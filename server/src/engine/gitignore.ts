/**
 * Just enough of git's ignore rules to answer "would git commit this file?": the `.gitignore`
 * files of the file's folder and of the folders above it (up to the repository root, a folder
 * holding `.git`), patterns with `*`, `?`, `[...]`, `**`, anchoring by a leading or inner `/`,
 * folder-only patterns (trailing `/`), negation (`!`), the last match winning.
 */
import * as path from 'node:path';
import type { FileSystem } from './project';

interface Pattern {
  negate: boolean;
  dirOnly: boolean;
  anchored: boolean;
  re: RegExp;
}

function globToRegExp(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          i += 2; // `**/` or a trailing `**`
          re += i >= glob.length ? '.*' : '(?:.*/)?';
          continue;
        }
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        let cls = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      re += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

export function parseGitignore(text: string): Pattern[] {
  const out: Pattern[] = [];
  for (let line of text.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    line = line.replace(/(?<!\\)\s+$/, '');
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    let dirOnly = false;
    if (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    out.push({ negate, dirOnly, anchored, re: new RegExp(`^${globToRegExp(line)}$`) });
  }
  return out;
}

/**
 * Whether the patterns of one `.gitignore` decide about `rel` (a path relative to that file's
 * folder, `/`-separated): true = ignored, false = re-included, undefined = no pattern matches.
 */
export function gitignoreDecision(patterns: Pattern[], rel: string, isDir = false): boolean | undefined {
  const parts = rel.split('/');
  // A folder above the file that is ignored ignores the file (git does not descend into it).
  for (let i = 1; i < parts.length; i++) {
    const d = decideOne(patterns, parts.slice(0, i).join('/'), true);
    if (d === true) return true;
  }
  return decideOne(patterns, rel, isDir);
}

function decideOne(patterns: Pattern[], rel: string, isDir: boolean): boolean | undefined {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  let result: boolean | undefined;
  for (const p of patterns) {
    if (p.dirOnly && !isDir) continue;
    const hit = p.anchored ? p.re.test(rel) : p.re.test(base);
    if (hit) result = !p.negate;
  }
  return result;
}

/** The `.gitignore` files that apply to `file`, nearest last (from the repository root down). */
export function gitignoresFor(fs: FileSystem, file: string, maxUp = 12): string[] {
  const out: string[] = [];
  let dir = path.dirname(file);
  for (let i = 0; i < maxUp; i++) {
    const gi = path.join(dir, '.gitignore');
    if (fs.exists(gi)) out.unshift(gi);
    if (fs.exists(path.join(dir, '.git'))) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/** Would git ignore `file` (by the `.gitignore` files of its folder and the folders above)? */
export function isGitIgnored(fs: FileSystem, file: string, overlay?: Map<string, string>): boolean {
  let result = false;
  for (const gi of gitignoresFor(fs, file)) {
    const text = overlay?.get(gi) ?? fs.readFile(gi);
    if (text === undefined) continue;
    const rel = path.relative(path.dirname(gi), file).split(path.sep).join('/');
    const d = gitignoreDecision(parseGitignore(text), rel);
    if (d !== undefined) result = d;
  }
  return result;
}
