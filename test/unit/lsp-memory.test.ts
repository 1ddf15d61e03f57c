/**
 * Memory at rest (lsp/memory.ts): the compacting collection runs (V8's gc obtained at run time),
 * and the idle compactor waits while work is going on, then compacts once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compactHeap, IdleCompactor } from '../../server/src/lsp/memory';

describe('memory at rest', () => {
  test('a compacting full collection can run, and leaves the compaction switched off', () => {
    assert.equal(compactHeap(), true);
    assert.equal(compactHeap(), true);
  });

  test('the idle compactor waits while busy, then compacts once', async () => {
    let busy = true;
    const c = new IdleCompactor(() => busy, 1);
    c.poke();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.compactions, 0, 'not while busy');
    busy = false;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.compactions, 1);
    c.dispose();
  });
});
