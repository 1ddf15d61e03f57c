/**
 * Starts the language server on the transport named in the process arguments: `--node-ipc`
 * (the VS Code client), `--stdio` (other editors, `django-readiness server --stdio`),
 * `--socket=N` or `--pipe=NAME`. With none of them, stdio.
 */
import { createConnection } from 'vscode-languageserver/node';
import { attachServer } from './connection';

const TRANSPORTS = ['--node-ipc', '--stdio', '--socket', '--pipe'];

export function runLanguageServer(): void {
  const args = process.argv.slice(2);
  // createConnection() reads the transport from argv; stdio when nothing says otherwise (and
  // then console.log must not write to stdout: the library redirects it for --stdio)
  if (!args.some((a) => TRANSPORTS.some((t) => a === t || a.startsWith(t + '=')))) process.argv.push('--stdio');
  const connection = createConnection();
  process.on('uncaughtException', (e) => {
    try {
      connection.console.error(`Uncaught exception: ${e?.stack ?? String(e)}`);
    } catch {
      /* nothing left to report to */
    }
  });
  process.on('unhandledRejection', (e) => {
    try {
      connection.console.error(`Unhandled rejection: ${(e as Error)?.stack ?? String(e)}`);
    } catch {
      /* nothing left to report to */
    }
  });
  attachServer(connection);
}
