import { defineRule, type Edit, type ModuleEditor, type PyModule, type TopStmt } from '../../server/src/engine';

/** Deletes the statement's lines, keeping a trailing comment (the user's words) as its own line. */
function removeKeepingComment(m: PyModule, top: TopStmt, ed: ModuleEditor): Edit {
  const lastLine = m.lines.positionAt(top.end).line;
  const rest = m.text.slice(top.end, m.lines.lineEnd(lastLine));
  const comment = /#.*$/.exec(rest)?.[0];
  if (!comment) return ed.deleteStatement(top);
  const start = m.lines.lineStart(m.lines.positionAt(top.start).line);
  return ed.replace(start, m.lines.lineEnd(lastLine), comment);
}

export default defineRule({
  meta: {
    code: 'DJR311',
    name: 'obsolete-xss-filter',
    category: 'https',
    severity: 'hint',
    kind: 'settings',
    seeds: ['000', '001', '004'],
    message: 'SECURE_BROWSER_XSS_FILTER is obsolete',
    fixTitle: 'Remove SECURE_BROWSER_XSS_FILTER',
    fix: 'safe',
    deprecated: true,
    docs: {
      what: 'Flags any assignment of `SECURE_BROWSER_XSS_FILTER` in the production settings. (The old `manage.py check --deploy` warning W007 was removed in Django 3.0.)',
      why: 'The setting sent `X-XSS-Protection`, a header modern browsers ignore (Chrome and Edge removed their XSS auditor, Firefox never had one). Django removed the setting in 4.0, so it now does nothing and gives a false sense of protection. Use a Content-Security-Policy instead (DJR314).',
      example: 'SECURE_BROWSER_XSS_FILTER = True',
      instead: "# Content-Security-Policy, e.g. with django-csp or Django 6's SECURE_CSP\nCONTENT_SECURITY_POLICY = {'DIRECTIVES': {'default-src': [\"'self'\"]}}",
      fixSafety: "Safe when the project pins Django 4.0 or newer: the setting does nothing there, so removing it changes nothing (a trailing comment on its line is kept). With an older or unknown Django version the setting still sends `X-XSS-Protection`, and the removal is unsafe.",
      references: ['https://docs.djangoproject.com/en/4.0/releases/4.0/#securitymiddleware-no-longer-sets-the-x-xss-protection-header', 'https://developer.mozilla.org/docs/Web/HTTP/Headers/X-XSS-Protection'],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('SECURE_BROWSER_XSS_FILTER');
    if (!b) return;
    const st = b.stmt.node;
    const simple = st.t === 'assign' && st.targets.length === 1 && b.stmt.top.ir === st;
    // the setting does nothing from Django 4.0: removing it is safe only when that version is known
    const noEffect = ctx.djangoVersionPinned && ctx.djangoVersion[0] >= 4;
    ctx.report({
      at: ctx.bindingAt(b),
      message: 'SECURE_BROWSER_XSS_FILTER is obsolete: browsers ignore X-XSS-Protection and Django 4.0 removed the setting; use a Content-Security-Policy',
      fixes: simple ? [{ title: 'Remove SECURE_BROWSER_XSS_FILTER', applicability: noEffect ? 'safe' : 'unsafe', edits: [removeKeepingComment(b.stmt.module, b.stmt.top, ctx.editorFor(b.stmt.module))] }] : [],
    });
  },
});
