/**
 * Reading requirements files and pyproject.toml dependencies: which packages a project uses,
 * and which Django version it pins. Plain text parsing, nothing is installed or resolved.
 */
import { parse as parseToml } from 'smol-toml';

export interface Requirement {
  /** Normalised name (lower case, `_` and `.` as `-`). */
  name: string;
  /** The whole specifier, e.g. `==4.2.7` or `>=4.2,<5`. */
  spec: string;
  /** The exact pinned version (`==x`), if any. */
  pinned?: string;
  hashed: boolean;
  line: number;
  /** Column range of the requirement text on its line. */
  start: number;
  end: number;
  file: string;
  raw: string;
}

export interface RequirementProblem {
  file: string;
  line: number;
  start: number;
  end: number;
  raw: string;
  kind: 'command' | 'unparsable';
}

export function normaliseName(n: string): string {
  return n.toLowerCase().replace(/[_.]+/g, '-');
}

const REQ = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*((?:[<>=!~]=?|===)[^;#\s]*(?:\s*,\s*(?:[<>=!~]=?|===)[^;#\s]*)*)?\s*(;[^#]*)?$/;

/** Parses a requirements.txt text. Options (-r, -e, --hash continuation...) are understood. */
export function parseRequirements(file: string, text: string): { requirements: Requirement[]; problems: RequirementProblem[] } {
  const requirements: Requirement[] = [];
  const problems: RequirementProblem[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const rawLine = lines[i];
    let line = rawLine.replace(/(^|\s)#.*$/, '').trimEnd();
    const start = line.length - line.trimStart().length;
    line = line.trim();
    if (!line) continue;
    // A continued line (`pkg==1 \` + `--hash=...`): join for the hash check.
    let joined = line;
    let j = i;
    while (joined.endsWith('\\') && j + 1 < lines.length) {
      j++;
      joined = joined.slice(0, -1) + ' ' + lines[j].replace(/(^|\s)#.*$/, '').trim();
    }
    if (/^(pip3?|python3?\s+-m\s+pip|sudo|apt(-get)?|npm|conda)\s/.test(line)) {
      problems.push({ file, line: i, start, end: start + line.length, raw: line, kind: 'command' });
      continue;
    }
    if (line.startsWith('-') || /^(git\+|https?:|file:|\.|\/)/.test(line)) {
      i = j;
      continue;
    }
    const reqPart = joined.split(/\s+--hash[=\s]/)[0].trim();
    const hashed = /--hash[=\s]/.test(joined);
    const urlForm = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*@\s*\S+/.exec(reqPart);
    if (urlForm) {
      requirements.push({ name: normaliseName(urlForm[1]), spec: '@', hashed, line: i, start, end: start + line.length, file, raw: line, pinned: undefined });
      i = j;
      continue;
    }
    const m = REQ.exec(reqPart);
    if (!m) {
      problems.push({ file, line: i, start, end: start + line.length, raw: line, kind: 'unparsable' });
      i = j;
      continue;
    }
    const spec = (m[3] ?? '').replace(/\s+/g, '');
    const pin = /^===?([^,]+)$/.exec(spec);
    requirements.push({
      name: normaliseName(m[1]),
      spec,
      pinned: pin && !pin[1].includes('*') ? pin[1] : undefined,
      hashed,
      line: i,
      start,
      end: start + line.trimEnd().length,
      file,
      raw: line,
    });
    i = j;
  }
  return { requirements, problems };
}

/** Dependencies declared in pyproject.toml (PEP 621 and Poetry). Lines are located by search. */
export function parsePyprojectDependencies(file: string, text: string): Requirement[] {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const out: Requirement[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const locate = (needle: string): { line: number; start: number; end: number } => {
    for (let i = 0; i < lines.length; i++) {
      const c = lines[i].indexOf(needle);
      if (c >= 0) return { line: i, start: c, end: c + needle.length };
    }
    return { line: 0, start: 0, end: 0 };
  };
  const project = data.project as { dependencies?: unknown } | undefined;
  if (project && Array.isArray(project.dependencies)) {
    for (const d of project.dependencies) {
      if (typeof d !== 'string') continue;
      const m = REQ.exec(d.trim());
      if (!m) continue;
      const spec = (m[3] ?? '').replace(/\s+/g, '');
      const pin = /^===?([^,]+)$/.exec(spec);
      out.push({ name: normaliseName(m[1]), spec, pinned: pin ? pin[1] : undefined, hashed: false, file, raw: d, ...locate(d) });
    }
  }
  const poetry = ((data.tool as Record<string, unknown> | undefined)?.poetry as { dependencies?: Record<string, unknown> } | undefined)?.dependencies;
  if (poetry && typeof poetry === 'object') {
    for (const [name, v] of Object.entries(poetry)) {
      if (name.toLowerCase() === 'python') continue;
      const ver = typeof v === 'string' ? v : typeof v === 'object' && v && typeof (v as { version?: unknown }).version === 'string' ? (v as { version: string }).version : '';
      const exact = /^(?:==)?(\d+(?:\.\d+)*)$/.exec(ver.trim());
      out.push({ name: normaliseName(name), spec: ver, pinned: exact ? exact[1] : undefined, hashed: false, file, raw: `${name} = ${JSON.stringify(ver)}`, ...locate(name) });
    }
  }
  return out;
}

/** [major, minor] of a version string, if it starts with digits. */
export function majorMinor(v: string | undefined): [number, number] | undefined {
  if (!v) return undefined;
  const m = /^(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

/** Lower bound of a specifier like `>=4.2,<5.0` or `~=4.2`, used when no exact pin exists. */
export function lowerBound(spec: string): string | undefined {
  const m = /(?:^|,)(?:>=|~=|==)\s*([\d.]+)/.exec(spec);
  return m ? m[1] : undefined;
}
