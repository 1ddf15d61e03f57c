import { defineRule, type FixSpec, type HtmlForm, type TemplateContext } from '../../server/src/engine';

/**
 * Template tags inside a form that may render the token themselves: `{% include %}` and
 * `{% block %}` (another template fills them), django-crispy-forms' `{% crispy %}` (renders
 * `{% csrf_token %}` for POST forms).
 */
const MAY_RENDER_TOKEN = new Set(['include', 'block', 'crispy']);

/** The value of the form's method, lower-cased: 'get' when absent, undefined when not known. */
function methodOf(form: HtmlForm): string | undefined {
  const methods = form.attributes.filter((a) => a.name === 'method');
  if (methods.length === 0) return 'get';
  if (methods.some((m) => m.dynamic || m.value === undefined)) return undefined;
  // `{% if a %}method="post"{% else %}method="get"{% endif %}`: one branch posts
  return methods.some((m) => m.value?.text.trim().toLowerCase() === 'post') ? 'post' : methods[0].value?.text.trim().toLowerCase();
}

/** The form posts to an absolute URL (another site: the token would leak to it) or to a URL only known at render time. */
function actionElsewhere(form: HtmlForm): 'absolute' | 'dynamic' | undefined {
  const action = form.attributes.find((a) => a.name === 'action');
  const v = action?.value?.text.trim() ?? '';
  const abs = /^(?:https?:)?\/\/([^/?#]*)/i.exec(v);
  // `https://{{ request.get_host }}/x` is this site; a literal host is another one
  if (abs) return /\{\{[^}]*\b(request|site)\b/.test(abs[1]) ? undefined : 'absolute';
  // `action="{{ provider_url }}"`: the whole URL comes from the context, it may be another site
  if (action?.dynamic && /^\{\{[^}]*\}\}$/.test(v) && !/\b(request|url|path)\b/.test(v)) return 'dynamic';
  return undefined;
}

/** The token is sent some other way: a hidden input named csrfmiddlewaretoken, {{ csrf_token }} / {{ csrf_input }}. */
function manualToken(ctx: TemplateContext, form: HtmlForm): boolean {
  const body = ctx.template.text.slice(form.startTagEnd, form.close ?? ctx.template.text.length);
  return /csrfmiddlewaretoken|\{\{\s*csrf_(token|input)\b/.test(body);
}

/** One indentation step of the file: a tab where the form is tab-indented, else the smallest step between lines. */
function indentUnit(text: string, formIndent: string): string {
  if (formIndent.includes('\t')) return '\t';
  let step = 0;
  let prev = 0;
  for (const line of text.split(/\r?\n/, 2000)) {
    if (line.trim() === '') continue;
    const n = /^ */.exec(line)?.[0].length ?? 0;
    if (n > prev && (step === 0 || n - prev < step)) step = n - prev;
    prev = n;
  }
  return ' '.repeat(step > 0 && step <= 8 ? step : 2);
}

/** Edits inserting `{% csrf_token %}` right after the start tag, on its own line when the tag ends its line. */
function insertToken(ctx: TemplateContext, form: HtmlForm): FixSpec | undefined {
  const text = ctx.template.text;
  const at = form.startTagEnd;
  if (text[at - 1] !== '>') return undefined;
  const lines = ctx.template.lines;
  const pos = lines.positionAt(at);
  const restOfLine = text.slice(at, lines.lineEnd(pos.line));
  const file = ctx.file.path;
  if (restOfLine.trim() !== '' || pos.line + 1 >= lines.lineCount) {
    return { title: 'Add {% csrf_token %} to the form', applicability: 'unsafe', edits: [{ file, start: at, end: at, newText: '{% csrf_token %}' }] };
  }
  const startLine = lines.positionAt(form.start).line;
  const formIndent = /^[ \t]*/.exec(lines.lineText(startLine))?.[0] ?? '';
  // the indentation of the form's first child line, else the form's own plus one step
  let indent: string | undefined;
  const closeLine = form.close !== undefined ? lines.positionAt(form.close).line : lines.lineCount;
  for (let l = pos.line + 1; l < Math.min(closeLine + 1, lines.lineCount); l++) {
    const t = lines.lineText(l);
    if (t.trim() === '') continue;
    const ind = /^[ \t]*/.exec(t)?.[0] ?? '';
    if (ind.length > formIndent.length && ind.startsWith(formIndent)) indent = ind;
    break;
  }
  indent ??= formIndent + indentUnit(text, formIndent);
  const eol = lines.eol;
  return { title: 'Add {% csrf_token %} to the form', applicability: 'unsafe', edits: [{ file, start: at, end: at, newText: `${eol}${indent}{% csrf_token %}` }] };
}

export default defineRule({
  meta: {
    code: 'DJR611',
    name: 'form-without-csrf-token',
    category: 'cors',
    severity: 'warning',
    kind: 'template',
    seeds: ['001', '004'],
    message: 'This POST form has no {% csrf_token %}',
    fixTitle: 'Add {% csrf_token %} to the form',
    fix: 'unsafe',
    docs: {
      what: 'Flags a `<form method="post">` in a Django HTML template with no `{% csrf_token %}` between `<form ...>` and `</form>`. Not flagged: GET forms (no method, or `method="get"`), forms posting to an absolute `http(s)://` URL or to a URL that is a single context variable (another site: the token must not leak there), forms whose method is computed (`method="{{ m }}"`), forms with an `{% include %}`, a `{% block %}` or django-crispy-forms\' `{% crispy %}` inside (the token may come from there), forms that send the token by hand (`name="csrfmiddlewaretoken"`, `{{ csrf_token }}`), forms the file does not close, and empty forms with no `id` or `name` (nothing can submit them). Not visible from the template: a form that only a script submits, sending the token in the `X-CSRFToken` header (Django\'s AJAX recipe), does not need the tag; silence such a finding with `{# django-readiness: ignore[DJR611] submitted by fetch() with X-CSRFToken #}`.',
      why: 'With `CsrfViewMiddleware` on, Django rejects the form\'s submission with 403 Forbidden: the form is broken. It "works" only when the view is exempt from CSRF protection, and then any other site can submit it on behalf of a logged-in user (cross-site request forgery).',
      example: '<form method="post" action="{% url \'account-delete\' %}">\n  <button>Delete my account</button>\n</form>',
      instead: '<form method="post" action="{% url \'account-delete\' %}">\n  {% csrf_token %}\n  <button>Delete my account</button>\n</form>',
      fixSafety: "Unsafe: inserts `{% csrf_token %}` right after the form's opening tag (on its own line, indented like the form's content, when the tag ends its line). The rendered page changes (one more hidden field, `csrfmiddlewaretoken`), and a form whose POST was rejected with 403 now passes the CSRF check. The view must render the template with the request (`render(request, ...)`) for the token to have a value.",
      references: [
        'https://docs.djangoproject.com/en/stable/howto/csrf/',
        'https://docs.djangoproject.com/en/stable/ref/csrf/',
        'https://owasp.org/www-community/attacks/csrf',
      ],
    },
  },
  // a form whose method is post (methodOf): `<form` and `method="post"` somewhere, in any case
  prefilter: /^(?=[\s\S]*?<form)(?=[\s\S]*?\bmethod\s*=\s*["']?\s*post\b)/i,
  checkTemplate(ctx) {
    if (!ctx.html) return;
    for (const form of ctx.template.forms()) {
      if (methodOf(form) !== 'post') continue;
      if (actionElsewhere(form)) continue;
      if (form.tagsInside.some((t) => t.name === 'csrf_token')) continue;
      if (form.tagsInside.some((t) => MAY_RENDER_TOKEN.has(t.name))) continue;
      if (form.close === undefined) continue;
      if (manualToken(ctx, form)) continue;
      // an empty form nothing refers to (no id, no name) cannot be submitted
      if (ctx.template.text.slice(form.startTagEnd, form.close).trim() === '' && !form.attributes.some((a) => a.name === 'id' || a.name === 'name')) continue;
      const fix = insertToken(ctx, form);
      ctx.report({
        at: { file: ctx.file.path, range: ctx.range(form.start, form.startTagEnd) },
        message: 'This POST form has no {% csrf_token %}: Django rejects its submission (403), unless the view is csrf_exempt, and then any site can submit it for a logged-in user',
        fixes: fix ? [fix] : [],
      });
    }
  },
});
