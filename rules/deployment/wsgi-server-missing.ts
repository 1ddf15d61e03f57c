import { defineRule, isDevDeploymentFile, isDevRequirementsFile } from '../../server/src/engine';

const SERVERS = ['gunicorn', 'uvicorn', 'uwsgi', 'daphne', 'waitress', 'hypercorn', 'granian', 'mod-wsgi', 'bjoern', 'meinheld'];

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
      what: 'Flags projects whose production requirements name no WSGI/ASGI server (gunicorn, uvicorn, uWSGI, Daphne, Waitress, Hypercorn, Granian) and whose Dockerfile/Procfile does not start one.',
      why: "Without an application server the only way to run the project is Django's development server (`runserver`), which is single-process, unhardened and not meant for production traffic.",
      example: 'Django==5.2.8\npsycopg[binary]==3.2.12',
      instead: 'Django==5.2.8\npsycopg[binary]==3.2.12\ngunicorn==23.0.0',
      fixSafety: 'No automatic fix: choose the server (WSGI or ASGI) your deployment uses.',
      references: ['https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/', 'https://docs.djangoproject.com/en/stable/howto/deployment/asgi/'],
    },
  },
  checkProject(ctx) {
    const reqFiles = [...new Set(ctx.requirements.map((r) => r.file))].filter((f) => !isDevRequirementsFile(f));
    if (reqFiles.length === 0) return;
    if (ctx.requirements.some((r) => SERVERS.includes(r.name))) return;
    for (const f of ctx.files) {
      if ((f.kind === 'dockerfile' || f.kind === 'procfile' || f.kind === 'compose') && !isDevDeploymentFile(f.path)) {
        const text = ctx.readFile(f.path) ?? '';
        if (new RegExp(`\\b(${SERVERS.join('|')})\\b`).test(text)) return;
      }
    }
    const file = reqFiles.sort((a, b) => a.length - b.length)[0];
    ctx.report({ at: { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: (ctx.readFile(file) ?? '').split(/\r\n|\r|\n/)[0].length } } }, message: 'No production application server (gunicorn, uvicorn, uWSGI, Daphne...) in the requirements: only runserver can start the project' });
  },
});
