import * as path from 'node:path';
import { defineRule, deploymentOf, djangoProjectFound, dropsPrivileges, stageChain, stageUser, type DockerImage } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR907',
    name: 'container-runs-as-root',
    category: 'deployment',
    severity: 'warning',
    kind: 'project',
    seeds: ['000', '004'],
    message: 'The container runs as root',
    fix: 'none',
    docs: {
      what: 'Flags the Dockerfile of the Django application whose production stage runs as root: no `USER` in that stage or the stages it is built from (or `USER root` / `0`), a base image that runs as root, and no step that drops root when the container starts (gosu, su-exec, s6-setuidgid, a uWSGI `uid`, gunicorn `--user`, a compose `user:`). Only the image that runs the Python application is judged: the nginx, postgres, traefik or caddy images a project builds beside it are not, nor development images (a `Dockerfile.dev`, a stage named for development or tests, an image that installs development requirements), nor an image built on a base this project does not build, whose user cannot be read here.',
      why: 'If the application is compromised (a remote code execution bug, a malicious dependency), a root process can change any file in the container, install tools and has a much easier path to escape it.',
      example: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["gunicorn", "mysite.wsgi"]',
      instead: 'FROM python:3.12-slim\nCOPY . /app\nRUN useradd --create-home app\nUSER app\nCMD ["gunicorn", "mysite.wsgi"]',
      fixSafety: 'No automatic fix: the user must exist and own the files the application writes.',
      references: ['https://docs.docker.com/build/building/best-practices/#user', 'https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html'],
    },
  },
  checkProject(ctx) {
    if (!djangoProjectFound(ctx)) return ctx.notApplicable('No Django project was found.');
    const model = deploymentOf(ctx);
    const rel = (p: string) => path.relative(ctx.analysisRoot, p).split(path.sep).join('/');
    const apps = model.images.filter((i) => !i.dev && i.stage && i.python);
    if (apps.length === 0) {
      const dev = model.images.find((i) => i.dev);
      const other = model.images.find((i) => !i.dev && !i.python);
      ctx.notApplicable(
        model.images.length === 0
          ? 'There is no Dockerfile for production.'
          : other && !dev
            ? `No Dockerfile builds the Python application (${rel(other.file)} is another service's image).`
            : `No Dockerfile builds the application for production${dev ? ` (${rel(dev.file)}: ${dev.dev})` : ''}.`,
      );
      return;
    }
    const unknown: string[] = [];
    for (const image of apps) {
      const stage = image.stage!;
      // every production compose service that builds it sets a user other than root
      const prodServices = image.services.filter((s) => model.serviceDev.get(s) === undefined);
      if (prodServices.length > 0 && prodServices.every((s) => s.user !== undefined && !/^(root|0)(:|$)/.test(s.user))) continue;
      const verdict = stageUser(image, stage, model);
      if (verdict.state === 'user') continue;
      if (verdict.state === 'unknown') {
        unknown.push(`${rel(image.file)}: ${verdict.reason}`);
        continue;
      }
      if (dropsPrivileges(image, stage, ctx.fs)) continue;
      report(image, verdict.at?.line, verdict.created);
    }
    if (unknown.length > 0) ctx.notChecked(`The user of ${unknown.join('; ')}.`);

    function report(image: DockerImage, userLine: number | undefined, created: string | undefined) {
      const stage = image.stage!;
      const line = userLine ?? stage.from.line;
      const text = image.df.lines[line] ?? '';
      const start = text.length - text.trimStart().length;
      const which = image.stages.length > 1 ? image.stageReason : 'the image';
      const made = created ? ` (it creates the user ${created} but never switches to it)` : '';
      const message =
        userLine !== undefined
          ? `USER root in ${which}, and nothing drops root when the container starts: the application runs as root`
          : `No USER in ${which}${stageChain(stage).length > 1 ? ' or the stages it is built from' : ''}, its base image runs as root${made}, and nothing drops root when the container starts (gosu, su-exec, a uWSGI uid, a compose user:): the application runs as root`;
      ctx.report({ at: { file: image.file, range: { start: { line, character: start }, end: { line, character: text.length } } }, message });
    }
  },
});
