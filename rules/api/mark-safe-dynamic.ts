import type { Node } from 'web-tree-sitter';
import { callArgs, defineRule, escapeBraces, exprDottedName, isPlainStringLiteral, fStringInfo, plainStringInfo, plainText, unparen, type FileContext, type FixSpec } from '../../server/src/engine';

const MARKERS = /(^|\.)(mark_safe|SafeString|SafeText)$/;

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
  if (u.type === 'binary_operator' && u.childForFieldName('operator')?.type === '+') {
    const l = u.childForFieldName('left');
    const r = u.childForFieldName('right');
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
  if (u.type === 'binary_operator' && u.childForFieldName('operator')?.type === '%') {
    const left = u.childForFieldName('left');
    const right = u.childForFieldName('right');
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
    const fn = u.childForFieldName('function');
    const obj = fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' ? fn.childForFieldName('object') : null;
    const info = plainStringInfo(obj);
    if (!info) return undefined;
    const argList = u.childForFieldName('arguments');
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
      what: '`mark_safe(...)`, `SafeString(...)` or `SafeText(...)` applied to anything but a string literal: an f-string, `%` or `.format()` formatting, a concatenation, a variable, a function result.',
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
    const visit = (call: Node): void => {
      const fn = call.childForFieldName('function');
      const name = fn ? exprDottedName(fn) : undefined;
      if (!name || !MARKERS.test(name)) return;
      const { positional, keywords } = callArgs(call);
      const arg = positional[0] ?? keywords.get('s');
      if (!arg || isPlainStringLiteral(arg)) return;
      const fix = formatHtmlFix(ctx, call, arg);
      const marker = name.slice(name.lastIndexOf('.') + 1);
      ctx.report({
        at: { file: ctx.file.path, range: ctx.nodeRange(call) },
        message: `${marker}() on a value built at run time: if any part comes from a user it can inject HTML and scripts (XSS); use format_html`,
        fixes: fix ? [fix] : [],
      });
    };
    return { call: visit };
  },
});
