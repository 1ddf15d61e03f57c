/**
 * A code-rule worker thread's loop (see pool.ts). It owns a parser, takes the rules from the
 * registry its entry point gives it (server/src/worker/main.ts, bundled to dist/worker.js: the
 * engine never imports rules/), and checks batches of files: the texts the main thread sent, or
 * the files read from disk here. Never imports or runs the user's code.
 */
import { parentPort } from 'node:worker_threads';
import { BINARY_MESSAGE, CodeChecker, type CodeEnv } from './codecheck';
import { initParser, ParseCache } from './parser';
import type { CheckRequest, WorkerFileResult, WorkerReply } from './pool';
import { looksBinary, NodeFileSystem, OverlayFileSystem } from './project';
import type { Rule } from './rule';
import { Suppressions } from './suppressions';

const byCode = new Map<string, Rule>();
const disk = new NodeFileSystem();
// a few trees: the file being checked (fixes and suppressions look at it again), nothing more
const parses = new ParseCache(4);

function check(req: CheckRequest): WorkerFileResult[] {
  // links are followed only inside the project (see NodeFileSystem)
  disk.addRoot(req.data.project.root);
  const fs = new OverlayFileSystem(disk);
  for (const t of req.tasks) if (t.text !== undefined) fs.overlay.set(t.file.path, t.text);
  let sup: { file: string; text: string; s: Suppressions } | undefined;
  const env: CodeEnv = {
    fs,
    parse: (file, text) => parses.parse(file, text),
    suppressions: (file, text) => {
      if (!sup || sup.file !== file || sup.text !== text) sup = { file, text, s: new Suppressions(text) };
      return sup.s;
    },
  };
  const rules = req.rules.map((c) => byCode.get(c)).filter((r) => r !== undefined);
  const checker = new CodeChecker(env, req.data, rules);
  const out: WorkerFileResult[] = [];
  for (const t of req.tasks) {
    const file = t.file.path;
    let text = t.text;
    if (text === undefined) {
      // the reader caps the size itself; unreadable() says why it read nothing (too large...)
      text = disk.readFile(file);
      if (text === undefined) {
        const why = disk.unreadable(file);
        out.push({ findings: [], notes: [], parsed: false, prefiltered: false, skipped: why ? { file, kind: 'skipped', message: why } : undefined });
        continue;
      }
      fs.overlay.set(file, text);
    }
    if (looksBinary(text)) {
      out.push({ findings: [], notes: [], parsed: false, prefiltered: false, skipped: { file, kind: 'skipped', message: BINARY_MESSAGE } });
      continue;
    }
    out.push(t.rules ? checker.check(t.file, text, checker.rulesByCode(t.rules)) : checker.check(t.file, text));
    // the batch's texts are not kept: the next batch has its own overlay
    parses.drop(file);
  }
  return out;
}

/** Serves the pool's check requests in this worker thread with the rules of `registry`. */
export function serveWorker(registry: readonly Rule[]): void {
  for (const r of registry) byCode.set(r.meta.code, r);
  const ready = initParser();
  parentPort?.on('message', (req: CheckRequest) => {
    void ready.then(
      () => {
        let reply: WorkerReply;
        try {
          reply = { type: 'result', id: req.id, results: check(req) };
        } catch (e) {
          reply = { type: 'error', id: req.id, message: (e as Error)?.stack ?? String(e) };
        }
        parentPort?.postMessage(reply);
      },
      (e: unknown) => parentPort?.postMessage({ type: 'error', id: req.id, message: `the parser could not be loaded: ${String(e)}` } satisfies WorkerReply),
    );
  });
}
