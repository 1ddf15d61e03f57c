/**
 * What the server tells the "Django Readiness" output at start-up, so a user can see what it
 * decided without guessing: its version and rule count; per workspace folder, the Django projects
 * found, the production settings module chosen and why (or the candidates when none could be
 * chosen), how many rules run under the configuration, and how long the first diagnostics took.
 * With djangoReadiness.logLevel = debug, every later analysis logs its timing too.
 */
import * as path from 'node:path';
import type { AnalysisResult, ProjectSummary } from '../engine/analyzer';
import { ruleEnabled } from '../engine/config';
import { unreadSentence } from '../engine/overrides';
import type { ServerContext } from './context';
import type { Folder, Folders } from './folders';

function rel(root: string, p: string): string {
  const r = path.relative(root, p);
  return r === '' ? '.' : r.split(path.sep).join('/');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What productionLine needs of a project (a ProjectSummary or the status item's StatusProject). */
export type ProductionOf = Pick<ProjectSummary, 'root' | 'productionModule' | 'productionDotted' | 'productionReason' | 'candidates' | 'overlays' | 'configuredMissing' | 'repository' | 'unread'>;

/**
 * One project's production-module line, the only one the output channel prints for it (at
 * start-up, and again when the choice changes): "Django project: production settings
 * mysite.settings (mysite/settings.py), chosen because the only settings.py", and its level
 * (a warning when no module could be chosen, an error when the configured one matches none).
 */
export function productionLine(folderRoot: string, p: ProductionOf): string {
  return productionLog(folderRoot, p).text;
}

export function productionLog(folderRoot: string, p: ProductionOf): { level: 'info' | 'warn' | 'error'; text: string } {
  const where = p.root === folderRoot ? '' : ` in ${rel(folderRoot, p.root)}`;
  const repository = p.repository ? `; deployment files: those of ${rel(folderRoot, p.repository.root)} (${p.repository.reason})` : '';
  if (p.productionModule) {
    const name = p.productionDotted ? `${p.productionDotted} (${rel(folderRoot, p.productionModule)})` : rel(folderRoot, p.productionModule);
    const overlays = p.overlays?.length ? `; with ${p.overlays.map((o) => rel(folderRoot, o)).join(', ')}` : '';
    const unread = p.unread?.length ? `; ${unreadSentence(p.unread, (f) => rel(folderRoot, f))}` : '';
    return { level: 'info', text: `Django project${where}: production settings ${name}, chosen because ${p.productionReason}${overlays}${unread}${repository}` };
  }
  const candidates = p.candidates?.length ? ` Candidates: ${p.candidates.join(', ')}.` : '';
  const configured = p.configuredMissing ? ` The configured module ${p.configuredMissing} matches no settings module; settings rules did not run.` : '';
  return {
    level: p.configuredMissing ? 'error' : 'warn',
    text: `Django project${where}: no production settings module (${p.productionReason}).${configured}${candidates} Set djangoReadiness.productionSettingsModule to choose one.${repository}`,
  };
}

export class StartupLog {
  private readonly reported = new Set<string>();

  constructor(
    private readonly ctx: ServerContext,
    private readonly folders: Folders,
    private readonly version: string,
  ) {}

  /** At initialize: the version and the workspace folders. */
  started(folders: { name: string; root: string }[]): void {
    this.ctx.host.log('info', `Django Readiness ${this.version}: language server started (Node ${process.version}, ${plural(this.ctx.rules.length, 'rule')})`);
    for (const f of folders) this.ctx.host.log('info', `Workspace folder ${f.name}: ${f.root}`);
  }

  /** After each publication of a folder's diagnostics: the first one is described in full. */
  published(f: Folder, result: AnalysisResult, files: number, analysisMs: number): void {
    const problems = result.findings.length;
    if (this.reported.has(f.uri)) {
      this.ctx.host.log('log', `${f.name}: analysed in ${Math.round(analysisMs)} ms, ${plural(problems, 'problem')}, diagnostics of ${plural(files, 'file')} published`);
      return;
    }
    this.reported.add(f.uri);
    const log = (m: string) => this.ctx.host.log('info', `${f.name}: ${m}`);
    const projects = result.projects.filter((p) => p.productionModule || p.settingsModules.length > 0 || p.productionReason !== 'no Django project found');
    if (projects.length === 0) log('no Django project (manage.py or a settings module) in this folder: nothing is reported here.');
    for (const p of projects) {
      const l = productionLog(f.root, p);
      this.ctx.host.log(l.level, `${f.name}: ${l.text}`);
    }
    const config = this.folders.configOf(f);
    const enabled = this.ctx.rules.filter((r) => ruleEnabled(config, r.meta.code)).length;
    const off = this.ctx.rules.length - enabled;
    log(`${plural(enabled, 'rule')} enabled${off > 0 ? `, ${off} switched off by the configuration` : ''}`);
    const accepted = result.suppressed?.length ?? 0;
    const since = Math.round(performance.now() - this.ctx.startedAt);
    const scanning = result.pending?.reduce((n, p) => n + p.files.length, 0) ?? 0;
    log(
      `first diagnostics ${since} ms after start (analysis ${Math.round(analysisMs)} ms): ${plural(problems, 'problem')}${accepted > 0 ? `, ${accepted} accepted` : ''} in ${plural(new Set(result.findings.map((x) => x.file)).size, 'file')}, ${result.stats.filesFound} files read` +
        (scanning > 0 ? `; ${plural(scanning, 'file')} left to the background scan` : ''),
    );
  }
}
