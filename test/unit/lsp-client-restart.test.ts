/**
 * The client's crash policy (client/src/restartPolicy.ts), without VS Code: a crashed server is
 * restarted up to N times within M minutes, then the user is told, with "Show Logs" and
 * "Restart"; crashes older than the window are forgotten; a manual restart starts afresh.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_RESTART_LIMITS, RestartPolicy } from '../../client/src/restartPolicy';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('client: restarting a crashed server', () => {
  test('restarts up to maxRestarts times in the window, then gives up with Show Logs / Restart', () => {
    const c = clock();
    const p = new RestartPolicy({ maxRestarts: 3, windowMs: 60_000, maxConnectionErrors: 3 }, c.now);
    for (let i = 1; i <= 3; i++) {
      const d = p.closed();
      assert.equal(d.restart, true);
      assert.equal(d.restart && d.attempt, i);
      assert.match(d.message, new RegExp(`restarting it \\(${i} of 3 restarts allowed in 1 minute\\)`));
      c.advance(5_000);
    }
    const d = p.closed();
    assert.equal(d.restart, false);
    assert.ok(!d.restart);
    assert.equal(d.crashes, 4);
    assert.deepEqual(d.actions, ['Show Logs', 'Restart']);
    assert.match(d.message, /crashed 4 times in the last 1 minute and will not be restarted/);
    // still crashing: still no restart
    assert.equal(p.closed().restart, false);
  });

  test('crashes older than the window are forgotten', () => {
    const c = clock();
    const p = new RestartPolicy({ maxRestarts: 2, windowMs: 60_000, maxConnectionErrors: 3 }, c.now);
    assert.equal(p.closed().restart, true);
    c.advance(30_000);
    assert.equal(p.closed().restart, true);
    c.advance(31_000); // the first crash is now 61 s old
    const d = p.closed();
    assert.equal(d.restart, true);
    assert.equal(d.restart && d.attempt, 2);
    c.advance(1_000);
    assert.equal(p.closed().restart, false, 'three crashes within one minute');
  });

  test('the user restarting the server starts afresh', () => {
    const c = clock();
    const p = new RestartPolicy({ maxRestarts: 1, windowMs: 60_000, maxConnectionErrors: 3 }, c.now);
    assert.equal(p.closed().restart, true);
    assert.equal(p.closed().restart, false);
    p.reset();
    assert.equal(p.closed().restart, true);
  });

  test('connection errors: continue a few times in a row, then shut down', () => {
    const p = new RestartPolicy({ ...DEFAULT_RESTART_LIMITS, maxConnectionErrors: 3 });
    assert.equal(p.error(undefined), 'continue');
    assert.equal(p.error(1), 'continue');
    assert.equal(p.error(3), 'continue');
    assert.equal(p.error(4), 'shutdown');
  });

  test('the defaults: 4 restarts in 3 minutes', () => {
    const c = clock();
    const p = new RestartPolicy(undefined, c.now);
    const decisions = Array.from({ length: 5 }, () => {
      c.advance(10_000);
      return p.closed().restart;
    });
    assert.deepEqual(decisions, [true, true, true, true, false]);
    assert.deepEqual(DEFAULT_RESTART_LIMITS, { maxRestarts: 4, windowMs: 180_000, maxConnectionErrors: 3 });
  });

  test('the language client uses the policy as its error handler, and the Restart action runs the restart command', () => {
    const src = fs.readFileSync(path.resolve(__dirname, '..', '..', 'client', 'src', 'languageClient.ts'), 'utf8');
    assert.match(src, /errorHandler: crashHandler\(output\)/);
    assert.match(src, /executeCommand\(COMMANDS\.restartServer\)/);
    assert.match(src, /CloseAction\.DoNotRestart/);
  });
});
