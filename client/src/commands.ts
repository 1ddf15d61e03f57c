/** The command table of the extension (ids and titles in commandIds.ts and package.json). */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkspaceEdit } from 'vscode-languageclient';
import {
  FIX_ALL_REQUEST,
  GET_STATUS_REQUEST,
  RECHECK_REQUEST,
  RULES_REQUEST,
  type FixAllParams,
  type RecheckResult,
  type RuleSummary,
  type StatusParams,
} from '../../server/src/protocol/messages';
import { SETTINGS_SECTION } from '../../server/src/protocol/settings';
import { COMMANDS, type CommandName } from './commandIds';
import type { RuleDocsProvider } from './ruleDocs';
import type { StatusItem } from './status';
import { productionChoices } from './statusModel';

export interface CommandDeps {
  client: () => LanguageClient | undefined;
  output: vscode.OutputChannel;
  status: StatusItem;
  docs: RuleDocsProvider;
  restart: () => Promise<void>;
}

function running(deps: CommandDeps): LanguageClient | undefined {
  const c = deps.client();
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage('The Django Readiness language server is not running.', 'Show Logs').then((a) => a && deps.output.show(true));
    return undefined;
  }
  return c;
}

async function fixAllInFile(deps: CommandDeps, uri?: vscode.Uri): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showInformationMessage('Open a file to fix.');
    return;
  }
  const c = running(deps);
  if (!c) return;
  const edit = await c.sendRequest<WorkspaceEdit | null>(FIX_ALL_REQUEST, { uri: c.code2ProtocolConverter.asUri(target), unsafe: false } satisfies FixAllParams);
  if (!edit) {
    void vscode.window.showInformationMessage('No safe Django Readiness fixes for this file (unsafe fixes are offered one by one as quick fixes).');
    return;
  }
  const ok = await vscode.workspace.applyEdit(await c.protocol2CodeConverter.asWorkspaceEdit(edit));
  if (!ok) void vscode.window.showErrorMessage('The fixes could not be applied: the file changed meanwhile. Try again.');
}

async function recheck(deps: CommandDeps): Promise<void> {
  const c = running(deps);
  if (!c) return;
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Django Readiness: re-checking the workspace' }, () => c.sendRequest<RecheckResult>(RECHECK_REQUEST, {}));
  vscode.window.setStatusBarMessage(`Django Readiness: ${r.findings} finding${r.findings === 1 ? '' : 's'} in ${r.folders} folder${r.folders === 1 ? '' : 's'} (${Math.round(r.ms)} ms)`, 5000);
}

async function showRuleDocumentation(deps: CommandDeps, code?: unknown): Promise<void> {
  let rule = typeof code === 'string' && code.trim() ? code.trim() : undefined;
  if (!rule) {
    const c = running(deps);
    if (!c) return;
    const rules = await c.sendRequest<RuleSummary[]>(RULES_REQUEST, {});
    const pick = await vscode.window.showQuickPick(
      rules.map((r) => ({ label: r.code, description: r.name, detail: r.message, code: r.code })),
      { placeHolder: 'Show the documentation of which rule?', matchOnDescription: true, matchOnDetail: true },
    );
    rule = pick?.code;
  }
  if (rule) await deps.docs.show(rule);
}

async function chooseProductionSettingsModule(deps: CommandDeps): Promise<void> {
  let statuses: StatusParams[] = deps.status.all();
  const c = deps.client();
  if (c?.isRunning()) {
    try {
      statuses = await c.sendRequest<StatusParams[]>(GET_STATUS_REQUEST, {});
    } catch {
      /* keep the last notified statuses */
    }
  }
  const folderName = (uri: string) => vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri))?.name ?? vscode.Uri.parse(uri).fsPath;
  const choices = productionChoices(statuses, folderName);
  if (choices.length === 0) {
    void vscode.window.showInformationMessage('No Django project has been analysed yet.');
    return;
  }
  const pick = await vscode.window.showQuickPick(
    choices.map((ch) => ({ label: ch.label, description: ch.description, detail: ch.detail, choice: ch })),
    { placeHolder: 'Which settings module runs in production? (written to djangoReadiness.productionSettingsModule)', matchOnDetail: true },
  );
  if (!pick) return;
  const folderUri = vscode.Uri.parse(pick.choice.folderUri);
  const folder = vscode.workspace.getWorkspaceFolder(folderUri);
  const target = folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri).update('productionSettingsModule', pick.choice.value, target);
}

/** Registers every command of the table; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const table: Record<CommandName, (...args: unknown[]) => unknown> = {
    restartServer: () => deps.restart(),
    showLogs: () => deps.output.show(true),
    fixAllInFile: (uri) => fixAllInFile(deps, uri as vscode.Uri | undefined),
    recheckWorkspace: () => recheck(deps),
    showRuleDocumentation: (code) => showRuleDocumentation(deps, code),
    chooseProductionSettingsModule: () => chooseProductionSettingsModule(deps),
  };
  return (Object.keys(table) as CommandName[]).map((name) =>
    vscode.commands.registerCommand(COMMANDS[name], async (...args: unknown[]) => {
      try {
        await table[name](...args);
      } catch (e) {
        deps.output.appendLine(`[command ${COMMANDS[name]}] ${(e as Error).stack ?? String(e)}`);
        void vscode.window.showErrorMessage(`Django Readiness: ${(e as Error).message}`);
      }
    }),
  );
}
