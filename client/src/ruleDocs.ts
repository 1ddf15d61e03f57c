/**
 * Rule documentation in VS Code, offline: a virtual Markdown document per rule
 * (`django-readiness-docs:/DJR101.md`, its text rendered by the server from the rule metadata)
 * opened in the Markdown preview.
 */
import * as vscode from 'vscode';
import { RULE_DOCS_REQUEST, type RuleDocsParams, type RuleDocsResult } from '../../server/src/protocol/messages';

export const DOCS_SCHEME = 'django-readiness-docs';

export interface DocsServer {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}

export class RuleDocsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(private readonly server: () => DocsServer | undefined) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, this);
  }

  static uriOf(code: string): vscode.Uri {
    return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/${code.toUpperCase()}.md` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const code = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const server = this.server();
    if (!server) return `# ${code}\n\nThe Django Readiness language server is not running.\n`;
    try {
      const docs = await server.sendRequest<RuleDocsResult | null>(RULE_DOCS_REQUEST, { code } satisfies RuleDocsParams);
      return docs?.markdown ?? `# ${code}\n\nNo rule with this code.\n`;
    } catch (e) {
      return `# ${code}\n\nThe documentation could not be loaded: ${(e as Error).message}\n`;
    }
  }

  /** Opens a rule's documentation in the Markdown preview (as text when there is no preview). */
  async show(code: string): Promise<void> {
    const uri = RuleDocsProvider.uriOf(code);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
  }
}
