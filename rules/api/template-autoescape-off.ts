import { defineRule, loneVariableOf, type TemplateContext, type TemplateTag } from '../../server/src/engine';

/**
 * Tags whose output is the developer's, not a value's: a block holding only these (and text) has
 * nothing to escape, e.g. `{% autoescape off %}<script type="importmap">{"a": "{% static 'a.js' %}"}</script>`.
 * `{% trans "literal" %}` counts; `{% trans var %}`, `{% include %}`, `{% block %}` (a child
 * template's variables inherit the block's autoescape off) and custom tags do not.
 */
const DEVELOPER_OUTPUT = new Set(['static', 'get_static_prefix', 'get_media_prefix', 'url', 'load', 'csrf_token', 'now', 'templatetag', 'lorem', 'spaceless', 'endspaceless', 'if', 'elif', 'else', 'endif', 'for', 'empty', 'endfor', 'comment', 'verbatim', 'endverbatim', 'autoescape', 'endautoescape']);

/** Whether the block renders anything that is not the developer's own text. */
function rendersValues(ctx: TemplateContext, open: TemplateTag): boolean {
  const end = ctx.template.endOf(open);
  const inside = ctx.template.tokensBetween(open.token.end, end ? end.token.start : ctx.template.text.length);
  const tags = new Map(ctx.template.tags.map((t) => [t.token, t]));
  for (const t of inside) {
    if (t.kind === 'variable') return true;
    if (t.kind !== 'block') continue;
    const tag = tags.get(t);
    if (!tag) continue; // inside a {% comment %}
    if ((tag.name === 'trans' || tag.name === 'translate') && /^(["']).*\1$|^_\(/.test(tag.args[0]?.text ?? '')) continue;
    if (!DEVELOPER_OUTPUT.has(tag.name)) return true;
  }
  return false;
}

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
      what: 'Flags `{% autoescape off %}` in a Django HTML template (`.html`, `.htm`, `.djhtml` with HTML markup or `{% extends %}`). Plain-text templates (`.txt`, or `.html` files without markup such as text e-mails and subjects) are not judged: escaping HTML there is wrong anyway. A block wrapping a single variable and nothing else is `{{ value|safe }}` written another way: DJR610 (opt-in) judges it. A block that renders no value (only text, `{% static %}`, `{% url %}`, literal `{% trans %}`, control flow) is not reported: nothing in it can come from a user.',
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
      // only static URLs and literal translations inside: nothing of a user's can reach the page
      if (!rendersValues(ctx, tag)) continue;
      ctx.report({
        at: { file: ctx.file.path, range: ctx.range(tag.token.start, tag.token.end) },
        message: '{% autoescape off %}: every variable up to {% endautoescape %} is written as raw HTML; a value a user can influence becomes script (XSS)',
      });
    }
  },
});
