import { defineRule, originOffsets, originText, type FixSpec, type Value } from '../../server/src/engine';

/** Entries of CSRF_TRUSTED_ORIGINS with the value holding each (an env string default is split on commas). */
function entries(v: Value): { origin: string; at: Value; whole: boolean }[] {
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') return v.items.flatMap((it) => (it.kind === 'str' ? [{ origin: it.value.trim(), at: it, whole: true }] : []));
  if (v.kind === 'str' && v.env) return v.value.split(',').map((s) => ({ origin: s.trim(), at: v, whole: false })).filter((o) => o.origin);
  return [];
}

/**
 * Where to insert the scheme: in a plain one-piece string literal (`'x'`, `"x"`, `r'x'`) whose
 * content is exactly the entry (not a comma-separated default split at run time).
 */
function insertAt(at: Value, origin: string): number | undefined {
  const text = originText(at.origin);
  const m = /^([rRuU]?)(['"])([^'"\\\n]*)\2$/.exec(text);
  if (!m || m[3] !== origin) return undefined;
  return originOffsets(at.origin).start + m[1].length + 1;
}

export default defineRule({
  meta: {
    code: 'DJR406',
    name: 'trusted-origin-no-scheme',
    category: 'cors',
    severity: 'error',
    kind: 'settings',
    seeds: ['001', '002', '004'],
    django: '4_0.E001',
    message: 'A CSRF_TRUSTED_ORIGINS entry has no scheme',
    fixTitle: 'Prefix https://',
    fix: 'unsafe',
    docs: {
      what: 'Flags each entry of the production `CSRF_TRUSTED_ORIGINS` without a scheme (`example.com` instead of `https://example.com`) when the project runs Django 4.0 or later (the pinned version; the current release when none is pinned). An environment lookup is judged by its default, split on commas when it stays a string. Values computed at run time (comprehensions, f-strings without a scheme) are not judged.',
      why: 'Since Django 4.0 an origin is compared with the scheme included: an entry without one never matches, so cross-origin POSTs from that host fail CSRF verification, and the system check 4_0.E001 makes every management command that runs checks (`migrate`, `check --deploy`) stop with an error, often in the middle of a deployment.',
      example: "CSRF_TRUSTED_ORIGINS = ['example.com', '.example.com']",
      instead: "CSRF_TRUSTED_ORIGINS = ['https://example.com', 'https://*.example.com']",
      fixSafety: 'Unsafe: prefixing `https://` changes which origins are trusted (the entry starts to match); check that the site is served over HTTPS. Entries in a comma-separated environment default are reported without a fix.',
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins', 'https://docs.djangoproject.com/en/stable/releases/4.0/#csrf-trusted-origins-changes'],
    },
  },
  checkSettings(ctx) {
    if (ctx.djangoVersion[0] < 4) return;
    const b = ctx.setting('CSRF_TRUSTED_ORIGINS');
    if (!b) return;
    for (const { origin, at, whole } of entries(b.value)) {
      if (!origin || origin.includes('://')) continue; // an empty entry comes from an empty environment default
      if (at.kind === 'str' && at.fstring) continue; // built at run time: the scheme may come from a variable
      const src = at.env ? ` (the default of ${at.env.variable ?? 'an environment variable'})` : '';
      const offset = whole ? insertAt(at, origin) : undefined;
      const host = origin.replace(/^\*?\./, '*.');
      const fixes: FixSpec[] = offset === undefined ? [] : [{ title: `Prefix https:// ('https://${host}')`, applicability: 'unsafe', edits: [{ file: at.origin.module.path, start: offset, end: offset + (origin.startsWith('.') ? 1 : 0), newText: origin.startsWith('.') ? 'https://*.' : 'https://' }] }];
      ctx.report({
        at: at.origin,
        message: `CSRF_TRUSTED_ORIGINS entry '${origin}'${src} has no scheme: Django ${ctx.djangoVersion[0]}.${ctx.djangoVersion[1]} never matches it and its system check 4_0.E001 stops migrate and check`,
        fixes,
      });
    }
  },
});
