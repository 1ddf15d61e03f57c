import * as path from 'node:path';
import { defineRule, isDevDeploymentFile, mayInstall } from '../../server/src/engine';

const SERVERS = ['gunicorn', 'uvicorn', 'uwsgi', 'daphne', 'waitress', 'hypercorn', 'granian', 'mod-wsgi', 'bjoern', 'meinheld', 'twisted'];

export default defineRule({
  meta: {
    code: 'DJR905',
    name: 'wsgi-server-missing',
    category: 'deployment',
    severity: 'warning',
    kind: 'project',
    seeds: ['000', '002', '004'],
    message: 'No production application server in the requirements',
    fix: 'none',
    docs: {
      what: 'Flags projects whose requirements name no WSGI/ASGI server (gunicorn, uvicorn, uWSGI, Daphne, Waitress, Hypercorn, Granian, Twisted) in anything production may install (production requirements files and what they include, other non-development files, pyproject dependencies, extras and non-development groups, Pipfile `[packages]`), and whose Dockerfile/Procfile/compose file does not start one. A server listed only in a development file (`requirements/local.txt`, a `dev` group) does not count. A reusable Django package (a `Framework :: Django` classifier) is not checked: the projects that install it choose the server.',
      why: "Without an application server the only way to run the project is Django's development server (`runserver`), which is single-process, unhardened and not meant for production traffic.",
      example: 'Django==5.2.8\npsycopg[binary]==3.2.12',
      instead: 'Django==5.2.8\npsycopg[binary]==3.2.12\ngunicorn==23.0.0',
      fixSafety: 'No automatic fix: choose the server (WSGI or ASGI) your deployment uses.',
      references: ['https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/', 'https://docs.djangoproject.com/en/stable/howto/deployment/asgi/'],
    },
  },
  checkProject(ctx) {
    // a reusable Django package leaves the server to the projects that install it
    const candidates = ctx.dependencies.files.filter((f) => (f.role === 'production' || f.role === 'optional') && !f.library);
    if (candidates.length === 0) {
      const library = ctx.dependencies.files.find((f) => f.library);
      if (library) return ctx.notChecked(`${path.basename(library.path)} declares a reusable Django package (a Framework :: Django classifier): the projects that install it choose the server.`);
      return ctx.notChecked('No production requirements file (requirements.txt, pyproject.toml) was found.');
    }
    if (ctx.requirements.some((r) => mayInstall(r) && SERVERS.includes(r.name))) return;
    for (const f of ctx.files) {
      if ((f.kind === 'dockerfile' || f.kind === 'procfile' || f.kind === 'compose') && !isDevDeploymentFile(f.path, ctx.project.root)) {
        const text = ctx.readFile(f.path) ?? '';
        if (new RegExp(`\\b(${SERVERS.join('|')})\\b`).test(text)) return;
      }
    }
    // on the file production installs: one a Dockerfile installs, else one named production, else the others
    const rank = (r: string) => (r.startsWith('installed by') ? 0 : r === 'named like production' ? 1 : 2);
    const prod = candidates.filter((f) => f.role === 'production');
    const file = (prod.length > 0 ? prod : candidates).sort((a, b) => rank(a.reason) - rank(b.reason) || a.path.length - b.path.length)[0].path;
    ctx.report({ at: { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: (ctx.readFile(file) ?? '').split(/\r\n|\r|\n/)[0].length } } }, message: 'No production application server (gunicorn, uvicorn, uWSGI, Daphne...) in the requirements: only runserver can start the project' });
  },
});
