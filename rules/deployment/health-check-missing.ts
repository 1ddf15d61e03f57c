import * as path from 'node:path';
import { defineRule, deploymentOf, djangoProjectFound, inherited, type FileSystem } from '../../server/src/engine';

/**
 * A path segment that names a health check, whole: `healthz/`, `api/health/`, `_health`,
 * `{PREFIX}health_check/` (not `pumping/`, `test-case-health/`, `live-progress/`).
 */
const HEALTH_SEGMENT = /^[_-]?(health|healthz|healthcheck|health[-_]check|ping|ready|readiness|readyz|live|liveness|livez|alive|heartbeat)$/i;
/** `status/`, `api/status/`, `api/v3/status/`: an instance status endpoint only with a view named like one (netbox's StatusView, not dmoj's status_all page of submissions). */
const STATUS_PATH = /^(?:api\/(?:v\d+\/)?)?_?status$/i;
const STATUS_VIEW = /(^|\.)(\w*StatusView|status)$/;

/** A view named like a health check (`health_check`, `HealthView.as_view()`, `views.ping`). */
const HEALTH_VIEW = /(^|[._])(health\w*|healthz|ping|readiness|readyz|liveness|livez|alive|heartbeat)$|(^|\.)(Health|Ping|Readiness|Liveness|Heartbeat)\w*(\.as_view)?$/i;
/** A health path answered before Django's URL resolver (an ASGI/WSGI wrapper, a middleware): saleor's `health_check(application, "/health/")`. */
const HEALTH_LITERAL = /["']\/(?:-\/|_)?(health|healthz|healthcheck|health-check|ping|ready|readyz|livez|liveness|alive|heartbeat)\/?["']/i;
/** Apps that serve a health URL. */
const HEALTH_APPS = /^(health_check|watchman|django_alive|django_healthchecks|django_health_check)(\.|$)/;

/** The segments of a route as written (`path()` pattern or `re_path()` regex), placeholders and regex syntax left out. */
function routeSegments(route: string): string[] {
  return route
    .replace(/\{[^}]*\}/g, '')
    .replace(/\\\//g, '/')
    .split('/')
    .map((seg) => seg.replace(/^\^/, '').replace(/[$?]+$/, ''))
    .filter((seg) => seg !== '');
}

/** Whether a route (and its view) looks like a health check. */
function healthRoute(route: string, view: string): boolean {
  const segs = routeSegments(route);
  if (segs.some((seg) => HEALTH_SEGMENT.test(seg))) return true;
  if (STATUS_PATH.test(segs.join('/')) && STATUS_VIEW.test(view.replace(/\.as_view$/, ''))) return true;
  return view !== '' && HEALTH_VIEW.test(view);
}

/** Folders that hold Kubernetes manifests or Helm charts. */
const K8S_DIRS = /^(helm|charts?|k8s|kubernetes|kustomize|manifests)$/i;
const HTTP_PROBE = /\b(?:liveness|readiness|startup)Probe:\s*(?:#[^\n]*)?\n\s*httpGet:/;

/** Whether a Kubernetes manifest or Helm template below `roots` declares an HTTP probe (at most 300 YAML files read). */
function kubernetesProbe(fs: FileSystem, roots: string[]): boolean {
  let budget = 300;
  const walk = (dir: string, depth: number): boolean => {
    for (const e of fs.readDir(dir)) {
      const p = path.join(dir, e.name);
      if (e.isDirectory && depth < 5 && !e.name.startsWith('.') && walk(p, depth + 1)) return true;
      if (e.isFile && /\.(ya?ml|tpl)$/i.test(e.name) && budget-- > 0 && HTTP_PROBE.test(fs.readFile(p) ?? '')) return true;
      if (budget <= 0) return false;
    }
    return false;
  };
  for (const root of new Set(roots)) {
    for (const e of fs.readDir(root)) if (e.isDirectory && K8S_DIRS.test(e.name) && walk(path.join(root, e.name), 0)) return true;
  }
  return false;
}

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
      what: 'Reports a Django project that shows no health check: no URL route (in `urls.py` files and `urls/` packages) whose path has a whole segment naming one (`health/`, `api/healthz/`, `_health`, `ping/`, `ready/`, `live/`...; not `pumping/` or `test-case-health/`), a `status/` or `api/v1/status/` route served by a view named like a status endpoint (`StatusView`, `views.status`; a page of statuses such as `status_all` is not one), or a view named like a health check (`health_check`, `HealthView`...), no health path answered before the URL resolver (an ASGI/WSGI wrapper or a middleware matching `"/health/"`), no health-check app (django-health-check, django-watchman, django-alive...), no HTTP liveness/readiness/startup probe in Kubernetes manifests or a Helm chart (`helm/`, `charts/`, `k8s/`, `kubernetes/`... folders of the project or the analysed folder), and no `HEALTHCHECK` in the application\'s production Dockerfile or `healthcheck:` on its production compose service.',
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
        if (healthRoute(m[1] ?? m[3] ?? '', (m[2] ?? m[4] ?? '').replace(/\(\s*\)$/, ''))) return;
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
    // an HTTP probe in Kubernetes manifests or a Helm chart (DefectDojo's helm/ probes /uwsgi_health,
    // a path nginx rewrites): the orchestrator checks the instance
    if (kubernetesProbe(ctx.fs, [ctx.project.root, ctx.analysisRoot])) return;
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
