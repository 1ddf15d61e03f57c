import type { Node } from 'web-tree-sitter';
import { field, appendArgumentEdit, defineRule, unparen, type FileContext, type FixSpec, type SemanticModel } from '../../server/src/engine';

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
/** Session methods that send a request (send takes a prepared request, and a timeout too). */
const SESSION_VERBS = new Set([...VERBS, 'send']);
const REQUESTS_SESSION = new Set(['requests.Session', 'requests.session', 'requests.sessions.Session']);
const HTTPX_CLIENT = new Set(['httpx.Client', 'httpx.AsyncClient']);

type Library = 'requests' | 'httpx';

/** The client object a name or `self.attr` holds: a requests Session or an httpx Client. */
function clientOf(obj: Node, model: SemanticModel, depth = 0): Library | undefined {
  if (depth > 4) return undefined;
  const u = unparen(obj);
  const fromCall = (v: Node | null | undefined): Library | undefined => {
    const c = v ? unparen(v) : undefined;
    if (c?.type !== 'call') return undefined;
    const q = model.qualifiedName(field(c, 'function'));
    if (q && REQUESTS_SESSION.has(q)) return 'requests';
    if (q && HTTPX_CLIENT.has(q)) return 'httpx';
    return undefined;
  };
  // requests.Session().get(...)
  if (u.type === 'call') return fromCall(u);
  if (u.type === 'identifier') {
    const b = model.bindingOf(u);
    if (!b) return undefined;
    if (b.kind === 'assignment' && b.value) return fromCall(b.value) ?? (unparen(b.value).type === 'identifier' ? clientOf(b.value, model, depth + 1) : undefined);
    // with requests.Session() as session:
    if (b.kind === 'as' && b.node.type === 'as_pattern') return fromCall(b.node.namedChildren.find((c) => c && c.type !== 'comment' && c.type !== 'as_pattern_target'));
    return undefined;
  }
  // self.session = requests.Session() somewhere in the class
  if (u.type === 'attribute' && field(u, 'object')?.text === 'self') {
    const name = field(u, 'attribute')?.text;
    const cls = model.enclosingClass(u);
    if (!cls || !name) return undefined;
    for (const a of cls.node.descendantsOfType('assignment')) {
      const left = (a ? field(a, 'left') : undefined);
      if (left?.type === 'attribute' && left.text === `self.${name}`) {
        const lib = fromCall((a ? field(a, 'right') : undefined));
        if (lib) return lib;
      }
    }
  }
  return undefined;
}

/** Inserts `timeout=10` as the last keyword argument, in the call's own layout. */
function addTimeout(ctx: FileContext, args: Node): FixSpec {
  return { title: 'Add timeout=10', applicability: 'unsafe', edits: [appendArgumentEdit(ctx.editor, ctx.module.text, args, 'timeout=10')] };
}

export default defineRule({
  meta: {
    code: 'DJR608',
    name: 'request-without-timeout',
    category: 'api',
    severity: 'warning',
    kind: 'code',
    seeds: ['000', '003'],
    message: 'An HTTP request without a timeout',
    fixTitle: 'Add timeout=10',
    fix: 'unsafe',
    docs: {
      what: "Flags calls of `requests` (`requests.get/post/put/patch/delete/head/options/request`, and the same methods or `send` on a `requests.Session()`) made without `timeout=`, or with `timeout=None`, resolved through the imports (a local variable named `requests` is not the library). httpx has a default timeout of five seconds, so its calls are flagged only with an explicit `timeout=None`. A call given `**kwargs` may carry a timeout and is not flagged. Test files are skipped unless include-tests.",
      why: "requests waits for a response forever by default. One slow or silent upstream (a payment provider, a webhook receiver, an internal service) then holds a web worker, or a task-queue worker, until the process is killed: a handful of such calls stalls every worker and the whole site stops answering.",
      example: 'import requests\n\ndef rates():\n    return requests.get("https://api.example.com/rates").json()',
      instead: 'import requests\n\ndef rates():\n    return requests.get("https://api.example.com/rates", timeout=10).json()\n    # or timeout=(3.05, 27): connect, read',
      fixSafety: 'Unsafe: the fix adds `timeout=10` (or replaces `timeout=None`). A call that legitimately takes longer (a large upload or download) now raises `requests.exceptions.Timeout`; pick the value per call and handle the exception.',
      references: [
        'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts',
        'https://www.python-httpx.org/advanced/timeouts/',
      ],
    },
  },
  // a module that uses requests or httpx imports it
  prefilter: /\b(?:import|from)\s+(?:requests|httpx)\b/,
  create(ctx) {
    const model = ctx.semantic;
    return {
      call(call) {
        const fn = field(call, 'function');
        if (fn?.type !== 'attribute' && fn?.type !== 'identifier') return;
        const q = fn.type === 'identifier' ? model.qualifiedName(fn) : undefined;
        // requests.get(...), or get(...) imported from requests
        const verb = fn.type === 'attribute' ? (field(fn, 'attribute')?.text ?? '') : (q?.slice(q.lastIndexOf('.') + 1) ?? '');
        if (!SESSION_VERBS.has(verb)) return;
        let lib: Library | undefined;
        let label: string;
        const qualified = q ?? model.qualifiedName(fn);
        if (qualified && /^requests(\.api)?\.\w+$/.test(qualified) && VERBS.has(verb)) lib = 'requests';
        else if (qualified && /^httpx\.\w+$/.test(qualified) && (VERBS.has(verb) || verb === 'stream')) lib = 'httpx';
        if (lib) label = `${lib}.${verb}()`;
        else {
          const obj = fn.type === 'attribute' ? field(fn, 'object') : null;
          lib = obj ? clientOf(obj, model) : undefined;
          if (!lib) return;
          label = `${lib === 'requests' ? 'a requests Session' : 'an httpx Client'}'s ${verb}()`;
        }
        const args = field(call, 'arguments');
        if (!args || args.type !== 'argument_list') return;
        let timeout: Node | undefined;
        for (const a of args.namedChildren) {
          if (a?.type === 'dictionary_splat') return; // **kwargs may carry a timeout
          if (a?.type === 'keyword_argument' && field(a, 'name')?.text === 'timeout') timeout = field(a, 'value') ?? undefined;
        }
        if (timeout) {
          if (unparen(timeout).type !== 'none') return;
          ctx.reportNode(call, {
            message: `${label} with timeout=None: a slow or silent server holds this worker forever; set a timeout in seconds`,
            fixes: [{ title: 'Set timeout=10', applicability: 'unsafe', edits: [ctx.editor.replace(timeout.startIndex, timeout.endIndex, '10')] }],
          });
          return;
        }
        if (lib === 'httpx') return; // httpx times out after 5 seconds by default
        ctx.reportNode(call, {
          message: `${label} without a timeout: requests waits forever by default, so a slow or silent server holds this worker until it is killed; pass timeout=`,
          fixes: [addTimeout(ctx, args)],
        });
      },
    };
  },
});
