/**
 * How the evaluator finds the files a settings module runs: imports (resolveModuleFile) and
 * django-split-settings `include()` patterns (globs relative to the including file).
 */
import * as path from 'node:path';
import { Evaluator, type ScopeCache } from './evaluator';
import type { PyModule } from './parser';
import { resolveModuleFile, settingsRole, type FileSystem } from './project';

const GLOB_CHARS = /[*?[]/;

/** A glob segment as a RegExp (`*`, `?`, `[abc]`, `[!abc]`), anchored. */
function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The files a glob names, as Python's glob.glob finds them (`*`, `?`, `[...]` within one path
 * segment; names starting with a dot only when the pattern's segment does), sorted by path:
 * glob.glob returns directory order, which a static reading cannot know.
 */
export function globFiles(fs: FileSystem, baseDir: string, pattern: string): string[] {
  const full = path.resolve(baseDir, pattern);
  const { root } = path.parse(full);
  const segs = full.slice(root.length).split(/[\\/]+/).filter((s) => s !== '');
  let current = [root];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      const entries = fs.readDir(dir);
      if (GLOB_CHARS.test(seg)) {
        const re = segmentRegex(seg);
        for (const e of entries) {
          if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
          if ((last ? e.isFile : e.isDirectory) && re.test(e.name)) next.push(path.join(dir, e.name));
        }
      } else if (entries.some((e) => e.name === seg && (last ? e.isFile : e.isDirectory))) next.push(path.join(dir, seg));
    }
    current = next;
    if (current.length === 0) break;
  }
  return current.sort();
}

/** The file a production start-up runs among those an environment switch can select, if one is named so. */
export function productionChoice(files: string[]): string | undefined {
  if (files.length === 1) return files[0];
  const prod = files.filter((f) => settingsRole(path.basename(f).replace(/\.py$/, '')) === 'production');
  return prod.length === 1 ? prod[0] : undefined;
}

/**
 * An Evaluator over a project's files: imports resolved from `root` (see resolveModuleFile),
 * include() patterns as globs, and `overlays`: production modules other modules pull in under an
 * environment switch (see DjangoProject.overlays). `load` parses a file (undefined: unreadable).
 * `reuse`: evaluations kept from earlier runs (ScopeCache; `record` false: only read from it).
 */
export function settingsEvaluator(fs: FileSystem, root: string, load: (file: string) => PyModule | undefined, overlays: readonly string[] = [], reuse?: ScopeCache, record = true): Evaluator {
  return new Evaluator(
    (from, module, level) => {
      const file = resolveModuleFile(fs, root, from.path, module, level);
      return file ? load(file) : undefined;
    },
    {
      include: (from, pattern, dynamic) => {
        let files = globFiles(fs, path.dirname(from.path), pattern).filter((f) => f.endsWith('.py') || !GLOB_CHARS.test(pattern));
        if (dynamic) {
          const chosen = productionChoice(files);
          files = chosen ? [chosen] : [];
        }
        const out: PyModule[] = [];
        for (const f of files) {
          const m = load(f);
          if (m) out.push(m);
        }
        return out;
      },
      overlays: new Set(overlays),
      reuse,
      record,
    },
  );
}
