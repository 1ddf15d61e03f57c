import { defineRule, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR201',
    name: 'debug-enabled',
    category: 'debug',
    severity: 'error',
    kind: 'settings',
    seeds: ['000', '001', '002', '003', '004'],
    django: 'W018',
    message: 'DEBUG is True in production',
    fixTitle: 'Read DEBUG from the environment, defaulting to False',
    fix: 'unsafe',
    docs: {
      what: 'Flags `DEBUG = True` (a literal, not an environment lookup) in the production settings or a module they inherit from. Development modules (dev, local, test...) are not production and are not checked.',
      why: 'With DEBUG on, every error page shows the stack trace, local variables, settings and SQL queries to whoever triggers it, static files are served by Django, and memory grows with every query logged. It is the most common cause of leaked secrets in Django deployments.',
      example: 'DEBUG = True',
      instead: "import os\n\nDEBUG = os.environ.get('DJANGO_DEBUG', 'False').lower() in ('1', 'true', 'yes')",
      fixSafety: 'Unsafe: DEBUG becomes False wherever DJANGO_DEBUG is not set, including on developer machines that relied on this module.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#debug',
        'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug',
      ],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('DEBUG');
    if (!b || b.value.env) return;
    const v = b.value;
    if (v.kind === 'unknown') return ctx.notChecked(unreadable('DEBUG', v));
    if (!((v.kind === 'bool' && v.value) || (v.kind === 'num' && v.value !== 0))) return;
    const ed = ctx.editorFor(v.origin.module);
    const { expr, edits } = ed.envLookup('DJANGO_DEBUG', 'bool', 'False', v.origin.top);
    ctx.report({
      at: ctx.bindingAt(b),
      message: `DEBUG is True in production${b.conditional ? ' (in a branch that may run)' : ''}: error pages expose code, settings and data`,
      fixes: [{ title: 'Read DEBUG from the environment variable DJANGO_DEBUG, defaulting to False', applicability: 'unsafe', edits: [ed.replaceNode(v.origin.top, v.origin.node, expr), ...edits] }],
    });
  },
});
