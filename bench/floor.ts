/**
 * The floor of a whole-project check (not a test; bench/repo.ts runs it in a child process, as it
 * runs the CLI): what any check of this design must do, and nothing else. Prints one JSON line.
 *
 *   node bench/out/floor.js read|floor|parse-all TARGET [--settings FILE[,OVERLAY...]]
 *   node bench/out/floor.js discover TARGET      (prints the production settings module, untimed use)
 *
 *  - read:      node start + listing the files + reading every file the code and template rules
 *               look at (with the engine's hardened reader) and the production settings closure.
 *  - floor:     read + the rules' prefilters + a tree-sitter parse of each file some prefilter
 *               matches (a template: its tokens) + parsing and evaluating the production settings
 *               (the modules it imports, includes, overlays). No rule runs, no output is built.
 *  - parse-all: read + a tree-sitter parse of every Python file (what a linter that looks at
 *               every file, such as Ruff, must do at least).
 *
 * The rules are the registry's per-file rules with the default configuration; `meta.requires`
 * is not consulted (the floor may parse a file for a rule the CLI leaves out: it errs high).
 */
import * as path from 'node:path';
import { Parser } from 'web-tree-sitter';
import { allRules } from '../rules/index.generated';
import { isCodeRuleFile, wantsFile } from '../server/src/engine/codecheck';
import { mergeConfig } from '../server/src/engine/config';
import { initParser, ParseCache, parseOnce, type PyModule } from '../server/src/engine/parser';
import { findDjangoProjects, listFiles, NodeFileSystem, type ProjectFile } from '../server/src/engine/project';
import { settingsEvaluator } from '../server/src/engine/settingsLoader';
import { parseTemplate } from '../server/src/engine/templates';

const [mode, targetArg] = process.argv.slice(2);
const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<void> {
  if (!['read', 'floor', 'parse-all', 'discover'].includes(mode) || !targetArg) throw new Error('usage: floor.js read|floor|parse-all|discover TARGET [--settings FILE[,OVERLAY...]]');
  const target = path.resolve(targetArg);
  const config = mergeConfig({});
  const fs = new NodeFileSystem({ roots: [target] });
  const inv = listFiles(target, fs, config);
  if (mode === 'discover') {
    const p = findDjangoProjects(inv, fs, config).find((x) => x.production);
    process.stdout.write(JSON.stringify({ settings: p?.production ? [p.production.path, ...(p.overlays ?? [])] : [], root: p?.root ?? target }) + '\n');
    return;
  }
  const [settingsFile, ...overlays] = (flag('--settings') ?? '').split(',').filter(Boolean);
  const projectRoot = flag('--root') ?? target;
  const codeRules = allRules.filter((r) => r.create || r.checkFile);
  const templateRules = allRules.filter((r) => r.checkTemplate);
  // the files the CLI gives the code rules: Python files (no tests by default), migrations only for migration rules
  const migrations = codeRules.some((r) => r.files === 'migrations');
  const files: ProjectFile[] = inv.files.filter((f) => (mode === 'parse-all' ? f.kind === 'python' : isCodeRuleFile(f, config) && (!f.isMigration || migrations)));
  // templates: files of an app's or project's templates/ folder (the CLI decides from the settings)
  const templates = mode === 'parse-all' ? [] : inv.files.filter((f) => f.kind === 'template' && !f.isTest && /[\\/]templates[\\/]/.test(f.path));
  let bytes = 0;
  let parsedBytes = 0;
  let matched = 0;
  let settingsModules = 0;
  if (mode !== 'read') await initParser();
  // the settings first, as the CLI does: parse and evaluate the production module and what it runs
  if (settingsFile) {
    const cache = new ParseCache();
    const load = (p: string): PyModule | undefined => {
      const t = fs.readFile(p);
      if (t === undefined) return undefined;
      settingsModules++;
      return mode === 'read' ? undefined : cache.parse(p, t);
    };
    if (mode === 'read') {
      load(settingsFile);
      for (const o of overlays) load(o);
    } else {
      const prod = load(settingsFile);
      if (prod) settingsEvaluator(fs, projectRoot, load, overlays).evaluate(prod);
    }
  }
  // a parser of its own, so the trees are plain tree-sitter trees (no statement index)
  const parser = mode === 'read' ? undefined : newParser();
  for (const f of files) {
    const text = fs.readFile(f.path);
    if (text === undefined) continue;
    bytes += text.length;
    if (mode === 'read' || !parser) continue;
    if (mode === 'floor' && !codeRules.some((r) => wantsFile(r, f) && (!r.prefilter || r.prefilter.test(text)))) continue;
    matched++;
    parsedBytes += text.length;
    parser.parse(text)?.delete();
  }
  for (const f of templates) {
    const text = fs.readFile(f.path);
    if (text === undefined) continue;
    bytes += text.length;
    if (mode !== 'floor' || !templateRules.some((r) => !r.prefilter || r.prefilter.test(text))) continue;
    matched++;
    parsedBytes += text.length;
    parseTemplate(text);
  }
  const u = process.resourceUsage();
  process.stdout.write(
    JSON.stringify({ mode, files: files.length + templates.length, chars: bytes, matched, parsedChars: parsedBytes, settingsModules, cpuMs: Math.round((u.userCPUTime + u.systemCPUTime) / 1000), maxRssKb: u.maxRSS }) + '\n',
  );
}

/** A tree-sitter parser with the Python grammar (initParser has loaded the runtime). */
function newParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(languageOf());
  return parser;
}

/** The Python grammar the engine loaded (borrowed through one parse). */
function languageOf() {
  const m = parseOnce('<floor>', 'x = 1\n');
  const lang = m.tree.language;
  m.tree.delete();
  return lang;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
