/**
 * Code actions and fixes: quick fixes (each fix of the findings under the cursor, "Fix all
 * DJRxxx problems in this file", "Disable DJRxxx for this line" / "for this file", "Show
 * documentation", and "Fix all django-readiness problems": the file's safe fixes), fix-all
 * (`source.fixAll.djangoReadiness`, on save) and the checklist's "Apply fix" by fix id.
 *
 * Fix-all runs the engine's one loop (engine/fixAll.ts), each pass analysed through the folder's
 * analyzer against the texts of the previous one. Every change goes through engine/apply.ts
 * `checkChanges`, and its edits reach the client 1:1 (lsp/edits.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionKind, CodeActionTriggerKind, type CodeAction, type CodeActionParams, type WorkspaceEdit } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyzer';
import { changesOfFix, checkChanges } from '../engine/apply';
import { findFix, fixToApply } from '../engine/fix';
import { fixAllSync, type FileChange, type FixAllOptions, type FixAllResult } from '../engine/fixAll';
import { classify, listFiles } from '../engine/project';
import { comparePositions } from '../engine/text';
import type { Config, Range } from '../engine/types';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, SERVER_APPLY_FIX_COMMAND, SHOW_RULE_DOCUMENTATION_COMMAND, type ApplyFixParams, type ApplyFixResult, type FixAllParams } from '../protocol/messages';
import { DiskWriter, NodeFileSystem } from '../engine/project';
import type { ServerContext } from './context';
import { findingDiagnostic } from './diagnostics';
import { workspaceEditOf } from './edits';
import type { Folder, Folders } from './folders';
import { ignoreEdit, ignoreFileEdit } from './ignore';
import type { Scheduler } from './scheduler';
import { uriToPath } from './uri';

function overlapsOrTouches(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

function kindMatches(kind: string, only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => o === '' || kind === o || kind.startsWith(o + '.'));
}

export class Fixes {
  constructor(
    private readonly ctx: ServerContext,
    private readonly folders: Folders,
    private readonly scheduler: Pick<Scheduler, 'ensureFresh'>,
  ) {}

  // ---------------------------------------------------------------- changes -> WorkspaceEdit

  /** The problems that forbid sending `changes` to the editor (engine/apply.ts checkChanges). */
  private problemsOf(f: Folder, changes: FileChange[]): string[] {
    // inside the folder, regular files, no link on the way, unchanged, encodings the editor keeps
    return checkChanges(changes, { root: f.root, fs: this.ctx.fs, editor: { isOpen: (p) => this.ctx.docVersion(p) !== null } });
  }

  /**
   * Whether a fix the client cannot apply as a WorkspaceEdit (it creates a file and the client
   * cannot create files) can go through the server command instead (SERVER_APPLY_FIX_COMMAND).
   */
  private viaCommand(f: Folder, changes: FileChange[]): boolean {
    return !this.ctx.canCreateFiles && changes.some((c) => c.before === undefined) && this.ctx.nodeFs instanceof NodeFileSystem && this.problemsOf(f, changes).length === 0;
  }

  /** The WorkspaceEdit of checked changes (undefined: a check failed, or the client cannot apply it). */
  private workspaceEdit(f: Folder, changes: FileChange[]): WorkspaceEdit | undefined {
    const problems = this.problemsOf(f, changes);
    if (problems.length > 0) {
      this.ctx.host.log('warn', `A fix was not offered: ${problems.join('; ')}`);
      return undefined;
    }
    const edit = workspaceEditOf(changes, {
      uriOf: (p) => this.ctx.uriOf(p),
      versionOf: (p) => this.ctx.docVersion(p),
      documentChanges: this.ctx.documentChanges,
      canCreateFiles: this.ctx.canCreateFiles,
    });
    if (!edit) this.ctx.host.log('info', `The client cannot create files: the fix that creates ${changes.filter((c) => c.before === undefined).map((c) => path.basename(c.file)).join(', ')} is not offered.`);
    return edit;
  }

  // ---------------------------------------------------------------- fix-all

  /** Analyses the folder as if `texts` were the files' contents (the overlay is restored). */
  private analyzeWith(f: Folder, config: Config, texts: ReadonlyMap<string, string>): AnalysisResult {
    const fs = this.ctx.fs;
    const saved = new Map<string, string | undefined>();
    let inventory = f.inventory ?? listFiles(f.root, fs, config);
    const created = [...texts.keys()].filter((p) => !fs.exists(p) && !inventory.files.some((x) => x.path === p));
    if (created.length > 0) {
      const extra = created.flatMap((p) => {
        const kind = classify(p);
        return kind ? [{ path: p, kind }] : [];
      });
      inventory = { ...inventory, files: [...inventory.files, ...extra].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
    }
    for (const [p, t] of texts) {
      saved.set(p, fs.overlay.get(p));
      fs.overlay.set(p, t);
    }
    try {
      return f.analyzer.analyze(f.root, config, inventory);
    } finally {
      for (const [p, t] of saved) {
        if (t === undefined) fs.overlay.delete(p);
        else fs.overlay.set(p, t);
      }
    }
  }

  /** The engine's fix-all loop over a folder's current findings (nothing applied). `allowCreate`: the server creates files itself (applyFix). */
  private runFixAll(f: Folder, opts: Omit<FixAllOptions, 'accept'> & { allowCreate?: boolean }): FixAllResult {
    const config = this.folders.configOf(f);
    const canCreate = this.ctx.canCreateFiles || (!!opts.allowCreate && this.ctx.nodeFs instanceof NodeFileSystem);
    const leftOut = new Set<string>();
    const res = fixAllSync(
      { read: (p) => this.ctx.fs.readFile(p), analyze: (texts) => this.analyzeWith(f, config, texts).findings },
      // a client that cannot create files gets the other fixes (each fix is whole or absent)
      {
        ...opts,
        accept: (fix, texts) => {
          if (canCreate || !fix.edits.some((e) => e.create && !texts.has(e.file))) return true;
          leftOut.add(fix.title);
          return false;
        },
      },
      f.result?.findings ?? [],
    );
    // said, not silent: the quick fix of each one runs as the server command
    if (leftOut.size > 0) {
      this.ctx.host.log(
        'info',
        `Fix-all left out ${leftOut.size} fix${leftOut.size === 1 ? '' : 'es'} that create${leftOut.size === 1 ? 's' : ''} a file (${[...leftOut].join('; ')}): this editor cannot create files in an edit (no workspaceEdit.documentChanges / create). Apply ${leftOut.size === 1 ? 'it' : 'each'} from its quick fix: the server runs it (command ${SERVER_APPLY_FIX_COMMAND}).`,
      );
    }
    return res;
  }

  /** The fix-all WorkspaceEdit for one file (undefined when there is nothing to fix). */
  fixAllEdit(f: Folder, file: string, unsafe: boolean, codes?: Set<string>): WorkspaceEdit | undefined {
    const res = this.runFixAll(f, { applicability: unsafe ? 'unsafe' : 'safe', include: (x) => x.file === file && (!codes || codes.has(x.code)) });
    if (res.changes.length === 0) return undefined;
    return this.workspaceEdit(f, res.changes);
  }

  // ---------------------------------------------------------------- code actions

  async codeAction(params: CodeActionParams): Promise<CodeAction[]> {
    const file = uriToPath(params.textDocument.uri);
    if (!file) return [];
    const f = this.folders.ownerOf(file);
    if (!f) return [];
    await f.settingsReady;
    const only = params.context.only;
    const wantsFixAll = !!only && only.some((o) => kindMatches(FIX_ALL_KIND, [o]));
    const wantsQuick = kindMatches(CodeActionKind.QuickFix, only);
    // Automatic requests (the lightbulb after a cursor move) while an analysis is pending get
    // nothing: VS Code asks again when the diagnostics change. Explicit ones (Ctrl+., fix-all
    // on save, an old client without triggerKind) analyse now.
    const explicit = params.context.triggerKind !== CodeActionTriggerKind.Automatic || wantsFixAll;
    if (!this.scheduler.ensureFresh(f, explicit)) return [];
    const actions: CodeAction[] = [];
    if (wantsQuick) actions.push(...this.quickFixes(f, file, params));
    if (wantsFixAll) {
      const edit = this.fixAllEdit(f, file, false);
      if (edit) actions.push({ title: 'Fix all safe django-readiness problems', kind: FIX_ALL_KIND, edit });
    }
    return actions;
  }

  private quickFixes(f: Folder, file: string, params: CodeActionParams): CodeAction[] {
    const findings = f.byFile.get(file) ?? [];
    const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const matched = findings.filter((x) => overlapsOrTouches(x.range, params.range) || ours.some((d) => d.code === x.code && sameRange(d.range, x.range)));
    if (matched.length === 0) return [];
    const fixes: CodeAction[] = [];
    const extras: CodeAction[] = [];
    const seen = new Set<string>();
    const read = (p: string) => this.ctx.fs.readFile(p);
    for (const finding of matched) {
      const diagnostic = findingDiagnostic(finding).diagnostic;
      let preferredGiven = false;
      finding.fixes.forEach((fix, i) => {
        const changes = this.ctx.guardValue('fix edit', () => changesOfFix(read, fix), []);
        // a client that cannot create files: a fix creating one is run by the server (a command)
        const command = this.viaCommand(f, changes) ? { title: fix.title, command: SERVER_APPLY_FIX_COMMAND, arguments: [{ uri: f.uri, id: fix.id }] } : undefined;
        const edit = command ? undefined : this.ctx.guardValue('fix edit', () => this.workspaceEdit(f, changes), undefined);
        if (!edit && !command) return;
        const preferred = !preferredGiven && (fix.preferred ?? (fix.applicability === 'safe' || (i === 0 && finding.fixes.length === 1)));
        if (preferred) preferredGiven = true;
        const action: CodeAction = edit ? { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit } : { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command };
        if (preferred) action.isPreferred = true;
        fixes.push(action);
      });
      const code = finding.code;
      const fixable = findings.filter((x) => x.code === code && fixToApply(x, true));
      if (fixable.length > 1 && !seen.has(`all|${code}`)) {
        seen.add(`all|${code}`);
        const action: CodeAction = { title: `Fix all ${code} problems in this file`, kind: CodeActionKind.QuickFix, data: { type: 'fixAllCode', uri: params.textDocument.uri, code } };
        if (!this.ctx.resolveSupport) {
          const edit = this.ctx.guardValue('fix-all edit', () => this.fixAllEdit(f, file, true, new Set([code])), undefined);
          if (edit) action.edit = edit;
          else delete action.data;
        }
        if (action.edit || action.data) extras.push(action);
      }
      const line = finding.range.start.line;
      if (!seen.has(`ignore|${code}|${line}`)) {
        seen.add(`ignore|${code}|${line}`);
        const text = read(file);
        const e = text === undefined ? null : ignoreEdit(file, text, line, code);
        const edit = e && text !== undefined ? this.workspaceEdit(f, [{ file, before: text, after: text.slice(0, e.start) + e.newText + text.slice(e.end), edits: [e] }]) : undefined;
        if (edit) extras.push({ title: `Disable ${code} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
      }
      if (!seen.has(`ignoreFile|${code}`)) {
        seen.add(`ignoreFile|${code}`);
        const text = read(file);
        const e = text === undefined ? null : ignoreFileEdit(file, text, code);
        const edit = e && text !== undefined ? this.workspaceEdit(f, [{ file, before: text, after: text.slice(0, e.start) + e.newText + text.slice(e.end), edits: [e] }]) : undefined;
        if (edit) extras.push({ title: `Disable ${code} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
      }
      if (!seen.has(`doc|${code}`)) {
        seen.add(`doc|${code}`);
        extras.push({ title: `Show documentation for ${code}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: `Show documentation for ${code}`, command: SHOW_RULE_DOCUMENTATION_COMMAND, arguments: [code] } });
      }
    }
    // like ESLint's "Fix all auto-fixable problems": the file's safe fixes, from the quick-fix menu
    if (findings.some((x) => fixToApply(x, false))) {
      const all: CodeAction = { title: 'Fix all django-readiness problems', kind: CodeActionKind.QuickFix, data: { type: 'fixAllFile', uri: params.textDocument.uri } };
      if (!this.ctx.resolveSupport) {
        const edit = this.ctx.guardValue('fix-all edit', () => this.fixAllEdit(f, file, false), undefined);
        if (edit) all.edit = edit;
        delete all.data;
      }
      if (all.edit || all.data) extras.push(all);
    }
    return [...fixes, ...extras];
  }

  async codeActionResolve(action: CodeAction): Promise<CodeAction> {
    const data = action.data as { type?: string; uri?: string; code?: string } | undefined;
    const byCode = data?.type === 'fixAllCode' && typeof data.code === 'string';
    if ((!byCode && data?.type !== 'fixAllFile') || typeof data?.uri !== 'string') return action;
    const file = uriToPath(data.uri);
    const f = file ? this.folders.ownerOf(file) : undefined;
    if (!file || !f) return action;
    await f.settingsReady;
    this.scheduler.ensureFresh(f, true);
    // one rule's problems: every fix but display-only ones (the user asked for them); all: the safe ones
    const edit = byCode ? this.fixAllEdit(f, file, true, new Set([data.code!])) : this.fixAllEdit(f, file, false);
    return { ...action, edit: edit ?? { changes: {} } };
  }

  // ---------------------------------------------------------------- custom requests

  /** djangoReadiness/fixAll: the fix-all edit of one file (the "Fix All Safe Problems" command). */
  async fixAll(params: FixAllParams | undefined): Promise<WorkspaceEdit | null> {
    const file = params?.uri ? uriToPath(params.uri) : undefined;
    const f = file ? this.folders.ownerOf(file) : undefined;
    if (!file || !f) return null;
    await f.settingsReady;
    this.scheduler.ensureFresh(f, true);
    return this.fixAllEdit(f, file, !!params?.unsafe) ?? null;
  }

  /**
   * djangoReadiness/applyFix: applies the fix with this id (the checklist's "Apply fix"), found
   * again in the folder's current analysis, through the engine's fix-all loop (passes repeat
   * while that fix still changes something, e.g. keys added to an empty dict one per pass), and
   * asks the client to apply the edit (workspace/applyEdit). The client never computes edits.
   */
  async applyFix(params: ApplyFixParams | undefined): Promise<ApplyFixResult> {
    const id = typeof params?.id === 'string' ? params.id : '';
    const f = typeof params?.uri === 'string' ? this.folders.byUri(params.uri) : undefined;
    if (!f || !id) return { applied: false, message: !f ? 'unknown workspace folder' : 'no fix id' };
    await f.settingsReady;
    if (!this.scheduler.ensureFresh(f, true) || !f.result) return { applied: false, message: 'the folder has not been analysed' };
    const found = findFix(f.result.findings, id);
    if (!found) return { applied: false, message: 'This fix no longer applies: the files changed since the checklist was shown. Refresh and try again.' };
    const { fix } = found;
    const res = this.runFixAll(f, { applicability: 'unsafe', ids: new Set([id]), allowCreate: true });
    if (res.changes.length === 0) return { applied: false, title: fix.title, message: 'The fix changes nothing.' };
    const created: string[] = [];
    let changes = res.changes;
    if (this.viaCommand(f, changes)) {
      // the client cannot create files: the server creates them empty (same checks as every
      // fix), the client fills them in with the text edits
      try {
        const news = changes.filter((c) => c.before === undefined);
        new DiskWriter(this.ctx.nodeFs as NodeFileSystem).writeAll(news.map((c) => ({ file: c.file, before: undefined, after: '' })));
        for (const c of news) {
          created.push(c.file);
          this.ctx.diskFs.invalidate(c.file);
        }
        changes = changes.map((c) => (c.before === undefined ? { ...c, before: '' } : c));
      } catch (e) {
        return { applied: false, title: fix.title, message: (e as Error).message };
      }
    }
    const edit = this.workspaceEdit(f, changes);
    const undo = () => {
      for (const p of created) {
        try {
          if (fs.readFileSync(p, 'utf8') === '') fs.unlinkSync(p);
        } catch {
          /* gone already */
        }
        this.ctx.diskFs.invalidate(p);
      }
    };
    if (!edit) {
      undo();
      return { applied: false, title: fix.title, message: 'The fix cannot be applied here (see the Django Readiness log).' };
    }
    const r = await this.ctx.host.applyEdit(fix.title, edit);
    if (!r.applied) undo();
    return r.applied ? { applied: true, title: fix.title, files: res.changes.map((c) => c.file) } : { applied: false, title: fix.title, message: r.failureReason ?? 'The editor did not apply the edit (the file changed meanwhile?).' };
  }

  /** workspace/executeCommand: SERVER_APPLY_FIX_COMMAND (a fix creating files, for a client that cannot create them). */
  async executeCommand(command: string, args: unknown[] | undefined): Promise<ApplyFixResult | null> {
    if (command !== SERVER_APPLY_FIX_COMMAND) return null;
    const a = (args?.[0] ?? {}) as ApplyFixParams;
    const r = await this.applyFix(a);
    if (!r.applied) this.ctx.host.log('warn', `${r.title ?? 'The fix'} was not applied: ${r.message ?? ''}`);
    return r;
  }

}
