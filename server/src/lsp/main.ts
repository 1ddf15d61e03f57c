/** Entry point of dist/server.js (started by the VS Code client over node-ipc, or with --stdio). */
import { runLanguageServer } from './run';

runLanguageServer();
