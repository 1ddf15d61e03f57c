import type { Node } from 'web-tree-sitter';
import { field, callArgs, defineRule, exprDottedName, lastName, stringContent, TrustAnalysis, unparen, type FixSpec, type SemanticModel } from '../../server/src/engine';

/** The last word of a name that makes it a secret (`METRICS_KEY`, `X-Hub-Signature-256`, `Authorization`). */
const SECRET_WORDS = new Set(['KEY', 'APIKEY', 'TOKEN', 'SECRET', 'SIGNATURE', 'SIG', 'PASSWORD', 'PASSWD', 'PWD', 'PASSPHRASE', 'HMAC', 'AUTHORIZATION', 'CREDENTIAL', 'CREDENTIALS']);
/** Words that make a `..._KEY` name something else: a public key, a cache key, a sort key. */
const NOT_SECRET_WORDS = new Set(['PUBLIC', 'PUBLISHABLE', 'SITE', 'CACHE', 'SORT', 'PRIMARY', 'FOREIGN', 'LOOKUP', 'ROUTING', 'PARTITION', 'ORDER', 'GROUP', 'FIELD', 'IDEMPOTENCY']);

/**
 * Whether a setting or header name names a secret: its last word (numbers aside) is KEY, TOKEN,
 * SECRET, SIGNATURE, PASSWORD... and no word says it is public (`STRIPE_PUBLISHABLE_KEY`,
 * `RECAPTCHA_SITE_KEY`) or not a secret value (`AUTHENTICATION_METHOD`, `OIDC_TOKEN_ISSUER`,
 * `NOTIFICATION_DIGEST_DAY`, `API_KEY_HEADER` end with another word).
 */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w && !/^\d+$/.test(w));
  const last = words[words.length - 1];
  return !!last && SECRET_WORDS.has(last) && !words.some((w) => NOT_SECRET_WORDS.has(w));
}

/** The end of a name isSecretName accepts (its last word, numbers aside), in any case. */
const SECRET_END = String.raw`(?:key|token|secret|signature|sig|passw(?:or)?d|pwd|passphrase|hmac|authorization|credentials?)(?:[_-]?\d+)*`;
/** A file the rule can report in: one pass for `==`/`!=`, one for a secret side (see secretSide). */
const PREFILTER = new RegExp(
  String.raw`^(?=[\s\S]*?[=!]=)(?=[\s\S]*?(?:\bhmac\b|settings\s*\.\s*\w*${SECRET_END}\b|getattr\s*\(\s*settings\s*,\s*[rRuU]?["']\w*${SECRET_END}["']|(?:headers|META)\s*(?:\.\s*get\s*\(|\[)\s*[rRbBuUfF]{0,2}["'][^"'\n]*${SECRET_END}["']|\bsettings\s+as\s+\w))`,
  'i',
);

/** Parents in which `not f(...)` reads as intended without parentheses. */
const NOT_SAFE_PARENTS = new Set(['if_statement', 'elif_clause', 'while_statement', 'boolean_operator', 'not_operator', 'return_statement', 'assignment', 'expression_statement', 'parenthesized_expression', 'assert_statement', 'keyword_argument', 'argument_list']);

interface SecretSide {
  label: string;
  /** Certainly a `str` (so `hmac.compare_digest` cannot raise TypeError on None). */
  str: boolean;
  /**
   * `config`: a secret the server holds (a setting, a computed digest), compared with a constant
   * it is a sentinel check, not an attack surface; `header`: a client's attempt at a secret,
   * compared with anything (a literal is then the secret).
   */
  kind: 'config' | 'header';
}

/** The key a subscript or `.get()` call reads from headers/META, if `n` is such an access. */
function headerAccess(n: Node): { header: string; certain: boolean } | undefined {
  if (n.type === 'subscript') {
    const obj = field(n, 'value');
    const key = field(n, 'subscript');
    const owner = obj ? exprDottedName(obj) : undefined;
    const header = key?.type === 'string' ? stringContent(key) : undefined;
    if (owner && /(^|\.)(headers|META)$/.test(owner) && header !== undefined) return { header, certain: true };
    return undefined;
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'get') return undefined;
    const owner = exprDottedName(field(fn, 'object') ?? fn);
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

/** A setting read through Django's settings object: `settings.NAME` or `getattr(settings, 'NAME', ...)`. */
function settingName(u: Node, model: SemanticModel): string | undefined {
  const q = model.qualifiedName(u);
  if (u.type === 'attribute' && q && /(^|\.)settings\.[A-Za-z_]\w*$/.test(q) && !/\.settings\.[A-Za-z_]\w*\./.test(q)) return q.slice(q.lastIndexOf('.') + 1);
  if (u.type === 'call' && model.qualifiedName(field(u, 'function')) === 'builtins.getattr') {
    const [obj, attr] = callArgs(u).positional;
    const oq = obj ? model.qualifiedName(obj) : undefined;
    if (oq && /(^|\.)settings$/.test(oq) && attr?.type === 'string') return stringContent(attr);
  }
  return undefined;
}

/** Shapes a setting can take, checked without the semantic model: `x.UPPER_NAME`, `getattr(x, "NAME", ...)`. */
function maybeSetting(u: Node): boolean {
  if (u.type === 'attribute') return /^[A-Z][A-Z0-9_]*$/.test(field(u, 'attribute')?.text ?? '');
  return u.type === 'call' && field(u, 'function')?.text === 'getattr';
}

/** `hmac.new(key, msg, sha256).hexdigest()`, `hmac.digest(...)`: a computed signature. */
function isDigest(u: Node, model: SemanticModel): boolean {
  if (u.type !== 'call') return false;
  const fn = field(u, 'function');
  const q = model.qualifiedName(fn);
  if (q === 'hmac.digest') return true;
  if (fn?.type !== 'attribute' || !/^(hex)?digest$/.test(field(fn, 'attribute')?.text ?? '')) return false;
  const obj = field(fn, 'object');
  return !!obj && obj.type === 'call' && model.qualifiedName(field(obj, 'function')) === 'hmac.new';
}

function secretSide(n: Node, model: SemanticModel, depth = 0): SecretSide | undefined {
  const u = unparen(n);
  const h = headerAccess(u);
  if (h) return isSecretName(h.header) ? { label: `the ${h.header} header`, str: h.certain, kind: 'header' } : undefined;
  // the semantic model only for shapes that can be a setting, a digest or a name holding a secret
  const setting = maybeSetting(u) ? settingName(u, model) : undefined;
  if (setting !== undefined) return isSecretName(setting) ? { label: `settings.${setting}`, str: false, kind: 'config' } : undefined;
  if (/digest/.test(u.text) && isDigest(u, model)) return { label: 'an HMAC digest', str: /hexdigest$/.test(field(u, 'function')?.text ?? ''), kind: 'config' };
  // a name holding one of these (`expected = settings.WEBHOOK_SECRET`)
  if (u.type === 'identifier' && depth < 4 && /key|token|secret|sig|digest|hmac|passw|expected/i.test(u.text)) {
    const v = model.valueOf(u);
    const side = v ? secretSide(v, model, depth + 1) : undefined;
    return side ? { ...side, label: `${u.text} (${side.label})` } : undefined;
  }
  return undefined;
}

/** Values compared for presence, not for equality of secrets: None, True/False, numbers, ''. */
function trivial(n: Node): boolean {
  const u = unparen(n);
  if (['none', 'true', 'false', 'integer', 'float'].includes(u.type)) return true;
  if (u.type === 'string') return /^[a-zA-Z]*(''|""|''''''|"""""")$/.test(u.text);
  if (u.type === 'call' && lastName(field(u, 'function')) === 'len') return true;
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
    fix: 'unsafe',
    docs: {
      what: "Flags `==` and `!=` comparisons between a secret and a value a client can influence. Secrets: a Django setting whose name ends with KEY, TOKEN, SECRET, SIGNATURE, PASSWORD... (`settings.API_KEY`, `getattr(settings, 'WEBHOOK_SECRET')`; not `STRIPE_PUBLISHABLE_KEY`, `RECAPTCHA_SITE_KEY`, `AUTHENTICATION_METHOD` or `OIDC_TOKEN_ISSUER`, which are not secrets), an HMAC digest (`hmac.new(...).hexdigest()`), a local name holding one of these, or a request header with such a name (`request.headers.get('X-Api-Key')`, `request.META['HTTP_X_SIGNATURE']`). A setting compared with a constant or another setting (`settings.SECRET_KEY == '---'`) is a sentinel check, not flagged; a header compared with a literal is (the literal is then the secret). Comparisons with `None`, `''`, booleans and numbers are presence checks and are not flagged. `settings` must be Django's (imported from `django.conf`): a local variable named `settings` is not.",
      why: '`==` on strings stops at the first differing character, so the time it takes leaks how many leading characters of a guess are right. An attacker who can send many requests can recover an API key or forge a signature character by character. `hmac.compare_digest` (or Django\'s `constant_time_compare`) takes the same time whatever the input.',
      example: "if request.headers.get('X-Api-Key') == settings.API_KEY:\n    ...",
      instead: "import hmac\n\nprovided = request.headers.get('X-Api-Key', '')\nif settings.API_KEY and hmac.compare_digest(provided.encode(), settings.API_KEY.encode()):\n    ...",
      fixSafety: "Unsafe: the fix rewrites `a == b` as `hmac.compare_digest(a, b)` (and `a != b` as `not hmac.compare_digest(a, b)`) and adds `import hmac`. `compare_digest` accepts two `str` (ASCII only) or two bytes-like values and raises `TypeError` for `None`, for a str and a bytes, and for a str with a non-ASCII character (a header value can hold one), where `==` answered False: make both sides bytes first (`.encode()`), as in the example above. The title says when a side may be `None`.",
      references: [
        'https://docs.python.org/3/library/hmac.html#hmac.compare_digest',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.crypto.constant_time_compare',
        'https://owasp.org/www-community/attacks/Timing_attack',
      ],
    },
  },
  // what a secret side can be, in the text: `==`/`!=` somewhere, and hmac, a setting or header
  // whose name ends with a secret word (`settings.API_KEY`, `getattr(settings, 'X_TOKEN')`,
  // `headers.get('X-Signature-256')`, `META['HTTP_AUTHORIZATION']`), or settings under an alias
  prefilter: PREFILTER,
  create(ctx) {
    const model = ctx.semantic;
    // constants: literals, names only ever assigned literals (no policy: nothing else is trusted)
    let constants: TrustAnalysis | undefined;
    const constant = (x: Node) => (constants ??= new TrustAnalysis(model, {})).trusted(x) || (maybeSetting(unparen(x)) && settingName(unparen(x), model) !== undefined);
    const visit = (n: Node): void => {
      // exactly `a == b` or `a != b` (no chains such as `a == b == c`)
      const operands = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (operands.length !== 2 || n.childCount !== 3) return;
      const op = n.children[1]?.type;
      if (op !== '==' && op !== '!=') return;
      const [a, b] = operands;
      const sa = secretSide(a, model);
      const sb = secretSide(b, model);
      const secret = sa ?? sb;
      if (!secret) return;
      if (trivial(a) || trivial(b)) return;
      // a secret the server holds compared with a constant or another setting: a sentinel check
      // (`settings.SECRET_KEY == "---"`), no client value is involved
      if (!(sa && sb) && secret.kind === 'config' && constant(sa ? b : a)) return;
      const editor = ctx.editor;
      const call = `hmac.compare_digest(${a.text}, ${b.text})`;
      let replacement = op === '==' ? call : `not ${call}`;
      if (op === '!=' && !NOT_SAFE_PARENTS.has(n.parent?.type ?? '')) replacement = `(${replacement})`;
      const safe = (sa ? sa.str : certainlyStr(a)) && (sb ? sb.str : certainlyStr(b));
      const fix: FixSpec = {
        title: `Compare with hmac.compare_digest${safe ? '' : ' (both sides must be str or bytes: it raises TypeError on None)'}`,
        applicability: 'unsafe',
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
