/**
 * Engine edits -> LSP edits, one for one: each engine Edit (UTF-16 offsets into the text it was
 * computed against) becomes a TextEdit at the same place, positions taken from that text. New
 * files become a CreateFile followed by their content.
 */
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { FileChange } from '../engine/fixAll';
import { LineIndex } from '../engine/text';
import type { Edit } from '../engine/types';

/** What the conversion needs to know about the client and its documents. */
export interface EditTarget {
  uriOf(file: string): string;
  /** The open document's version (null: not open). */
  versionOf(file: string): number | null;
  /** The client takes `documentChanges` (versioned edits, file creation). */
  documentChanges: boolean;
  /** The client can create files (resource operation `create`). */
  canCreateFiles: boolean;
}

/** The LSP edits of engine edits against `text`. */
export function textEdits(text: string, edits: readonly Edit[]): TextEdit[] {
  const li = new LineIndex(text);
  return edits.map((e) => ({ range: li.range(e.start, e.end), newText: e.newText }));
}

/**
 * The WorkspaceEdit applying `changes` (checked by the caller, see engine/apply.ts). Undefined
 * when the client cannot apply it: a file must be created and the client cannot create files.
 */
export function workspaceEditOf(changes: readonly FileChange[], t: EditTarget): WorkspaceEdit | undefined {
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  const plain: Record<string, TextEdit[]> = {};
  for (const c of changes) {
    const uri = t.uriOf(c.file);
    if (c.before === undefined) {
      if (!t.canCreateFiles) return undefined;
      documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    }
    const edits = textEdits(c.before ?? '', c.edits);
    if (edits.length === 0) continue;
    if (t.documentChanges) documentChanges.push({ textDocument: { uri, version: t.versionOf(c.file) }, edits });
    else plain[uri] = edits;
  }
  return t.documentChanges ? { documentChanges } : { changes: plain };
}
