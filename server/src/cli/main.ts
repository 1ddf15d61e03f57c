/**
 * The command-line interface:
 *
 *   django-readiness check [PATH...] [--format text|json|sarif] [--fix] [--unsafe-fixes]
 *                          [--select R,...] [--ignore R,...] [--production-settings MODULE]
 *   django-readiness rule DJR101 | django-readiness rule --list
 *   django-readiness report [PATH] [--output FILE]
 *   django-readiness server --stdio
 *
 * Exit codes (check): 0 when no finding of severity warning or error remains, 1 when some do,
 * 2 on usage or internal error.
 */
import { runCli } from './run';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`django-readiness: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 2;
  },
);
