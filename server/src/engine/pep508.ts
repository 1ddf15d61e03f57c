/**
 * Dependency specifiers (PEP 508) and versions (PEP 440). Versions, specifiers and their
 * comparison come from @renovatebot/pep440 (Renovate's PEP 440 implementation). The PEP 508
 * requirement grammar (name, extras, version clauses, URL, environment marker) is parsed here by
 * a small recursive-descent parser that follows the PEP's grammar rule by rule: the one npm
 * implementation (pip-requirements-js, an ohm-js grammar) costs about 1 ms per line, 0.75 s for
 * a 600-line pip-compile file, and is kept as the reference the tests compare this parser with.
 * Poetry's `^` / `~` constraints are translated to PEP 440 here, following Poetry's documentation.
 */
import * as pep440 from '@renovatebot/pep440';

export interface VersionClause {
  op: string;
  version: string;
  /** Offsets in the parsed text (operator to end of version). */
  start: number;
  end: number;
}

/** A parsed PEP 508 requirement (`name[extras] specifiers ; marker` or `name @ url ; marker`). */
export interface Pep508 {
  /** As written. */
  name: string;
  nameStart: number;
  nameEnd: number;
  extras: string[];
  specs: VersionClause[];
  url?: string;
  /** The marker text after `;`, if any. */
  marker?: string;
  /** End offset of the requirement (trailing blanks excluded). */
  end: number;
}

const cache = new Map<string, Pep508 | null>();
const CACHE_MAX = 20_000;

/**
 * Parses one PEP 508 requirement (no pip options, no comment). Undefined when it is not valid
 * PEP 508, or a version in it is not valid PEP 440 (pip refuses both). Memoized by text.
 */
export function parsePep508(text: string): Pep508 | undefined {
  const hit = cache.get(text);
  if (hit !== undefined) return hit ?? undefined;
  let out: Pep508 | null;
  try {
    out = new Pep508Parser(text).requirement();
  } catch {
    out = null;
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, out);
  return out ?? undefined;
}

class Pep508Error extends Error {}

const VERSION_OPS = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'];
const MARKER_VARS = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system', 'platform_version',
  'platform_machine', 'platform_python_implementation', 'implementation_name', 'implementation_version', 'extra',
  // legacy names packaging still accepts
  'os.name', 'sys.platform', 'platform.version', 'platform.machine', 'platform.python_implementation', 'python_implementation',
  'dependency_groups',
]);

const isAlnum = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9]$/.test(c);
const isWsp = (c: string | undefined) => c === ' ' || c === '\t';

/** PEP 508's grammar, one method per rule. */
class Pep508Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(): never {
    throw new Pep508Error(`not PEP 508 at ${this.i}`);
  }
  private wsp(): void {
    while (isWsp(this.s[this.i])) this.i++;
  }
  private eat(t: string): boolean {
    if (this.s.startsWith(t, this.i)) {
      this.i += t.length;
      return true;
    }
    return false;
  }

  /** identifier = letterOrDigit (letterOrDigit | '-' | '_' | '.')* letterOrDigit, or a single letterOrDigit. */
  private identifier(): string {
    const start = this.i;
    if (!isAlnum(this.s[this.i])) this.fail();
    while (isAlnum(this.s[this.i]) || this.s[this.i] === '-' || this.s[this.i] === '_' || this.s[this.i] === '.') this.i++;
    while (this.i > start + 1 && !isAlnum(this.s[this.i - 1])) this.i--;
    return this.s.slice(start, this.i);
  }

  requirement(): Pep508 {
    this.wsp();
    const nameStart = this.i;
    const name = this.identifier();
    const nameEnd = this.i;
    this.wsp();
    const extras: string[] = [];
    if (this.eat('[')) {
      this.wsp();
      if (!this.eat(']')) {
        for (;;) {
          extras.push(this.identifier());
          this.wsp();
          if (this.eat(']')) break;
          if (!this.eat(',')) this.fail();
          this.wsp();
        }
      }
      this.wsp();
    }
    let url: string | undefined;
    let specs: VersionClause[] = [];
    if (this.eat('@')) {
      this.wsp();
      const start = this.i;
      while (this.i < this.s.length && !isWsp(this.s[this.i])) this.i++;
      url = this.s.slice(start, this.i);
      if (!url || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) this.fail();
      const before = this.i;
      this.wsp();
      // after a URL, the marker's `;` must be preceded by whitespace
      if (this.s[this.i] === ';' && before === this.i) this.fail();
    } else {
      specs = this.versionSpec();
    }
    let end = this.i;
    while (end > nameEnd && isWsp(this.s[end - 1])) end--;
    this.wsp();
    let marker: string | undefined;
    if (this.eat(';')) {
      this.wsp();
      const mStart = this.i;
      this.markerOr();
      marker = this.s.slice(mStart, this.i).trim();
      end = this.i;
      while (end > mStart && isWsp(this.s[end - 1])) end--;
      this.wsp();
    }
    if (this.i !== this.s.length) this.fail();
    return { name, nameStart, nameEnd, extras, specs, url, marker, end };
  }

  /** versionspec = '(' version_many ')' | version_many (possibly empty). */
  private versionSpec(): VersionClause[] {
    const paren = this.eat('(');
    const out: VersionClause[] = [];
    this.wsp();
    if (VERSION_OPS.some((op) => this.s.startsWith(op, this.i))) {
      for (;;) {
        out.push(this.versionOne());
        this.wsp();
        if (!this.eat(',')) break;
        this.wsp();
      }
    }
    if (paren) {
      this.wsp();
      if (!this.eat(')')) this.fail();
    }
    return out;
  }

  /** version_one = version_cmp version; the version must be valid PEP 440 for its operator. */
  private versionOne(): VersionClause {
    const start = this.i;
    const op = VERSION_OPS.find((o) => this.s.startsWith(o, this.i));
    if (!op) this.fail();
    this.i += op.length;
    this.wsp();
    const vStart = this.i;
    while (this.i < this.s.length && /^[A-Za-z0-9\-_.*+!]$/.test(this.s[this.i])) this.i++;
    const version = this.s.slice(vStart, this.i);
    if (!version || !validClause(op, version)) this.fail();
    return { op, version, start, end: this.i };
  }

  private markerOr(): void {
    this.markerAnd();
    for (;;) {
      const save = this.i;
      this.wsp();
      if (this.eat('or') && (isWsp(this.s[this.i]) || this.s[this.i] === '(' || this.s[this.i] === '"' || this.s[this.i] === "'")) this.markerAnd();
      else {
        this.i = save;
        return;
      }
    }
  }

  private markerAnd(): void {
    this.markerExpr();
    for (;;) {
      const save = this.i;
      this.wsp();
      if (this.eat('and') && (isWsp(this.s[this.i]) || this.s[this.i] === '(' || this.s[this.i] === '"' || this.s[this.i] === "'")) this.markerExpr();
      else {
        this.i = save;
        return;
      }
    }
  }

  /** marker_expr = marker_var marker_op marker_var | '(' marker ')'. */
  private markerExpr(): void {
    this.wsp();
    if (this.eat('(')) {
      this.markerOr();
      this.wsp();
      if (!this.eat(')')) this.fail();
      return;
    }
    this.markerVar();
    this.wsp();
    const op = ['===', '~=', '==', '!=', '<=', '>=', '<', '>', 'in'].find((o) => this.s.startsWith(o, this.i));
    if (op) this.i += op.length;
    else if (this.eat('not')) {
      this.wsp();
      if (!this.eat('in')) this.fail();
    } else this.fail();
    this.wsp();
    this.markerVar();
  }

  private markerVar(): void {
    const q = this.s[this.i];
    if (q === '"' || q === "'") {
      const close = this.s.indexOf(q, this.i + 1);
      if (close < 0) this.fail();
      this.i = close + 1;
      return;
    }
    const start = this.i;
    while (/^[A-Za-z0-9_.]$/.test(this.s[this.i] ?? '')) this.i++;
    if (!MARKER_VARS.has(this.s.slice(start, this.i))) this.fail();
  }
}

/** Whether `version` is valid after `op` (PEP 440: `.*` only after `==`/`!=`, `===` takes anything). */
function validClause(op: string, version: string): boolean {
  if (op === '===') return version.length > 0;
  if (version.endsWith('.*')) return (op === '==' || op === '!=') && pep440.valid(version.slice(0, -2)) !== null;
  if (pep440.valid(version) === null) return false;
  if (op === '~=') return (pep440.explain(version)?.release.length ?? 0) >= 2;
  return true;
}

/** PEP 503 normalised name: lower case, runs of `-`, `_`, `.` as one `-`. */
export function normaliseName(n: string): string {
  return n.toLowerCase().replace(/[-_.]+/g, '-');
}

/** `>=4.2,<5` from clauses. */
export function specText(specs: readonly Pick<VersionClause, 'op' | 'version'>[]): string {
  return specs.map((s) => `${s.op}${s.version}`).join(',');
}

/** The exact version a specifier pins (`==5.2.8`, `===5.2.8`), if it pins one (no wildcard). */
export function exactPin(specs: readonly Pick<VersionClause, 'op' | 'version'>[]): string | undefined {
  const eq = specs.find((s) => (s.op === '==' || s.op === '===') && !s.version.includes('*'));
  return eq?.version;
}

/** Whether `version` satisfies the PEP 440 specifier (`''` admits everything). */
export function satisfies(version: string, spec: string): boolean {
  if (!spec) return pep440.valid(version) !== null;
  try {
    return pep440.satisfies(version, spec);
  } catch {
    return false;
  }
}

/** The highest of `versions` that the specifier admits (pre-releases excluded, as pip does). */
export function newestSatisfying(versions: readonly string[], spec: string): string | undefined {
  let best: string | undefined;
  for (const v of versions) {
    if (!satisfies(v, spec)) continue;
    if (best === undefined || pep440.gt(v, best)) best = v;
  }
  return best;
}

/** [major, minor] of a PEP 440 version (`5.2.8` -> [5, 2], `4` -> [4, 0]). */
export function releaseMajorMinor(version: string | undefined): [number, number] | undefined {
  if (!version) return undefined;
  const v = pep440.explain(version);
  if (!v || v.release.length === 0) return undefined;
  return [v.release[0], v.release[1] ?? 0];
}

/** Whether a string is a valid PEP 440 version. */
export function isVersion(v: string): boolean {
  return pep440.valid(v) !== null;
}

/**
 * A Poetry version constraint as a PEP 440 specifier, per Poetry's documentation:
 * `^1.2.3` is `>=1.2.3,<2.0.0` (the first non-zero component may not change), `~1.2.3` is
 * `>=1.2.3,<1.3.0`, `~1` is `>=1,<2`, `1.2.*` and `*` are wildcards, a bare `1.2.3` is `==1.2.3`,
 * and comparison operators are kept. `undefined` for what has no single PEP 440 equivalent
 * (`||` alternatives) or does not parse.
 */
export function poetryToPep440(constraint: string): string | undefined {
  const c = constraint.trim();
  if (c === '' || c === '*') return '';
  if (c.includes('||') || c.includes('|')) return undefined;
  const parts = c.split(/\s*,\s*|\s+(?=[<>=!~^])/).filter(Boolean);
  const out: string[] = [];
  for (const raw of parts) {
    const p = raw.replace(/\s+/g, '');
    let clause: string[] | undefined;
    if (p.startsWith('^')) clause = caret(p.slice(1));
    else if (p.startsWith('~') && !p.startsWith('~=')) clause = tilde(p.slice(1));
    else if (/^(===|==|!=|<=|>=|~=|<|>)/.test(p)) {
      const op = /^(===|==|!=|<=|>=|~=|<|>)/.exec(p)![1];
      const v = p.slice(op.length);
      clause = isVersion(v.replace(/\.\*$/, '')) ? [`${op}${v}`] : undefined;
    } else if (p.endsWith('.*')) clause = isVersion(p.slice(0, -2)) ? [`==${p}`] : undefined;
    else if (p === '*') clause = [];
    else clause = isVersion(p) ? [`==${p}`] : undefined;
    if (!clause) return undefined;
    out.push(...clause);
  }
  return out.join(',');
}

function releaseOf(v: string): number[] | undefined {
  const e = pep440.explain(v);
  return e ? [...e.release] : undefined;
}

function caret(v: string): string[] | undefined {
  const rel = releaseOf(v);
  if (!rel) return undefined;
  // the first non-zero component (or the last one given) is the one that may not change
  let i = rel.findIndex((n) => n !== 0);
  if (i < 0) i = rel.length - 1;
  const upper = rel.slice(0, i + 1);
  upper[i] += 1;
  return [`>=${v}`, `<${upper.join('.')}`];
}

function tilde(v: string): string[] | undefined {
  const rel = releaseOf(v);
  if (!rel) return undefined;
  const upper = rel.length === 1 ? [rel[0] + 1] : [rel[0], rel[1] + 1];
  return [`>=${v}`, `<${upper.join('.')}`];
}

/** Clauses of a PEP 440 specifier string (`>=4.2, <5` -> two clauses), for specifiers we built. */
export function clausesOf(spec: string): { op: string; version: string }[] {
  const out: { op: string; version: string }[] = [];
  for (const part of spec.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const op = /^(===|==|!=|<=|>=|~=|<|>)/.exec(p)?.[1];
    if (!op) continue;
    out.push({ op, version: p.slice(op.length).trim() });
  }
  return out;
}
