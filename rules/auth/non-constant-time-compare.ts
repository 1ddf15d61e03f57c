import type { Node } from 'web-tree-sitter';
import { callArgs, defineRule, exprDottedName, lastName, stringContent, unparen, type FixSpec } from '../../server/src/engine';

const SECRET_NAME = /(key|token|secret|signature|passw(or)?d|passwd|authorization|auth|hmac|digest)/i;

/** Parents in which `not f(...)` reads as intended without parentheses. */
const NOT_SAFE_PARENTS = new Set(['if_statement', 'elif_clause', 'while_statement', 'boolean_operator', 'not_operator', 'return_statement', 'assignment', 'expression_statement', 'parenthesized_expression', 'assert_statement', 'keyword_argument', 'argument_list']);

interface SecretSide {
  label: string;
  /** Certainly a `str` (so `hmac.compare_digest` cannot raise TypeError on None). */
  str: boolean;
}

/** The key a subscript or `.get()` call reads from headers/META, if `n` is such an access. */
function headerAccess(n: Node): { header: string; certain: boolean } | undefined {
  if (n.type === 'subscript') {
    const obj = n.childForFieldName('value');
    const key = n.childForFieldName('subscript');
    const owner = obj ? exprDottedName(obj) : undefined;
    const header = key?.type === 'string' ? stringContent(key) : undefined;
    if (owner && /(^|\.)(headers|META)$/.test(owner) && header !== undefined) return { header, certain: true };
    return undefined;
  }
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'get') return undefined;
    const owner = exprDottedName(fn.childForFieldName('object') ?? fn);
    if (!owner || !/(^|\.)(headers|META)$/.test(owner)) return undefined;
    const { positional } = callArgs(n);
    const key = positional[0];
    if (key?.type !== 'string') return undefined;
    // .get(name, 'default'): a str in every case; .get(name) is None when the header is missing
    const def = positional[1];
    return { header: stringContent(key) ?? '', certain: !!def && def.type === 'string' };
  }
  return undefined;
}

function secretSide(n: Node): SecretSide | undefined {
  const u = unparen(n);
  const h = headerAccess(u);
  if (h) return SECRET_NAME.test(h.header) ? { label: `the ${h.header} header`, str: h.certain } : undefined;
  const name = exprDottedName(u);
  // settings.API_KEY, django.conf.settings.WEBHOOK_SECRET
  if (name && /(^|\.)settings\.[A-Za-z_]\w*$/.test(name)) {
    const setting = name.slice(name.lastIndexOf('.') + 1);
    return SECRET_NAME.test(setting) ? { label: `settings.${setting}`, str: false } : undefined;
  }
  // getattr(settings, 'API_KEY', ...)
  if (u.type === 'call' && lastName(u.childForFieldName('function')) === 'getattr') {
    const [obj, attr] = callArgs(u).positional;
    if (obj && attr?.type === 'string' && /(^|\.)settings$/.test(exprDottedName(obj) ?? '')) {
      const setting = stringContent(attr) ?? '';
      return SECRET_NAME.test(setting) ? { label: `settings.${setting}`, str: false } : undefined;
    }
  }
  return undefined;
}

/** Values compared for presence, not for equality of secrets: None, True/False, numbers, ''. */
function trivial(n: Node): boolean {
  const u = unparen(n);
  if (['none', 'true', 'false', 'integer', 'float'].includes(u.type)) return true;
  if (u.type === 'string') return /^[a-zA-Z]*(''|""|''''''|"""""")$/.test(u.text);
  if (u.type === 'call' && lastName(u.childForFieldName('function')) === 'len') return true;
  return false;
}

function certainlyStr(n: Node): boolean {
  const u = unparen(n);
  // a str literal or f-string (not bytes: no `b` in the prefix)
  if (u.type === 'string' || u.type === 'concatenated_string') return !/b/i.test(/^[A-Za-z]*/.exec(u.text)?.[0] ?? '');
  const h = headerAccess(u);
  return !!h && h.certain;
}

export default defineRule({
  meta: {
    code: 'DJR511',
    name: 'non-constant-time-compare',
    category: 'auth',
    severity: 'warning',
    kind: 'code',
    seeds: ['002'],
    message: 'A secret is compared with == (timing attack)',
    fixTitle: 'Compare with hmac.compare_digest',
    fix: 'safe',
    docs: {
      what: "Flags `==` and `!=` comparisons where one side is a secret: a setting whose name says key, token, secret, signature or password (`settings.API_KEY`, `getattr(settings, 'WEBHOOK_SECRET')`), or a request header with such a name (`request.headers.get('X-Api-Key')`, `request.META['HTTP_X_SIGNATURE']`). Comparisons with `None`, `''`, booleans and numbers are presence checks and are not flagged.",
      why: '`==` on strings stops at the first differing character, so the time it takes leaks how many leading characters of a guess are right. An attacker who can send many requests can recover an API key or forge a signature character by character. `hmac.compare_digest` (or Django\'s `constant_time_compare`) takes the same time whatever the input.',
      example: "if request.headers.get('X-Api-Key') == settings.API_KEY:\n    ...",
      instead: "import hmac\n\nprovided = request.headers.get('X-Api-Key', '')\nif settings.API_KEY and hmac.compare_digest(provided.encode(), settings.API_KEY.encode()):\n    ...",
      fixSafety: "The fix rewrites `a == b` as `hmac.compare_digest(a, b)` (and `a != b` as `not hmac.compare_digest(a, b)`) and adds `import hmac`. `compare_digest` accepts two `str` (ASCII only) or two bytes-like values and raises `TypeError` for `None`: the fix is safe (applied by fix-all and `--fix`) only when both sides are certainly strings (string literals, `request.headers['X']`, `.get('X', 'default')`); otherwise (a setting, `.get('X')` that is `None` when the header is missing) it is offered as an unsafe fix: make both sides strings first, as in the example above.",
      references: [
        'https://docs.python.org/3/library/hmac.html#hmac.compare_digest',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.crypto.constant_time_compare',
        'https://owasp.org/www-community/attacks/Timing_attack',
      ],
    },
  },
  prefilter: /(?:[=!]=[^\n]*(?:key|token|secret|signature|passw|auth|hmac|digest))|(?:(?:key|token|secret|signature|passw|auth|hmac|digest)[^\n]*[=!]=)/i,
  create(ctx) {
    const visit = (n: Node): void => {
      // exactly `a == b` or `a != b` (no chains such as `a == b == c`)
      const operands = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (operands.length !== 2 || n.childCount !== 3) return;
      const op = n.children[1]?.type;
      if (op !== '==' && op !== '!=') return;
      const [a, b] = operands;
      const sa = secretSide(a);
      const sb = secretSide(b);
      const secret = sa ?? sb;
      if (!secret) return;
      if (trivial(a) || trivial(b)) return;
      const editor = ctx.editor;
      const call = `hmac.compare_digest(${a.text}, ${b.text})`;
      let replacement = op === '==' ? call : `not ${call}`;
      if (op === '!=' && !NOT_SAFE_PARENTS.has(n.parent?.type ?? '')) replacement = `(${replacement})`;
      const safe = (sa ? sa.str : certainlyStr(a)) && (sb ? sb.str : certainlyStr(b));
      const fix: FixSpec = {
        title: `Compare with hmac.compare_digest${safe ? '' : ' (both sides must be str or bytes: it raises TypeError on None)'}`,
        applicability: safe ? 'safe' : 'unsafe',
        edits: [editor.replace(n.startIndex, n.endIndex, replacement), ...editor.ensureImport('hmac')],
      };
      ctx.report({
        at: { file: ctx.file.path, range: ctx.nodeRange(n) },
        message: `${secret.label} is compared with ${op}: the comparison time leaks how much of a guess is right (timing attack); use hmac.compare_digest`,
        fixes: [fix],
      });
    };
    return { comparison_operator: visit };
  },
});
