import { defineRule, loneVariableOf } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR609',
    name: 'template-autoescape-off',
    category: 'api',
    severity: 'warning',
    kind: 'template',
    seeds: ['000', '001', '003', '004'],
    message: 'Autoescaping is switched off in this template',
    fix: 'none',
    docs: {
      what: 'Flags `{% autoescape off %}` in a Django HTML template (`.html`, `.htm`, `.djhtml` with HTML markup or `{% extends %}`). Plain-text templates (`.txt`, or `.html` files without markup such as text e-mails and subjects) are not judged: escaping HTML there is wrong anyway. A block wrapping a single variable and nothing else is `{{ value|safe }}` written another way: DJR610 (opt-in) judges it.',
      why: 'Inside `{% autoescape off %}` every `{{ variable }}` is written to the page as raw HTML. One value that a user can influence (a name, a comment, a search term) then becomes script running in other users\' browsers: stored or reflected XSS, with their session and CSRF token.',
      example: '{% autoescape off %}\n  <p>{{ comment.text }}</p>\n{% endautoescape %}',
      instead: '<p>{{ comment.text }}</p>\n\n{# HTML you produced yourself and escaped: build it with format_html() in Python #}\n<p>{{ rendered_summary }}</p>',
      fixSafety: 'No automatic fix: removing the block changes what the page shows (HTML that was meant to render would appear escaped). Escape in Python with format_html() / conditional_escape() where HTML is built, then remove the block.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape',
        'https://docs.djangoproject.com/en/stable/ref/templates/language/#automatic-html-escaping',
        'https://owasp.org/www-community/attacks/xss/',
      ],
    },
  },
  prefilter: /autoescape/,
  checkTemplate(ctx) {
    if (!ctx.html) return;
    for (const tag of ctx.template.tags) {
      if (tag.name !== 'autoescape' || tag.args[0]?.text !== 'off') continue;
      // `{% autoescape off %}{{ x }}{% endautoescape %}` is `{{ x|safe }}`: DJR610's (opt-in) case
      if (loneVariableOf(ctx.template, tag)) continue;
      ctx.report({
        at: { file: ctx.file.path, range: ctx.range(tag.token.start, tag.token.end) },
        message: '{% autoescape off %}: every variable up to {% endautoescape %} is written as raw HTML; a value a user can influence becomes script (XSS)',
      });
    }
  },
});
