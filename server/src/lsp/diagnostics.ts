/** Engine findings and notes -> LSP diagnostics. */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { ruleDocUrl } from '../engine/rule';
import type { Finding, Note, Range, Severity } from '../engine/types';
import { DIAGNOSTIC_SOURCE, type FindingDiagnosticData } from '../protocol/messages';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The diagnostic message: the finding's (already masked) message and the Django check id. */
export function diagnosticMessage(f: Pick<Finding, 'message' | 'django'>): string {
  return f.django ? `${f.message} (Django: ${f.django})` : f.message;
}

interface Cached {
  diagnostic: Diagnostic;
  /** A string that changes when the diagnostic does (to skip re-publishing unchanged files). */
  signature: string;
}

/**
 * Diagnostics are cached per Finding object: the engine hands back the same objects for files
 * whose text did not change, so re-publishing a large workspace after a keystroke is cheap.
 */
const cache = new WeakMap<Finding, Cached>();

export function findingDiagnostic(f: Finding): Cached {
  let c = cache.get(f);
  if (!c) {
    const tags: DiagnosticTag[] = [];
    if (f.tags?.includes('deprecated')) tags.push(DiagnosticTag.Deprecated);
    if (f.tags?.includes('unnecessary')) tags.push(DiagnosticTag.Unnecessary);
    // never f.fixes here: a deferred fix (rule.ts DeferredFix) is checked when a code action asks
    const data: FindingDiagnosticData = { kind: 'finding', code: f.code };
    const diagnostic: Diagnostic = {
      range: f.range,
      severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
      code: f.code,
      codeDescription: { href: ruleDocUrl(f) },
      source: DIAGNOSTIC_SOURCE,
      message: diagnosticMessage(f),
      data,
    };
    if (tags.length > 0) diagnostic.tags = tags;
    const r = f.range;
    c = { diagnostic, signature: `${f.code}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${f.severity}|${diagnostic.message}` };
    cache.set(f, c);
  }
  return c;
}

const LINE0: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * A note worth showing in the editor: a rule that failed (one per rule), a skipped file (huge or
 * binary), a configuration problem. Syntax errors are left to the Python language server.
 */
export function noteDiagnostic(n: Note): Diagnostic | undefined {
  if (n.kind === 'syntax-error') return undefined;
  const d: Diagnostic = {
    range: n.range ?? LINE0,
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: n.message,
  };
  if (n.code) d.code = n.code;
  return d;
}

export function noteSignature(d: Diagnostic): string {
  return `note|${d.code ?? ''}|${d.range.start.line}:${d.range.start.character}|${d.message}`;
}
