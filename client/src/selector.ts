/**
 * The documents the language client syncs to the server (and gets hover / code actions for):
 * Python, requirements files, Dockerfiles, Procfiles, compose files, .env files, pyproject.toml
 * and .gitignore — whatever their language id (plain text included), so their diagnostics
 * follow unsaved edits. No vscode import (a DocumentSelector is plain data).
 */
export interface DocumentFilterSpec {
  scheme: 'file';
  language?: string;
  pattern?: string;
}

export const DOCUMENT_SELECTOR: DocumentFilterSpec[] = [
  { scheme: 'file', language: 'python' },
  { scheme: 'file', language: 'pip-requirements' },
  { scheme: 'file', language: 'requirements' },
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{requirements,req}*.{txt,in}' },
  { scheme: 'file', pattern: '**/requirements/*.{txt,in}' },
  { scheme: 'file', pattern: '**/Pipfile' },
  { scheme: 'file', pattern: '**/Procfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Dockerfile.*,dockerfile,*.dockerfile}' },
  { scheme: 'file', pattern: '**/{docker-compose,compose}*.{yml,yaml}' },
  { scheme: 'file', pattern: '**/{.env,.env.*,env.example}' },
  { scheme: 'file', pattern: '**/pyproject.toml' },
  { scheme: 'file', pattern: '**/.gitignore' },
];
