/** The checklist in the CLI: the JSON `checklist` array and `django-readiness report`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../../rules/index.generated';
import {
  Analyzer,
  buildChecklist,
  checklistJsonItems,
  isoDate,
  loadManualState,
  loadPyprojectConfig,
  mergeConfig,
  NodeFileSystem,
  renderMarkdownReport,
  type AnalysisResult,
  type FileSystem,
  type PartialConfig,
} from '../engine';
import { jsonSummary, type JsonChecklistItem, type JsonSummary } from './formatters';
import type { CliIO } from './run';

export function checklistJson(fsys: FileSystem, root: string, result: AnalysisResult): { items: JsonChecklistItem[]; summary: JsonSummary } {
  const report = buildChecklist(result, loadManualState(fsys, root), allRules);
  return { items: checklistJsonItems(report), summary: jsonSummary(report) };
}

/** Analyses `target` and writes the Markdown report to `output` (or stdout). Returns the path written. */
export async function writeReport(target: string, output: string | undefined, cli: PartialConfig, io: CliIO): Promise<string | undefined> {
  const root = path.resolve(io.cwd, target);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`not a folder: ${target}`);
  const fsys = new NodeFileSystem();
  const config = mergeConfig(loadPyprojectConfig(fsys, root), cli);
  const result = new Analyzer({ rules: allRules, fs: fsys }).analyze(root, config);
  const report = buildChecklist(result, loadManualState(fsys, root), allRules);
  const outFile = output ? path.resolve(io.cwd, output) : undefined;
  const md = renderMarkdownReport(report, { root: outFile ? path.dirname(outFile) : root, date: config.today ?? isoDate() });
  if (!outFile) {
    io.stdout.write(md);
    return undefined;
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, md);
  return outFile;
}
