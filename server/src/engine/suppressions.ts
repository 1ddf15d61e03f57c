/**
 * Suppression comments, each optionally followed by a reason (the reason is shown wherever the
 * finding appears as "accepted": the checklist, the report, JSON and SARIF):
 *
 *  - `# django-readiness: ignore[DJR101, DJR102] reason` on the line, or alone on the line above;
 *  - `# noqa: DJR101 reason` on the line (a bare `# noqa` does not silence these rules);
 *  - `# django-readiness: ignore-file[DJR101] reason` on a line of its own, anywhere in the file:
 *    the whole file (project-level findings placed on the file included); in a Django template,
 *    `{# django-readiness: ignore-file[DJR609] reason #}`.
 *
 * A suppressed finding is not dropped: it is kept with a `suppressed` record (types.ts) so the
 * checklist can show its item as accepted rather than passed.
 */
const IGNORE = /#\s*django-readiness:\s*ignore\[([^\]]*)\](.*)$/i;
const IGNORE_FILE = /^\s*(?:#|\{#)\s*django-readiness:\s*ignore-file\[([^\]]*)\](.*)$/i;
const NOQA = /#\s*noqa:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)(.*)$/i;

/** Where a suppression comment is and what it says. */
export interface SuppressionComment {
  /** 'line': ignore[...] or noqa on (or above) the line; 'file': ignore-file[...]. */
  kind: 'line' | 'file';
  /** 0-based line of the comment. */
  line: number;
  /** The reason written after the codes ('' when none). */
  reason: string;
}

/** The text written after the codes, without separators: `  -- internal tool` -> `internal tool`. */
export function suppressionReason(rest: string): string {
  return rest
    .trim()
    .replace(/\s*(?:#\}|-->)\s*$/, '') // the end of a template comment
    .replace(/^(?:[-—–:;,.#]+\s*)+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

export class Suppressions {
  /** line -> code -> the comment suppressing it on that line */
  private readonly byLine = new Map<number, Map<string, SuppressionComment>>();
  private readonly fileWide = new Map<string, SuppressionComment>();

  constructor(text: string) {
    if (text.indexOf('#') < 0) return;
    const lines = text.split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l.indexOf('#') < 0) continue;
      const f = IGNORE_FILE.exec(l);
      if (f) {
        const c: SuppressionComment = { kind: 'file', line: i, reason: suppressionReason(f[2]) };
        for (const code of splitCodes(f[1])) if (!this.fileWide.has(code)) this.fileWide.set(code, c);
        continue;
      }
      const m = IGNORE.exec(l);
      if (m) {
        const codes = splitCodes(m[1]);
        const c: SuppressionComment = { kind: 'line', line: i, reason: suppressionReason(m[2]) };
        this.add(i, codes, c);
        this.add(i + 1, codes, c);
      }
      const n = NOQA.exec(l);
      if (n) this.add(i, splitCodes(n[1]), { kind: 'line', line: i, reason: suppressionReason(n[2]) });
    }
  }

  private add(line: number, codes: string[], c: SuppressionComment): void {
    let s = this.byLine.get(line);
    if (!s) this.byLine.set(line, (s = new Map()));
    for (const code of codes) if (!s.has(code)) s.set(code, c);
  }

  /** The comment that suppresses `code` at `line` (a line comment first, else a file-wide one). */
  find(code: string, line: number): SuppressionComment | undefined {
    return this.byLine.get(line)?.get(code) ?? this.fileWide.get(code);
  }

  isSuppressed(code: string, line: number): boolean {
    return this.find(code, line) !== undefined;
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
