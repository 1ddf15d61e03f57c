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

/**
 * Django templates, synced in workspaces with a Django project only (elsewhere an .html file is
 * somebody else's business): `django-html` (the language the Django extensions give template
 * folders), plain `html`, and `.djhtml` files. The server decides which of them are templates
 * (TEMPLATES DIRS, the apps' templates/ folders) and ignores the rest. Jinja (`jinja-html`) is
 * not Django's template language and is not synced.
 */
export const TEMPLATE_SELECTOR: DocumentFilterSpec[] = [
  { scheme: 'file', language: 'django-html' },
  { scheme: 'file', language: 'html' },
  { scheme: 'file', pattern: '**/*.djhtml' },
];

/** The selector of a workspace: templates too when it holds a Django project (a manage.py). */
export function documentSelector(djangoProject: boolean): DocumentFilterSpec[] {
  return djangoProject ? [...DOCUMENT_SELECTOR, ...TEMPLATE_SELECTOR] : DOCUMENT_SELECTOR;
}

/** Folders a manage.py search skips (virtualenvs, dependencies, VCS data). */
export const DJANGO_SEARCH_EXCLUDE = '**/{node_modules,.venv,venv,.tox,.nox,site-packages,.git}/**';
