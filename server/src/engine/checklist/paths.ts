/** Paths as the checklist shows them: relative to the report's root, with `/` separators. */
import * as path from 'node:path';

/** A path relative to `root`, with `/` separators (the file name when it is the root itself). */
export function relativePath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}
