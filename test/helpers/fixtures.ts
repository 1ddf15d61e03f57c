/**
 * Shared helpers for the tests: load a fixture folder into an in-memory project, analyse it,
 * apply fixes until nothing changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../rules/index.generated';
import { Analyzer, fixAllSync, initParser, mergeConfig, MemoryFileSystem, type AnalysisResult, type Config, type FileSystem, type FixAllResult, type PartialConfig, type Rule } from '../../server/src/engine';
import { PendingFileSystem, writeChanges } from '../../server/src/engine/apply';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const fixturesRoot = path.join(repoRoot, 'test', 'fixtures');

export async function ready(): Promise<void> {
  await initParser();
}

export function config(partial: PartialConfig = {}): Config {
  return mergeConfig({ today: '2026-11-23' }, partial);
}

export function analyzerFor(fsys: FileSystem, rules: Rule[] = allRules): Analyzer {
  return new Analyzer({ rules, fs: fsys });
}

export function analyze(fsys: FileSystem, root: string, partial: PartialConfig = {}, rules: Rule[] = allRules): AnalysisResult {
  return analyzerFor(fsys, rules).analyze(root, config(partial));
}

/**
 * A fixture file's text: UTF-8, or for a binary file (a .git/index) its bytes one character
 * each (MemoryFileSystem.readBytes gives them back).
 */
function readFixtureText(p: string): string {
  const buf = fs.readFileSync(p);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return buf.toString('latin1');
  }
}

/** Reads a folder from disk into a MemoryFileSystem mounted at `mount`. */
export function loadFolder(dir: string, mount: string, rename?: (rel: string) => string | undefined): MemoryFileSystem {
  const mem = new MemoryFileSystem();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const rel = path.relative(dir, p).split(path.sep).join('/');
        const target = rename ? rename(rel) : rel;
        if (target !== undefined) mem.write(path.join(mount, target), readFixtureText(p));
      }
    }
  };
  walk(dir);
  return mem;
}

/**
 * The product's fix-all (engine/fixAll.ts: safe fixes, plus unsafe ones when asked, until a pass
 * changes nothing) over an in-memory project, its changes written through the product's
 * writeChanges. Returns the fix-all result.
 */
export function runFixAll(mem: MemoryFileSystem, root: string, opts: { unsafe: boolean; codes?: string[]; files?: string[]; partial?: PartialConfig; maxPasses?: number; rules?: Rule[] }): FixAllResult {
  const pending = new PendingFileSystem(mem);
  const analyzer = analyzerFor(pending, opts.rules);
  const result = fixAllSync(
    {
      read: (file) => mem.readFile(file),
      analyze: (texts) => {
        pending.texts = texts;
        return analyzer.analyze(root, config(opts.partial ?? {})).findings;
      },
    },
    {
      applicability: opts.unsafe ? 'unsafe' : 'safe',
      include: opts.codes || opts.files ? (f) => (!opts.codes || opts.codes.includes(f.code)) && (!opts.files || opts.files.includes(f.file)) : undefined,
      maxPasses: opts.maxPasses,
    },
  );
  writeChanges(result.changes, mem, { root });
  return result;
}

/** runFixAll, returning the number of passes that changed something. */
export function fixUntilStable(mem: MemoryFileSystem, root: string, opts: { unsafe: boolean; codes?: string[]; partial?: PartialConfig; maxPasses?: number; rules?: Rule[] }): number {
  return runFixAll(mem, root, opts).passes;
}
