/**
 * "Disable DJRxxx for this line": the edit that adds `# django-readiness: ignore[DJRxxx]` to a
 * finding's line, or appends the code to an ignore comment already there. "Disable DJRxxx for
 * this file": `# django-readiness: ignore-file[DJRxxx]` near the top of the file (after a shebang
 * and an encoding line), or the code appended to the file's ignore-file comment.
 *
 * The comment goes at the end of the line when that is a comment in the file's language
 * (Python, requirements files) and the line does not end inside a string or with a line
 * continuation; otherwise on its own line above (the engine honours both: the line, or the line
 * above). Dockerfiles, .env files, Procfiles and YAML get the line-above form. Django templates
 * get a template comment at the end of the line, `{# django-readiness: ignore[DJR611] #}`: it
 * renders to nothing wherever it sits (a `#` line would be printed on the page).
 */
import { classify } from '../engine/project';
import { LineIndex } from '../engine/text';
import type { Edit } from '../engine/types';

const IGNORE = /(#\s*django-readiness:\s*ignore\[)([^\]]*)(\])/i;

export interface PythonLineScan {
  /** Offset of the `#` of a comment, when the line has one outside strings. */
  commentAt?: number;
  /** The line ends inside a string (an open triple-quoted string) or continues with `\`. */
  continues: boolean;
}

/** Scans one line of Python for its comment and whether it ends inside a string. */
export function scanPythonLine(line: string): PythonLineScan {
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '#') return { commentAt: i, continues: false };
    if (c === '"' || c === "'") {
      const triple = line.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      let j = i + q.length;
      let closed = false;
      while (j < line.length) {
        if (line[j] === '\\') {
          j += 2;
          continue;
        }
        if (line.startsWith(q, j)) {
          closed = true;
          j += q.length;
          break;
        }
        j++;
      }
      if (!closed) return { continues: true };
      i = j;
      continue;
    }
    i++;
  }
  return { continues: /\\\s*$/.test(line) };
}

function codesIn(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

/** An edit appending `code` to the ignore comment of `lineText` (at `lineStart`), if it has one. */
function appendToComment(file: string, li: LineIndex, line: number, commentAt: number, code: string): Edit | null | undefined {
  const text = li.lineText(line);
  const m = IGNORE.exec(text.slice(commentAt));
  if (!m) return undefined;
  if (codesIn(m[2]).includes(code)) return null; // already there: nothing to do
  const closeAt = li.lineStart(line) + commentAt + m.index + m[1].length + m[2].length;
  const sep = m[2].trim() ? ', ' : '';
  const pos = closeAt - (m[2].length - m[2].trimEnd().length);
  return { file, start: pos, end: pos, newText: `${sep}${code}` };
}

/**
 * The edit that ignores `code` on `line` of `file` (whose current text is `text`); null when the
 * line already ignores it.
 */
export function ignoreEdit(file: string, text: string, line: number, code: string): Edit | null {
  const li = new LineIndex(text);
  const l = Math.max(0, Math.min(line, li.lineCount - 1));
  const lineText = li.lineText(l);
  const kind = classify(file);
  if (kind === 'template') return templateIgnoreEdit(file, li, l, code);
  const python = kind === 'python' || kind === undefined;
  const inlineOk = python || kind === 'requirements';
  let scan: PythonLineScan;
  if (python) scan = scanPythonLine(lineText);
  else {
    const hash = lineText.search(/(^|\s)#/);
    scan = { commentAt: hash < 0 ? undefined : lineText.indexOf('#', hash), continues: /\\\s*$/.test(lineText) };
  }
  if (inlineOk && !scan.continues) {
    if (scan.commentAt !== undefined) {
      const app = appendToComment(file, li, l, scan.commentAt, code);
      if (app !== undefined) return app;
    }
    return { file, start: li.lineStart(l) + lineText.trimEnd().length, end: li.lineEnd(l), newText: `  # django-readiness: ignore[${code}]` };
  }
  // on its own line above: reuse an ignore comment line there
  if (l > 0) {
    const above = li.lineText(l - 1);
    const t = above.trimStart();
    if (t.startsWith('#')) {
      const app = appendToComment(file, li, l - 1, above.length - t.length, code);
      if (app !== undefined) return app;
    }
  }
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const at = li.lineStart(l);
  return { file, start: at, end: at, newText: `${indent}# django-readiness: ignore[${code}]${li.eol}` };
}

/** A template's ignore comment: appended to one on the line (or the line above), else added at the end of the line. */
function templateIgnoreEdit(file: string, li: LineIndex, l: number, code: string): Edit | null {
  for (const line of l > 0 ? [l, l - 1] : [l]) {
    const t = li.lineText(line);
    for (let at = t.indexOf('{#'); at >= 0; at = t.indexOf('{#', at + 2)) {
      const app = appendToComment(file, li, line, at, code);
      if (app !== undefined) return app;
    }
  }
  const lineText = li.lineText(l);
  const end = li.lineStart(l) + lineText.trimEnd().length;
  return { file, start: end, end: li.lineEnd(l), newText: ` {# django-readiness: ignore[${code}] #}` };
}

const IGNORE_FILE = /^(\s*(?:#|\{#)\s*django-readiness:\s*ignore-file\[)([^\]]*)(\])/i;

/**
 * The edit that ignores `code` in the whole of `file` (current text `text`): null when the file
 * already ignores it, undefined when the file cannot carry a comment (a Procfile).
 */
export function ignoreFileEdit(file: string, text: string, code: string): Edit | null | undefined {
  const kind = classify(file);
  if (kind === 'procfile') return undefined;
  const li = new LineIndex(text);
  for (let l = 0; l < li.lineCount; l++) {
    const line = li.lineText(l);
    const m = IGNORE_FILE.exec(line);
    if (!m) continue;
    if (codesIn(m[2]).includes(code)) return null;
    const pos = li.lineStart(l) + m[1].length + m[2].trimEnd().length;
    return { file, start: pos, end: pos, newText: `${m[2].trim() ? ', ' : ''}${code}` };
  }
  const template = kind === 'template' || /\.(html?|djhtml)$/i.test(file);
  const comment = template ? `{# django-readiness: ignore-file[${code}] #}` : `# django-readiness: ignore-file[${code}]`;
  // after a shebang and a PEP 263 encoding line (they must stay first), else at the top
  let l = 0;
  if (!template) {
    if (l < li.lineCount && li.lineText(l).startsWith('#!')) l++;
    if (l < li.lineCount && /^[ \t\f]*#.*coding[:=][ \t]*[-\w.]+/.test(li.lineText(l))) l++;
  }
  // past the last line (a file of only a shebang without a line break): start a new one
  if (l >= li.lineCount) return { file, start: text.length, end: text.length, newText: `${li.eol}${comment}${li.eol}` };
  const at = li.lineStart(l);
  return { file, start: at, end: at, newText: `${comment}${li.eol}` };
}
