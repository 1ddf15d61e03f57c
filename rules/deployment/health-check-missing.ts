import * as path from 'node:path';
import { defineRule, deploymentOf, djangoProjectFound, inherited } from '../../server/src/engine';

/** Words of a health-check URL or view. */
const HEALTH_WORD = /(health|healthz|healthcheck|health[-_]check|ping|ready|readiness|readyz|live|liveness|livez|alive|heartbeat|status)/i;
const HEALTH = new RegExp(`["'^/]*${HEALTH_WORD.source}\\b`, 'i');
/** A view named like a health check (`health_check`, `HealthView.as_view()`, `views.ping`). */
const HEALTH_VIEW = /(^|[._])(health\w*|healthz|ping|readiness|readyz|liveness|livez|alive|heartbeat)$|(^|\.)(Health|Ping|Readiness|Liveness|Heartbeat)\w*(\.as_view)?$/i;
/** A health path answered before Django's URL resolver (an ASGI/WSGI wrapper, a middleware): saleor's `health_check(application, "/health/")`. */
const HEALTH_LITERAL = /["']\/(?:-\/|_)?(health|healthz|healthcheck|health-check|ping|ready|readyz|livez|liveness|alive|heartbeat)\/?["']/i;
/** Apps that serve a health URL. */
const HEALTH_APPS = /^(health_check|watchman|django_alive|django_healthchecks|django_health_check)(\.|$)/;

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
      what: 'Reports a Django project that shows no health check: no URL route (in `urls.py` files and `urls/` packages) whose path or view looks like one (`health`, `healthz`, `ping`, `ready`, `live`, `status`..., or a view named `health_check`, `HealthView`...), no health path answered before the URL resolver (an ASGI/WSGI wrapper or a middleware matching `"/health/"`), no health-check app (django-health-check, django-watchman, django-alive...), and no `HEALTHCHECK` in the application\'s production Dockerfile or `healthcheck:` on its production compose service.',
      why: 'Load balancers, container orchestrators and uptime monitors need a cheap URL that says whether the application (and its database) is up. Without one they probe a real page, or nothing, and send traffic to broken instances.',
      example: 'urlpatterns = [\n    path("admin/", admin.site.urls),\n]',
      instead: 'urlpatterns = [\n    path("admin/", admin.site.urls),\n    path("healthz/", lambda request: HttpResponse("ok")),\n]',
      fixSafety: 'No automatic fix: decide what the check covers (process only, or database and cache too).',
      references: ['https://github.com/revsys/django-health-check', 'https://docs.docker.com/reference/dockerfile/#healthcheck'],
    },
  },
  checkProject(ctx) {
    if (!djangoProjectFound(ctx)) return ctx.notApplicable('No Django project was found.');
    if (!ctx.settings) return ctx.notChecked('No production settings module was found.');
    if (ctx.settings.installedApps.some((a) => HEALTH_APPS.test(a))) return;
    const code = ctx.files.filter((f) => f.kind === 'python' && !f.isTest);
    const urls = code.filter((f) => /(^|[\\/])urls(\.py$|[\\/])/.test(f.path));
    if (urls.length === 0) return ctx.notChecked('No urls.py was found.');
    for (const f of urls) {
      const text = ctx.readFile(f.path) ?? '';
      for (const m of text.matchAll(/\b(?:re_)?path\(\s*r?["']([^"']*)["']\s*(?:,\s*([\w.]+(?:\(\s*\))?))?|\burl\(\s*r?["']([^"']*)["']\s*(?:,\s*([\w.]+(?:\(\s*\))?))?/g)) {
        if (HEALTH.test(m[1] ?? m[3] ?? '')) return;
        const view = (m[2] ?? m[4] ?? '').replace(/\(\s*\)$/, '');
        if (view && HEALTH_VIEW.test(view)) return;
      }
    }
    // a health path answered by the ASGI/WSGI application or a middleware, before the URL resolver
    for (const f of code) {
      if (!/(^|[\\/])(asgi|wsgi|middlewares?)([\\/]|\.py$)|(^|[\\/])[^\\/]*(health|middleware)[^\\/]*\.py$/i.test(f.path)) continue;
      if (HEALTH_LITERAL.test(ctx.readFile(f.path) ?? '')) return;
    }
    // a HEALTHCHECK in the application's production image, or a healthcheck on its production compose service
    const model = deploymentOf(ctx);
    for (const image of model.images) {
      if (image.dev || !image.python || !image.stage) continue;
      const hc = inherited(image.stage, 'HEALTHCHECK');
      if (hc && !/^\s*NONE\b/i.test(hc.args)) return;
    }
    for (const c of model.compose) {
      for (const s of c.services) {
        if (model.serviceDev.get(s) !== undefined || !s.healthcheck || s.healthcheck.disabled || !s.build) continue;
        if (model.image(s.build.dockerfile)?.python) return;
      }
    }
    const root = ctx.settings.value('ROOT_URLCONF');
    const rootFile = root?.kind === 'str' ? root.value.replace(/\./g, '/') : undefined;
    // the ROOT_URLCONF module (the shortest path that ends with it: `urls` is tabbycat/urls.py, not adjallocation/urls.py)
    const slash = (p: string) => p.split(path.sep).join('/');
    const named = rootFile ? urls.filter((f) => slash(f.path).endsWith(`/${rootFile}.py`) || slash(f.path).endsWith(`/${rootFile}/__init__.py`)) : [];
    const main = named.sort((a, b) => a.path.length - b.path.length)[0] ?? urls[0];
    const first = (ctx.readFile(main.path) ?? '').split(/\r\n|\r|\n/)[0];
    ctx.report({ at: { file: main.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: first.length } } }, message: 'No URL looks like a health check (healthz, ping, ready...), and no HEALTHCHECK in the production image: load balancers and monitors cannot tell a broken instance' });
  },
});
