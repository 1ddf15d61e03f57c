/**
 * Documents and file events: open documents are overlaid on the disk (what every analyzer
 * reads); an edit, a save, a close or a watched-file event marks the folders it affects dirty.
 */
import * as path from 'node:path';
import {
  FileChangeType,
  type DidChangeTextDocumentParams,
  type DidChangeWatchedFilesParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
  type DidSaveTextDocumentParams,
} from 'vscode-languageserver';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { classify } from '../engine/project';
import { PLATFORM_FILES } from '../engine/deploySettings';
import { inTemplateFolder } from '../engine/templateDirs';
import type { ServerContext } from './context';
import type { Folders } from './folders';
import type { Publisher } from './publisher';
import type { Scheduler } from './scheduler';
import { isInside, uriToPath } from './uri';

/** Files the server watches (create, change, delete); folders are watched for create/delete. */
export const WATCHED_GLOBS = [
  '**/*.py',
  '**/requirements*.txt',
  '**/requirements*.in',
  '**/req*.txt',
  '**/requirements/*.txt',
  '**/requirements/*.in',
  '**/pyproject.toml',
  '**/Pipfile',
  '**/{poetry,uv,pdm,Pipfile}.lock',
  '**/.env',
  '**/.env.*',
  '**/env.example',
  '**/.gitignore',
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/dockerfile',
  '**/*.dockerfile',
  '**/Procfile',
  '**/docker-compose*.yml',
  '**/docker-compose*.yaml',
  '**/compose*.yml',
  '**/compose*.yaml',
  // platform configs that may set DJANGO_SETTINGS_MODULE (which settings module is production)
  `**/{${PLATFORM_FILES.filter((f) => !f.endsWith('.py')).join(',')}}`,
  // Django templates (a change outside the template folders of the last analysis is ignored)
  '**/*.html',
  '**/*.htm',
  '**/*.djhtml',
];

/** Folders whose file events never matter (the engine's listing skips them too). */
const IGNORED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.idea', '.vscode', '.cache', '.eggs', '.direnv', 'htmlcov']);

/**
 * Why a didChange cannot be applied, or undefined: a range with a negative, fractional or
 * missing position, a start after its end, or a line past the end of the document as it is at
 * that change (a character past the end of a line is allowed: LSP says it means the line end).
 */
export function invalidChange(doc: TextDocument, changes: readonly TextDocumentContentChangeEvent[]): string | undefined {
  // the document itself for the first change (its line index is there already), a copy after
  let cur: TextDocument = doc;
  for (let k = 0; k < changes.length; k++) {
    const ch = changes[k];
    if (!('range' in ch) || !ch.range) {
      cur = TextDocument.create('', '', 0, ch.text);
      continue;
    }
    const lines = cur.lineCount;
    const ok = (pos: { line: number; character: number } | undefined) =>
      !!pos && Number.isInteger(pos.line) && Number.isInteger(pos.character) && pos.line >= 0 && pos.character >= 0 && (pos.line < lines || (pos.line === lines && pos.character === 0));
    const { start, end } = ch.range;
    const at = `change ${k + 1}: range ${start?.line}:${start?.character}-${end?.line}:${end?.character}`;
    if (!ok(start) || !ok(end)) return `${at} lies outside the document (${lines} lines)`;
    if (start.line > end.line || (start.line === end.line && start.character > end.character)) return `${at} starts after it ends`;
    if (k < changes.length - 1) {
      const text = cur.getText();
      cur = TextDocument.create('', '', 0, text.slice(0, cur.offsetAt(start)) + ch.text + text.slice(cur.offsetAt(end)));
    }
  }
  return undefined;
}

export class Documents {
  /** The client sends watched-file events (else inventories are listed again on open/save). */
  watching = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly folders: Folders,
    private readonly scheduler: Pick<Scheduler, 'touch'>,
    private readonly publisher: Pick<Publisher, 'publishFolder'>,
  ) {}

  didOpen(params: DidOpenTextDocumentParams): void {
    const { docs, fs } = this.ctx;
    const td = params.textDocument;
    const p = uriToPath(td.uri);
    if (!p) return;
    const doc = TextDocument.create(td.uri, td.languageId, td.version, td.text);
    docs.set(p, { uri: td.uri, doc });
    const before = fs.readFile(p);
    fs.overlay.set(p, td.text);
    if (!classify(p)) return;
    const f = this.folders.forDocument(p);
    if (!f) return;
    const known = f.inventory?.files.some((x) => x.path === p) ?? false;
    if (!known || !this.watching) f.inventory = undefined;
    if (f.result && known && before === td.text && f.generation === f.analyzedGeneration) {
      // nothing changed: just (re)publish this document's diagnostics with its version
      this.publisher.publishFolder(f, new Set([p]));
      return;
    }
    this.scheduler.touch(f, 'open');
  }

  didChange(params: DidChangeTextDocumentParams): void {
    const t0 = performance.now();
    const p = uriToPath(params.textDocument.uri);
    const open = p ? this.ctx.docs.get(p) : undefined;
    if (!p || !open) return;
    // a range outside the document is the client's error: applying it (clamped) would silently
    // analyse a text the editor does not have; the change is rejected and said so
    const bad = invalidChange(open.doc, params.contentChanges);
    if (bad) {
      this.ctx.host.log('warn', `didChange of ${p} (version ${params.textDocument.version}) rejected: ${bad}. The document stays at version ${open.doc.version} until the editor sends it whole again (reopen it).`);
      return;
    }
    TextDocument.update(open.doc, params.contentChanges, params.textDocument.version ?? open.doc.version + 1);
    this.ctx.fs.overlay.set(p, open.doc.getText());
    if (!classify(p)) return;
    const f = this.folders.ownerOf(p);
    if (!f) return;
    f.changeMs += performance.now() - t0;
    this.scheduler.touch(f, 'type');
  }

  didSave(params: DidSaveTextDocumentParams): void {
    const p = uriToPath(params.textDocument.uri);
    if (!p) return;
    this.ctx.diskFs.invalidate(p);
    const f = this.folders.ownerOf(p);
    if (!f) return;
    if (!this.watching) f.inventory = undefined;
    if (path.basename(p) === 'pyproject.toml') f.config = undefined;
    if (classify(p)) this.scheduler.touch(f, 'save');
  }

  didClose(params: DidCloseTextDocumentParams): void {
    const { docs, fs } = this.ctx;
    const p = uriToPath(params.textDocument.uri);
    if (!p) return;
    const open = docs.get(p);
    docs.delete(p);
    const buffer = fs.overlay.get(p);
    fs.overlay.delete(p);
    this.ctx.diskFs.invalidate(p);
    const f = this.folders.ownerOf(p);
    if (!f) return;
    if (f.implicit && ![...docs.keys()].some((d) => isInside(f.root, d))) {
      this.folders.remove(f);
      return;
    }
    if (open && buffer !== fs.readFile(p) && classify(p)) this.scheduler.touch(f, 'fs');
  }

  didChangeWatchedFiles(params: DidChangeWatchedFilesParams): void {
    for (const ch of params.changes ?? []) {
      const p = uriToPath(ch.uri);
      if (!p) continue;
      const base = path.basename(p);
      const kind = classify(p);
      const structural = ch.type !== FileChangeType.Changed;
      // what the rules read, or a folder (no extension); never caches, VCS data, virtualenvs
      if (!kind && !PLATFORM_FILES.includes(base) && (!structural || path.extname(base) !== '')) continue;
      this.ctx.diskFs.invalidate(p, structural);
      for (const f of this.folders.all()) {
        const inside = isInside(f.root, p);
        const pyprojectAbove = base === 'pyproject.toml' && isInside(path.dirname(p), f.root);
        if (!inside && !pyprojectAbove) continue;
        if (inside && path.relative(f.root, p).split(path.sep).some((seg) => IGNORED_DIRS.has(seg))) continue;
        // an .html / .txt file outside the template folders of the last analysis is not read
        if (kind === 'template' && !structural && f.result && !inTemplateFolder(p, f.result.projects)) continue;
        if (base === 'pyproject.toml') f.config = undefined;
        if (structural) {
          f.inventory = undefined;
          if (ch.type === FileChangeType.Deleted) f.analyzer.invalidate(p);
          // a migration added or deleted: which one is its app's latest changed (DJR711)
          if (/[\\/]migrations[\\/][^\\/]+\.py$/.test(p)) f.analyzer.invalidateFolder(path.dirname(p));
        }
        // an open document's buffer wins over the disk: its change was already seen
        if (!structural && this.ctx.docs.has(p)) continue;
        this.scheduler.touch(f, 'fs');
      }
    }
  }
}
