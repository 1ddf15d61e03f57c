import { defineRule, isDevDeploymentFile } from '../../server/src/engine';

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
      what: 'Flags Dockerfiles whose final stage sets no `USER` (or sets `root` / `0`), so the application runs as root.',
      why: 'If the application is compromised (a remote code execution bug, a malicious dependency), a root process can change any file in the container, install tools and has a much easier path to escape it.',
      example: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["gunicorn", "mysite.wsgi"]',
      instead: 'FROM python:3.12-slim\nCOPY . /app\nRUN useradd --create-home app\nUSER app\nCMD ["gunicorn", "mysite.wsgi"]',
      fixSafety: 'No automatic fix: the user must exist and own the files the application writes.',
      references: ['https://docs.docker.com/build/building/best-practices/#user', 'https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html'],
    },
  },
  checkProject(ctx) {
    if (!ctx.files.some((f) => f.kind === 'dockerfile' && !isDevDeploymentFile(f.path))) ctx.notApplicable('There is no Dockerfile for production.');
    for (const f of ctx.files) {
      if (f.kind !== 'dockerfile' || isDevDeploymentFile(f.path, ctx.project.root)) continue;
      const text = ctx.readFile(f.path);
      if (text === undefined) continue;
      const lines = text.split(/\r\n|\r|\n/);
      let lastFrom = -1;
      let user: string | undefined;
      let userLine = -1;
      lines.forEach((l, i) => {
        if (/^\s*FROM\s/i.test(l)) {
          lastFrom = i;
          user = undefined;
        }
        const m = /^\s*USER\s+(\S+)/i.exec(l);
        if (m) {
          user = m[1].split(':')[0];
          userLine = i;
        }
      });
      if (lastFrom < 0) continue;
      if (user && user !== 'root' && user !== '0') continue;
      const line = user ? userLine : lastFrom;
      ctx.report({ at: { file: f.path, range: { start: { line, character: 0 }, end: { line, character: lines[line].length } } }, message: user ? 'The container switches to USER root: the application runs as root' : 'No USER instruction in the final stage: the application runs as root' });
    }
  },
});
