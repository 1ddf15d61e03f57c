/**
 * Suppression comments: `# django-readiness: ignore[DJR101, DJR102] reason` on the line or the
 * line above, and `# noqa: DJR101` on the line. A bare `# noqa` does not silence these rules.
 */
const IGNORE = /#\s*django-readiness:\s*ignore\[([^\]]*)\]/i;
const NOQA = /#\s*noqa:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)/i;

export class Suppressions {
  /** line -> codes suppressed on that line */
  private readonly byLine = new Map<number, Set<string>>();

  constructor(text: string) {
    if (text.indexOf('#') < 0) return;
    const lines = text.split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l.indexOf('#') < 0) continue;
      const m = IGNORE.exec(l);
      if (m) {
        const codes = splitCodes(m[1]);
        this.add(i, codes);
        this.add(i + 1, codes);
      }
      const n = NOQA.exec(l);
      if (n) this.add(i, splitCodes(n[1]));
    }
  }

  private add(line: number, codes: string[]): void {
    let s = this.byLine.get(line);
    if (!s) this.byLine.set(line, (s = new Set()));
    for (const c of codes) s.add(c);
  }

  isSuppressed(code: string, line: number): boolean {
    return this.byLine.get(line)?.has(code) ?? false;
  }
}

function splitCodes(s: string): string[] {
  return s
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c.length > 0);
}

/**
 * The Django check ids a rule maps to, e.g. "W009/W025" -> security.W009, security.W025 and
 * "W010-W012" -> W010, W011, W012.
 */
export function djangoCheckIds(spec: string | undefined): string[] {
  if (!spec) return [];
  const out: string[] = [];
  for (const part of spec.split('/')) {
    const p = part.trim();
    const range = /^([A-Z])(\d+)-[A-Z]?(\d+)$/.exec(p);
    if (range) {
      for (let n = Number(range[2]); n <= Number(range[3]); n++) out.push(`security.${range[1]}${String(n).padStart(3, '0')}`);
    } else if (/^[A-Z]\d+$/.test(p)) out.push(`security.${p}`);
  }
  return out;
}
