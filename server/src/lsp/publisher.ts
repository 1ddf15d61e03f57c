/**
 * Publishing: a folder's findings and notes as diagnostics (only the files whose diagnostics
 * changed since the last publication, plus the open documents whose version moved), and its
 * status notification.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { hasProject } from '../engine/checklist/model';
import { classify } from '../engine/project';
import type { Severity } from '../engine/types';
import { STATUS_NOTIFICATION, type StatusParams } from '../protocol/messages';
import type { ServerContext } from './context';
import { findingDiagnostic, noteDiagnostic, noteSignature } from './diagnostics';
import type { Folder, Folders } from './folders';
import { productionLog } from './startupLog';
import { isInside, pathToUri } from './uri';

const ZERO_COUNTS = (): Record<Severity, number> => ({ error: 0, warning: 0, info: 0, hint: 0 });

export class Publisher {
  constructor(
    private readonly ctx: ServerContext,
    private readonly folders: Pick<Folders, 'ownerOf'>,
  ) {}

  /** Clears every diagnostic published for a folder (it is going away). */
  clear(f: Folder): void {
    for (const file of f.published.keys()) this.ctx.host.publishDiagnostics({ uri: this.ctx.uriOf(file), diagnostics: [] });
    f.published.clear();
  }

  /**
   * Publishes the diagnostics of the folder's files that changed since the last publication
   * (plus the open documents whose version changed, so the editor knows they are current),
   * and clears the files that no longer have any. `only`: publish these files regardless.
   * Returns the number of publications sent.
   */
  publishFolder(f: Folder, only?: Set<string>): number {
    const { host, docs, fs } = this.ctx;
    const result = f.result;
    if (!result) return 0;
    const diags = new Map<string, { list: Diagnostic[]; sig: string[] }>();
    const add = (file: string, d: Diagnostic, sig: string) => {
      let e = diags.get(file);
      if (!e) diags.set(file, (e = { list: [], sig: [] }));
      e.list.push(d);
      e.sig.push(sig);
    };
    for (const [file, findings] of f.byFile) {
      for (const finding of findings) {
        const c = findingDiagnostic(finding);
        add(file, c.diagnostic, c.signature);
      }
    }
    // One diagnostic per note and file (a failed rule: per rule and file), each failure logged
    // with its stack when it first appears (not again on every re-analysis while it persists).
    const seen = new Set<string>();
    const failures = new Set<string>();
    for (const n of result.notes) {
      if (n.kind === 'syntax-error') continue;
      let file = n.file;
      if (n.kind === 'rule-failed') {
        // project rules fail "on" the project folder: show it on manage.py
        if (!classify(file) && fs.exists(path.join(file, 'manage.py'))) file = path.join(file, 'manage.py');
        const key = `${n.code ?? ''}|${file}|${n.message}`;
        failures.add(key);
        if (!f.loggedFailures.has(key)) host.log('error', `${n.message} (${file})${n.detail ? `\n${n.detail}` : ''}`);
      }
      const d = noteDiagnostic(n);
      const key = d ? `${file}\u0000${n.kind === 'rule-failed' ? `failed|${n.code ?? n.message}` : noteSignature(d)}` : '';
      if (seen.has(key)) continue;
      seen.add(key);
      if (!classify(file) || this.folders.ownerOf(file) !== f) {
        if (n.kind !== 'rule-failed') host.log('info', n.message);
        continue;
      }
      if (d) add(file, d, noteSignature(d));
    }
    f.loggedFailures = failures;
    for (const p of f.configProblems) {
      if (this.folders.ownerOf(p.file) !== f && !isInside(path.dirname(p.file), f.root)) continue;
      const d = noteDiagnostic({ file: p.file, kind: 'info', message: p.message });
      if (d) add(p.file, d, noteSignature(d));
    }
    // what the Problems panel will list for this folder, by severity
    const counts = ZERO_COUNTS();
    const SEVERITY_OF = ['error', 'error', 'warning', 'info', 'hint'] as const;
    for (const e of diags.values()) for (const d of e.list) counts[SEVERITY_OF[d.severity ?? 1]]++;
    f.diagnosticCounts = counts;
    let count = 0;
    const send = (file: string, list: Diagnostic[], sig: string) => {
      const open = docs.get(file);
      host.publishDiagnostics({ uri: open?.uri ?? pathToUri(file), version: open?.doc.version, diagnostics: list });
      f.published.set(file, open ? `${sig}\u0000v${open.doc.version}` : sig);
      count++;
    };
    for (const [file, e] of diags) {
      const open = docs.get(file);
      const sig = e.sig.join('\n');
      const key = open ? `${sig}\u0000v${open.doc.version}` : sig;
      if (only ? only.has(file) : f.published.get(file) !== key) send(file, e.list, sig);
    }
    for (const file of [...f.published.keys()]) {
      if (diags.has(file)) continue;
      if (only && !only.has(file)) continue;
      f.published.delete(file);
      // a nested folder took the file over: its own publication (if any) must not be erased
      const owner = this.folders.ownerOf(file);
      if (owner && owner !== f && owner.published.has(file)) continue;
      host.publishDiagnostics({ uri: this.ctx.uriOf(file), version: docs.get(file)?.doc.version, diagnostics: [] });
      count++;
    }
    // open documents of this folder without any diagnostic whose version moved: confirm "none"
    for (const [file, open] of docs) {
      if (diags.has(file) || (only && !only.has(file)) || this.folders.ownerOf(file) !== f) continue;
      const key = `\u0000v${open.doc.version}`;
      if (f.published.get(file) === key) continue;
      host.publishDiagnostics({ uri: open.uri, version: open.doc.version, diagnostics: [] });
      f.published.set(file, key);
      count++;
    }
    return count;
  }

  statusOf(f: Folder): StatusParams {
    const counts = { ...f.diagnosticCounts };
    const r = f.result;
    return {
      uri: f.uri,
      enabled: f.config?.enable ?? true,
      hasDjangoProject: r ? hasProject(r) : false,
      projects: (r?.projects ?? []).map((p) => ({
        root: p.root,
        productionModule: p.productionModule,
        productionDotted: p.productionDotted,
        productionReason: p.productionReason,
        ...(p.candidates ? { candidates: p.candidates } : {}),
        ...(p.overlays ? { overlays: p.overlays } : {}),
        ...(p.configuredMissing ? { configuredMissing: p.configuredMissing } : {}),
        ...(p.repository ? { repository: p.repository } : {}),
        ...(p.unread ? { unread: p.unread } : {}),
        settingsModules: p.settingsModules,
      })),
      counts,
      files: f.byFile.size,
      ms: Math.round((r?.stats.ms ?? 0) * 10) / 10,
    };
  }

  /**
   * Logs which module is production for each project of the folder, and why, when that changes
   * after start-up (the start-up log, StartupLog.published, prints the first choice: the same
   * line, once).
   */
  private logProduction(f: Folder, s: StatusParams): void {
    const lines = s.projects.map((p) => productionLog(f.root, p));
    const key = lines.map((l) => l.text).join('\n');
    if (key === f.productionLogged) return;
    const first = f.productionLogged === undefined;
    f.productionLogged = key;
    if (first) return;
    for (const l of lines) this.ctx.host.log(l.level, `${f.name}: ${l.text}`);
  }

  /** Sends the folder's status when it changed (the duration aside). */
  sendStatus(f: Folder): void {
    const s = this.statusOf(f);
    this.logProduction(f, s);
    f.status = s;
    const key = JSON.stringify({ ...s, ms: 0 });
    if (key === f.statusKey) return;
    f.statusKey = key;
    this.ctx.host.sendNotification(STATUS_NOTIFICATION, s);
  }
}
