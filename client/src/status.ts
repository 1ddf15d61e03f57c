/**
 * The language status item ({} in the status bar next to the language): the production
 * settings module of the current file's folder and its error/warning counts, from the server's
 * djangoReadiness/status notifications. Clicking it chooses the production module.
 */
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol/messages';
import { COMMANDS } from './commandIds';
import { DOCUMENT_SELECTOR, type DocumentFilterSpec } from './selector';
import { presentStatus, statusFor } from './statusModel';

const SEVERITY: Record<'info' | 'warning' | 'error', vscode.LanguageStatusSeverity> = {
  info: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly statuses = new Map<string, StatusParams>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(selector: DocumentFilterSpec[] = DOCUMENT_SELECTOR) {
    this.item = vscode.languages.createLanguageStatusItem('djangoReadiness.status', selector);
    this.item.name = 'Django Readiness';
    this.item.command = { command: COMMANDS.chooseProductionSettingsModule, title: 'Choose…', tooltip: 'Choose the production settings module' };
    this.disposables.push(this.item, vscode.window.onDidChangeActiveTextEditor(() => this.render()));
    this.render();
  }

  update(s: StatusParams): void {
    this.statuses.set(s.uri, s);
    this.render();
  }

  reset(): void {
    this.statuses.clear();
    this.render();
  }

  all(): StatusParams[] {
    return [...this.statuses.values()];
  }

  private render(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    const s = statusFor(this.all(), (uri) => vscode.Uri.parse(uri).fsPath, active?.scheme === 'file' ? active.fsPath : undefined);
    const p = presentStatus(s);
    this.item.text = p.text;
    this.item.detail = p.detail;
    this.item.command = { command: COMMANDS.chooseProductionSettingsModule, title: 'Choose…', tooltip: p.reason ? `Production settings chosen because: ${p.reason}. Choose another module` : 'Choose the production settings module' };
    this.item.severity = SEVERITY[p.severity];
    this.item.busy = s === undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
