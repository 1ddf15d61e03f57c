import { defineRule, dictGet, listFullyKnown, unreadable, type Binding, type Edit, type SettingsContext } from '../../server/src/engine';

/** A staticfiles storage that uploads elsewhere (S3, GCS, Azure, Cloudinary): collectstatic needs no STATIC_ROOT. */
const REMOTE_STORAGE = /^storages\.|s3|gcloud|google|azure|cloudinary|dropbox|sftp|libcloud/i;

function usesRemoteStorage(ctx: SettingsContext): boolean {
  const backend = dictGet(dictGet(ctx.value('STORAGES'), 'staticfiles')?.value, 'BACKEND')?.value;
  const old = ctx.value('STATICFILES_STORAGE');
  return [backend, old].some((v) => v?.kind === 'str' && REMOTE_STORAGE.test(v.value));
}

/**
 * `BASE_DIR / "staticfiles"` for a pathlib BASE_DIR, `os.path.join(BASE_DIR, "staticfiles")` for an
 * os.path one; as the environment lookup's default when STATIC_ROOT comes from one.
 */
function fixEdits(ctx: SettingsContext, b: Binding | undefined): Edit[] {
  const base = ctx.value('BASE_DIR');
  if (!base || base.kind !== 'path' || base.env) return [];
  const pathlib = /^(pathlib\.)?Path\b/.test(base.display);
  if (!pathlib && !base.display.startsWith('os.path.')) return [];
  const env = b?.value.env;
  const ed = env?.defaultOrigin ? ctx.editorFor(env.defaultOrigin.module) : ctx.editor;
  const name = ed.str('staticfiles');
  const src = pathlib ? `BASE_DIR / ${name}` : `os.path.join(BASE_DIR, ${name})`;
  const imports = pathlib ? [] : ed.ensureImport('os');
  if (env) {
    // keep the lookup, default to the folder (the module must see BASE_DIR)
    const d = env.defaultOrigin;
    if (!d || !ctx.editorFor(d.module).scope?.names.has('BASE_DIR')) return [];
    return [ed.replaceNode(d.top, d.node, src), ...imports];
  }
  return [...ctx.setSettingEdits('STATIC_ROOT', src), ...imports];
}

export default defineRule({
  meta: {
    code: 'DJR901',
    name: 'static-root-missing',
    category: 'deployment',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '002', '004'],
    message: 'STATIC_ROOT is not set',
    fixTitle: 'Set STATIC_ROOT = BASE_DIR / "staticfiles"',
    fix: 'unsafe',
    docs: {
      what: "Flags production settings with `django.contrib.staticfiles` installed and no `STATIC_ROOT` (or `None`/empty), unless the staticfiles storage uploads elsewhere (django-storages S3/GCS/Azure, Cloudinary). An environment lookup is judged by its default.",
      why: 'With DEBUG off Django no longer serves static files: they must be gathered by `manage.py collectstatic` for the web server, WhiteNoise or a CDN, and collectstatic refuses to run without STATIC_ROOT. The admin and every page then load without CSS and JavaScript.',
      example: "STATIC_URL = 'static/'",
      instead: "STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'",
      fixSafety: "Unsafe: adds `STATIC_ROOT = BASE_DIR / \"staticfiles\"` (or `os.path.join(BASE_DIR, \"staticfiles\")` when BASE_DIR is built with os.path) next to the other static settings; only offered when BASE_DIR is a path defined in the settings. `collectstatic` then writes there, and what reads STATIC_ROOT at run time (WhiteNoise, ManifestStaticFilesStorage's manifest, `static()` URL patterns) starts using it. Run `manage.py collectstatic` in the build and add the folder to .gitignore.",
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#static-root',
        'https://docs.djangoproject.com/en/stable/howto/static-files/deployment/',
        'https://whitenoise.readthedocs.io/en/stable/django.html',
      ],
    },
  },
  checkSettings(ctx) {
    if (!ctx.installedApps.some((a) => a === 'django.contrib.staticfiles' || a.startsWith('django.contrib.staticfiles.'))) {
      const apps = ctx.setting('INSTALLED_APPS');
      return apps && !listFullyKnown(apps.value) ? ctx.notChecked(unreadable('INSTALLED_APPS', apps.value)) : ctx.notApplicable('django.contrib.staticfiles is not installed: Django serves no static files.');
    }
    const b = ctx.setting('STATIC_ROOT');
    if (b && b.value.kind === 'unknown') return ctx.notChecked(unreadable('STATIC_ROOT', b.value));
    if (b && !((b.value.kind === 'none') || (b.value.kind === 'str' && b.value.value.trim() === ''))) return; // set
    if (usesRemoteStorage(ctx)) return;
    const edits = fixEdits(ctx, b);
    const env = b?.value.env;
    ctx.report({
      at: b ? ctx.bindingAt(b) : ctx.missingNear('STATIC_ROOT'),
      message: `${b ? `STATIC_ROOT is ${b.value.kind === 'none' ? 'None' : 'empty'}${env ? ` (the default of ${env.variable ?? 'an environment variable'})` : ''}` : 'STATIC_ROOT is not set'}: collectstatic cannot run, so static files are not served once DEBUG is off`,
      fixes: edits.length > 0 ? [{ title: edits.some((e) => e.newText.includes('os.path.join')) ? 'Set STATIC_ROOT = os.path.join(BASE_DIR, "staticfiles")' : 'Set STATIC_ROOT = BASE_DIR / "staticfiles"', applicability: 'unsafe', edits }] : [],
    });
  },
});
