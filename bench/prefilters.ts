/**
 * How precise the code and template rules' prefilters are on real projects (not a test):
 *
 *   npm run bench -- prefilters [PATH...]     (default: the generated 4,000-file repository)
 *
 * For each folder: the analysis with every rule reading every file (prefilters off) and with the
 * prefilters; per rule, the files its prefilter let through, the files it reported something in
 * (with the prefilters off), and any file it reported in that its prefilter would have skipped
 * (must be none: a prefilter may only save work). Then whether the two analyses found the same.
 */
import * as path from 'node:path';
import { allRules } from '../rules/index.generated';
import { isCodeRuleFile, wantsFile } from '../server/src/engine/codecheck';
import { Analyzer, initParser, listFiles, mergeConfig, NodeFileSystem, type AnalysisResult, type Finding } from '../server/src/engine';
import { benchRepo } from './repo-generator';

const root = path.resolve(__dirname, '..', '..');
const argv = process.argv.slice(2).filter((a) => a !== 'prefilters');

const key = (f: Finding) => `${f.code} ${f.file}:${f.range.start.line}:${f.range.start.character} ${f.message}`;
const same = (a: AnalysisResult, b: AnalysisResult) => a.findings.length === b.findings.length && a.findings.every((f, i) => key(f) === key(b.findings[i]));

async function main(): Promise<void> {
  await initParser();
  const targets = argv.length > 0 ? argv.map((p) => path.resolve(p)) : [benchRepo(root, 4000, 42)];
  const config = mergeConfig({});
  const rules = allRules.filter((r) => r.create || r.checkFile || r.checkTemplate);
  let unsound = 0;
  let differ = 0;
  for (const target of targets) {
    const off = new Analyzer({ rules: allRules, fs: new NodeFileSystem(), prefilters: false }).analyze(target, config);
    const on = new Analyzer({ rules: allRules, fs: new NodeFileSystem() }).analyze(target, config);
    const fs = new NodeFileSystem();
    const inv = listFiles(target, fs, config);
    const templates = new Set(on.projects.length > 0 ? inv.files.filter((f) => f.kind === 'template').map((f) => f.path) : []);
    console.log(`\n${target}: ${off.stats.parsed} files parsed without prefilters, ${on.stats.parsed} with (settings modules included); findings ${same(on, off) ? 'identical' : 'DIFFERENT'} (${on.findings.length})`);
    if (!same(on, off)) differ++;
    console.log(`  ${'rule'.padEnd(34)}${'matched'.padStart(8)}${'reported in'.padStart(13)}${'missed'.padStart(8)}   prefilter ms`);
    for (const r of rules) {
      const files = inv.files.filter((f) => (r.checkTemplate ? f.kind === 'template' && templates.has(f.path) : isCodeRuleFile(f, config) && wantsFile(r, f)));
      let matched = 0;
      let ms = 0;
      const letThrough = new Set<string>();
      for (const f of files) {
        const text = fs.readFile(f.path);
        if (text === undefined) continue;
        const t0 = performance.now();
        const hit = !r.prefilter || r.prefilter.test(text);
        ms += performance.now() - t0;
        if (hit) {
          matched++;
          letThrough.add(f.path);
        }
      }
      const reported = new Set(off.findings.filter((f) => f.code === r.meta.code).map((f) => f.file));
      const missed = [...reported].filter((f) => !letThrough.has(f));
      unsound += missed.length;
      console.log(`  ${`${r.meta.code} ${r.meta.name}`.padEnd(34)}${String(matched).padStart(8)}${String(reported.size).padStart(13)}${String(missed.length).padStart(8)}   ${ms.toFixed(1)}${missed.length ? `  MISSED: ${missed.slice(0, 3).join(', ')}` : ''}`);
    }
  }
  if (unsound > 0 || differ > 0) {
    console.log(`\n${unsound} file(s) with findings skipped by a prefilter; ${differ} folder(s) with different findings`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
