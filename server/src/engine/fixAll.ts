/**
 * The one fix-all loop, used by the CLI (`--fix`), the language server (fix-all on save,
 * "Fix all DJRxxx problems", the checklist's "Apply fix") and the tests: apply the fixes the
 * selected applicability takes, analyse the new texts again, repeat until a pass changes nothing
 * (at most `maxPasses`), and report what was applied.
 *
 * Nothing is written here: the result holds, per file, its text before and after and the edits
 * from one to the other, composed across passes and expressed against the text before (so an
 * editor receives them 1:1, no re-diff). Writing them is the caller's job, through
 * apply.ts `writeChanges` (CLI, tests) or an LSP WorkspaceEdit (the language server).
 */
import { applyFixesOnce } from './fixer';
import { fixToApply } from './fix';
import type { Applicability, Edit, Finding, Fix } from './types';

export interface FixAllOptions {
  /** `safe`: safe fixes only (fix-all, `--fix`, on save); `unsafe`: safe and unsafe ones. Display-only fixes never. */
  applicability: Exclude<Applicability, 'display-only'>;
  /** Which findings' fixes to apply (default: all), e.g. one file or one rule code. */
  include?: (finding: Finding) => boolean;
  /**
   * Apply exactly the fixes with these ids, whatever their applicability (they were asked for
   * one by one: the checklist's "Apply fix"), pass after pass while one still changes something.
   */
  ids?: ReadonlySet<string>;
  /** Whether a fix may be applied given the texts so far (e.g. a client that cannot create files). */
  accept?: (fix: Fix, texts: ReadonlyMap<string, string>) => boolean;
  /** Default 10. */
  maxPasses?: number;
}

/** What fix-all reads and how it analyses. */
export interface FixAllHost<R = Finding[]> {
  /** A file's text before fix-all (undefined: the file does not exist). */
  read(file: string): string | undefined;
  /**
   * The findings of an analysis in which `texts` replace the files' contents (files that did not
   * exist are created). Called after every pass that changed something.
   */
  analyze(texts: ReadonlyMap<string, string>): R;
}

/** One file fix-all changes. */
export interface FileChange {
  file: string;
  /** The text before fix-all; undefined: fix-all creates the file. */
  before: string | undefined;
  after: string;
  /** Edits turning `before` (or '' for a new file) into `after`: sorted, non-overlapping. */
  edits: Edit[];
}

export interface AppliedFix {
  id: string;
  code: string;
  title: string;
  applicability: Applicability;
  /** 1-based pass that applied it. */
  pass: number;
}

export interface FixAllResult {
  changes: FileChange[];
  applied: AppliedFix[];
  /** Passes that changed something. */
  passes: number;
  /** False when the last allowed pass still changed something (fix-all did not converge). */
  stable: boolean;
}

/**
 * Composes edits: `base` (against the original text, sorted, non-overlapping) then `next`
 * (against the text after `base`, sorted, non-overlapping) as edits against the original text.
 * Edits that touch or overlap in the intermediate text are merged into one.
 */
export function composeEdits(intermediate: string, base: readonly Edit[], next: readonly Edit[]): Edit[] {
  if (next.length === 0) return [...base];
  const file = next[0].file;
  // base edits as spans of the intermediate text, with the shift before each
  interface Item {
    t0: number;
    t1: number;
    base?: Edit;
    next?: Edit;
  }
  const items: Item[] = [];
  const spans: { t1: number; delta: number }[] = [];
  let shift = 0;
  for (const b of base) {
    const t0 = b.start + shift;
    const delta = b.newText.length - (b.end - b.start);
    items.push({ t0, t1: t0 + b.newText.length, base: b });
    spans.push({ t1: t0 + b.newText.length, delta });
    shift += delta;
  }
  for (const n of next) items.push({ t0: n.start, t1: n.end, next: n });
  // base before next at one start: an insertion of `next` at a base span's start joins it
  items.sort((a, b) => a.t0 - b.t0 || (a.base ? 0 : 1) - (b.base ? 0 : 1));
  // the original offset of an intermediate offset outside every base span of its group
  const orig = (p: number): number => {
    let d = 0;
    for (let k = 0; k < spans.length && spans[k].t1 <= p; k++) d += spans[k].delta;
    return p - d;
  };
  const out: Edit[] = [];
  let k = 0;
  while (k < items.length) {
    const group: Item[] = [items[k]];
    let end = items[k].t1;
    k++;
    // touching counts: two edits at one point of the original would be ambiguous
    while (k < items.length && items[k].t0 <= end) {
      group.push(items[k]);
      end = Math.max(end, items[k].t1);
      k++;
    }
    const nexts = group.filter((i) => i.next).map((i) => i.next as Edit);
    if (nexts.length === 0) {
      for (const g of group) out.push(g.base as Edit);
      continue;
    }
    const g0 = group[0].t0;
    let text = '';
    let pos = g0;
    for (const n of nexts) {
      text += intermediate.slice(pos, n.start) + n.newText;
      pos = n.end;
    }
    text += intermediate.slice(pos, end);
    // a group starts at its first item (a base edit first at equal starts) and ends where its
    // last-ending base edit ends in the original, else at the mapped intermediate offset
    const first = group[0];
    const start = first.base ? first.base.start : orig(g0);
    const endingBases = group.filter((g) => g.base && g.t1 === end).map((g) => (g.base as Edit).end);
    const stop = endingBases.length > 0 ? Math.max(...endingBases) : orig(end);
    const edit: Edit = { file, start, end: stop, newText: text };
    if (group.some((g) => g.base?.create || g.next?.create)) edit.create = true;
    out.push(edit);
  }
  return out;
}

/** One fix-all run: its state between passes (the loop is fixAll / fixAllSync). */
class FixAllRun {
  readonly texts = new Map<string, string>();
  private readonly originals = new Map<string, string | undefined>();
  private readonly edits = new Map<string, Edit[]>();
  readonly applied: AppliedFix[] = [];
  passes = 0;
  private changedLast = false;
  private readonly max: number;

  constructor(
    private readonly host: { read(file: string): string | undefined },
    private readonly opts: FixAllOptions,
  ) {
    this.max = opts.maxPasses ?? 10;
  }

  private current(file: string): string {
    const t = this.texts.get(file);
    if (t !== undefined) return t;
    if (!this.originals.has(file)) this.originals.set(file, this.host.read(file));
    return this.originals.get(file) ?? '';
  }

  /** One pass over fresh findings; true when it changed something and another pass may follow. */
  step(findings: readonly Finding[]): boolean {
    const unsafe = this.opts.applicability === 'unsafe';
    const chosen: Fix[] = [];
    for (const f of findings) {
      if (this.opts.include && !this.opts.include(f)) continue;
      const ids = this.opts.ids;
      const fix = ids ? f.fixes.find((x) => ids.has(x.id)) : fixToApply(f, unsafe);
      if (!fix || chosen.includes(fix)) continue;
      if (this.opts.accept && !this.opts.accept(fix, this.texts)) continue;
      chosen.push(fix);
    }
    const pass = applyFixesOnce({ readFile: (p: string) => this.current(p) }, chosen);
    this.changedLast = pass.changed.size > 0;
    if (!this.changedLast) return false;
    this.passes++;
    for (const [file, text] of pass.changed) {
      const before = this.current(file);
      const edits = pass.edits.get(file) ?? [];
      this.edits.set(file, composeEdits(before, this.edits.get(file) ?? [], edits));
      this.texts.set(file, text);
    }
    const codeOf = new Map(findings.flatMap((f) => f.fixes.map((x) => [x, f.code] as const)));
    for (const fix of pass.fixes) this.applied.push({ id: fix.id, code: codeOf.get(fix) ?? '', title: fix.title, applicability: fix.applicability, pass: this.passes });
    return this.passes < this.max;
  }

  result(): FixAllResult {
    const changes: FileChange[] = [];
    for (const [file, after] of this.texts) {
      const before = this.originals.get(file);
      if (before === after) continue;
      changes.push({ file, before, after, edits: this.edits.get(file) ?? [] });
    }
    changes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return { changes, applied: this.applied, passes: this.passes, stable: !this.changedLast || this.passes < this.max };
  }
}

/**
 * Fix-all with a synchronous analysis (the language server, the tests). `findings`: the current
 * analysis, when the caller has it (else the host analyses the unchanged texts first).
 */
export function fixAllSync(host: FixAllHost, opts: FixAllOptions, findings?: readonly Finding[]): FixAllResult {
  const run = new FixAllRun(host, opts);
  let current = findings ?? host.analyze(run.texts);
  while (run.step(current)) current = host.analyze(run.texts);
  return run.result();
}

/** Fix-all with an asynchronous analysis (the CLI: code rules in worker threads). */
export async function fixAll(host: FixAllHost<Finding[] | Promise<Finding[]>>, opts: FixAllOptions, findings?: readonly Finding[]): Promise<FixAllResult> {
  const run = new FixAllRun(host, opts);
  let current = findings ?? (await host.analyze(run.texts));
  while (run.step(current)) current = await host.analyze(run.texts);
  return run.result();
}
