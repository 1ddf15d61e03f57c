import { defineRule, isSequence, unreadable, type Binding, type Edit, type FixSpec, type ModuleEditor, type SettingsContext, type TopStmt } from '../../server/src/engine';
import type { PyExpr } from '../../server/src/engine/ir';

const CORS = 'corsheaders.middleware.CorsMiddleware';
const COMMON = 'django.middleware.common.CommonMiddleware';
const WHITENOISE = 'whitenoise.middleware.WhiteNoiseMiddleware';
const SECURITY = 'django.middleware.security.SecurityMiddleware';

type ListExpr = Extract<PyExpr, { t: 'list' | 'tuple' | 'set' }>;

/** The MIDDLEWARE list literal whose items are the evaluated items, one for one (else no fix). */
function literalOf(b: Binding): ListExpr | undefined {
  const st = b.stmt.node;
  if (st.t !== 'assign' || (st.value.t !== 'list' && st.value.t !== 'tuple') || b.mutations.length > 0 || b.conditional) return undefined;
  if (!isSequence(b.value) || st.value.items.length !== b.value.items.length || st.value.items.some((i) => i.t === 'splat')) return undefined;
  return st.value;
}

/** The whole lines of an item alone on its line(s) (trailing comma and comment included). */
function ownLines(ed: ModuleEditor, top: TopStmt, item: PyExpr): { start: number; end: number; comma: boolean } | undefined {
  const text = ed.module.text;
  const lines = ed.module.lines;
  const s = top.start + item.s;
  const e = top.start + item.e;
  const first = lines.positionAt(s).line;
  const last = lines.positionAt(e).line;
  if (text.slice(lines.lineStart(first), s).trim() !== '') return undefined;
  const rest = /^[ \t]*(,?)[ \t]*(#.*)?$/.exec(text.slice(e, lines.lineEnd(last)));
  if (!rest) return undefined;
  return { start: lines.lineStart(first), end: lines.lineStart(last + 1), comma: rest[1] === ',' };
}

/**
 * Edits moving item `from` of the literal to just before item `before` (or just after item
 * `after`): whole lines (with their comments) when the items sit on their own lines, else the
 * items' texts trade places within the literal.
 */
function moveItem(ed: ModuleEditor, top: TopStmt, list: ListExpr, from: number, to: { before: number } | { after: number }): Edit[] {
  const text = ed.module.text;
  const items = list.items;
  const moved = items[from];
  const anchorIdx = 'before' in to ? to.before : to.after;
  const anchor = items[anchorIdx];
  const m = ownLines(ed, top, moved);
  const a = ownLines(ed, top, anchor);
  if (m && a) {
    const body = m.comma ? text.slice(m.start, m.end) : text.slice(m.start, top.start + moved.e) + ',' + text.slice(top.start + moved.e, m.end);
    const edits = [ed.replace(m.start, m.end, '')];
    if ('before' in to) edits.push(ed.insert(a.start, body));
    else {
      if (!a.comma) edits.push(ed.insert(top.start + anchor.e, ','));
      edits.push(ed.insert(a.end, body));
    }
    return edits;
  }
  // one line (or mixed): rotate the item texts through the slots between the two positions
  const order = items.map((_, i) => i);
  order.splice(from, 1);
  const target = order.indexOf(anchorIdx) + ('before' in to ? 0 : 1);
  order.splice(target, 0, from);
  const edits: Edit[] = [];
  order.forEach((src, slot) => {
    if (src === slot) return;
    edits.push(ed.replaceNode(top, items[slot], text.slice(top.start + items[src].s, top.start + items[src].e)));
  });
  return edits;
}

export default defineRule({
  meta: {
    code: 'DJR405',
    name: 'middleware-order',
    category: 'cors',
    severity: 'warning',
    kind: 'settings',
    seeds: ['002'],
    message: 'Middleware is in the wrong order',
    fixTitle: 'Move the middleware to its place in MIDDLEWARE',
    fix: 'unsafe',
    requires: ['corsheaders', 'whitenoise'],
    docs: {
      what: "Checks the production `MIDDLEWARE` order: django-cors-headers' `CorsMiddleware` must come before Django's `CommonMiddleware`, and WhiteNoise's `WhiteNoiseMiddleware` directly after `SecurityMiddleware` (only `CorsMiddleware` may sit between them, as django-cors-headers asks to be placed before WhiteNoise), or first when there is no `SecurityMiddleware`. Each part applies when its package is used.",
      why: "Middleware runs top-down on requests and bottom-up on responses. Responses produced by `CommonMiddleware` (the `APPEND_SLASH` redirect, disallowed user agents) never reach a `CorsMiddleware` placed below it, so browsers see them without CORS headers and the frontend gets opaque network errors. WhiteNoise below other middleware serves static files after needless work (sessions, authentication) and outside their expected order; above `SecurityMiddleware` its responses miss the security headers (HSTS, nosniff).",
      example: "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    'django.contrib.sessions.middleware.SessionMiddleware',\n    'django.middleware.common.CommonMiddleware',\n    'corsheaders.middleware.CorsMiddleware',\n    'whitenoise.middleware.WhiteNoiseMiddleware',\n]",
      instead: "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    'corsheaders.middleware.CorsMiddleware',\n    'whitenoise.middleware.WhiteNoiseMiddleware',\n    'django.contrib.sessions.middleware.SessionMiddleware',\n    'django.middleware.common.CommonMiddleware',\n]",
      fixSafety: "Unsafe: the entry moves inside the `MIDDLEWARE` list (its whole line, with its comment, when it is alone on its line), so it now runs before the middleware it must precede: responses that lacked CORS headers (redirects, errors from CommonMiddleware...) get them. No fix when MIDDLEWARE is built from other lists or changed after its assignment.",
      references: [
        'https://github.com/adamchainz/django-cors-headers#setup',
        'https://whitenoise.readthedocs.io/en/stable/django.html#enable-whitenoise',
        'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering',
      ],
    },
  },
  checkSettings(ctx: SettingsContext) {
    const b = ctx.setting('MIDDLEWARE');
    if (!b) return ctx.notChecked('MIDDLEWARE is not set in the production settings.');
    if (!isSequence(b.value)) return ctx.notChecked(unreadable('MIDDLEWARE', b.value));
    const names = b.value.items.map((i) => (i.kind === 'str' ? i.value : undefined));
    const items = b.value.items;
    const list = literalOf(b);
    const ed = ctx.editorFor(b.stmt.module);
    const fix = (title: string, edits: () => Edit[]): FixSpec[] => (list ? [{ title, applicability: 'unsafe', edits: edits() }] : []);

    if (ctx.uses('corsheaders')) {
      const cors = names.indexOf(CORS);
      const common = names.indexOf(COMMON);
      if (cors >= 0 && common >= 0 && cors > common) {
        ctx.report({
          at: items[cors].origin,
          message: 'CorsMiddleware comes after CommonMiddleware: responses CommonMiddleware returns itself (APPEND_SLASH redirects...) get no CORS headers',
          fixes: fix('Move CorsMiddleware before CommonMiddleware', () => (list ? moveItem(ed, b.stmt.top, list, cors, { before: common }) : [])),
        });
      }
    }

    if (ctx.uses('whitenoise')) {
      const wn = names.indexOf(WHITENOISE);
      if (wn < 0) return;
      const sec = names.indexOf(SECURITY);
      // where WhiteNoise belongs: after SecurityMiddleware (and a CorsMiddleware right after it), else first
      let place = sec;
      while (place + 1 < names.length && place + 1 !== wn && names[place + 1] === CORS) place++;
      if (place + 1 === wn) return;
      const moveTo = place < 0 ? { before: 0 } : { after: place };
      ctx.report({
        at: items[wn].origin,
        message: sec >= 0 ? 'WhiteNoiseMiddleware is not directly after SecurityMiddleware: static files are served after needless middleware, or without the security headers' : 'WhiteNoiseMiddleware is not the first middleware: static files are served after needless middleware',
        fixes: fix(sec >= 0 ? 'Move WhiteNoiseMiddleware directly after SecurityMiddleware' : 'Move WhiteNoiseMiddleware to the top of MIDDLEWARE', () => (list ? moveItem(ed, b.stmt.top, list, wn, moveTo) : [])),
      });
    }
  },
});
