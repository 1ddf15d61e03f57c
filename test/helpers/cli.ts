/** Running the CLI in-process on temporary copies of the example projects. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../server/src/cli/run';
import { fixturesRoot } from './fixtures';

export const projectsRoot = path.join(fixturesRoot, 'projects');

/** Runs `django-readiness ARGS` in-process; returns the exit code and what it printed. */
export async function cli(args: string[], cwd = process.cwd()): Promise<{ code: number | undefined; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd });
  return { code, out, err };
}

/** A temporary copy of an example project (the caller removes it). */
export function copyProject(name: string, prefix = 'djr'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-${name}-`));
  fs.cpSync(path.join(projectsRoot, name), dir, { recursive: true });
  return dir;
}

/** Every file below `dir` (relative path -> text). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}
