/**
 * Requirements files read as pip reads them (pip's requirements-file format): physical lines
 * joined at a trailing backslash, comments dropped, option lines (`-r`, `-c`, `-e`,
 * `--index-url`...) told apart from requirement lines, per-requirement options (`--hash`) split
 * off, and the requirement itself parsed as PEP 508 (see pep508.ts) or recognised as a URL or
 * path. Nothing is installed or resolved; which file is production is decided in
 * dependencies.ts.
 */
import { exactPin, normaliseName, parsePep508, specText } from './pep508';

export { normaliseName } from './pep508';

/**
 * How a requirement reaches production (decided by dependencies.ts from the file's role, the
 * pyproject/Pipfile section, and what the Dockerfile installs):
 *  - production: installed in production;
 *  - optional: may be (an extra, a non-development group, a requirements file nothing names);
 *  - development: a development/test/docs file or group;
 *  - input: a pip-tools `.in` source, compiled into the file that is installed;
 *  - constraint: a line of a constraints file (`-c`): it limits versions, installs nothing.
 */
export type RequirementScope = 'production' | 'optional' | 'development' | 'input' | 'constraint';

export type RequirementFormat = 'requirements' | 'pep621' | 'poetry' | 'pipfile';

export interface Requirement {
  /** Normalised name (PEP 503: lower case, `_` and `.` as `-`). */
  name: string;
  /** The PEP 440 specifier, e.g. `==4.2.7` or `>=4.2,<5` (Poetry constraints translated); `@` for a URL. */
  spec: string;
  /** The exact pinned version (`==x`), if any. */
  pinned?: string;
  hashed: boolean;
  /** 0-based line and the column range of the requirement text on it. */
  line: number;
  start: number;
  end: number;
  file: string;
  raw: string;
  format: RequirementFormat;
  scope: RequirementScope;
  /** The pyproject/Pipfile section or group (`project.dependencies`, `group dev`, `dev-packages`). */
  section?: string;
  extras?: string[];
  marker?: string;
  /** A URL, VCS or local path requirement (or an editable one): its version is what the URL holds. */
  direct?: boolean;
  /** The version a lock file beside the manifest installs. */
  locked?: { version: string; lockFile: string };
  /** A constraints file (`-c`) pins this package for the install that reads this file. */
  constrained?: { version: string; file: string; line: number };
  /** Poetry's constraint as written (`^3.2`), when `spec` is its translation. */
  written?: string;
}

export interface RequirementProblem {
  file: string;
  line: number;
  start: number;
  end: number;
  raw: string;
  /** command: a shell command; unparsable: pip rejects the line; missing-include: `-r`/`-c` names no file. */
  kind: 'command' | 'unparsable' | 'missing-include';
  /** For missing-include: the path as written. */
  target?: string;
}

export interface RequirementInclude {
  kind: 'requirement' | 'constraint';
  /** The path as written (relative to the including file's folder, as pip reads it). */
  target: string;
  line: number;
  start: number;
  end: number;
}

export interface ParsedRequirementsFile {
  requirements: Requirement[];
  problems: RequirementProblem[];
  includes: RequirementInclude[];
  /** `--require-hashes` (every requirement must then carry a hash). */
  requireHashes: boolean;
}

/** pip's comment syntax: `#` at the start or after whitespace. */
function stripComment(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) return s.slice(0, i);
  }
  return s;
}

const isCommentLine = (s: string) => s.trimStart().startsWith('#');

interface LogicalLine {
  /** Line number of its first physical line. */
  line: number;
  /** The first physical line (positions are reported there). */
  first: string;
  text: string;
}

/** pip's join_lines: a line ending with `\` continues on the next (a comment line ends it). */
function logicalLines(text: string): LogicalLine[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  let cur: LogicalLine | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l.endsWith('\\') || isCommentLine(l)) {
      if (cur) {
        cur.text += isCommentLine(l) ? ' ' + l : l;
        out.push(cur);
        cur = undefined;
      } else out.push({ line: i, first: l, text: l });
    } else {
      const piece = l.slice(0, -1);
      if (cur) cur.text += piece;
      else cur = { line: i, first: l, text: piece };
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** pip's break_args_options: the requirement part ends at the first token starting with `-`. */
function splitArgsOptions(line: string): { args: string; options: string } {
  const tokens = line.split(' ');
  let i = 0;
  while (i < tokens.length && !tokens[i].startsWith('-')) i++;
  return { args: tokens.slice(0, i).join(' '), options: tokens.slice(i).join(' ') };
}

const SHELL_COMMAND = /^(sudo\s+)?(pip3?(\.\d+)?|python[\d.]*\s+-m\s+pip|uv\s+pip|apt(-get)?|npm|conda|poetry|pipenv|brew|yum|apk)\s/;

/** Options that take a value as the next token (`-r file`). */
const FILE_OPTIONS: Record<string, 'requirement' | 'constraint'> = { '-r': 'requirement', '--requirement': 'requirement', '-c': 'constraint', '--constraint': 'constraint' };

/** pip treats these as URLs or paths, not names (install_req_from_line). */
function isUrlOrPath(args: string): boolean {
  const a = args.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(a) || /^(git|hg|svn|bzr)\+/i.test(a) || a.startsWith('.') || a.startsWith('/') || a.startsWith('~') || /^[^\s;@]*\/[^\s;@]*$/.test(a) || /\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$/i.test(a.split(/[;\s]/)[0]);
}

/** Parses a requirements file's text. */
export function parseRequirements(file: string, text: string): ParsedRequirementsFile {
  const requirements: Requirement[] = [];
  const problems: RequirementProblem[] = [];
  const includes: RequirementInclude[] = [];
  let requireHashes = false;
  const isTemplate = file.includes('{{') || file.includes('{%');
  for (const ll of logicalLines(text)) {
    const content = stripComment(ll.text).trim();
    if (!content) continue;
    // where the content starts on the first physical line
    const start = ll.first.length - ll.first.trimStart().length;
    const firstContent = stripComment(ll.first.endsWith('\\') ? ll.first.slice(0, -1) : ll.first).trimEnd();
    const lineEnd = Math.max(start + 1, firstContent.length);
    const at = { file, line: ll.line, start, raw: content };
    if (isTemplate && /^\{[%#{]/.test(content)) continue; // a cookiecutter/Jinja template line
    const { args, options } = splitArgsOptions(content);
    if (!args) {
      // an option line
      const tokens = options.split(/\s+/);
      const opt = tokens[0];
      const eq = opt.indexOf('=');
      const name = eq > 0 ? opt.slice(0, eq) : opt;
      const value = eq > 0 ? opt.slice(eq + 1) : tokens[1];
      if (name in FILE_OPTIONS && value) {
        includes.push({ kind: FILE_OPTIONS[name], target: value, line: ll.line, start, end: lineEnd });
      } else if (name === '--require-hashes') requireHashes = true;
      else if ((name === '-e' || name === '--editable') && value) {
        const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(value);
        if (egg) requirements.push({ ...at, name: normaliseName(egg[1]), spec: '@', hashed: false, end: lineEnd, format: 'requirements', scope: 'optional', direct: true });
      }
      continue;
    }
    const hashed = /(^|\s)--hash[=\s]/.test(options);
    const argsEnd = Math.min(start + args.trimEnd().length, lineEnd);
    if (SHELL_COMMAND.test(args)) {
      problems.push({ ...at, end: lineEnd, kind: 'command' });
      continue;
    }
    const parsed = parsePep508(args.trim());
    if (parsed) {
      if (parsed.url) {
        requirements.push({ ...at, name: normaliseName(parsed.name), spec: '@', hashed, end: argsEnd, format: 'requirements', scope: 'optional', extras: parsed.extras, marker: parsed.marker, direct: true });
        continue;
      }
      requirements.push({
        ...at,
        name: normaliseName(parsed.name),
        spec: specText(parsed.specs),
        pinned: exactPin(parsed.specs),
        hashed,
        end: argsEnd,
        format: 'requirements',
        scope: 'optional',
        extras: parsed.extras.length > 0 ? parsed.extras : undefined,
        marker: parsed.marker,
      });
      continue;
    }
    if (isUrlOrPath(args)) {
      const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(args);
      if (egg) requirements.push({ ...at, name: normaliseName(egg[1]), spec: '@', hashed, end: argsEnd, format: 'requirements', scope: 'optional', direct: true });
      continue;
    }
    if (args.includes('${')) continue; // pip expands ${VAR} from the environment: undecidable here
    problems.push({ ...at, end: lineEnd, kind: 'unparsable' });
  }
  return { requirements, problems, includes, requireHashes };
}
