/**
 * A pool of worker threads for the code rules (worker.ts, bundled to dist/worker.js): each worker
 * has its own parser and loads the rules from the bundled registry; the main thread sends batches
 * of files (paths, or texts it already holds) with the plain per-project data (CodeRunData) and
 * gets plain findings back, batch by batch, as they are done.
 *
 * Workers start on the first run and stop after `idleMs` without work (the language server keeps
 * no idle threads, the CLI closes the pool). The pool is capped by os.availableParallelism().
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CodeFileResult, CodeRunData } from './codecheck';
import type { ProjectFile } from './project';
import type { Rule } from './rule';
import type { Note } from './types';

/** A file's results from a worker: a large or binary file gets a note and nothing else. */
export interface WorkerFileResult extends CodeFileResult {
  skipped?: Note;
}

export interface WorkerTask {
  file: ProjectFile;
  /** The text to check (the main thread's view: open documents); absent: the worker reads the file. */
  text?: string;
  /** The rules whose prefilter matched `text` (codes; the main thread ran the prefilters): absent: the worker runs them. */
  rules?: string[];
}

export interface CheckRequest {
  type: 'check';
  id: number;
  data: CodeRunData;
  rules: string[];
  tasks: WorkerTask[];
}

export type WorkerReply = { type: 'result'; id: number; results: WorkerFileResult[] } | { type: 'error'; id: number; message: string };

export interface PoolRunOptions {
  /** Checked before each batch is sent: once aborted, no new batch goes out and run() resolves. */
  signal?: { readonly aborted: boolean };
  /**
   * The text to send for a file, read when its batch is sent (undefined: the worker reads it
   * from disk; null: leave the file out, its result stays undefined).
   */
  text?: (f: ProjectFile) => string | null | undefined;
  /** Each file's result as its batch comes back, with the text that was sent (if any). */
  onResult?: (index: number, result: WorkerFileResult, text: string | undefined) => void;
}

export interface PoolOptions {
  /** The rules the workers load (their own copy of the bundled registry): only these can run there. */
  registry: readonly Rule[];
  /** Number of workers (default: os.availableParallelism(), at most 8). */
  size?: number;
  /** The worker script (default: worker.js beside this bundle, or worker/main.ts through tsx in development). */
  script?: string;
  /** Stop idle workers after this long (ms); 0: keep them until close(). Default 0. */
  idleMs?: number;
}

interface Slot {
  worker: Worker;
  busy: number;
  idleTimer?: NodeJS.Timeout;
}

interface Pending {
  resolve: (r: WorkerFileResult[]) => void;
  reject: (e: Error) => void;
  slot: Slot;
}

/**
 * A worker keeps one file's tree at a time: a small young generation keeps its memory (RSS) low
 * at little cost in time (measured with bench/repo.ts). DJR_WORKER_YOUNG_MB overrides it (benchmarks).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: Number(process.env.DJR_WORKER_YOUNG_MB) || 8 };

export function defaultPoolSize(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, n));
}

/** The worker script next to the running bundle (dist/worker.js), or the TypeScript entry point (server/src/worker/main.ts). */
export function findWorkerScript(): string | undefined {
  for (const p of [path.join(__dirname, 'worker.js'), path.join(__dirname, '..', 'worker', 'main.ts')]) {
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export class CodePool {
  readonly size: number;
  private readonly script: string | undefined;
  private readonly registry: Map<string, Rule>;
  private readonly idleMs: number;
  private slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Set when a worker could not start or died: the pool is not used again. */
  broken: Error | undefined;

  constructor(opts: PoolOptions) {
    this.size = Math.max(1, opts.size ?? defaultPoolSize());
    this.script = opts.script ?? findWorkerScript();
    this.registry = new Map(opts.registry.map((r) => [r.meta.code, r]));
    this.idleMs = opts.idleMs ?? 0;
  }

  /** Whether runs can go to workers: a worker script exists and nothing went wrong so far. */
  get available(): boolean {
    return !!this.script && !this.closed && !this.broken;
  }

  /** Whether every rule is the registry's own (a rule object made elsewhere cannot run in a worker). */
  accepts(rules: readonly Rule[]): boolean {
    return rules.every((r) => this.registry.get(r.meta.code) === r);
  }

  /** Number of live worker threads. */
  get threads(): number {
    return this.slots.length;
  }

  /** Starts the workers now (their start-up then overlaps the main thread's own work). */
  warm(count = this.size): void {
    if (!this.available) return;
    try {
      while (this.slots.length < Math.min(count, this.size)) this.armIdle(this.spawn());
    } catch (e) {
      this.broken ??= e instanceof Error ? e : new Error(String(e));
    }
  }

  private spawn(): Slot {
    const script = this.script as string;
    let worker: Worker;
    if (script.endsWith('.ts')) {
      // development and tests: TypeScript through tsx's CommonJS hook
      const tsx = createRequire(__filename).resolve('tsx/cjs/api');
      worker = new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(script)});`, { eval: true, resourceLimits: WORKER_LIMITS });
    } else worker = new Worker(script, { resourceLimits: WORKER_LIMITS });
    const slot: Slot = { worker, busy: 0 };
    worker.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.slot.busy--;
      this.armIdle(p.slot);
      if (m.type === 'result') p.resolve(m.results);
      else p.reject(new Error(m.message));
    });
    const fail = (e: Error) => {
      this.broken ??= e;
      this.slots = this.slots.filter((s) => s !== slot);
      for (const [id, p] of this.pending) {
        if (p.slot !== slot) continue;
        this.pending.delete(id);
        p.reject(e);
      }
    };
    worker.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) fail(new Error(`code-rule worker exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  private armIdle(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    if (this.idleMs <= 0 || slot.busy > 0) return;
    slot.idleTimer = setTimeout(() => {
      if (slot.busy > 0) return;
      this.slots = this.slots.filter((s) => s !== slot);
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref?.();
  }

  /** The least busy worker, starting one while fewer than `want` run. */
  private pick(want: number): Slot {
    if (this.slots.length < Math.min(want, this.size)) return this.spawn();
    let best = this.slots[0];
    for (const s of this.slots) if (s.busy < best.busy) best = s;
    return best;
  }

  private send(slot: Slot, data: CodeRunData, rules: string[], tasks: WorkerTask[]): Promise<WorkerFileResult[]> {
    const id = this.nextId++;
    slot.busy++;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    const msg: CheckRequest = { type: 'check', id, data, rules, tasks };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage(msg);
    });
  }

  /**
   * Checks one batch of tasks in the least busy worker (starting one while fewer than the pool's
   * size run). Rejects when the worker fails.
   */
  check(data: CodeRunData, rules: readonly Rule[], tasks: WorkerTask[]): Promise<WorkerFileResult[]> {
    if (!this.available) return Promise.reject(this.broken ?? new Error('no code-rule worker available'));
    let slot: Slot;
    try {
      slot = this.pick(this.size);
    } catch (e) {
      this.broken ??= e instanceof Error ? e : new Error(String(e));
      return Promise.reject(this.broken);
    }
    return this.send(slot, data, rules.map((r) => r.meta.code), tasks);
  }

  /**
   * Checks `files` with `rules` in the workers. Resolves with one result per file (undefined for
   * files left out: cancelled, or `text` returned null); rejects when a worker fails.
   */
  async run(data: CodeRunData, rules: readonly Rule[], files: readonly ProjectFile[], opts: PoolRunOptions = {}): Promise<(WorkerFileResult | undefined)[]> {
    if (!this.available) throw this.broken ?? new Error('no code-rule worker available');
    const codes = rules.map((r) => r.meta.code);
    const results: (WorkerFileResult | undefined)[] = new Array(files.length);
    const want = Math.min(this.size, Math.max(1, Math.ceil(files.length / 64)));
    // small batches balance the load and stream results; not so small that messaging dominates
    const batch = Math.max(8, Math.min(64, Math.ceil(files.length / (want * 6))));
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < files.length && !opts.signal?.aborted && !this.broken) {
        const start = next;
        const end = Math.min(files.length, start + batch);
        next = end;
        const tasks: WorkerTask[] = [];
        const index: number[] = [];
        const sent: (string | undefined)[] = [];
        for (let i = start; i < end; i++) {
          const text = opts.text?.(files[i]);
          if (text === null) continue;
          tasks.push(text === undefined ? { file: files[i] } : { file: files[i], text });
          index.push(i);
          sent.push(text);
        }
        if (tasks.length === 0) continue;
        const out = await this.send(this.pick(want), data, codes, tasks);
        for (let k = 0; k < out.length; k++) {
          results[index[k]] = out[k];
          opts.onResult?.(index[k], out[k], sent[k]);
        }
      }
    };
    // two batches in flight per worker: a worker never waits for the main thread between batches
    await Promise.all(Array.from({ length: want * 2 }, lane));
    if (this.broken) throw this.broken;
    return results;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) if (s.idleTimer) clearTimeout(s.idleTimer);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
