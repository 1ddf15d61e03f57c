/**
 * The language server's file cache and the code-rule cache: unchanged files are not read again
 * (stamps), the Python texts kept in memory are capped, and a watched-file event makes exactly
 * that file be read and checked again.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { Analyzer, MemoryFileSystem, OverlayFileSystem } from '../../server/src/engine';
import { CachingFileSystem } from '../../server/src/lsp/cachedFs';
import { config, ready } from '../helpers/fixtures';

class CountingFs extends MemoryFileSystem {
  readonly reads = new Map<string, number>();
  override readFile(p: string): string | undefined {
    this.reads.set(p, (this.reads.get(p) ?? 0) + 1);
    return super.readFile(p);
  }
}

before(ready);

test('unchanged files are not read again, only 4 MB of Python text stays in memory, an event re-reads that file', () => {
  const disk = new CountingFs();
  disk.write('/w/manage.py', "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
  disk.write('/w/mysite/__init__.py', '');
  disk.write('/w/mysite/settings.py', "SECRET_KEY = 'x'\nDEBUG = False\n");
  // 60 views of ~100 KB each (6 MB): more than the cache keeps
  const filler = '# filler line of a large generated view module, nothing to see here\n'.repeat(1500);
  for (let i = 0; i < 60; i++) disk.write(`/w/app${i}/views.py`, `from django.db import connection\n\ndef v(request):\n    connection.cursor().execute("SELECT 1 WHERE x = " + request.GET["q"])\n${filler}`);
  const cached = new CachingFileSystem(disk);
  cached.enabled = true;
  const fs = new OverlayFileSystem(cached);
  const an = new Analyzer({ rules: allRules, fs });
  const first = an.analyze('/w', config());
  assert.equal(first.findings.filter((f) => f.code === 'DJR606').length, 60);
  assert.ok(cached.cachedTexts().chars <= 4 * 1024 * 1024 + 200_000, `cached ${cached.cachedTexts().chars} chars`);
  disk.reads.clear();
  const second = an.analyze('/w', config());
  assert.equal(second.findings.filter((f) => f.code === 'DJR606').length, 60, 'the same findings from the cache');
  const viewReads = [...disk.reads.keys()].filter((p) => p.endsWith('views.py'));
  assert.deepEqual(viewReads, [], 'no view was read again');
  // a watched-file event about one view: only that one is read and checked again
  disk.write('/w/app7/views.py', 'def v(request):\n    return None\n');
  cached.invalidate('/w/app7/views.py');
  disk.reads.clear();
  const third = an.analyze('/w', config());
  assert.deepEqual([...disk.reads.keys()].filter((p) => p.endsWith('views.py')), ['/w/app7/views.py']);
  assert.equal(third.findings.filter((f) => f.code === 'DJR606').length, 59);
  // an open document is judged by its text, not by the stamp of the file on disk
  fs.overlay.set('/w/app8/views.py', 'def v(request):\n    return None\n');
  assert.equal(an.analyze('/w', config()).findings.filter((f) => f.code === 'DJR606').length, 58);
  fs.overlay.delete('/w/app8/views.py');
  assert.equal(an.analyze('/w', config()).findings.filter((f) => f.code === 'DJR606').length, 59);
});
