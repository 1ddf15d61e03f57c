/**
 * Memory at rest. While the user types, every analysis leaves garbage; V8 collects it, but keeps
 * the old generation's pages it grew into (a few live objects left on each page), so the
 * server's RSS after a session of typing stays at its peak (about 60 MB of heap pages around
 * 25 MB of live objects after 2,000 keystrokes in a 4,000-file workspace). Once the server has
 * been idle for a while, one full garbage collection with compaction moves the live objects
 * together and gives the empty pages back (about 35 ms, once per idle period, never while
 * typing).
 *
 * The collection is V8's own (`gc`, made available at run time through --expose-gc in a new
 * context: nothing is added to this program's globals); compaction is switched on for that one
 * collection only.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Idle time (ms) after which the heap is compacted: after the code-rule workers' own idle stop (10 s). */
export const IDLE_COMPACT_MS = 12_000;

let gcFn: (() => void) | null | undefined;

/** V8's full garbage collection, or undefined when it cannot be had. */
function fullGc(): (() => void) | undefined {
  if (gcFn === undefined) {
    gcFn = null;
    try {
      const existing = (globalThis as { gc?: () => void }).gc;
      if (typeof existing === 'function') gcFn = existing;
      else {
        v8.setFlagsFromString('--expose-gc');
        const fn = vm.runInNewContext('gc') as unknown;
        if (typeof fn === 'function') gcFn = fn as () => void;
      }
    } catch {
      gcFn = null;
    }
  }
  return gcFn ?? undefined;
}

/** One full, compacting garbage collection now. Returns whether it ran. */
export function compactHeap(): boolean {
  const gc = fullGc();
  if (!gc) return false;
  v8.setFlagsFromString('--compact-on-every-full-gc');
  try {
    gc();
  } finally {
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
  return true;
}

/**
 * Compacts the heap once the server has been idle for `delayMs` (poke() after every piece of
 * work restarts the wait; busy() says whether work is still going on, e.g. a background scan).
 */
export class IdleCompactor {
  private timer: NodeJS.Timeout | undefined;
  /** Compactions done (debug statistics). */
  compactions = 0;

  constructor(
    private readonly busy: () => boolean,
    private readonly delayMs = IDLE_COMPACT_MS,
  ) {}

  poke(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.busy()) return this.poke();
      if (compactHeap()) this.compactions++;
    }, this.delayMs);
    this.timer.unref?.();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
