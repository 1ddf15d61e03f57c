import { defineRule } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR314',
    name: 'csp-missing',
    category: 'https',
    severity: 'info',
    kind: 'settings',
    seeds: ['000', '001', '002', '004'],
    message: 'No Content-Security-Policy is configured',
    fix: 'none',
    docs: {
      what: "Reports production settings with no Content-Security-Policy: neither django-csp (its middleware `csp.middleware.CSPMiddleware`, `CONTENT_SECURITY_POLICY` or `CSP_*` settings) nor Django 6's `SECURE_CSP` with `ContentSecurityPolicyMiddleware`.",
      why: 'A Content-Security-Policy tells the browser which scripts, styles and frames may run, which turns most cross-site scripting bugs into harmless errors. It replaces the obsolete X-XSS-Protection header (DJR311).',
      example: '# no CSP middleware and no CSP settings',
      instead: "MIDDLEWARE += ['csp.middleware.CSPMiddleware']  # django-csp\nCONTENT_SECURITY_POLICY = {'DIRECTIVES': {'default-src': [\"'self'\"]}}",
      fixSafety: 'No automatic fix: a policy must be written for what the pages actually load. Start with Content-Security-Policy-Report-Only.',
      references: ['https://django-csp.readthedocs.io/', 'https://docs.djangoproject.com/en/dev/ref/csp/', 'https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html'],
    },
  },
  checkSettings(ctx) {
    const mw = ctx.middleware;
    if (mw.some((m) => m.startsWith('csp.middleware.'))) return;
    if (mw.includes('django.middleware.csp.ContentSecurityPolicyMiddleware') && (ctx.setting('SECURE_CSP') || ctx.setting('SECURE_CSP_REPORT_ONLY'))) return;
    for (const name of ctx.scope.names.keys()) {
      if (name === 'CONTENT_SECURITY_POLICY' || name === 'CONTENT_SECURITY_POLICY_REPORT_ONLY') return;
    }
    if (!ctx.setting('MIDDLEWARE')) return ctx.notChecked('MIDDLEWARE is not set in the production settings.');
    ctx.report({ at: ctx.missingAt(), message: 'No Content-Security-Policy is configured (django-csp, or SECURE_CSP on Django 6+): XSS bugs run unhindered' });
  },
});
