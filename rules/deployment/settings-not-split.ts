import { defineRule } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR909',
    name: 'settings-not-split',
    category: 'deployment',
    severity: 'info',
    kind: 'settings',
    seeds: ['000', '002', '004'],
    message: 'One settings module serves every environment',
    fix: 'none',
    docs: {
      what: 'Reports a project with a single settings module that is also set up for development: `DEBUG = True` written in it, or `if DEBUG:` branches that switch behaviour on a `DEBUG` written as a literal in it (a `DEBUG` read from the environment configures the module from outside: its branches follow that switch, and DJR202/DJR205 judge its default).',
      why: 'When development and production share one file, every development convenience (DEBUG, console e-mail, permissive hosts) is one forgotten environment variable away from production, and reviewers cannot see what production really runs.',
      example: '# mysite/settings.py\nDEBUG = True\nif DEBUG:\n    INSTALLED_APPS += ["debug_toolbar"]',
      instead: '# mysite/settings/base.py, dev.py, production.py\n# production.py\nfrom .base import *\nDEBUG = False',
      fixSafety: 'No automatic fix: splitting settings is a refactoring (or read every difference from the environment).',
      references: ['https://docs.djangoproject.com/en/stable/topics/settings/', 'https://12factor.net/config'],
    },
  },
  checkSettings(ctx) {
    if (ctx.project.settingsModules.filter((m) => m.role !== 'development').length > 1) return;
    if (ctx.project.settingsModules.some((m) => m.role === 'development' && m.path !== ctx.module.path)) return;
    const debug = ctx.setting('DEBUG');
    if (debug && debug.stmt.module === ctx.module && debug.value.kind === 'bool' && debug.value.value && !debug.value.env) {
      ctx.report({ at: ctx.bindingAt(debug), message: 'This settings module is also the development one (DEBUG = True): split it into base/dev/production modules, or read every difference from the environment' });
      return;
    }
    // DEBUG read from the environment: the module is configured by the environment (twelve-factor),
    // its `if DEBUG:` branches follow that switch (djangopackages: env.bool("DJANGO_DEBUG", ...));
    // a DEBUG that cannot be read says nothing either way
    if (!debug || debug.stmt.module !== ctx.module || debug.value.kind !== 'bool' || debug.value.env) return;
    for (const s of ctx.module.stmts) {
      if (s.ir.t !== 'if') continue;
      const test = s.ir.branches[0]?.test;
      const name = test && (test.t === 'name' ? test.id : test.t === 'not' && test.x.t === 'name' ? test.x.id : undefined);
      if (name !== 'DEBUG') continue;
      const lines = ctx.module.lines;
      const line = lines.positionAt(s.start).line;
      ctx.report({ at: { file: ctx.module.path, range: lines.lineRange(line) }, message: 'This settings module switches behaviour on DEBUG: development and production share one file' });
      return;
    }
  },
});
