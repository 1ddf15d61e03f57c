import { defineRule, loneVariableOf, type FilterExpression, type TemplateDocument } from '../../server/src/engine';

const SAFE = new Set(['safe', 'safeseq']);

/**
 * Filters whose output is already escaped HTML (they escape their input while autoescaping is
 * on, or produce escaped JSON / JS): a `|safe` after one of them changes nothing.
 */
const ESCAPING = new Set(['escape', 'force_escape', 'escapejs', 'escapeseq', 'json_script', 'urlize', 'urlizetrunc', 'linebreaks', 'linebreaksbr', 'unordered_list', 'iriencode', 'urlencode']);

const isLiteral = (s: string) => /^(["'])[\s\S]*\1$|^_\((["'])[\s\S]*\2\)$/.test(s) || /^[-+]?\d[\d.]*$/.test(s);

/**
 * Names the template itself binds to string literals: `{% cycle '' '</tr><tr>' as row silent %}`,
 * `{% with sep="<br>" %}`, `{% with "<br>" as sep %}`, `{% firstof "a" "b" as x %}`,
 * `{% trans "..." as x %}`.
 */
function literalNames(doc: TemplateDocument): Set<string> {
  const out = new Set<string>();
  for (const tag of doc.tags) {
    const a = tag.args.map((x) => x.text);
    const as = a.indexOf('as');
    if ((tag.name === 'cycle' || tag.name === 'firstof' || tag.name === 'trans' || tag.name === 'translate') && as > 0 && a[as + 1]) {
      if (a.slice(0, as).every(isLiteral)) out.add(a[as + 1]);
    } else if (tag.name === 'with') {
      if (as === 1 && a[2] && isLiteral(a[0])) out.add(a[2]);
      for (const x of a) {
        const m = /^(\w+)=(.*)$/.exec(x);
        if (m && isLiteral(m[2])) out.add(m[1]);
      }
    }
  }
  return out;
}

function literalNameOf(e: FilterExpression, literals: Set<string>): boolean {
  return literals.has(e.value.text);
}

/** Why a `|safe` is harmless (undefined: it is not). */
function trusted(e: FilterExpression, index: number, literals: Set<string>): string | undefined {
  if (e.literal) return 'literal';
  if (literals.has(e.value.text)) return 'bound to a literal in the template';
  // Django's contract: help_text is trusted HTML (its own admin and form rendering output it unescaped)
  if (/(^|\.)help_text$/.test(e.value.text)) return 'help_text';
  if (/^[-+.]?\d/.test(e.value.text)) return 'number';
  for (let i = 0; i < index; i++) if (ESCAPING.has(e.filters[i].name.text)) return 'escaped';
  return undefined;
}

export default defineRule({
  meta: {
    code: 'DJR610',
    name: 'template-safe-filter',
    category: 'api',
    severity: 'info',
    kind: 'template',
    // Measured on 16 real projects: of 197 |safe findings 11 were user input, 161 trusted
    // content (staff-written HTML, sanitised or escaped values, numbers, JSON of constants) and
    // 25 debatable; which is which depends on the views, not the template. A review list, asked for.
    optIn: true,
    seeds: ['000', '001', '003', '004'],
    message: 'The safe filter turns off HTML escaping for this value',
    fix: 'none',
    docs: {
      what: 'Opt-in (it runs when `select` names it or `severity` gives it a level, e.g. `severity = { DJR610 = "info" }`): a review list of every place a template switches escaping off for a value. Flags the `safe` and `safeseq` filters on a variable in a Django HTML template: in `{{ value|safe }}` and in tag arguments that render a value (`{% with body=post.body|safe %}`, `{% firstof a|safe b %}`, `{% include "x.html" with html=value|safe %}`). Not flagged: a string literal (`{{ "<br>"|safe }}`), a value already escaped by an earlier filter (`|escape`, `|force_escape`, `|escapejs`, `|json_script`, `|urlize`, `|linebreaks`...), a variable the template binds to a literal (`{% cycle \'\' \'</tr><tr>\' as row %}`, `{% with sep="<br>" %}`), a form field\'s `help_text` (trusted HTML by Django\'s own contract), anything inside `{% autoescape off %}` (DJR609 reports the block), plain-text templates (`.txt`, or `.html` without markup). It is opt-in because a template cannot tell trusted HTML from user input: on 16 real projects 11 of 197 findings were user input reaching the page unescaped, 161 were trusted content (staff-written HTML, sanitised or escaped values, numbers, JSON of constants), 25 were debatable.',
      why: '`|safe` tells Django the value is trusted HTML and writes it unescaped. If the value ever contains something a user typed (a profile field, a comment, a file name, text converted by a Markdown filter that does not sanitise), that text runs as script in the browsers of everyone who views the page: stored XSS.',
      example: '<div class="bio">{{ profile.bio|safe }}</div>\n{{ comment.body|markdown|safe }}',
      instead: '<div class="bio">{{ profile.bio }}</div>\n\n{# HTML the app builds: format_html() in Python, no |safe in the template #}\n{# Markdown from users: render and sanitise (e.g. nh3 / bleach) in Python, then mark_safe the sanitised result #}\n{{ comment.body_html }}',
      fixSafety: 'No automatic fix: removing `|safe` shows HTML that was meant to render as escaped text. Check where the value comes from: when it is HTML your code builds or sanitises, build it with format_html() (or sanitise it) in Python and silence the finding with a reason: `{# django-readiness: ignore[DJR610] sanitised with nh3 in Post.save #}` on the line above.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#safe',
        'https://docs.djangoproject.com/en/stable/ref/templates/language/#automatic-html-escaping',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html',
        'https://owasp.org/www-community/attacks/xss/',
      ],
    },
  },
  // |safe, safeseq, and {% autoescape off %} around a lone variable
  prefilter: /\|\s*safe|autoescape/,
  checkTemplate(ctx) {
    if (!ctx.html) return;
    let literals: Set<string> | undefined;
    const report = (e: FilterExpression, where: { start: number; end: number }, inTag: string | undefined) => {
      e.filters.forEach((f, i) => {
        if (!SAFE.has(f.name.text) || trusted(e, i, (literals ??= literalNames(ctx.template)))) return;
        const shown = `${e.value.text.length > 60 ? e.value.text.slice(0, 57) + '...' : e.value.text}|${f.name.text}${inTag ? ` (in {% ${inTag} %})` : ''}`;
        const element = ctx.template.rawTextElementAt(where.start);
        ctx.report({
          at: { file: ctx.file.path, range: ctx.range(where.start, where.end) },
          message:
            element === 'script'
              ? `${shown} in a <script> is written unescaped: a value holding "</script>" or a quote breaks out of it (XSS); pass data with json_script instead`
              : `${shown} is written without HTML escaping: check that it can never hold user input (XSS)`,
        });
      });
    };
    for (const v of ctx.template.variables) {
      if (v.autoescapeOff) continue;
      report(v.expression, v.token, undefined);
    }
    for (const { tag, expression } of ctx.template.tagFilterExpressions()) {
      if (tag.autoescapeOff) continue;
      report(expression, expression.span, tag.name);
    }
    // `{% autoescape off %}{{ x }}{% endautoescape %}`: a |safe in disguise (DJR609 leaves it here)
    for (const tag of ctx.template.tags) {
      if (tag.name !== 'autoescape' || tag.args[0]?.text !== 'off' || tag.autoescapeOff) continue;
      const v = loneVariableOf(ctx.template, tag);
      if (!v || v.expression.literal || literalNameOf(v.expression, (literals ??= literalNames(ctx.template)))) continue;
      ctx.report({
        at: { file: ctx.file.path, range: ctx.range(v.token.start, v.token.end) },
        message: `${v.expression.value.text} (in {% autoescape off %}) is written without HTML escaping: check that it can never hold user input (XSS)`,
      });
    }
  },
});
