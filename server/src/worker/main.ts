/**
 * Entry point of a code-rule worker thread (bundled to dist/worker.js; see engine/pool.ts): it
 * hands the bundled rule registry to the engine's worker loop. The registry is imported here,
 * at an entry point, like the CLI and the language server do; the engine never imports rules/.
 */
import { allRules } from '../../../rules/index.generated';
import { serveWorker } from '../engine/worker';

serveWorker(allRules);
