/**
 * Django template syntax, read the way Django's own lexer and parser read it (never rendered):
 *
 *  - tokens: `{% tag %}`, `{{ variable|filter:arg }}`, `{# comment #}` and the text between them.
 *    Like Django, a token never spans a line break (`{% if\n x %}` is text) and the first closing
 *    delimiter ends it;
 *  - `{% verbatim %}...{% endverbatim %}` (optionally named) is text; `{% comment %}...
 *    {% endcomment %}` is skipped (the parser ignores what is inside);
 *  - variables and filter expressions in tag arguments with the position of each filter;
 *  - `{% autoescape on|off %}` blocks: each variable knows whether autoescaping is off where it is;
 *  - HTML `<form>` elements of the text (outside HTML comments, `<script>`, `<style>`,
 *    `<textarea>`, template comments and verbatim blocks), with their attributes and the template
 *    tags between `<form ...>` and `</form>`.
 *
 * Positions are UTF-16 offsets into the text (LineIndex turns them into 0-based line / UTF-16
 * column positions). Nothing here throws on malformed input, and the work is linear in the size of
 * the text (every search for a closing delimiter is memoized), so a 2 MB file of `{{{{{{` is as
 * cheap as any other.
 */
import { LineIndex } from './text';

export type TemplateTokenKind = 'text' | 'variable' | 'block' | 'comment';

export interface TemplateToken {
  kind: TemplateTokenKind;
  /** Offsets of the whole token (delimiters included). */
  start: number;
  end: number;
  /** For tags, variables and comments: the text between the delimiters, trimmed. */
  contents: string;
  /** Offset of contents[0] in the text. */
  contentStart: number;
}

/** A piece of a tag or variable with its offsets. */
export interface Span {
  text: string;
  start: number;
  end: number;
}

export interface TemplateFilter {
  /** The filter name, e.g. `safe`. */
  name: Span;
  /** Its argument (`:"a"` gives `"a"`), if any. */
  arg?: Span;
}

/** A filter expression: `value|f1|f2:arg`, in `{{ }}` or as a tag argument. */
export interface FilterExpression {
  /** The whole expression. */
  span: Span;
  /** The value before the first filter: a variable, a number or a string literal. */
  value: Span;
  /** The value is a string literal (`"x"`, `'x'` or `_("x")`). */
  literal: boolean;
  filters: TemplateFilter[];
}

export interface TemplateVariable {
  token: TemplateToken;
  expression: FilterExpression;
  /** Inside `{% autoescape off %}` (in this file). */
  autoescapeOff: boolean;
}

export interface TemplateTag {
  token: TemplateToken;
  /** The tag name (first word), e.g. `csrf_token`, `endblock`. */
  name: string;
  /** The arguments, split like Django's smart_split (quoted strings stay whole). */
  args: Span[];
  /** Inside `{% autoescape off %}` (in this file). */
  autoescapeOff: boolean;
}

export interface HtmlAttribute {
  /** Lower-cased attribute name. */
  name: string;
  nameSpan: Span;
  /** The value without quotes (undefined for a bare attribute). */
  value?: Span;
  /** The value contains template syntax (`{{ }}`, `{% %}`): its rendered text is not known. */
  dynamic: boolean;
  /** The attribute sits between template tags inside the start tag (`{% if x %}method="post"{% endif %}`). */
  conditional: boolean;
}

export interface HtmlForm {
  /** Offsets of the start tag `<form ...>`. */
  start: number;
  startTagEnd: number;
  /** Offset of `</form` (undefined when the file does not close the form). */
  close?: number;
  attributes: HtmlAttribute[];
  /** Template tags inside the start tag (`{% if %}` around attributes...). */
  tagsInStartTag: TemplateTag[];
  /** Template tags between the start tag and `</form>` (or the end of the file). */
  tagsInside: TemplateTag[];
}

/** The template language a file is written in, judged from its content (see looksLikeJinja). */
export interface TemplateDocument {
  readonly text: string;
  readonly lines: LineIndex;
  readonly tokens: readonly TemplateToken[];
  readonly tags: readonly TemplateTag[];
  readonly variables: readonly TemplateVariable[];
  /** `{% comment %}` blocks and `{% verbatim %}` blocks: [start, end) offsets, in order. */
  readonly skipped: readonly { start: number; end: number; kind: 'comment' | 'verbatim' }[];
  /** The HTML forms of the text (computed on first use). */
  forms(): readonly HtmlForm[];
  /** The raw-text element (`script`, `style`...) an offset lies in, if any (lower-cased name). */
  rawTextElementAt(offset: number): string | undefined;
  /** Filter expressions in tag arguments (`{% with x=y|safe %}`), with their tag. */
  tagFilterExpressions(): readonly { tag: TemplateTag; expression: FilterExpression }[];
  /** The `{% end<name> %}` closing a block tag (nesting counted), if the file has it. */
  endOf(tag: TemplateTag): TemplateTag | undefined;
  /** The tokens lying entirely in [start, end). */
  tokensBetween(start: number, end: number): TemplateToken[];
}

const OPEN: Record<string, { kind: TemplateTokenKind; close: string }> = {
  '%': { kind: 'block', close: '%}' },
  '{': { kind: 'variable', close: '}}' },
  '#': { kind: 'comment', close: '#}' },
};

/** Finds the next occurrence of a string at or after an offset, memoized: linear over a whole scan. */
class NextFinder {
  private at = -2;
  private from = -1;
  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}
  /** The offset of the next occurrence at or after `from` (-1: none). `from` must never decrease. */
  next(from: number): number {
    if (this.at === -1 && from >= this.from) return -1;
    if (this.at >= from && from >= this.from) return this.at;
    this.from = from;
    this.at = this.text.indexOf(this.needle, from);
    return this.at;
  }
}

/** Splits a text into Django template tokens (Django's Lexer, with its verbatim handling). */
export function tokenize(text: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  const finders: Record<string, NextFinder> = { '%}': new NextFinder(text, '%}'), '}}': new NextFinder(text, '}}'), '#}': new NextFinder(text, '#}') };
  const newline = new NextFinder(text, '\n');
  const open = new NextFinder(text, '{');
  let textStart = 0;
  let i = 0;
  /** In a verbatim block: the exact contents of the block tag that ends it. */
  let verbatimEnd: string | undefined;
  const n = text.length;
  while (i < n) {
    const b = open.next(i);
    if (b < 0 || b + 1 >= n) break;
    const o = OPEN[text[b + 1]];
    if (!o) {
      i = b + 1;
      continue;
    }
    const c = finders[o.close].next(b + 2);
    const nl = newline.next(b + 2);
    if (c < 0 || (nl >= 0 && nl < c)) {
      i = b + 1;
      continue;
    }
    const end = c + 2;
    const raw = text.slice(b + 2, c);
    const lead = raw.length - raw.trimStart().length;
    const contents = raw.trim();
    if (verbatimEnd !== undefined) {
      // inside verbatim everything is text, up to the matching end tag
      if (o.kind === 'block' && contents === verbatimEnd) {
        if (b > textStart) tokens.push({ kind: 'text', start: textStart, end: b, contents: '', contentStart: textStart });
        tokens.push({ kind: 'block', start: b, end, contents, contentStart: b + 2 + lead });
        textStart = end;
        verbatimEnd = undefined;
      }
      i = end;
      continue;
    }
    if (b > textStart) tokens.push({ kind: 'text', start: textStart, end: b, contents: '', contentStart: textStart });
    tokens.push({ kind: o.kind, start: b, end, contents, contentStart: b + 2 + lead });
    textStart = end;
    i = end;
    if (o.kind === 'block' && (contents === 'verbatim' || contents.startsWith('verbatim '))) verbatimEnd = 'end' + contents;
  }
  if (textStart < n) tokens.push({ kind: 'text', start: textStart, end: n, contents: '', contentStart: textStart });
  return tokens;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/** Django's smart_split over a tag's contents: whitespace-separated, quoted strings kept whole. */
export function splitArgs(contents: string, base: number): Span[] {
  const out: Span[] = [];
  let i = 0;
  const n = contents.length;
  while (i < n) {
    while (i < n && isSpace(contents[i])) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && !isSpace(contents[i])) {
      const q = contents[i];
      if (q === '"' || q === "'") {
        i++;
        while (i < n && contents[i] !== q) i += contents[i] === '\\' ? 2 : 1;
        i = Math.min(n, i + 1);
      } else i++;
    }
    out.push({ text: contents.slice(s, i), start: base + s, end: base + i });
  }
  return out;
}

/** Reads a quoted string at `i` (returns the offset after the closing quote, or -1). */
function quotedEnd(s: string, i: number): number {
  const q = s[i];
  let j = i + 1;
  while (j < s.length && s[j] !== q) j += s[j] === '\\' ? 2 : 1;
  return j < s.length ? j + 1 : -1;
}

/** Reads a value at `i`: a quoted string, `_("...")`, or a run of variable characters. */
function readValue(s: string, i: number): { end: number; literal: boolean } {
  if (s[i] === '"' || s[i] === "'") {
    const e = quotedEnd(s, i);
    return { end: e < 0 ? s.length : e, literal: true };
  }
  if (s.startsWith('_(', i) && (s[i + 2] === '"' || s[i + 2] === "'")) {
    const e = quotedEnd(s, i + 2);
    if (e > 0 && s[e] === ')') return { end: e + 1, literal: true };
  }
  let j = i;
  while (j < s.length && /[\w.+-]/.test(s[j])) j++;
  return { end: j, literal: false };
}

/**
 * Parses `value|filter:arg|filter` (Django's FilterExpression syntax; whitespace around `|` is
 * allowed). Malformed input gives what could be read, never an error.
 */
export function parseFilterExpression(s: string, base: number): FilterExpression {
  let i = 0;
  while (i < s.length && isSpace(s[i])) i++;
  const v = readValue(s, i);
  const value = { text: s.slice(i, v.end), start: base + i, end: base + v.end };
  const filters: TemplateFilter[] = [];
  i = v.end;
  for (let guard = 0; guard < s.length && i < s.length; guard++) {
    let j = i;
    while (j < s.length && isSpace(s[j])) j++;
    if (s[j] !== '|') break;
    j++;
    while (j < s.length && isSpace(s[j])) j++;
    const ns = j;
    while (j < s.length && /\w/.test(s[j])) j++;
    if (j === ns) break;
    const f: TemplateFilter = { name: { text: s.slice(ns, j), start: base + ns, end: base + j } };
    if (s[j] === ':') {
      const a = readValue(s, j + 1);
      if (a.end > j + 1) f.arg = { text: s.slice(j + 1, a.end), start: base + j + 1, end: base + a.end };
      j = Math.max(a.end, j + 1);
    }
    filters.push(f);
    i = j;
  }
  return { span: { text: s, start: base, end: base + s.length }, value, literal: v.literal, filters };
}

/** Tags whose arguments are not values that get rendered (their filters never reach the output). */
const NO_OUTPUT_ARGS = new Set(['if', 'elif', 'ifchanged', 'ifequal', 'ifnotequal', 'filter', 'comment', 'verbatim', 'load', 'block', 'extends', 'url', 'static', 'for', 'regroup', 'widthratio', 'trans', 'translate', 'autoescape', 'templatetag', 'now', 'lorem', 'csrf_token', 'spaceless', 'debug']);

/** A variable; its filter expression is parsed on first use (a form-only rule never asks). */
class Variable implements TemplateVariable {
  private parsed: FilterExpression | undefined;
  constructor(
    readonly token: TemplateToken,
    readonly autoescapeOff: boolean,
  ) {}
  get expression(): FilterExpression {
    return (this.parsed ??= parseFilterExpression(this.token.contents, this.token.contentStart));
  }
}

/** A block tag; its arguments are split on first use. */
class Tag implements TemplateTag {
  private split: Span[] | undefined;
  constructor(
    readonly token: TemplateToken,
    readonly name: string,
    readonly autoescapeOff: boolean,
  ) {}
  get args(): Span[] {
    return (this.split ??= splitArgs(this.token.contents, this.token.contentStart).slice(1));
  }
}

/**
 * The variable an `{% autoescape off %}` block wraps when it wraps nothing else (whitespace around
 * it at most): the same as `{{ value|safe }}`, judged as such (DJR610), not as a section of raw HTML.
 */
export function loneVariableOf(doc: TemplateDocument, open: TemplateTag): TemplateVariable | undefined {
  const end = doc.endOf(open);
  if (!end) return undefined;
  const inside = doc.tokensBetween(open.token.end, end.token.start);
  const vars = inside.filter((t) => t.kind === 'variable');
  if (vars.length !== 1 || inside.some((t) => t.kind === 'block' || (t.kind === 'text' && doc.text.slice(t.start, t.end).trim() !== ''))) return undefined;
  return doc.variables.find((v) => v.token === vars[0]);
}

/** Reads a template: tokens, tags, variables, skipped blocks; forms on demand. */
export function parseTemplate(text: string): TemplateDocument {
  const tokens = tokenize(text);
  const tags: TemplateTag[] = [];
  const variables: TemplateVariable[] = [];
  const skipped: { start: number; end: number; kind: 'comment' | 'verbatim' }[] = [];
  const escapeStack: boolean[] = [];
  let commentStart = -1;
  let verbatim: { start: number; end: string } | undefined;
  for (const t of tokens) {
    if (commentStart >= 0) {
      if (t.kind === 'block' && t.contents === 'endcomment') {
        skipped.push({ start: commentStart, end: t.end, kind: 'comment' });
        commentStart = -1;
      }
      continue;
    }
    if (verbatim) {
      if (t.kind === 'block' && t.contents === verbatim.end) {
        skipped.push({ start: verbatim.start, end: t.end, kind: 'verbatim' });
        verbatim = undefined;
      }
      continue;
    }
    const off = escapeStack.length > 0 && escapeStack[escapeStack.length - 1] === false;
    if (t.kind === 'variable') {
      variables.push(new Variable(t, off));
    } else if (t.kind === 'block') {
      // like Django: the tag name is the first word of the contents
      const name = /^\S*/.exec(t.contents)?.[0] ?? '';
      const tag = new Tag(t, name, off);
      tags.push(tag);
      if (name === 'comment') commentStart = t.start;
      else if (name === 'verbatim') verbatim = { start: t.start, end: 'end' + t.contents };
      else if (name === 'autoescape') escapeStack.push(tag.args[0]?.text !== 'off');
      else if (name === 'endautoescape') escapeStack.pop();
    }
  }
  // an unclosed comment runs to the end of the file (Django raises; nothing in it renders)
  if (commentStart >= 0) skipped.push({ start: commentStart, end: text.length, kind: 'comment' });
  if (verbatim) skipped.push({ start: verbatim.start, end: text.length, kind: 'verbatim' });
  let lines: LineIndex | undefined;
  let html: HtmlScan | undefined;
  let tagExprs: { tag: TemplateTag; expression: FilterExpression }[] | undefined;
  return {
    text,
    get lines() {
      return (lines ??= new LineIndex(text));
    },
    tokens,
    tags,
    variables,
    skipped,
    forms: () => (html ??= scanHtml(text, tokens, tags, skipped)).forms,
    rawTextElementAt: (offset) => {
      const r = (html ??= scanHtml(text, tokens, tags, skipped)).rawText;
      // binary search over the sorted, disjoint ranges
      let lo = 0;
      let hi = r.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (r[mid].end <= offset) lo = mid + 1;
        else if (r[mid].start > offset) hi = mid - 1;
        else return r[mid].name;
      }
      return undefined;
    },
    tagFilterExpressions: () => (tagExprs ??= filterExpressionsInTags(tags)),
    endOf: (tag) => {
      const i = tags.indexOf(tag);
      if (i < 0) return undefined;
      let depth = 0;
      for (let j = i + 1; j < tags.length; j++) {
        if (tags[j].name === tag.name) depth++;
        else if (tags[j].name === 'end' + tag.name) {
          if (depth === 0) return tags[j];
          depth--;
        }
      }
      return undefined;
    },
    tokensBetween: (start, end) => {
      // binary search for the first token starting at or after `start`
      let lo = 0;
      let hi = tokens.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tokens[mid].start < start) lo = mid + 1;
        else hi = mid;
      }
      const out: TemplateToken[] = [];
      for (let k = lo; k < tokens.length && tokens[k].end <= end; k++) out.push(tokens[k]);
      return out;
    },
  };
}

function filterExpressionsInTags(tags: readonly TemplateTag[]): { tag: TemplateTag; expression: FilterExpression }[] {
  const out: { tag: TemplateTag; expression: FilterExpression }[] = [];
  for (const tag of tags) {
    if (NO_OUTPUT_ARGS.has(tag.name) || tag.name.startsWith('end')) continue;
    for (const a of tag.args) {
      if (a.text.indexOf('|') < 0) continue;
      // `name=value|filter` (with, include ... with, blocktrans with): the expression is the value
      const eq = /^[\w.]+=/.exec(a.text);
      const s = eq ? a.text.slice(eq[0].length) : a.text;
      out.push({ tag, expression: parseFilterExpression(s, a.start + (eq ? eq[0].length : 0)) });
    }
  }
  return out;
}

// ------------------------------------------------------------------ HTML forms

/** Elements whose content is raw text for the browser: a `<form` inside them is not a form. */
const RAW_TEXT = ['script', 'style', 'textarea', 'title', 'xmp'];

interface HtmlScan {
  forms: HtmlForm[];
  /** Raw-text elements (script, style...): [start of `<script`, start of `</script`). */
  rawText: { start: number; end: number; name: string }[];
}

/**
 * The `<form>` elements of a template's text, and its raw-text elements. Template tokens are
 * opaque: a `>` inside `{% if a > b %}` does not end a start tag, and attributes may sit between
 * template tags.
 */
function scanHtml(text: string, tokens: readonly TemplateToken[], tags: readonly TemplateTag[], skipped: readonly { start: number; end: number }[]): HtmlScan {
  const forms: HtmlForm[] = [];
  const rawText: HtmlScan['rawText'] = [];
  // offsets where a template token (tag, variable, comment) starts -> its end
  const tokenEnd = new Map<number, number>();
  for (const t of tokens) if (t.kind !== 'text') tokenEnd.set(t.start, t.end);
  const tagAt = new Map<number, TemplateTag>();
  for (const tag of tags) tagAt.set(tag.token.start, tag);
  let skipIdx = 0;
  let ti = 0;
  const lower = text.toLowerCase();
  const lt = new NextFinder(text, '<');
  let i = 0;
  let open: HtmlForm | undefined;
  const n = text.length;
  while (i < n) {
    const p = lt.next(i);
    if (p < 0) break;
    // a `<` inside a template token (`{% if a < b %}`, `{{ "<form>" }}`) is not markup
    while (ti < tokens.length && tokens[ti].end <= p) ti++;
    if (ti < tokens.length && tokens[ti].kind !== 'text' && tokens[ti].start <= p) {
      i = tokens[ti].end;
      continue;
    }
    // inside a {% comment %} or {% verbatim %} block: jump past it
    while (skipIdx < skipped.length && skipped[skipIdx].end <= p) skipIdx++;
    if (skipIdx < skipped.length && skipped[skipIdx].start <= p) {
      i = skipped[skipIdx].end;
      continue;
    }
    if (lower.startsWith('<!--', p)) {
      const e = lower.indexOf('-->', p + 4);
      i = e < 0 ? n : e + 3;
      continue;
    }
    const raw = RAW_TEXT.find((name) => lower.startsWith(name, p + 1) && isTagBoundary(lower, p + 1 + name.length));
    if (raw) {
      const e = lower.indexOf(`</${raw}`, p + 1 + raw.length);
      rawText.push({ start: p, end: e < 0 ? n : e, name: raw });
      i = e < 0 ? n : e + 2 + raw.length;
      continue;
    }
    if (lower.startsWith('form', p + 1) && isTagBoundary(lower, p + 5)) {
      const st = readStartTag(text, p + 5, tokenEnd, tagAt);
      if (!open) {
        open = { start: p, startTagEnd: st.end, attributes: st.attributes, tagsInStartTag: st.tags, tagsInside: [] };
        forms.push(open);
      }
      // a <form> inside an open form is ignored by browsers (no nested forms)
      i = st.end;
      continue;
    }
    if (lower.startsWith('/form', p + 1) && isTagBoundary(lower, p + 6)) {
      if (open) open.close = p;
      open = undefined;
      const e = text.indexOf('>', p);
      i = e < 0 ? n : e + 1;
      continue;
    }
    i = p + 1;
  }
  // the template tags inside each form (tags are in order; forms too)
  let k = 0;
  for (const f of forms) {
    const end = f.close ?? n;
    while (k < tags.length && tags[k].token.start < f.startTagEnd) k++;
    for (let j = k; j < tags.length && tags[j].token.start < end; j++) f.tagsInside.push(tags[j]);
  }
  return { forms, rawText };
}

function isTagBoundary(lower: string, i: number): boolean {
  const c = lower[i];
  return c === undefined || c === '>' || c === '/' || isSpace(c) || c === '{';
}

/** Reads the attributes of a start tag from `i` (just after the tag name) to its `>`. */
function readStartTag(text: string, i: number, tokenEnd: Map<number, number>, tagAt: Map<number, TemplateTag>): { end: number; attributes: HtmlAttribute[]; tags: TemplateTag[] } {
  const attributes: HtmlAttribute[] = [];
  const tags: TemplateTag[] = [];
  const n = text.length;
  let depth = 0;
  while (i < n) {
    const c = text[i];
    if (isSpace(c) || c === '/') {
      i++;
      continue;
    }
    if (c === '>') return { end: i + 1, attributes, tags };
    const te = tokenEnd.get(i);
    if (te !== undefined) {
      const tag = tagAt.get(i);
      if (tag) {
        tags.push(tag);
        if (/^(if|for|with|block|ifchanged|ifequal|ifnotequal)$/.test(tag.name)) depth++;
        else if (/^end/.test(tag.name)) depth = Math.max(0, depth - 1);
      }
      i = te;
      continue;
    }
    // an attribute name
    const ns = i;
    while (i < n && !isSpace(text[i]) && text[i] !== '>' && text[i] !== '=' && text[i] !== '/' && !tokenEnd.has(i)) i++;
    if (i === ns) {
      i++;
      continue;
    }
    const attr: HtmlAttribute = { name: text.slice(ns, i).toLowerCase(), nameSpan: { text: text.slice(ns, i), start: ns, end: i }, dynamic: false, conditional: depth > 0 };
    let j = i;
    while (j < n && isSpace(text[j])) j++;
    if (text[j] === '=') {
      j++;
      while (j < n && isSpace(text[j])) j++;
      const q = text[j];
      if (q === '"' || q === "'") {
        const vs = j + 1;
        let k = vs;
        while (k < n && text[k] !== q) {
          const e = tokenEnd.get(k);
          if (e !== undefined) {
            attr.dynamic = true;
            k = e;
          } else k++;
        }
        attr.value = { text: text.slice(vs, Math.min(k, n)), start: vs, end: Math.min(k, n) };
        i = Math.min(n, k + 1);
      } else {
        const vs = j;
        let k = vs;
        while (k < n && !isSpace(text[k]) && text[k] !== '>') {
          const e = tokenEnd.get(k);
          if (e !== undefined) {
            attr.dynamic = true;
            k = e;
          } else k++;
        }
        attr.value = { text: text.slice(vs, k), start: vs, end: k };
        i = k;
      }
    }
    attributes.push(attr);
  }
  return { end: n, attributes, tags };
}

/**
 * Jinja2-only syntax: whitespace control (`{%-`, `-%}`), `{% set %}`, `{% macro %}`, `{% call %}`,
 * `{% raw %}`, `{% import %}` / `{% from x import y %}`, and calls in variables (`{{ f(x) }}`).
 * A file that uses any of it is not a Django template (Django would refuse to compile it).
 */
export function looksLikeJinja(doc: TemplateDocument): boolean {
  for (const t of doc.tokens) {
    if (t.kind === 'text' || t.kind === 'comment') continue;
    const first = doc.text[t.start + 2];
    const last = doc.text[t.end - 3];
    if (first === '-' || first === '+' || last === '-' || last === '+') return true;
    if (t.kind === 'block' && /^(set|macro|call|raw|import|from|do)\b/.test(t.contents) && !/^from\s+\S+\s*$/.test(t.contents)) return true;
    if (t.kind === 'variable' && /^[\w.]+\(/.test(t.contents)) return true;
  }
  return false;
}

const HTML_ELEMENT = /<\/?(?:a|abbr|article|aside|audio|b|base|blockquote|body|br|button|canvas|caption|center|code|col|colgroup|dd|del|details|dialog|div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|mark|meta|nav|noscript|object|ol|optgroup|option|p|picture|pre|q|s|samp|script|section|select|small|source|span|strong|style|sub|summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|title|tr|u|ul|video)(?=[\s>/])|<!--|<!doctype/i;

/**
 * Whether a template's output is HTML: its text has HTML markup, or it extends another template
 * (whose markup surrounds its blocks). A `.html` file with neither is text that happens to use
 * the extension: e-mail subjects and plain-text bodies, SMS or chat messages, Django's own
 * `registration/password_reset_email.html`. Escaping HTML there is not what protects anyone.
 */
export function looksLikeHtml(doc: TemplateDocument): boolean {
  for (const t of doc.tokens) {
    if (t.kind === 'text' && HTML_ELEMENT.test(doc.text.slice(t.start, t.end))) return true;
  }
  return doc.tags.some((t) => t.name === 'extends');
}
