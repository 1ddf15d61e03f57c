/**
 * Table-driven rule tests: a small project (settings.py, optionally base.py and other files), the
 * findings expected (file:line, 1-based) and, when given, the files after fixing until stable.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { MemoryFileSystem, type PartialConfig } from '../../server/src/engine';
import { analyze, fixUntilStable } from './fixtures';

export interface RuleCase {
  name: string;
  code: string;
  settings: string;
  base?: string;
  requirements?: string;
  /** Other files of the project, by name relative to it. */
  extra?: Record<string, string>;
  config?: PartialConfig;
  expect: string[];
  /** settings.py after the fixes (safe and unsafe) of `fixCodes` (default: the case's code). */
  fixed?: string;
  baseFixed?: string;
  fixCodes?: string[];
}

/**
 * Checks one case: no rule failure and no syntax error; exactly the expected findings; the fixed
 * files; a second fix pass changes nothing; after the fixes neither a syntax error nor (when
 * something was fixed) a finding of the fixed codes is left.
 */
export function checkRuleCase(c: RuleCase): void {
  const files: Record<string, string> = { '/project/settings.py': c.settings };
  if (c.base !== undefined) files['/project/base.py'] = c.base;
  if (c.requirements !== undefined) files['/project/requirements.txt'] = c.requirements;
  for (const [name, text] of Object.entries(c.extra ?? {})) files[`/project/${name}`] = text;
  const mem = new MemoryFileSystem(files);
  const result = analyze(mem, '/project', c.config);
  assert.deepEqual(result.notes.filter((n) => n.kind === 'rule-failed' || n.kind === 'syntax-error'), []);
  const mine = result.findings.filter((f) => f.code === c.code);
  assert.deepEqual(mine.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1}`).sort(), [...c.expect].sort(), mine.map((f) => f.message).join('; '));
  if (c.fixed === undefined && c.baseFixed === undefined) return;
  const codes = c.fixCodes ?? [c.code];
  fixUntilStable(mem, '/project', { unsafe: true, codes, partial: c.config });
  if (c.fixed !== undefined) assert.equal(mem.readFile('/project/settings.py'), c.fixed);
  if (c.baseFixed !== undefined) assert.equal(mem.readFile('/project/base.py'), c.baseFixed);
  assert.equal(fixUntilStable(mem, '/project', { unsafe: true, codes, partial: c.config }), 0, 'a second pass changed something');
  const after = analyze(mem, '/project', c.config);
  assert.deepEqual(after.notes.filter((n) => n.kind === 'syntax-error'), []);
  const changed = (c.fixed !== undefined && c.fixed !== c.settings) || (c.baseFixed !== undefined && c.baseFixed !== c.base);
  if (changed || mine.some((f) => f.fixes.length > 0)) assert.deepEqual(after.findings.filter((f) => codes.includes(f.code)).map((f) => f.message), [], 'the fix did not silence the rule');
}
