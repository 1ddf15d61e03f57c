import type { Node } from 'web-tree-sitter';
import { field, callArgs, defineRule, escapeBraces, exprDottedName, isClassConstant, isImportedClassLiteral, isForeignKeyId, isModelMetaAttribute, isPlainStringLiteral, isPrimaryKeyAttribute, isSettingsAttribute, codeSnippet, fStringInfo, lastName, plainStringInfo, plainText, TrustAnalysis, unparen, type FileContext, type FixSpec, type SemanticModel, type TrustPolicy } from '../../server/src/engine';

const MARKERS = /(^|\.)(mark_safe|SafeString|SafeText)$/;
/** The last names MARKERS accepts (checked first: most calls are none of them). */
const MARKER_NAMES = new Set(['mark_safe', 'SafeString', 'SafeText']);

/** Calls whose result is safe HTML (escaped, sanitised, rendered by a template) or holds no markup. */
const SAFE_HTML = new Set([
  'django.utils.html.escape',
  'django.utils.html.conditional_escape',
  'django.utils.html.format_html',
  'django.utils.html.format_html_join',
  'django.utils.html.json_script',
  'django.utils.html.escapejs',
  'django.utils.html.avoid_wrapping',
  'django.utils.safestring.mark_safe',
  'django.utils.safestring.SafeString',
  'django.utils.safestring.SafeText',
  'django.template.loader.render_to_string',
  // URLs: the arguments are percent-encoded, no quote or angle bracket survives
  'django.urls.reverse',
  // slugs: letters, digits, hyphens and underscores only
  'django.utils.text.slugify',
  // humanized numbers and dates: no text from the value survives
  'django.contrib.humanize.templatetags.humanize.naturalday',
  'django.contrib.humanize.templatetags.humanize.naturaltime',
  'django.contrib.humanize.templatetags.humanize.intcomma',
  'django.contrib.humanize.templatetags.humanize.intword',
  'django.contrib.humanize.templatetags.humanize.apnumber',
  'django.contrib.humanize.templatetags.humanize.ordinal',
  'django.shortcuts.resolve_url',
  'django.template.loader.get_template.render',
  'django.template.loader.select_template.render',
  'django.template.defaultfilters.escape',
  'django.template.defaultfilters.force_escape',
  'django.template.defaultfilters.escapejs',
  'django.template.defaultfilters.urlencode',
  'django.forms.utils.flatatt',
  'django.utils.http.urlencode',
  'urllib.parse.urlencode',
  'urllib.parse.quote',
  'urllib.parse.quote_plus',
  'html.escape',
  'markupsafe.escape',
  'bleach.clean',
  // Pygments' HTML formatter escapes the code it highlights
  'pygments.highlight',
  'nh3.clean',
]);

/** Calls whose result is safe when their arguments are (they add no markup of their own). */
const PASS_THROUGH = new Set(['django.utils.html.strip_spaces_between_tags', 'django.utils.text.capfirst', 'django.utils.encoding.force_str', 'django.utils.encoding.smart_str', 'django.utils.encoding.force_text', 'django.utils.encoding.smart_text']);

/**
 * bleach's linkify (`bleach.linkify(x)`, `Linker(...).linkify(x)`): it wraps URLs of the text in
 * `<a>` and escapes the rest, so its output is safe when its input is (sanitised HTML, escaped text).
 */
function bleachLinkify(q: string | undefined, call: Node, model: SemanticModel): boolean {
  if (q === 'bleach.linkify' || q === 'bleach.linkifier.linkify') return true;
  const fn = field(call, 'function');
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'linkify') return false;
  const obj = unparen(field(fn, 'object') ?? fn);
  const values = obj.type === 'identifier' ? model.bindingsOf(obj).map((b) => (b.kind === 'assignment' ? b.value : undefined)) : [obj];
  return (
    values.length > 0 &&
    values.every((v) => {
      const u = v ? unparen(v) : undefined;
      return u?.type === 'call' && /^bleach\.(linkifier\.)?Linker$/.test(model.qualifiedName(field(u, 'function')) ?? '');
    })
  );
}

/**
 * Methods whose result holds no markup: QueryDict.urlencode() percent-encodes; a Pygments
 * formatter's CSS; a model's get_absolute_url(), by Django's convention built with reverse().
 */
const SAFE_METHODS = new Set(['urlencode', 'get_style_defs', 'get_absolute_url']);

/** `ord("<")`, `ord('>')`... : the character a `str.translate` table key stands for. */
function ordKey(n: Node | null): string | undefined {
  if (n?.type !== 'call' || field(n, 'function')?.text !== 'ord') return undefined;
  const arg = field(n, 'arguments')?.namedChildren[0];
  return arg?.type === 'string' ? arg.text.slice(1, -1) : undefined;
}

/** `json.dumps(x).translate(ESCAPES)` where ESCAPES replaces `<`, `>` and `&` (Django's json_script does so). */
function escapingTranslate(call: Node, model: SemanticModel): boolean {
  const fn = field(call, 'function');
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'translate') return false;
  let table = field(call, 'arguments')?.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
  if (table?.type === 'identifier') table = model.valueOf(table) ?? null;
  if (table?.type !== 'dictionary') return false;
  const keys = new Set(table.namedChildren.map((p) => (p?.type === 'pair' ? ordKey(field(p, 'key')) : undefined)));
  return keys.has('<') && keys.has('>') && keys.has('&');
}

/** `escape` / `conditional_escape` imported from Django's, Python's or markupsafe's html module. */
const ESCAPE_IMPORT = /^from[ \t]+(?:django\.utils\.html|html|markupsafe)[ \t]+import[ \t]+[^\n]*\b(?:conditional_escape|escape)\b/m;
/** What an escaping helper returns: escape(...), conditional_escape(...), format_html(...), a literal. */
const ESCAPED_CALL = /^(?:escape|conditional_escape|format_html)\((?:[^()]|\([^()]*\))*\)$/;

/** A return expression of a helper read as text: escaped, or an f-string whose every value is escaped. */
function escapedReturn(expr: string): boolean {
  if (ESCAPED_CALL.test(expr) || /^(["'])[^"'{}<>\\]*\1$/.test(expr)) return true;
  const f = /^f(["'])(.*)\1$/.exec(expr);
  if (!f) return false;
  const values = f[2].match(/\{[^{}]*\}/g) ?? [];
  return values.every((v) => ESCAPED_CALL.test(v.slice(1, -1).trim()));
}

/**
 * A function of another project module (read as text) whose every return statement is one line
 * returning escaped text (netbox's highlight(): `return escape(value)`,
 * `return f'{escape(pre)}<mark>{escape(match)}</mark>{escape(post)}'`), with `escape` imported
 * from an HTML module there. Anything else, or a return spanning lines, is not read as escaped.
 */
function escapingHelper(source: Pick<FileContext['projectSource'], 'definitionText' | 'moduleText'>, qualified: string): boolean {
  const text = source.definitionText(qualified);
  const module = source.moduleText(qualified);
  if (!text || !module || !/^\s*(?:async\s+)?def\b/m.test(text.split('\n').find((l) => !/^\s*@/.test(l)) ?? '') || !ESCAPE_IMPORT.test(module)) return false;
  const returns = text.split('\n').filter((l) => /^\s*return\b/.test(l));
  if (returns.length === 0 || /^\s*(?:lambda\b|yield\b)/m.test(text) || /\byield\b/.test(text)) return false;
  return returns.every((l) => {
    const expr = l.replace(/^\s*return\s*/, '').replace(/\s+#.*$/, '').trim();
    return expr !== '' && escapedReturn(expr);
  });
}

/** Project functions named like HTML sanitisers (they wrap bleach or nh3): `clean_html`, `sanitize_html`. */
const SANITIZER = /^(?:sanitize|sanitise)\w*$|^\w*_(?:sanitize|sanitise)$|^clean_html$/;

/** Template classes and loaders whose `.render()` output is autoescaped. */
const TEMPLATE_SOURCES = /^django\.template\.(?:Template|base\.Template|loader\.get_template|loader\.select_template|engines\b.*)$/;

/**
 * `.render(...)` of what renders autoescaped HTML: a Django template (`Template(...)`,
 * `get_template(...)`), a template node list, a Django form widget, or `super().render()` in a widget class.
 */
function safeRender(call: Node, model: SemanticModel): boolean {
  const fn = field(call, 'function');
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'render') return false;
  const obj = unparen(field(fn, 'object') ?? fn);
  if (/(^|\.|_)nodelist$/.test(obj.text)) return true;
  if (obj.type === 'call' && field(obj, 'function')?.text === 'super') {
    const cls = model.enclosingClass(call);
    return !!cls && model.ancestors(cls.node).some((a) => /^django\.forms\./.test(a.qualified ?? '') || /(Widget|Input|Select|SelectMultiple|Textarea)$/.test(a.text));
  }
  // every value the name is given is a template or a widget
  const values = obj.type === 'identifier' ? model.bindingsOf(obj).map((b) => (b.kind === 'assignment' ? b.value : undefined)) : [obj];
  return (
    values.length > 0 &&
    values.every((value) => {
      const made = value && unparen(value).type === 'call' ? model.qualifiedName(unparen(value).childForFieldName('function')) : undefined;
      return !!made && (TEMPLATE_SOURCES.test(made) || /^django\.forms\.(widgets\.)?[A-Z]\w*$/.test(made));
    })
  );
}

/**
 * Django's own idiom for filters with `needs_autoescape`: `esc = conditional_escape` when
 * autoescape is on, an identity function when the template turned it off on purpose.
 */
function autoescapeIdiom(call: Node, model: SemanticModel): boolean {
  const fn = field(call, 'function');
  if (fn?.type !== 'identifier') return false;
  const bindings = model.bindingsOf(fn);
  if (bindings.length === 0) return false;
  const scope = model.enclosingFunction(call);
  if (!scope?.bindings.has('autoescape')) return false;
  return bindings.every((b) => {
    if (b.kind === 'assignment' && b.value) return /(^|\.)(conditional_escape|escape)$/.test(model.qualifiedName(b.value) ?? '');
    if (b.kind !== 'function') return false;
    const params = field(b.node, 'parameters')?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
    const body = field(b.node, 'body')?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
    return params.length === 1 && body.length === 1 && body[0]?.type === 'return_statement' && body[0].namedChildren[0]?.text === params[0]?.text;
  });
}

/** What may go into HTML marked safe, for one file (imported constants are read from their module). */
export function htmlTrust(ctx?: Pick<FileContext, 'projectSource'>): TrustPolicy {
  return {
    call: (q, call, model) =>
      (!!q && SAFE_HTML.has(q)) ||
      SAFE_METHODS.has(field(call, 'function')?.childForFieldName('attribute')?.text ?? '') ||
      /^get_\w+_display$/.test(field(call, 'function')?.childForFieldName('attribute')?.text ?? '') ||
      SANITIZER.test(lastName(field(call, 'function')) ?? '') ||
      (!!ctx && !!q && escapingHelper(ctx.projectSource, q)) ||
      // a project's URL helper named like Django's (reverse_tournament, reverse_round)
      /^reverse_\w+$/.test(lastName(field(call, 'function')) ?? '') ||
      escapingTranslate(call, model) ||
      safeRender(call, model) ||
      autoescapeIdiom(call, model),
    passThrough: (q, call, model) => (!!q && PASS_THROUGH.has(q)) || bleachLinkify(q, call, model),
    attribute: (attr, model) => isSettingsAttribute(attr, model) || isModelMetaAttribute(attr) || isPrimaryKeyAttribute(attr) || isForeignKeyId(attr, model) || isClassConstant(attr, model) || isImportedClassLiteral(attr, model, ctx?.projectSource),
    imported: (q) => ctx?.projectSource.constantString(q) !== undefined,
    safeTypes: true,
  };
}

/** The marker a call applies (`mark_safe`...), resolved through the imports; a local function of that name is not one. */
function markerOf(ctx: FileContext, fn: Node): string | undefined {
  const last = lastName(fn);
  if (!last || !MARKER_NAMES.has(last)) return undefined;
  const name = exprDottedName(fn);
  if (!name || !MARKERS.test(name)) return undefined;
  const q = ctx.semantic.qualifiedName(fn);
  if (q) return MARKERS.test(q) ? q.slice(q.lastIndexOf('.') + 1) : undefined;
  // not resolved: a name bound in the file (a def, a parameter) is not Django's; an unbound one
  // (several star imports) may be
  const base = unparen(fn);
  const root = base.type === 'identifier' ? base : undefined;
  if (root && ctx.semantic.resolve(root).kind === 'binding') return undefined;
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Template and arguments for format_html, from the pieces of a literal and its values. */
interface Template {
  prefix: string;
  quote: string;
  text: string;
  args: string[];
}

/** `"<b>" + name + "</b>"`: flattened `+` operands. */
function plusOperands(n: Node, out: Node[], depth = 0): boolean {
  const u = unparen(n);
  if (depth > 50) return false;
  if (u.type === 'binary_operator' && field(u, 'operator')?.type === '+') {
    const l = field(u, 'left');
    const r = field(u, 'right');
    return !!l && !!r && plusOperands(l, out, depth + 1) && plusOperands(r, out, depth + 1);
  }
  out.push(u);
  return true;
}

/** A format_html template for the argument of mark_safe, when its shape allows one. */
function templateOf(arg: Node): Template | undefined {
  const u = unparen(arg);
  // f"<b>{name}</b>"
  if (u.type === 'string') {
    const info = fStringInfo(u);
    if (!info) return undefined;
    let text = '';
    const args: string[] = [];
    for (const p of info.pieces) {
      if (p.kind === 'text') text += p.raw; // `{{`/`}}` already escaped for str.format
      else {
        if (!p.plain) return undefined;
        text += '{}';
        args.push(p.expr.text);
      }
    }
    return { prefix: info.prefix.replace('f', ''), quote: info.quote, text, args };
  }
  // "<b>%s</b>" % name, "<b>%s</b>" % (a, b)
  if (u.type === 'binary_operator' && field(u, 'operator')?.type === '%') {
    const left = field(u, 'left');
    const right = field(u, 'right');
    const info = plainStringInfo(left);
    if (!info || !right) return undefined;
    const raw = plainText(info);
    const r = unparen(right);
    const args = r.type === 'tuple' ? r.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map((c) => c.text) : r.type === 'dictionary' ? undefined : [r.text];
    if (!args) return undefined;
    let count = 0;
    let bad = false;
    const text = escapeBraces(raw).replace(/%(.)/g, (_m, c: string) => {
      if (c === '%') return '%';
      if (c !== 's') bad = true;
      count++;
      return '{}';
    });
    if (bad || count !== args.length) return undefined;
    return { prefix: info.prefix, quote: info.quote, text, args };
  }
  // "<b>{}</b>".format(name)
  if (u.type === 'call') {
    const fn = field(u, 'function');
    const obj = fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'format' ? field(fn, 'object') : null;
    const info = plainStringInfo(obj);
    if (!info) return undefined;
    const argList = field(u, 'arguments');
    if (!argList || callArgs(u).splat) return undefined;
    const inner = argList.text.slice(1, -1).trim().replace(/,\s*$/, '');
    return { prefix: info.prefix, quote: info.quote, text: plainText(info), args: inner ? [inner] : [] };
  }
  // "<h1>" + name + "</h1>"
  if (u.type === 'binary_operator') {
    const ops: Node[] = [];
    if (!plusOperands(u, ops)) return undefined;
    let prefix: string | undefined;
    let quote: string | undefined;
    let text = '';
    const args: string[] = [];
    for (const o of ops) {
      if (o.type === 'string') {
        const info = plainStringInfo(o);
        if (!info) return undefined;
        if ((prefix !== undefined && prefix !== info.prefix) || (quote !== undefined && quote !== info.quote)) return undefined;
        prefix = info.prefix;
        quote = info.quote;
        text += escapeBraces(plainText(info));
      } else {
        text += '{}';
        args.push(o.text);
      }
    }
    if (prefix === undefined || quote === undefined || args.length === 0) return undefined;
    return { prefix, quote, text, args };
  }
  return undefined;
}

function formatHtmlFix(ctx: FileContext, call: Node, arg: Node): FixSpec | undefined {
  const t = templateOf(arg);
  if (!t) return undefined;
  const ed = ctx.editor;
  const args = t.args.length > 0 ? ', ' + t.args.join(', ') : '';
  return {
    title: 'Build the HTML with format_html (escapes the values)',
    applicability: 'unsafe',
    edits: [ed.replace(call.startIndex, call.endIndex, `format_html(${t.prefix}${t.quote}${t.text}${t.quote}${args})`), ...ed.ensureImport('django.utils.html', 'format_html')],
  };
}

export default defineRule({
  meta: {
    code: 'DJR607',
    name: 'mark-safe-dynamic',
    category: 'api',
    severity: 'warning',
    kind: 'code',
    seeds: ['003', '004'],
    message: 'mark_safe on a value built at run time (XSS)',
    fixTitle: 'Build the HTML with format_html',
    fix: 'unsafe',
    docs: {
      what: "`mark_safe(...)`, `SafeString(...)` or `SafeText(...)` (Django's, resolved through the imports: a local function of that name is not one) applied to a value built at run time, unless every piece of it is proven safe: a literal or a name only ever given literals (followed through assignments, `+=`, loops, `self.attr`, helper functions of the same file called with literals, constants imported from another module), `gettext` of a literal, the result of `format_html`, `format_html_join`, `escape`, `conditional_escape` (also Django's `needs_autoescape` idiom), `json_script`, `render_to_string`, a template's, a node list's or a form widget's `.render()`, `reverse()` (and project helpers named `reverse_*`), a model's `get_absolute_url()` (by Django's convention built with reverse), `slugify`, `urlencode`/`quote`, humanize's `naturalday`/`naturaltime`, a sanitiser (`bleach.clean`, `nh3.clean`, a project function named `clean_html` or `sanitize_*`; bleach's `linkify` of a safe value; a function of another project module whose every `return` is one line of escaped text, read as text), Pygments' `highlight`, `re.sub` of safe text, a number (`len()`, `.count()`, `obj.pk`, a model's `self.owner_id`), a date (`strftime`, `isoformat`), `get_FOO_display()`, a setting, a class constant (or a member a class of another project module sets once to a literal), or a value checked against an allow-list first. The message names the first piece it could not prove escaped.",
      why: "`mark_safe` tells Django's templates not to escape the text. If any part of it comes from a user (a name, a search term, a stored comment), that user can inject `<script>` into the page of everyone who views it (stored or reflected XSS), steal their session or act as them.",
      example: "from django.utils.safestring import mark_safe\n\ndef greeting(user):\n    return mark_safe(f\"<b>Hello {user.first_name}</b>\")",
      instead: "from django.utils.html import format_html\n\ndef greeting(user):\n    return format_html(\"<b>Hello {}</b>\", user.first_name)",
      fixSafety: 'Unsafe, offered where the shape allows it (an f-string with plain values, `"%s" % values`, `"{}".format(...)`, or a `+` concatenation of literals and values): the call becomes `format_html(template, *values)`, which escapes each value unless it is already marked safe. Review it: a value that was meant to be HTML (and is not itself marked safe) is now shown escaped.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html',
      ],
    },
  },
  prefilter: /\b(?:mark_safe|SafeString|SafeText)\b/,
  create(ctx) {
    let trust: TrustAnalysis | undefined;
    const visit = (call: Node): void => {
      const fn = field(call, 'function');
      const marker = fn ? markerOf(ctx, fn) : undefined;
      if (!marker) return;
      const { positional, keywords } = callArgs(call);
      const arg = positional[0] ?? keywords.get('s');
      if (!arg || isPlainStringLiteral(arg)) return;
      // every piece is a literal, escaped, sanitised or rendered by a template
      trust ??= new TrustAnalysis(ctx.semantic, htmlTrust(ctx));
      if (trust.trusted(arg)) return;
      const fix = formatHtmlFix(ctx, call, arg);
      const piece = trust.untrustedPieces(arg)[0];
      const what = piece ? `\`${codeSnippet(piece)}\` is not escaped` : 'a value built at run time';
      ctx.report({
        at: { file: ctx.file.path, range: ctx.nodeRange(call) },
        message: `${marker}() on a value built at run time: ${what}; if it can come from a user, it can inject HTML and scripts (XSS); use format_html`,
        fixes: fix ? [fix] : [],
      });
    };
    return { call: visit };
  },
});
