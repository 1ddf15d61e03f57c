/**
 * When the language server crashes: restart it up to `maxRestarts` times within `windowMs`, then
 * stop and tell the user (with "Show Logs" and "Restart" actions). No vscode import, so the
 * policy is unit-tested without VS Code (test/unit/lsp-client-restart.test.ts); languageClient.ts
 * turns its decisions into vscode-languageclient's ErrorHandler results.
 */

export interface RestartLimits {
  /** Restarts allowed within the window. */
  maxRestarts: number;
  /** The sliding window, in milliseconds. */
  windowMs: number;
  /** Connection errors (read/write) tolerated in a row before the client shuts down. */
  maxConnectionErrors: number;
}

export const DEFAULT_RESTART_LIMITS: RestartLimits = { maxRestarts: 4, windowMs: 3 * 60_000, maxConnectionErrors: 3 };

export const SHOW_LOGS_ACTION = 'Show Logs';
export const RESTART_ACTION = 'Restart';

export type RestartDecision =
  | { restart: true; /** 1-based restart number within the window. */ attempt: number; message: string }
  | { restart: false; crashes: number; message: string; actions: [typeof SHOW_LOGS_ACTION, typeof RESTART_ACTION] };

function minutes(ms: number): string {
  const m = ms / 60_000;
  return m === 1 ? '1 minute' : `${Number.isInteger(m) ? m : m.toFixed(1)} minutes`;
}

export class RestartPolicy {
  private readonly crashes: number[] = [];

  constructor(
    readonly limits: RestartLimits = DEFAULT_RESTART_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The connection to the server closed without being asked to: restart it, or give up. */
  closed(): RestartDecision {
    const t = this.now();
    this.crashes.push(t);
    while (this.crashes.length > 0 && t - this.crashes[0] >= this.limits.windowMs) this.crashes.shift();
    const n = this.crashes.length;
    const window = minutes(this.limits.windowMs);
    if (n <= this.limits.maxRestarts) {
      return { restart: true, attempt: n, message: `The Django Readiness language server stopped unexpectedly: restarting it (${n} of ${this.limits.maxRestarts} restarts allowed in ${window}).` };
    }
    return {
      restart: false,
      crashes: n,
      message: `The Django Readiness language server crashed ${n} times in the last ${window} and will not be restarted. Show the logs to see why, or restart it.`,
      actions: [SHOW_LOGS_ACTION, RESTART_ACTION],
    };
  }

  /** An error reading from or writing to the connection (`count`: how many in a row). */
  error(count: number | undefined): 'continue' | 'shutdown' {
    return (count ?? 1) <= this.limits.maxConnectionErrors ? 'continue' : 'shutdown';
  }

  /** Forget the past crashes (the user restarted the server). */
  reset(): void {
    this.crashes.length = 0;
  }
}
