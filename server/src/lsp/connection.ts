/**
 * Wires an LSP connection to a DjangoReadinessServer: every handler is wrapped so that an
 * exception is logged to the connection's console and answered with an empty result, never
 * crashing the server.
 */
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  type CodeAction,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver';
import {
  APPLY_FIX_REQUEST,
  DEBUG_STATS_REQUEST,
  FIX_ALL_REQUEST,
  GET_STATUS_REQUEST,
  RECHECK_REQUEST,
  RULE_DOCS_REQUEST,
  RULES_REQUEST,
  type ApplyFixParams,
  type ApplyFixResult,
  type FixAllParams,
  type RecheckParams,
  type RuleDocsParams,
} from '../protocol/messages';
import { attachChecklist } from './checklist';
import { DjangoReadinessServer, type LogLevel, type ServerHost, type ServerOptions } from './server';

/** The ServerHost of a vscode-languageserver connection. */
export function connectionHost(connection: Connection): ServerHost {
  return {
    publishDiagnostics: (params) => void connection.sendDiagnostics(params).catch(() => undefined),
    sendNotification: (method, params) => void connection.sendNotification(method, params).catch(() => undefined),
    getConfiguration: (items) => connection.workspace.getConfiguration(items) as Promise<unknown[]>,
    registerFileWatchers: async (watchers) => {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    },
    registerConfigurationChange: async (section) => {
      await connection.client.register(DidChangeConfigurationNotification.type, { section });
    },
    applyEdit: async (label, edit) => {
      const r = await connection.workspace.applyEdit({ label, edit });
      return { applied: r.applied, failureReason: r.failureReason };
    },
    log: (level: LogLevel, message: string) => {
      try {
        connection.console[level](message);
      } catch {
        /* the connection is gone */
      }
    },
  };
}

/**
 * The LSP lifecycle: before `initialize` has been answered, a request gets ServerNotInitialized
 * and a notification is dropped; after `shutdown`, a request gets InvalidRequest and a
 * notification is dropped (`exit` is handled by the library); a second `initialize` is an
 * InvalidRequest.
 */
class Lifecycle {
  state: 'new' | 'running' | 'shutdown' = 'new';

  /** Throws the error the specification requires for a request in this state. */
  checkRequest(method: string): void {
    if (this.state === 'new') throw new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized (send initialize first)`);
    if (this.state === 'shutdown') throw new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server is shutting down`);
  }

  /** Whether a notification is handled in this state. */
  acceptsNotification(): boolean {
    return this.state === 'running';
  }
}

/** Creates the server on a connection, registers every handler and starts listening. */
export function attachServer(connection: Connection, opts: ServerOptions = {}): DjangoReadinessServer {
  const host = connectionHost(connection);
  const server = new DjangoReadinessServer(host, opts);
  const life = new Lifecycle();
  attachChecklist(
    {
      onRequest: ((method: string, handler: (p: unknown) => unknown) =>
        connection.onRequest(method, (p: unknown) => {
          life.checkRequest(method);
          return handler(p);
        })) as Connection['onRequest'],
      sendNotification: connection.sendNotification.bind(connection) as Connection['sendNotification'],
    },
    server,
    { rules: opts.rules, log: (m) => host.log('error', m) },
  );

  const fail = (what: string, e: unknown) => host.log('error', `${what} failed: ${(e as Error)?.stack ?? String(e)}`);
  /** A notification handler that never throws (and drops notifications outside the running state). */
  const notify =
    <P>(what: string, fn: (p: P) => void) =>
    (p: P) => {
      if (!life.acceptsNotification()) return;
      try {
        fn(p);
      } catch (e) {
        fail(what, e);
      }
    };
  /** A request handler that answers `fallback` instead of throwing. */
  const request =
    <P, R>(what: string, fn: (p: P) => R | Promise<R>, fallback: R) =>
    async (p: P): Promise<R> => {
      life.checkRequest(what);
      try {
        return await fn(p);
      } catch (e) {
        fail(what, e);
        return fallback;
      }
    };

  connection.onInitialize(async (params: InitializeParams) => {
    if (life.state !== 'new') throw new ResponseError(ErrorCodes.InvalidRequest, life.state === 'shutdown' ? 'initialize: the server is shutting down' : 'initialize: the server is already initialized');
    const result = await server.initialize(params);
    life.state = 'running';
    return result;
  });
  connection.onInitialized(
    notify('initialized', () => {
      try {
        connection.workspace.onDidChangeWorkspaceFolders(notify('didChangeWorkspaceFolders', (e) => server.didChangeWorkspaceFolders(e)));
      } catch {
        /* the client does not support workspace folders */
      }
      server.initialized().catch((e) => fail('initialized', e));
    }),
  );
  connection.onShutdown(() => {
    life.checkRequest('shutdown');
    life.state = 'shutdown';
    server.dispose();
  });

  connection.onDidOpenTextDocument(notify('didOpen', (p) => server.didOpen(p)));
  connection.onDidChangeTextDocument(notify('didChange', (p) => server.didChange(p)));
  connection.onDidSaveTextDocument(notify('didSave', (p) => server.didSave(p)));
  connection.onDidCloseTextDocument(notify('didClose', (p) => server.didClose(p)));
  connection.onDidChangeWatchedFiles(notify('didChangeWatchedFiles', (p) => server.didChangeWatchedFiles(p)));
  connection.onDidChangeConfiguration(notify('didChangeConfiguration', (p) => server.didChangeConfiguration(p)));

  connection.onCodeAction(request('codeAction', (p) => server.codeAction(p), []));
  connection.onCodeActionResolve(request<CodeAction, CodeAction>('codeAction/resolve', (a) => server.codeActionResolve(a), { title: '' }));
  connection.onHover(request('hover', (p) => server.hover(p), null));
  connection.onExecuteCommand(request('executeCommand', (p) => server.executeCommand(p), null));

  connection.onRequest(GET_STATUS_REQUEST, request('getStatus', () => server.getStatus(), []));
  connection.onRequest(RECHECK_REQUEST, request('recheck', (p: RecheckParams) => server.recheck(p), { folders: 0, findings: 0, ms: 0 }));
  connection.onRequest(RULE_DOCS_REQUEST, request('ruleDocs', (p: RuleDocsParams) => server.ruleDocs(p), null));
  connection.onRequest(RULES_REQUEST, request('rules', () => server.listRules(), []));
  connection.onRequest(FIX_ALL_REQUEST, request('fixAll', (p: FixAllParams) => server.fixAll(p), null));
  connection.onRequest(APPLY_FIX_REQUEST, request('applyFix', (p: ApplyFixParams) => server.applyFix(p), { applied: false, message: 'internal error (see the Django Readiness log)' } as ApplyFixResult));
  connection.onRequest(DEBUG_STATS_REQUEST, request('debugStats', (p: { gc?: boolean } | undefined) => server.debugStats(p ?? undefined), null));

  connection.listen();
  return server;
}
