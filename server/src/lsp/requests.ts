/**
 * The requests that read the analysis: hover, and the custom ones (djangoReadiness/getStatus,
 * recheck, ruleDocs, rules, debugStats). Fix requests are in fixes.ts.
 */
import type { Hover, HoverParams } from 'vscode-languageserver';
import { renderRuleMarkdown } from '../engine/docs';
import { ruleDocUrl } from '../engine/rule';
import { comparePositions } from '../engine/text';
import type { Position, Range } from '../engine/types';
import type { DebugStats, RecheckParams, RecheckResult, RuleDocsParams, RuleDocsResult, RuleSummary, StatusParams } from '../protocol/messages';
import type { ServerContext } from './context';
import { renderFindingsHover } from './hover';
import type { Folders } from './folders';
import type { Publisher } from './publisher';
import type { Scheduler } from './scheduler';
import { uriToPath } from './uri';

function contains(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

export class Requests {
  constructor(
    private readonly ctx: ServerContext,
    private readonly folders: Folders,
    private readonly scheduler: Pick<Scheduler, 'ensureFresh' | 'analyzeFolder' | 'timings'>,
    private readonly publisher: Pick<Publisher, 'statusOf'>,
  ) {}

  async hover(params: HoverParams): Promise<Hover | null> {
    const file = uriToPath(params.textDocument.uri);
    const f = file ? this.folders.ownerOf(file) : undefined;
    if (f) await f.settingsReady;
    // a hover is explicit, but in onSave mode it must not analyse unsaved edits
    if (!file || !f || !this.scheduler.ensureFresh(f, f.settings.run !== 'onSave')) return null;
    const hits = (f.byFile.get(file) ?? []).filter((x) => contains(x.range, params.position));
    const value = renderFindingsHover(hits, this.ctx.metaByCode);
    if (value === undefined) return null;
    return { contents: { kind: 'markdown', value }, range: hits[0].range };
  }

  getStatus(): StatusParams[] {
    return this.folders.all().map((f) => f.status ?? this.publisher.statusOf(f));
  }

  recheck(params: RecheckParams | undefined): RecheckResult {
    const t0 = performance.now();
    const folders = this.folders.all().filter((f) => !params?.uri || f.uri === params.uri);
    this.ctx.diskFs.clear();
    let findings = 0;
    for (const f of folders) {
      f.inventory = undefined;
      f.config = undefined;
      f.analyzer.invalidate();
      f.analyzer.cache.clear();
      f.generation++;
      this.scheduler.analyzeFolder(f);
      findings += f.result?.findings.length ?? 0;
    }
    return { folders: folders.length, findings, ms: performance.now() - t0 };
  }

  ruleDocs(params: RuleDocsParams | undefined): RuleDocsResult | null {
    const code = typeof params?.code === 'string' ? params.code.trim().toUpperCase() : '';
    const meta = this.ctx.metaByCode.get(code) ?? this.ctx.rules.find((r) => r.meta.name === params?.code)?.meta;
    if (!meta) return null;
    return { code: meta.code, name: meta.name, markdown: renderRuleMarkdown(meta), url: ruleDocUrl(meta) };
  }

  listRules(): RuleSummary[] {
    return [...this.ctx.rules]
      .sort((a, b) => a.meta.code.localeCompare(b.meta.code))
      .map(({ meta }) => ({ code: meta.code, name: meta.name, category: meta.category, severity: meta.severity, message: meta.message, fix: meta.fix, deprecated: meta.deprecated }));
  }

  debugStats(params?: { gc?: boolean }): DebugStats {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (params?.gc && gc) gc();
    const m = process.memoryUsage();
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      folders: this.folders.all().map((f) => ({ uri: f.uri, files: f.inventory?.files.length ?? 0, pythonFiles: f.result?.stats.pythonFiles ?? 0, findings: f.result?.findings.length ?? 0 })),
      timings: [...this.scheduler.timings],
    };
  }
}
