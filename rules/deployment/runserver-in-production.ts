import { defineRule, isDevDeploymentFile } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR906',
    name: 'runserver-in-production',
    category: 'deployment',
    severity: 'error',
    kind: 'project',
    seeds: ['000', '002', '004'],
    message: 'The deployment runs manage.py runserver',
    fix: 'none',
    docs: {
      what: 'Flags Dockerfile `CMD`/`ENTRYPOINT`/`RUN` instructions, Procfile process lines and docker-compose `command:` entries that start `manage.py runserver` (files named for development, such as `Dockerfile.dev` or `docker-compose.override.yml`, are not checked).',
      why: "Django's documentation is explicit: the development server has not gone through security audits or performance tests. It serves one request at a time per thread, serves static files unsafely, and restarts on code changes.",
      example: 'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]',
      instead: 'CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]',
      fixSafety: 'No automatic fix: the server command depends on the WSGI/ASGI server you install (DJR905).',
      references: ['https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver', 'https://docs.djangoproject.com/en/stable/howto/deployment/'],
    },
  },
  checkProject(ctx) {
    if (!ctx.files.some((f) => (f.kind === 'dockerfile' || f.kind === 'procfile' || f.kind === 'compose') && !isDevDeploymentFile(f.path))) ctx.notApplicable('There is no Dockerfile, Procfile or docker-compose file for production.');
    for (const f of ctx.files) {
      if (f.kind !== 'dockerfile' && f.kind !== 'procfile' && f.kind !== 'compose') continue;
      if (isDevDeploymentFile(f.path, ctx.project.root)) continue;
      const text = ctx.readFile(f.path);
      if (text === undefined) continue;
      text.split(/\r\n|\r|\n/).forEach((line, i) => {
        if (!/manage\.py["',\s]+runserver|django-admin["',\s]+runserver/.test(line)) return;
        if (/^\s*#/.test(line)) return;
        const isCommand =
          f.kind === 'dockerfile' ? /^\s*(CMD|ENTRYPOINT|RUN)\b/i.test(line) || /runserver/.test(line) :
          f.kind === 'procfile' ? /^\s*[\w-]+\s*:/.test(line) :
          /^\s*(-\s*)?(command|entrypoint)\s*:/.test(line) || /^\s*-\s/.test(line);
        if (!isCommand) return;
        const start = line.length - line.trimStart().length;
        ctx.report({ at: { file: f.path, range: { start: { line: i, character: start }, end: { line: i, character: line.length } } }, message: `${f.kind === 'dockerfile' ? 'The container' : f.kind === 'procfile' ? 'The Procfile' : 'docker-compose'} starts Django's development server (runserver): use gunicorn, uvicorn or another production server` });
      });
    }
  },
});
