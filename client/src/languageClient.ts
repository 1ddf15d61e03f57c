/**
 * The language client: starts the bundled server (dist/server.js) over node IPC and answers the
 * server's workspace/configuration requests with the explicitly set settings only (see
 * settingsPayload.ts for why).
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS } from '../../server/src/protocol/messages';
import { SETTINGS_SECTION } from '../../server/src/protocol/settings';
import { COMMANDS } from './commandIds';
import { RESTART_ACTION, RestartPolicy, SHOW_LOGS_ACTION } from './restartPolicy';
import { DOCUMENT_SELECTOR, type DocumentFilterSpec } from './selector';
import { buildSettingsPayload } from './settingsPayload';

/** The explicitly set `djangoReadiness.*` values for a scope (a folder URI, or none). */
export function settingsFor(scope: vscode.Uri | undefined): unknown {
  const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope ?? null);
  return buildSettingsPayload((key) => cfg.inspect(key));
}

/**
 * Restarts a crashed server (restartPolicy.ts: up to 4 times in 3 minutes), then gives up and
 * says so, with "Show Logs" and "Restart" actions.
 */
export function crashHandler(output: vscode.LogOutputChannel, policy = new RestartPolicy()): ErrorHandler {
  return {
    error: (error, _message, count) => {
      const action = policy.error(count);
      output.error(`Connection to the language server failed (${count ?? 1} in a row): ${error.message}`);
      return { action: action === 'continue' ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
    },
    closed: () => {
      const d = policy.closed();
      if (d.restart) {
        output.warn(d.message);
        return { action: CloseAction.Restart, handled: true };
      }
      output.error(d.message);
      void vscode.window.showErrorMessage(d.message, ...d.actions).then((choice) => {
        if (choice === SHOW_LOGS_ACTION) output.show(true);
        else if (choice === RESTART_ACTION) {
          policy.reset();
          void vscode.commands.executeCommand(COMMANDS.restartServer);
        }
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, documentSelector: DocumentFilterSpec[] = DOCUMENT_SELECTOR): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    diagnosticCollectionName: 'django-readiness',
    initializationOptions: () => ({ settings: settingsFor(undefined) }),
    markdown: { isTrusted: false, supportHtml: false },
    errorHandler: crashHandler(output),
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const ours = params.items.map((item) => item.section === SETTINGS_SECTION);
          const others = params.items.filter((_, i) => !ours[i]);
          let otherValues: unknown[] = [];
          if (others.length > 0) {
            const r = await next({ items: others }, token);
            otherValues = Array.isArray(r) ? r : others.map(() => null);
          }
          let j = 0;
          return params.items.map((item, i) => (ours[i] ? settingsFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : otherValues[j++]));
        },
        // the server pulls the explicit values itself: never push vscode's merged ones
        didChangeConfiguration: (_sections, next) => next(undefined),
      },
    },
  };
  return new LanguageClient('djangoReadiness', 'Django Readiness', serverOptions, clientOptions);
}
