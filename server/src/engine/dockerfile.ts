/**
 * Dockerfiles read as instructions: continuation lines joined, comment lines dropped, each
 * instruction with its line, its build stage, and the ARG/ENV values known at that point (for
 * `${REQ_FILE}`-style paths). Nothing is built or run.
 */

export interface DockerInstruction {
  /** Upper-case keyword (FROM, RUN, COPY...). */
  keyword: string;
  /** Arguments as one line (continuations joined with a space). */
  args: string;
  /** 0-based line of the keyword, and the last line of the instruction. */
  line: number;
  endLine: number;
  /** Column of the keyword. */
  start: number;
  /** 0-based stage index (the FROM it follows; -1 before the first FROM). */
  stage: number;
  /** The stage's name (`FROM image AS name`), lower case, if it has one. */
  stageName?: string;
}

export interface Dockerfile {
  instructions: DockerInstruction[];
  lines: string[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r\n|\r|\n/);
  const instructions: DockerInstruction[] = [];
  let stage = -1;
  let stageName: string | undefined;
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i];
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const line = i;
    const start = raw.length - raw.trimStart().length;
    let body = trimmed;
    while (body.endsWith('\\') && i + 1 < lines.length) {
      body = body.slice(0, -1);
      i++;
      // comment and empty lines inside a continuation are dropped by Docker
      while (i < lines.length && (lines[i].trim().startsWith('#') || lines[i].trim() === '') && i + 1 < lines.length) i++;
      body += ' ' + lines[i].trim();
    }
    const m = /^([A-Za-z]+)\s*(.*)$/.exec(body);
    if (m) {
      const keyword = m[1].toUpperCase();
      if (keyword === 'FROM') {
        stage++;
        stageName = /\s+as\s+([\w.-]+)\s*$/i.exec(m[2])?.[1].toLowerCase();
      }
      instructions.push({ keyword, args: m[2], line, endLine: i, start, stage, stageName });
    }
    i++;
  }
  return { instructions, lines };
}

/** `KEY=value` pairs (or the legacy `KEY value`) of an ENV/ARG instruction. */
export function assignments(instr: DockerInstruction): { name: string; value?: string }[] {
  const out: { name: string; value?: string }[] = [];
  const a = instr.args.trim();
  if (!a) return out;
  if (instr.keyword === 'ENV' && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
    // legacy form: ENV NAME value with spaces
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(a);
    if (m) out.push({ name: m[1], value: unquote(m[2].trim()) });
    else out.push({ name: a });
    return out;
  }
  for (const tok of splitWords(a)) {
    const eq = tok.indexOf('=');
    if (eq < 0) out.push({ name: tok });
    else out.push({ name: tok.slice(0, eq), value: unquote(tok.slice(eq + 1)) });
  }
  return out;
}

/** Splits on blanks outside quotes. */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === q) q = undefined;
      cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      cur += c;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += c + s[++i];
    } else if (/\s/.test(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/** The ARG defaults and ENV values set before instruction `index` in its stage (and global ARGs). */
export function variablesAt(df: Dockerfile, index: number): Map<string, string> {
  const vars = new Map<string, string>();
  const stage = df.instructions[index]?.stage ?? -1;
  for (let k = 0; k < index; k++) {
    const ins = df.instructions[k];
    if ((ins.keyword !== 'ARG' && ins.keyword !== 'ENV') || (ins.stage !== stage && ins.stage !== -1)) continue;
    for (const a of assignments(ins)) if (a.value !== undefined) vars.set(a.name, expand(a.value, vars));
  }
  return vars;
}

/** `${NAME}`, `$NAME` and `${NAME:-default}` replaced where known; unknown ones are left as written. */
export function expand(s: string, vars: Map<string, string>): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a: string | undefined, def: string | undefined, b: string | undefined) => {
    const name = a ?? b ?? '';
    const v = vars.get(name);
    if (v !== undefined) return v;
    if (def !== undefined) return def;
    return all;
  });
}

/** One `.dockerignore` pattern, as Docker reads it (Go's filepath.Match plus `**`, `!` exceptions). */
interface IgnoreRule {
  negate: boolean;
  re: RegExp;
}

function patternRegExp(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        i++;
        if (p[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = p.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let cls = p.slice(i + 1, close);
        if (cls.startsWith('^')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < p.length) re += '\\' + p[++i];
    else re += c.replace(/[.+^${}()|]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The rules of a `.dockerignore` text. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const out: IgnoreRule[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    let l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    const negate = l.startsWith('!');
    if (negate) l = l.slice(1).trim();
    // Docker cleans each pattern like a path: no leading slash or ./, no trailing slash
    l = l.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '').replace(/\/\.\//g, '/');
    if (!l) continue;
    try {
      out.push({ negate, re: patternRegExp(l) });
    } catch {
      // a pattern Docker would reject: ignored here
    }
  }
  return out;
}

/** Whether `.dockerignore` rules exclude a path (relative to the build context, `/`-separated). */
export function dockerIgnored(rules: IgnoreRule[], rel: string): boolean {
  // a pattern also excludes everything below a folder it matches
  const parts = rel.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const r of rules) {
    if (candidates.some((c) => r.re.test(c))) ignored = !r.negate;
  }
  return ignored;
}
