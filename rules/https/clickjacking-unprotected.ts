import { defineRule, listFullyKnown, middlewareMissing, unreadable } from '../../server/src/engine';

const XFO = 'django.middleware.clickjacking.XFrameOptionsMiddleware';

export default defineRule({
  meta: {
    code: 'DJR307',
    name: 'clickjacking-unprotected',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '004'],
    django: 'W002/W019',
    message: 'Pages can be framed by other sites (clickjacking)',
    fixTitle: "Add XFrameOptionsMiddleware / set X_FRAME_OPTIONS = 'DENY'",
    fix: 'unsafe',
    docs: {
      what: "Flags production settings whose `MIDDLEWARE` lacks `XFrameOptionsMiddleware`, or whose `X_FRAME_OPTIONS` is not 'DENY' (Django's default is 'DENY' since 3.0, 'SAMEORIGIN' before).",
      why: 'A page that other sites may put in an invisible frame can be used for clickjacking: the user believes they click the attacker\'s page while they click a button of yours, with their session.',
      example: "X_FRAME_OPTIONS = 'SAMEORIGIN'",
      instead: "X_FRAME_OPTIONS = 'DENY'  # the default since Django 3.0\n# and 'django.middleware.clickjacking.XFrameOptionsMiddleware' in MIDDLEWARE",
      fixSafety: "Unsafe: pages can no longer be framed, not even by the site's own pages (use 'SAMEORIGIN' then) or by partners embedding them. Adding XFrameOptionsMiddleware starts sending the header on every response.",
      references: ['https://docs.djangoproject.com/en/stable/ref/clickjacking/', 'https://cheatsheetseries.owasp.org/cheatsheets/Clickjacking_Defense_Cheat_Sheet.html'],
    },
  },
  checkSettings(ctx) {
    const mw = ctx.setting('MIDDLEWARE');
    if (!mw) ctx.notChecked(middlewareMissing(ctx, 'XFrameOptionsMiddleware', ''));
    if (mw && !ctx.middleware.includes(XFO) && !listFullyKnown(mw.value)) return ctx.notChecked(middlewareMissing(ctx, 'XFrameOptionsMiddleware', ''));
    if (mw && (mw.value.kind === 'list' || mw.value.kind === 'tuple') && !ctx.middleware.includes(XFO)) {
      const st = mw.stmt.node;
      const literal = st.t === 'assign' && (st.value.t === 'list' || st.value.t === 'tuple') && mw.mutations.length === 0 && !mw.conditional ? st.value : undefined;
      const ed = ctx.editorFor(mw.stmt.module);
      ctx.report({
        at: ctx.bindingAt(mw),
        message: 'XFrameOptionsMiddleware is not in MIDDLEWARE: responses carry no X-Frame-Options header',
        fixes: literal && literal.items.length > 0 ? [{ title: 'Add XFrameOptionsMiddleware to MIDDLEWARE', applicability: 'unsafe', edits: ed.appendListItem(mw.stmt.top, literal, ed.str(XFO)) }] : [],
      });
      return;
    }
    const b = ctx.setting('X_FRAME_OPTIONS');
    const value = b ? b.value : undefined;
    if (!b) {
      if (ctx.djangoVersion[0] >= 3) return;
      ctx.report({ at: ctx.missingAt(), message: "X_FRAME_OPTIONS is not set: Django before 3.0 lets same-origin pages frame the site ('SAMEORIGIN')", fixes: [{ title: "Set X_FRAME_OPTIONS = 'DENY'", applicability: 'unsafe', edits: ctx.setSettingEdits('X_FRAME_OPTIONS', ctx.editor.str('DENY')) }] });
      return;
    }
    if (!value || value.kind !== 'str') return ctx.notChecked(unreadable('X_FRAME_OPTIONS', value));
    if (value.value.toUpperCase() === 'DENY') return;
    ctx.report({ at: ctx.bindingAt(b), message: `X_FRAME_OPTIONS is '${value.value.slice(0, 20)}', not 'DENY': pages can be framed`, fixes: [{ title: "Set X_FRAME_OPTIONS = 'DENY'", applicability: 'unsafe', edits: ctx.setSettingEdits('X_FRAME_OPTIONS', ctx.editorFor(b.stmt.module).str('DENY')) }] });
  },
});
