import { defineRule, securityMiddlewareActive, stringItems, unreadable, type FixSpec } from '../../server/src/engine';

const VALID = new Set(['no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'unsafe-url']);

export default defineRule({
  meta: {
    code: 'DJR312',
    name: 'referrer-policy-disabled',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '004'],
    django: 'W022/E023',
    message: 'No valid Referrer-Policy',
    fixTitle: "Set SECURE_REFERRER_POLICY = 'same-origin'",
    fix: 'unsafe',
    docs: {
      what: "Flags production settings where `SECURE_REFERRER_POLICY` is None, holds a value browsers do not know, or is absent on Django before 3.1 (whose default was None; since 3.1 it is 'same-origin').",
      why: 'Without a Referrer-Policy, full URLs (with ids, search terms or tokens in the query string) leak to every external site your pages link to or load resources from.',
      example: 'SECURE_REFERRER_POLICY = None',
      instead: "SECURE_REFERRER_POLICY = 'same-origin'  # the default since Django 3.1",
      fixSafety: "Unsafe: browsers then send the Referer header only to the same origin; analytics, partner sites or payment providers that rely on receiving it stop getting it.",
      references: ['https://docs.djangoproject.com/en/stable/ref/middleware/#referrer-policy', 'https://developer.mozilla.org/docs/Web/HTTP/Headers/Referrer-Policy'],
    },
  },
  checkSettings(ctx) {
    if (!securityMiddlewareActive(ctx)) return;
    const b = ctx.setting('SECURE_REFERRER_POLICY');
    const fix = (module = ctx.module): FixSpec[] => [{ title: "Set SECURE_REFERRER_POLICY = 'same-origin'", applicability: 'unsafe', edits: ctx.setSettingEdits('SECURE_REFERRER_POLICY', ctx.editorFor(module).str('same-origin')) }];
    if (!b) {
      const [major, minor] = ctx.djangoVersion;
      if (major > 3 || (major === 3 && minor >= 1)) return;
      ctx.report({ at: ctx.missingAt(), message: 'SECURE_REFERRER_POLICY is not set (None before Django 3.1): full URLs leak to other sites', fixes: fix() });
      return;
    }
    const v = b.value;
    if (v.kind === 'none') {
      ctx.report({ at: ctx.bindingAt(b), message: 'SECURE_REFERRER_POLICY is None: no Referrer-Policy header, full URLs leak to other sites', fixes: fix(b.stmt.module) });
      return;
    }
    let values: string[] | undefined;
    if (v.kind === 'str') values = v.value.split(',').map((s) => s.trim());
    else if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') values = stringItems(v).map((s) => s.value.trim());
    if (!values) return ctx.notChecked(unreadable('SECURE_REFERRER_POLICY', v));
    const bad = values.filter((x) => !VALID.has(x));
    if (bad.length > 0 || values.length === 0) {
      ctx.report({ at: ctx.bindingAt(b), message: `SECURE_REFERRER_POLICY has an invalid value${bad.length ? ` ('${bad[0].slice(0, 30)}')` : ''}: browsers ignore the header`, fixes: fix(b.stmt.module) });
    }
  },
});
