/**
 * The VS Code extension: wiring only. The language client (languageClient.ts) runs the bundled
 * server; the status item, the rule documentation, the commands and the checklist view are
 * plugged onto it here.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { STATUS_NOTIFICATION, type StatusParams } from '../../server/src/protocol/messages';
import { registerChecklist } from './checklist/checklistView';
import { registerCommands } from './commands';
import { createLanguageClient } from './languageClient';
import { RuleDocsProvider } from './ruleDocs';
import { DJANGO_SEARCH_EXCLUDE, documentSelector } from './selector';
import { StatusItem } from './status';

let client: LanguageClient | undefined;

/** What activate() returns: read-only access for integration tests and other extensions. */
export interface DjangoReadinessApi {
  /** The checklist view's data provider (undefined until the server has started). */
  readonly checklist: vscode.TreeDataProvider<unknown> | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<DjangoReadinessApi> {
  const api: { checklist: vscode.TreeDataProvider<unknown> | undefined } = { checklist: undefined };
  const output = vscode.window.createOutputChannel('Django Readiness', { log: true });
  // Django templates (.html) are synced only where there is a Django project
  const django = (await vscode.workspace.findFiles('**/manage.py', DJANGO_SEARCH_EXCLUDE, 1)).length > 0;
  const selector = documentSelector(django);
  const status = new StatusItem(selector);
  const docs = new RuleDocsProvider(() => client);
  client = createLanguageClient(context, output, selector);
  const views: { checklist?: ReturnType<typeof registerChecklist> } = {};
  // one notification feeds the status item and the view's badge: the same counts as the Problems panel
  context.subscriptions.push(output, status, docs, client.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => {
    status.update(p);
    views.checklist?.setStatus(p);
  }));
  context.subscriptions.push(
    ...registerCommands({
      client: () => client,
      output,
      status,
      docs,
      restart: async () => {
        status.reset();
        await client?.restart();
      },
    }),
  );
  try {
    await client.start();
  } catch (e) {
    output.appendLine(`The language server could not start: ${(e as Error).stack ?? String(e)}`);
    void vscode.window.showErrorMessage('Django Readiness: the language server could not start.', 'Show Logs').then((a) => a && output.show(true));
    return api;
  }
  const checklist = registerChecklist(context, client);
  views.checklist = checklist;
  for (const p of status.all()) checklist.setStatus(p);
  api.checklist = checklist as vscode.TreeDataProvider<unknown>;
  return api;
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
