import { defineRule } from '../../server/src/engine';

const HEALTH = /["'^/]*(health|healthz|healthcheck|health-check|ping|ready|readiness|readyz|live|liveness|livez|status)\b/i;

export default defineRule({
  meta: {
    code: 'DJR910',
    name: 'health-check-missing',
    category: 'deployment',
    severity: 'info',
    kind: 'project',
    seeds: ['000', '002', '003', '004'],
    message: 'No health-check URL',
    fix: 'none',
    docs: {
      what: 'Reports a Django project none of whose `urls.py` files routes a path that looks like a health check (`health`, `healthz`, `ping`, `ready`, `live`, `status`...) and that does not use django-health-check.',
      why: 'Load balancers, container orchestrators and uptime monitors need a cheap URL that says whether the application (and its database) is up. Without one they probe a real page, or nothing, and send traffic to broken instances.',
      example: 'urlpatterns = [\n    path("admin/", admin.site.urls),\n]',
      instead: 'urlpatterns = [\n    path("admin/", admin.site.urls),\n    path("healthz/", lambda request: HttpResponse("ok")),\n]',
      fixSafety: 'No automatic fix: decide what the check covers (process only, or database and cache too).',
      references: ['https://github.com/revsys/django-health-check', 'https://docs.docker.com/reference/dockerfile/#healthcheck'],
    },
  },
  checkProject(ctx) {
    if (!ctx.settings) return ctx.notChecked('No production settings module was found.');
    if (ctx.settings.installedApps.some((a) => a === 'health_check' || a.startsWith('health_check.'))) return;
    const urls = ctx.files.filter((f) => f.kind === 'python' && !f.isTest && /(^|[\\/])urls\.py$/.test(f.path));
    if (urls.length === 0) return ctx.notChecked('No urls.py was found.');
    for (const f of urls) {
      const text = ctx.readFile(f.path) ?? '';
      for (const m of text.matchAll(/\b(?:re_)?path\(\s*r?["']([^"']*)["']|\burl\(\s*r?["']([^"']*)["']/g)) {
        if (HEALTH.test(m[1] ?? m[2] ?? '')) return;
      }
    }
    const root = ctx.settings.value('ROOT_URLCONF');
    const main = (root?.kind === 'str' && urls.find((f) => f.path.endsWith(root.value.replace(/\./g, '/') + '.py'))) || urls[0];
    const first = (ctx.readFile(main.path) ?? '').split(/\r\n|\r|\n/)[0];
    ctx.report({ at: { file: main.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: first.length } } }, message: 'No URL looks like a health check (healthz, ping, ready...): load balancers and monitors cannot tell a broken instance' });
  },
});
