import * as path from 'node:path';
import { defineRule, deploymentOf, djangoProjectFound, inherited, isDevDeploymentFile, RUNSERVER } from '../../server/src/engine';


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
      what:
        "Flags `manage.py runserver` started by what production runs: a Procfile process line, the `CMD`/`ENTRYPOINT` of the stage a Dockerfile builds for production (a compose `target:`, else the last stage not named for development or tests), or a docker compose service's `command:`/`entrypoint:`. Development setups are not checked, because runserver is right there: files named for development (`Dockerfile.dev`, `docker-compose.override.yml`, `docker-compose.local.yml`, `compose/local/...`), a plain `docker-compose.yml` beside a production compose file (`docker-compose.prod.yml`, `production.yml`), and compose services that mount the source over the image (`.:/app`), set `DEBUG=1` or a development settings module or environment, build a development target or Dockerfile, or are named `dev`/`local`.",
      why: "Django's documentation is explicit: the development server has not gone through security audits or performance tests. It serves one request at a time per thread, serves static files unsafely, and restarts on code changes.",
      example: 'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]',
      instead: 'CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]',
      fixSafety: 'No automatic fix: the server command depends on the WSGI/ASGI server you install (DJR905).',
      references: ['https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver', 'https://docs.djangoproject.com/en/stable/howto/deployment/'],
    },
  },
  checkProject(ctx) {
    if (!djangoProjectFound(ctx)) return ctx.notApplicable('No Django project was found.');
    const model = deploymentOf(ctx);
    const procfiles = ctx.files.filter((f) => f.kind === 'procfile' && !isDevDeploymentFile(f.path, ctx.project.root));
    const images = model.images.filter((i) => !i.dev && i.stage);
    const services = model.compose.flatMap((c) => c.services).filter((s) => model.serviceDev.get(s) === undefined);
    if (procfiles.length === 0 && images.length === 0 && services.length === 0) {
      const dev = model.compose.flatMap((c) => c.services).find((s) => model.serviceDev.get(s) !== undefined);
      ctx.notApplicable(dev ? `The Dockerfiles and compose files are development setups (compose service ${dev.name}: ${model.serviceDev.get(dev)}).` : 'There is no Dockerfile, Procfile or docker compose file for production.');
      return;
    }
    for (const f of procfiles) {
      const text = ctx.readFile(f.path);
      if (text === undefined) continue;
      text.split(/\r\n|\r|\n/).forEach((line, i) => {
        if (/^\s*#/.test(line) || !/^\s*[\w-]+\s*:/.test(line) || !RUNSERVER.test(line)) return;
        const start = line.length - line.trimStart().length;
        const proc = /^\s*([\w-]+)/.exec(line)![1];
        ctx.report({ at: { file: f.path, range: { start: { line: i, character: start }, end: { line: i, character: line.length } } }, message: `The Procfile's ${proc} process starts Django's development server (runserver): use gunicorn, uvicorn or another production server` });
      });
    }
    for (const image of images) {
      // every production service that builds it runs its own command: the image's CMD is not what runs
      const prodServices = image.services.filter((s) => model.serviceDev.get(s) === undefined);
      const overridden = prodServices.length > 0 && prodServices.every((s) => s.command !== undefined || s.entrypoint !== undefined);
      if (overridden || image.services.length > 0 && prodServices.length === 0) continue;
      for (const kw of ['ENTRYPOINT', 'CMD']) {
        const ins = inherited(image.stage!, kw);
        if (!ins || !RUNSERVER.test(ins.args)) continue;
        const line = image.df.lines[ins.line] ?? '';
        const where = image.stages.length > 1 ? ` of ${image.stageReason}` : '';
        ctx.report({ at: { file: image.file, range: { start: { line: ins.line, character: ins.start }, end: { line: ins.line, character: line.length } } }, message: `The ${kw}${where} starts Django's development server (runserver): use gunicorn, uvicorn or another production server` });
        break;
      }
    }
    for (const s of services) {
      for (const c of [s.entrypoint, s.command]) {
        if (!c || !RUNSERVER.test(c.text)) continue;
        ctx.report({ at: { file: s.file, range: c.at }, message: `Compose service ${s.name} (${path.basename(s.file)}) starts Django's development server (runserver), and nothing marks it as development (no source mount, DEBUG, development settings or build target): use gunicorn, uvicorn or another production server` });
        break;
      }
    }
  },
});
