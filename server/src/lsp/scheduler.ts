/**
 * Scheduling: a change marks its folder dirty; after a short debounce (at most `maxWaitMs` after
 * the first change of a burst) the folder is analysed, incrementally, and published. Large
 * folders run their code rules in worker threads in the background (a scan), open documents
 * inline. Requests that need current results force the pending analysis (ensureFresh).
 */
import { PARALLEL_MIN_FILES, type AnalysisResult, type PendingCode } from '../engine/analyzer';
import { isCodeRuleFile } from '../engine/codecheck';
import { CodePool, defaultPoolSize } from '../engine/pool';
import { listFiles } from '../engine/project';
import type { Rule } from '../engine/rule';
import type { Config, Finding } from '../engine/types';
import type { AnalysisTiming } from '../protocol/messages';
import type { ServerContext } from './context';
import type { Folder, FolderInfo, Folders } from './folders';
import { IdleCompactor } from './memory';
import type { Publisher } from './publisher';

export type ChangeCause = 'type' | 'save' | 'open' | 'fs' | 'config';

export interface SchedulerOptions {
  /** Delay between the last keystroke and the analysis (ms). Default 75. */
  debounceMs?: number;
  /** Longest a burst of keystrokes postpones the analysis (ms). Default 400. */
  maxWaitMs?: number;
  /** Worker threads for the code rules of large folders (default: one per core but one; 0: none). */
  workers?: number;
  /** Folders with fewer files for the code rules are analysed in-process. */
  parallelMinFiles?: number;
  /** The registry the worker threads load (the worker bundle's own copy of every rule). */
  registry: readonly Rule[];
}

export class Scheduler {
  debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly parallelMinFiles: number;
  /** The Python parser is loaded (no analysis before). */
  parserReady = false;
  private seq = 0;
  private pool: CodePool | undefined;
  private readonly listeners: ((folder: FolderInfo, result: AnalysisResult) => void)[] = [];
  /** Called after each publication of a folder's diagnostics (the start-up log listens). */
  onPublished: ((folder: Folder, result: AnalysisResult, files: number, analysisMs: number) => void) | undefined;
  readonly timings: AnalysisTiming[] = [];
  /** Gives the heap's empty pages back once the server is idle (see memory.ts). */
  readonly compactor: IdleCompactor;

  constructor(
    private readonly ctx: ServerContext,
    private readonly folders: Folders,
    private readonly publisher: Publisher,
    private readonly opts: SchedulerOptions,
  ) {
    this.debounceMs = opts.debounceMs ?? 75;
    this.maxWaitMs = opts.maxWaitMs ?? 400;
    this.parallelMinFiles = opts.parallelMinFiles ?? PARALLEL_MIN_FILES;
    this.compactor = new IdleCompactor(() => this.folders.all().some((f) => !!f.scan || !!f.timer));
  }

  /** Called after every complete analysis of a folder (the checklist listens here). */
  onDidAnalyze(listener: (folder: FolderInfo, result: AnalysisResult) => void): { dispose(): void } {
    this.listeners.push(listener);
    return { dispose: () => void this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1) };
  }

  touch(f: Folder, cause: ChangeCause): void {
    if (this.ctx.disposed) return;
    f.generation++;
    // Files changed on disk or a new configuration: a running background scan stops sending
    // work, the next analysis starts a new one with what is left (results already computed stay
    // cached). Typing in an open document does not stop it: open documents are checked inline.
    if (f.scan && (cause === 'fs' || cause === 'config')) {
      f.scan.signal.aborted = true;
      f.scan = undefined;
    }
    const now = performance.now();
    f.pendingSince ??= now;
    if (cause === 'type' && f.settings.run === 'onSave') return;
    f.timer?.();
    const overdue = now - f.pendingSince >= this.maxWaitMs;
    const delay = overdue ? 0 : this.debounceMs;
    const run = () => {
      f.timer = undefined;
      this.ctx.guard('analysis', () => this.analyzeFolder(f));
    };
    // no delay: right after the pending messages (setTimeout(0) would wait a timer tick, ~1 ms)
    if (delay === 0) {
      const h = setImmediate(run);
      f.timer = () => clearImmediate(h);
    } else {
      const h = setTimeout(run, delay);
      f.timer = () => clearTimeout(h);
    }
  }

  /**
   * Whether the folder's result matches the current texts; with `force`, runs the pending
   * analysis now to make it so. Without it a stale folder answers false: the caller offers
   * nothing rather than ranges and fixes computed for older texts.
   */
  ensureFresh(f: Folder, force: boolean): boolean {
    if (f.generation === f.analyzedGeneration && f.result) return true;
    if (!force) return false;
    this.analyzeFolder(f);
    return f.generation === f.analyzedGeneration && !!f.result;
  }

  /** The worker pool, when this folder's code rules are many enough to pay for it. */
  private poolFor(f: Folder, config: Config): CodePool | undefined {
    if (this.opts.workers === 0 || !f.inventory) return undefined;
    let n = 0;
    for (const x of f.inventory.files) if (isCodeRuleFile(x, config)) n++;
    if (n < this.parallelMinFiles) return undefined;
    // idle workers stop after 10 s: no threads (or their memory) are kept between scans
    // one core stays free for this thread (typing is answered while the workers scan)
    this.pool ??= new CodePool({ registry: this.opts.registry, size: this.opts.workers ?? Math.max(1, defaultPoolSize() - 1), idleMs: 10_000 });
    return this.pool.available && this.pool.accepts(this.ctx.rules.filter((r) => r.checkFile)) ? this.pool : undefined;
  }

  /**
   * Runs the code rules of the files a large folder's analysis left pending in worker threads
   * (the event loop stays free: typing is answered meanwhile), then analyses the folder again
   * from the cached results and publishes the complete diagnostics.
   */
  private startScan(f: Folder, pool: CodePool, pending: PendingCode[]): void {
    // the scan running already covers these files for the same configuration: let it finish
    const key = pending.map((p) => p.configKey).join('\u0000');
    if (f.scan && f.scan.key === key && !f.scan.signal.aborted) return;
    if (f.scan) f.scan.signal.aborted = true;
    const signal = { aborted: false };
    f.scan = { signal, key };
    const files = pending.reduce((n, p) => n + p.files.length, 0);
    const t0 = performance.now();
    f.analyzer.checkPending(pending, pool, signal).then(
      (checked) => {
        if (signal.aborted || this.ctx.disposed || f.scan?.signal !== signal) return;
        f.scan = undefined;
        if (this.folderGone(f, 'while it was being scanned')) return;
        this.ctx.host.log('info', `Scanned ${checked} of ${files} files of ${f.root} in worker threads in ${Math.round(performance.now() - t0)} ms.`);
        this.ctx.guard('analysis', () => this.analyzeFolder(f, true));
      },
      (e: unknown) => {
        if (f.scan?.signal === signal) f.scan = undefined;
        this.ctx.host.log('warn', `Worker threads failed (${(e as Error)?.message ?? String(e)}): analysing ${f.root} in-process.`);
        if (!signal.aborted && !this.ctx.disposed) this.ctx.guard('analysis', () => this.analyzeFolder(f, true));
      },
    );
  }

  /** `complete`: run every code rule now (no background scan), e.g. once the scan is done. */
  analyzeFolder(f: Folder, complete = false): void {
    if (this.ctx.disposed || !this.folders.has(f)) return;
    f.timer?.();
    f.timer = undefined;
    if (!this.parserReady || !f.settingsLoaded) return; // re-triggered when they are
    const t0 = performance.now();
    const gen = f.generation;
    const seq = ++this.seq;
    const config = this.folders.configOf(f);
    if (this.folderGone(f, f.scan ? 'while it was being scanned' : 'since it was opened')) return;
    if (!f.inventory) f.inventory = listFiles(f.root, this.ctx.fs, config);
    // a large folder: files without cached code-rule results (all of them at first) go to the
    // worker threads in the background; open documents are checked now
    const pool = complete ? undefined : this.poolFor(f, config);
    let result: AnalysisResult;
    try {
      result = f.analyzer.analyze(f.root, config, f.inventory, pool ? { defer: { inline: (p) => this.ctx.docs.has(p) } } : {});
    } catch (e) {
      f.analyzedGeneration = gen;
      this.ctx.host.log('error', `Analysis of ${f.root} failed: ${(e as Error).stack ?? (e as Error).message}`);
      return;
    }
    const t1 = performance.now();
    // The analysis is synchronous today, so nothing can change while it runs; if it ever moves
    // to a worker, a result computed for an older generation must not replace a newer one.
    if (gen !== f.generation || gen < f.analyzedGeneration || seq < f.seq) return;
    f.seq = seq;
    f.result = result;
    f.analyzedGeneration = gen;
    const byFile = new Map<string, Finding[]>();
    for (const finding of result.findings) {
      if (this.folders.ownerOf(finding.file) !== f) continue;
      let l = byFile.get(finding.file);
      if (!l) byFile.set(finding.file, (l = []));
      l.push(finding);
    }
    // files still being scanned keep what was published for them
    for (const p of result.pending ?? []) {
      const codes = new Set(p.rules.map((r) => r.meta.code));
      for (const x of p.files) {
        const kept = (f.byFile.get(x.path) ?? []).filter((o) => codes.has(o.code));
        if (kept.length > 0) byFile.set(x.path, [...(byFile.get(x.path) ?? []), ...kept]);
      }
    }
    f.byFile = byFile;
    const published = this.publisher.publishFolder(f);
    this.publisher.sendStatus(f);
    if (this.onPublished) this.ctx.guard('start-up log', () => this.onPublished?.(f, result, published, t1 - t0));
    const t2 = performance.now();
    const waited = f.pendingSince !== undefined ? t0 - f.pendingSince : 0;
    this.timings.push({ folder: f.uri, waitedMs: waited, analysisMs: t1 - t0, publishMs: t2 - t1, totalMs: waited + (t2 - t0), changeMs: f.changeMs, published });
    if (this.timings.length > 500) this.timings.splice(0, this.timings.length - 500);
    f.pendingSince = undefined;
    f.changeMs = 0;
    this.compactor.poke();
    if (result.pending && pool) {
      // the checklist waits for the complete result
      this.startScan(f, pool, result.pending);
      return;
    }
    for (const l of this.listeners) this.ctx.guard('onDidAnalyze listener', () => l(f, result));
  }

  /**
   * A workspace folder deleted from disk (while it was scanned, or later): logged once, its scan
   * stopped and its diagnostics withdrawn, instead of analysing an empty folder in silence.
   */
  private folderGone(f: Folder, when: string): boolean {
    if (this.ctx.nodeFs.exists(f.root)) {
      f.gone = false;
      return false;
    }
    if (!f.gone) {
      f.gone = true;
      this.ctx.host.log('warn', `The workspace folder ${f.root} was deleted ${when}: its analysis stopped and its diagnostics are withdrawn.`);
      if (f.scan) f.scan.signal.aborted = true;
      f.scan = undefined;
      f.byFile = new Map();
      if (f.result) f.result = { ...f.result, findings: [], notes: [], pending: undefined };
      this.ctx.guard('publish', () => this.publisher.publishFolder(f));
    }
    return true;
  }

  dispose(): void {
    this.compactor.dispose();
    void this.pool?.close();
  }
}

