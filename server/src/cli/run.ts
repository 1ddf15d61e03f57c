/** The CLI, as a function that tests can call in-process. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../../rules/index.generated';
import {
  Analyzer,
  DiskWriter,
  fixAll,
  initParser,
  loadPyprojectConfig,
  mergeConfig,
  NodeFileSystem,
  renderRuleText,
  type ConfigProblem,
  type Finding,
  type Note,
  type PartialConfig,
  type ProjectSummary,
} from '../engine';
import { ChangesRefused, PendingFileSystem, writeChanges } from '../engine/apply';
import { CodePool } from '../engine/pool';
import { productionJson, productionNotes, toJson, toSarif, toText, type JsonChecklistItem, type JsonSummary } from './formatters';
import { checklistJson, writeReport } from './report';
import pkg from '../../../package.json';

export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  cwd: string;
}

const HELP = `django-readiness ${pkg.version}: what stands between a Django project and production.

Usage:
  django-readiness check [PATH...] [options]   check projects (default: the current folder)
  django-readiness rule DJR101                 show a rule's documentation
  django-readiness rule --list                 list the rules
  django-readiness report [PATH] [--output F]  write the readiness checklist as Markdown
  django-readiness server --stdio              run the language server (any LSP client)

Options for check:
  --format text|json|sarif    output format (default text)
  --fix                       apply safe fixes
  --unsafe-fixes              with --fix, also apply unsafe fixes (they change what the
                              application does; display-only fixes are never applied)
  --select DJR1,DJR301        only these rules (codes or prefixes)
  --ignore DJR909             not these rules
  --production-settings MOD   the production settings module (dotted name or path)
  --include-tests             also check test files with the code rules
  --no-color                  plain text output
  --workers N                 worker threads for the code rules of large projects (default: one
                              per core; 0: none)
  --stats                     print the run's statistics (files, parsed, time, memory) on stderr

Configuration: [tool.django-readiness] in pyproject.toml (command-line options win).
Exit codes: 0 no warning or error, 1 warnings or errors found, 2 usage or internal error.
`;

class UsageError extends Error {
  /** `help`: print the usage after the message (not for errors about the project's configuration). */
  constructor(
    message: string,
    readonly help = true,
  ) {
    super(message);
  }
}

interface CheckArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  unsafe: boolean;
  cli: PartialConfig;
  color?: boolean;
  output?: string;
  /** Worker threads for the code rules (undefined: one per core; 0: in-process). */
  workers?: number;
  stats?: boolean;
}

function parseArgs(argv: string[]): CheckArgs {
  const a: CheckArgs = { paths: [], format: 'text', fix: false, unsafe: false, cli: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const list = () => value().split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    switch (flag) {
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format: ${f} (text, json or sarif)`);
        a.format = f;
        break;
      }
      case '--fix': a.fix = true; break;
      case '--unsafe-fixes': a.unsafe = true; break;
      case '--select': a.cli.select = list(); break;
      case '--ignore': a.cli.ignore = list(); break;
      case '--production-settings': a.cli.productionSettingsModule = value(); break;
      case '--include-tests': a.cli.includeTests = true; break;
      case '--today': a.cli.today = value(); break;
      case '--no-color': a.color = false; break;
      case '--color': a.color = true; break;
      case '--output': case '-o': a.output = value(); break;
      case '--workers': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0) throw new UsageError('--workers needs a whole number (0: no worker threads)');
        a.workers = n;
        break;
      }
      case '--stats': a.stats = true; break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option: ${arg}`);
        a.paths.push(arg);
    }
  }
  if (a.unsafe && !a.fix) throw new UsageError('--unsafe-fixes goes with --fix');
  return a;
}

/** The folder to analyse for a path, and the file to keep findings for when it is a file. */
function target(p: string): { root: string; only?: string } {
  const abs = path.resolve(p);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new UsageError(`no such file or folder: ${p}`);
  }
  if (stat.isDirectory()) return { root: abs };
  // A file: analyse its project (nearest folder above with manage.py), report that file only.
  let d = path.dirname(abs);
  for (let i = 0; i < 20; i++) {
    if (fs.existsSync(path.join(d, 'manage.py'))) return { root: d, only: abs };
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return { root: path.dirname(abs), only: abs };
}

export interface CheckOutcome {
  root: string;
  findings: Finding[];
  /** Suppressed findings (accepted risks). */
  accepted: Finding[];
  summaries: JsonSummary[];
  notes: Note[];
  checklist: JsonChecklistItem[];
  /** The Django projects found, each with its production module and why (none: not Django). */
  projects: ProjectSummary[];
  fixed: number;
  stats: CheckStats;
}

/** What `--stats` prints (one JSON line on stderr). */
export interface CheckStats {
  filesFound: number;
  pythonFiles: number;
  parsed: number;
  /** Characters of the files the code and template rules parsed (settings modules not counted). */
  parsedChars?: number;
  skippedByPrefilter: number;
  skippedLargeOrBinary: number;
  /** Worker threads started (0: the code rules ran in-process). */
  workers: number;
  ms: number;
}

/** Analyses (and fixes) the given paths; shared by `check` and `report`. */
export async function runCheck(args: CheckArgs, io: CliIO): Promise<CheckOutcome> {
  await initParser();
  const paths = args.paths.length > 0 ? args.paths : ['.'];
  const targets = paths.map((p) => target(path.resolve(io.cwd, p)));
  // links are followed only to places inside the folders checked
  const fsys = new NodeFileSystem({ roots: targets.map((t) => t.root) });
  const root = targets.length === 1 ? targets[0].root : io.cwd;
  const findings: Finding[] = [];
  const accepted: Finding[] = [];
  const summaries: JsonSummary[] = [];
  const notes: Note[] = [];
  const checklist: JsonChecklistItem[] = [];
  const projects: ProjectSummary[] = [];
  let fixed = 0;
  const stats: CheckStats = { filesFound: 0, pythonFiles: 0, parsed: 0, skippedByPrefilter: 0, skippedLargeOrBinary: 0, workers: 0, ms: 0 };
  // The code rules run in worker threads when much is left to parse after the prefilter (the
  // threads' start-up would cost more than they save otherwise; see WORKERS_MIN_CHARS). The
  // pool starts no thread until the analysis sends it work.
  const pool = args.workers === 0 ? undefined : new CodePool({ registry: allRules, size: args.workers });
  // benchmarks move the threshold (bench/repo.ts --break-even)
  const minEnv = Number(process.env.DJR_WORKERS_MIN_CHARS);
  const minChars = process.env.DJR_WORKERS_MIN_CHARS && Number.isInteger(minEnv) && minEnv >= 0 ? minEnv : undefined;
  try {
    for (const t of targets) {
      const problems: ConfigProblem[] = [];
      const config = mergeConfig(loadPyprojectConfig(fsys, t.root, problems), args.cli);
      for (const p of problems) notes.push({ file: p.file, kind: 'info', message: p.message });
      // fix-all passes analyse the fixed texts in memory (PendingFileSystem); they are written at the end
      const pending = new PendingFileSystem(fsys);
      // one analysis keeps nothing for a next one (no texts, no trees); fix-all passes reuse results
      const analyzer = new Analyzer({ rules: allRules, fs: pending, oneShot: !args.fix });
      const analyze = () => analyzer.analyzeAsync(t.root, config, undefined, { pool, minChars });
      let result = await analyze();
      // a production module named in the options that matches nothing is an error, not a silent guess
      const missing = result.projects.find((p) => p.configuredMissing);
      if (missing) {
        const candidates = missing.candidates && missing.candidates.length > 0 ? ` (settings modules: ${missing.candidates.join(', ')})` : ' (no settings module was found)';
        throw new UsageError(`production settings module ${missing.configuredMissing} matches no settings module of ${missing.root}${candidates}`, false);
      }
      if (args.fix) {
        let last = result;
        const outcome = await fixAll(
          {
            read: (file) => fsys.readFile(file),
            analyze: async (texts) => {
              pending.texts = texts;
              last = await analyze();
              return last.findings;
            },
          },
          { applicability: args.unsafe ? 'unsafe' : 'safe', include: t.only ? (f) => f.file === t.only : undefined },
          result.findings,
        );
        pending.texts = new Map();
        // all or nothing, only inside the folder checked, in each file's encoding (engine/apply.ts, DiskWriter)
        let written = false;
        try {
          writeChanges(outcome.changes, new DiskWriter(fsys), { root: t.root, fs: fsys });
          written = true;
        } catch (e) {
          const problems = e instanceof ChangesRefused ? e.problems : [(e as Error).message.replace(/^fixes not applied \(nothing was changed\): /, '')];
          io.stderr.write(`django-readiness: fixes not applied, nothing was changed: ${problems.join('; ')}\n`);
        }
        for (const c of outcome.changes) analyzer.invalidate(c.file);
        if (written) fixed += outcome.applied.length;
        // the last analysis saw exactly the texts written, unless fix-all stopped at its pass limit
        result = written && outcome.stable ? last : await analyze();
      }
      for (const k of ['filesFound', 'pythonFiles', 'parsed', 'skippedByPrefilter', 'skippedLargeOrBinary', 'ms'] as const) stats[k] += result.stats[k];
      stats.parsedChars = (stats.parsedChars ?? 0) + (result.stats.parsedChars ?? 0);
      findings.push(...(t.only ? result.findings.filter((f) => f.file === t.only) : result.findings));
      const suppressed = result.suppressed ?? [];
      accepted.push(...(t.only ? suppressed.filter((f) => f.file === t.only) : suppressed));
      notes.push(...(t.only ? result.notes.filter((n) => n.file === t.only) : result.notes));
      projects.push(...result.projects);
      const cl = checklistJson(fsys, t.root, result);
      checklist.push(...cl.items);
      summaries.push(cl.summary);
    }
  } finally {
    stats.workers = pool?.threads ?? 0;
    await pool?.close();
  }
  return { root, findings, accepted, summaries, notes, checklist, projects, fixed, stats };
}

export async function runCli(argv: string[], io: CliIO): Promise<number | undefined> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      case '-V':
      case '--version':
        io.stdout.write(`${pkg.version}\n`);
        return 0;
      case 'rule': {
        if (rest[0] === '--list' || rest.length === 0) {
          for (const r of [...allRules].sort((a, b) => a.meta.code.localeCompare(b.meta.code))) {
            io.stdout.write(`${r.meta.code}  ${r.meta.name.padEnd(36)} ${(r.meta.severity + (r.meta.optIn ? ' (opt-in)' : '')).padEnd(15)} ${r.meta.fix === 'none' ? '' : `fix: ${r.meta.fix}`}\n`);
          }
          return 0;
        }
        const q = rest[0].toUpperCase();
        const rule = allRules.find((r) => r.meta.code === q || r.meta.name.toUpperCase() === q);
        if (!rule) {
          io.stderr.write(`django-readiness: unknown rule ${rest[0]} (django-readiness rule --list)\n`);
          return 2;
        }
        io.stdout.write(renderRuleText(rule.meta));
        return 0;
      }
      case 'check': {
        const args = parseArgs(rest);
        const out = await runCheck(args, io);
        if (args.stats) {
          // process-wide: the worker threads count too
          const u = process.resourceUsage();
          io.stderr.write(JSON.stringify({ ...out.stats, maxRssKb: u.maxRSS, cpuMs: Math.round((u.userCPUTime + u.systemCPUTime) / 1000) }) + '\n');
        }
        const production = productionJson(out.root, out.projects);
        if (args.format === 'json') io.stdout.write(JSON.stringify(toJson(out.root, out.findings, out.checklist, { accepted: out.accepted, summaries: out.summaries, production }), null, 2) + '\n');
        else if (args.format === 'sarif') io.stdout.write(JSON.stringify(toSarif(out.root, out.findings, allRules, pkg.version, out.accepted, production), null, 2) + '\n');
        else {
          const color = args.color ?? (!!io.stdout.isTTY && !process.env.NO_COLOR);
          io.stdout.write(toText(out.root, out.findings, [...productionNotes(out.projects), ...out.notes], { color, unsafeHint: !args.unsafe, noProject: out.projects.length === 0 }));
          if (args.fix) io.stdout.write(`Fixed ${out.fixed} problem${out.fixed === 1 ? '' : 's'}.\n`);
        }
        if (args.format !== 'text') for (const n of out.notes) io.stderr.write(`${n.file}: note: ${n.message}\n`);
        return out.findings.some((f) => f.severity === 'error' || f.severity === 'warning') ? 1 : 0;
      }
      case 'report': {
        const args = parseArgs(rest);
        if (args.fix) throw new UsageError('report does not fix');
        await initParser();
        const written = await writeReport(args.paths[0] ?? '.', args.output, args.cli, io);
        if (written) io.stderr.write(`Report written to ${written}\n`);
        return 0;
      }
      case 'server': {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const lsp = require('../lsp/run') as { runLanguageServer(): void };
        lsp.runLanguageServer();
        return undefined;
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`django-readiness: ${e.message}\n${e.help ? `\n${HELP}` : ''}`);
      return 2;
    }
    throw e;
  }
}

export type { CheckArgs };
