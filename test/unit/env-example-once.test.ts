/**
 * `.env.example` written once (issue: DJR106 and "Move to .env" in one fix-all). DJR106 (safe)
 * creates the example file with every variable the settings read; DJR102/DJR104 (unsafe) move a
 * hardcoded default to .env and list every variable in the example file too. Run together
 * (`--fix --unsafe-fixes`, fix-all) they wrote the header and every name twice (django-oscar's
 * sandbox), or two example files (djangopackages: a new .env.example beside its
 * .env.local.example). Now every fix picks the same file (dotenv.ts envExampleTarget), a second
 * fix listing the same variables in a dotenv file waits for the next pass (fixer.ts), and
 * fix-all twice changes nothing.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { MemoryFileSystem, parseDotenv } from '../../server/src/engine';
import { analyze, fixturesRoot, loadFolder, ready, runFixAll } from '../helpers/fixtures';

const ROOT = '/project';
const VARIABLES = ['SECRET_KEY', 'DEBUG', 'ALLOWED_HOSTS', 'DATABASE_NAME', 'DATABASE_HOST', 'DATABASE_PASSWORD'];

function project(extra: Record<string, string> = {}): MemoryFileSystem {
  const mem = loadFolder(path.join(fixturesRoot, 'projects', 'dotenv-both'), ROOT);
  for (const [rel, text] of Object.entries(extra)) mem.write(path.join(ROOT, rel), text);
  return mem;
}

function names(text: string | undefined): string[] {
  return parseDotenv(text ?? '').map((e) => e.name);
}

function exampleFiles(mem: MemoryFileSystem): string[] {
  return [...mem.files.keys()].filter((f) => /\.env\..*example|\.env\.example/.test(path.basename(f))).map((f) => path.relative(ROOT, f)).sort();
}

describe('fix-all writes each variable once in one example file', () => {
  before(ready);

  test('the fixture has both rules: DJR106 (safe) and DJR102/DJR104 (unsafe, move to .env)', () => {
    const codes = analyze(project(), ROOT).findings.map((f) => f.code);
    for (const c of ['DJR102', 'DJR104', 'DJR106']) assert.ok(codes.includes(c), codes.join(', '));
  });

  test('no example file: one .env.example, its header once, every variable once', () => {
    const mem = project();
    const first = runFixAll(mem, ROOT, { unsafe: true });
    for (const c of ['DJR102', 'DJR104', 'DJR106']) assert.ok(first.applied.some((a) => a.code === c), `${c} applied: ${first.applied.map((a) => a.code).join(', ')}`);
    const text = mem.readFile(path.join(ROOT, '.env.example')) as string;
    assert.equal(text.split('\n').filter((l) => l.startsWith('# Environment variables')).length, 1, text);
    assert.deepEqual(names(text).sort(), [...VARIABLES].sort(), text);
    assert.deepEqual(exampleFiles(mem), ['.env.example']);
    // the values moved to .env once each
    assert.deepEqual(names(mem.readFile(path.join(ROOT, '.env'))).sort(), ['DATABASE_PASSWORD', 'SECRET_KEY']);
    const files = new Map(mem.files);
    const second = runFixAll(mem, ROOT, { unsafe: true });
    assert.equal(second.passes, 0, 'fix-all twice: the second run changes nothing');
    assert.deepEqual(new Map(mem.files), files);
  });

  test('safe fix-all first, unsafe after: the names are not added again', () => {
    const mem = project();
    runFixAll(mem, ROOT, { unsafe: false });
    runFixAll(mem, ROOT, { unsafe: true });
    const text = mem.readFile(path.join(ROOT, '.env.example')) as string;
    assert.deepEqual(names(text).sort(), [...VARIABLES].sort(), text);
  });

  test('an existing .env.local.example (djangopackages) is extended, no .env.example is created', () => {
    const mem = project({ '.env.local.example': 'DATABASE_NAME=mysite\nDEBUG=True\n' });
    runFixAll(mem, ROOT, { unsafe: true });
    assert.deepEqual(exampleFiles(mem), ['.env.local.example']);
    const text = mem.readFile(path.join(ROOT, '.env.local.example')) as string;
    assert.match(text, /^DATABASE_NAME=mysite\nDEBUG=True\n/, 'its lines and values are kept');
    assert.deepEqual(names(text).sort(), [...VARIABLES].sort(), text);
    assert.equal(runFixAll(mem, ROOT, { unsafe: true }).passes, 0);
  });

  test('the preferred name wins when several example files sit beside .env', () => {
    const mem = project({ '.env.local.example': 'DEBUG=True\n', '.env.sample': 'DEBUG=\n' });
    runFixAll(mem, ROOT, { unsafe: true });
    assert.deepEqual(names(mem.readFile(path.join(ROOT, '.env.local.example'))), ['DEBUG']);
    assert.deepEqual(names(mem.readFile(path.join(ROOT, '.env.sample'))).sort(), [...VARIABLES].sort());
  });
});
