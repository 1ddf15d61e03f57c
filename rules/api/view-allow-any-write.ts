import type { Node } from 'web-tree-sitter';
import { field, defineRule, stringContent, unparen, type Scope, type SemanticModel } from '../../server/src/engine';

/** DRF views and viewsets (and a project's own base class named like them). */
const DRF_VIEW = /^rest_framework\.(views\.APIView|generics\.\w+|viewsets\.\w+)$|(APIView|ViewSet)$/;
/** Bases that accept writes, with the HTTP methods they add. */
const WRITE_BASES: [RegExp, string[]][] = [
  [/(^|\.)(ModelViewSet)$/, ['POST', 'PUT', 'PATCH', 'DELETE']],
  [/(^|\.)CreateModelMixin$|(^|\.)(CreateAPIView|ListCreateAPIView)$/, ['POST']],
  [/(^|\.)UpdateModelMixin$|(^|\.)(UpdateAPIView|RetrieveUpdateAPIView)$/, ['PUT', 'PATCH']],
  [/(^|\.)DestroyModelMixin$|(^|\.)(DestroyAPIView|RetrieveDestroyAPIView)$/, ['DELETE']],
  [/(^|\.)RetrieveUpdateDestroyAPIView$/, ['PUT', 'PATCH', 'DELETE']],
];
/** Handler methods that accept writes. */
const WRITE_METHODS: Record<string, string> = { post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', create: 'POST', update: 'PUT', partial_update: 'PATCH', destroy: 'DELETE' };
/**
 * Views public by purpose: signing up, logging in, resetting a password, receiving a webhook...
 * An open write there is the point, not a slip.
 */
const PUBLIC_BY_PURPOSE = /login|logout|signin|signup|sign_?up|register|registration|token|password|passwd|reset|verif|confirm|activat|otp|magic|oauth|sso|saml|callback|webhook|captcha|invit|join|email|subscri|contact|feedback|health|ping|csp|report|telemetry|beacon/i;

/** `[AllowAny]`, `(permissions.AllowAny,)`, `[]`: a permission list that lets anyone in. */
function openPermissions(value: Node, model: SemanticModel): string | undefined {
  const v = unparen(value);
  if (v.type !== 'list' && v.type !== 'tuple') return undefined;
  const items = v.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (items.length === 0) return `${v.text} (no permission check)`;
  const allowAny = (n: Node) => {
    const q = model.qualifiedName(n);
    return q ? /(^|\.)AllowAny$/.test(q) && q.startsWith('rest_framework') : /(^|\.)AllowAny$/.test(n.text) && model.resolve(unparen(n).type === 'identifier' ? unparen(n) : n).kind !== 'binding';
  };
  return items.every(allowAny) ? 'AllowAny' : undefined;
}

/** The HTTP methods decorated actions accept: @action(detail=True, methods=["post"]). */
function actionMethods(fn: Node): string[] {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  const out: string[] = [];
  for (const d of decorated?.namedChildren ?? []) {
    if (d?.type !== 'decorator') continue;
    const call = d.namedChildren.find((c) => c?.type === 'call');
    if (!call || !/(^|\.)action$/.test(field(call, 'function')?.text ?? '')) continue;
    for (const a of field(call, 'arguments')?.namedChildren ?? []) {
      if (a?.type !== 'keyword_argument' || field(a, 'name')?.text !== 'methods') continue;
      for (const m of field(a, 'value')?.namedChildren ?? []) {
        const s = m?.type === 'string' ? stringContent(m)?.toUpperCase() : undefined;
        if (s && s !== 'GET' && s !== 'HEAD' && s !== 'OPTIONS') out.push(s);
      }
    }
  }
  return out;
}

/** The write methods a view class accepts (its bases, its handlers, its actions), in-file bases included. */
function writesOf(cls: Node, model: SemanticModel): string[] {
  const out = new Set<string>();
  for (const a of model.ancestors(cls)) for (const [re, methods] of WRITE_BASES) if (re.test(a.qualified ?? a.text)) methods.forEach((m) => out.add(m));
  const visit = (scope: Scope | undefined, depth: number) => {
    if (!scope || depth > 10) return;
    for (const list of scope.bindings.values()) {
      for (const b of list) {
        if (b.kind !== 'function') continue;
        const m = WRITE_METHODS[b.name];
        if (m) out.add(m);
        actionMethods(b.node).forEach((x) => out.add(x));
      }
    }
    for (const base of model.baseNodes(scope.node)) {
      const local = model.localClass(base);
      if (local) visit(model.scopeFor(local), depth + 1);
    }
  };
  visit(model.scopeFor(cls), 0);
  return [...out].sort((a, b) => ['POST', 'PUT', 'PATCH', 'DELETE'].indexOf(a) - ['POST', 'PUT', 'PATCH', 'DELETE'].indexOf(b));
}

/** The `name = value` binding of a class attribute, in the class or its in-file bases. */
function classAttribute(cls: Node, name: string, model: SemanticModel, depth = 0): { node: Node; value: Node } | undefined {
  const scope = model.scopeFor(cls);
  const own = scope?.bindings.get(name)?.filter((b) => (b.kind === 'assignment' && b.value) || b.kind === 'function');
  if (own && own.length > 0) {
    const b = own[own.length - 1];
    return { node: b.node, value: b.value ?? b.node };
  }
  if (depth > 10) return undefined;
  for (const base of model.baseNodes(cls)) {
    const local = model.localClass(base);
    const found = local ? classAttribute(local, name, model, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

export default defineRule({
  meta: {
    code: 'DJR613',
    name: 'view-allow-any-write',
    category: 'api',
    severity: 'warning',
    kind: 'code',
    seeds: ['001', '004'],
    message: 'An API view accepts writes from anyone (AllowAny)',
    fix: 'none',
    docs: {
      what: "Flags DRF views and viewsets that accept writes (a create/update/destroy mixin or generic view, `ModelViewSet`, a `post`/`put`/`patch`/`delete`/`create`/`update`/`destroy` handler, an `@action(methods=[...])` that writes) while their `permission_classes` is `[AllowAny]` or empty, and `@api_view` functions that write with `@permission_classes([AllowAny])`. Views whose name says they are public by purpose (login, signup, token, password reset, webhook, contact...) and views that decide permissions in code (`get_permissions`, `check_permissions`, `initial`, in the class or a base class of the file) are not flagged. `authentication_classes = []` alone is not flagged: the default permission then decides, which DJR603 judges.",
      why: "AllowAny on a view that creates, changes or deletes data lets anyone on the internet do it, without an account: spam and defacement at best, deleted or rewritten records at worst. It is often set while developing a feature and left in place.",
      example: "class ArticleViewSet(viewsets.ModelViewSet):\n    queryset = Article.objects.all()\n    serializer_class = ArticleSerializer\n    permission_classes = [AllowAny]",
      instead: "class ArticleViewSet(viewsets.ModelViewSet):\n    queryset = Article.objects.all()\n    serializer_class = ArticleSerializer\n    permission_classes = [IsAuthenticatedOrReadOnly]",
      references: [
        'https://www.django-rest-framework.org/api-guide/permissions/',
        'https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/',
      ],
    },
  },
  // only AllowAny or an empty list opens a view (set in this file, possibly on a base class)
  prefilter: /AllowAny|permission_classes\s*=\s*(?:\[\s*\]|\(\s*\))/,
  create(ctx) {
    const model = ctx.semantic;
    return {
      class_definition(cls) {
        const name = field(cls, 'name')?.text ?? '';
        if (PUBLIC_BY_PURPOSE.test(name)) return;
        if (!model.ancestors(cls).some((a) => DRF_VIEW.test(a.qualified ?? a.text))) return;
        // set here, or inherited from a class of this file (absent: the default decides, see DJR603)
        const perm = classAttribute(cls, 'permission_classes', model);
        if (!perm) return;
        const open = openPermissions(perm.value, model);
        if (!open) return;
        // permissions decided in code (per action, per object, or a custom check): not this rule's to judge
        if (['get_permissions', 'check_permissions', 'initial'].some((m) => classAttribute(cls, m, model))) return;
        const writes = writesOf(cls, model);
        if (writes.length === 0) return;
        const own = model.scopeOf(perm.node) === model.scopeFor(cls);
        ctx.reportNode(own ? perm.node : (field(cls, 'name') ?? cls), {
          message: `${name} accepts writes (${writes.join(', ')}) from anyone: permission_classes = ${open}${own ? '' : ' (inherited)'}; require authentication (IsAuthenticated, IsAuthenticatedOrReadOnly) or a permission for the writes`,
        });
      },
      decorator(dec) {
        // @permission_classes([AllowAny]) on an @api_view function that writes
        const call = dec.namedChildren.find((c) => c?.type === 'call');
        if (!call || model.qualifiedName(field(call, 'function')) !== 'rest_framework.decorators.permission_classes') return;
        const def = dec.parent ? field(dec.parent, 'definition') : null;
        const fname = (def ? field(def, 'name') : undefined)?.text ?? '';
        if (!def || def.type !== 'function_definition' || PUBLIC_BY_PURPOSE.test(fname)) return;
        const arg = field(call, 'arguments')?.namedChildren.find((c) => c && c.type !== 'comment');
        const open = arg ? openPermissions(arg, model) : undefined;
        if (!open) return;
        const writes: string[] = [];
        for (const d of dec.parent?.namedChildren ?? []) {
          const c = d?.type === 'decorator' ? d.namedChildren.find((x) => x?.type === 'call') : undefined;
          if (!c || model.qualifiedName(field(c, 'function')) !== 'rest_framework.decorators.api_view') continue;
          const list = field(c, 'arguments')?.namedChildren.find((x) => x && x.type !== 'comment');
          for (const m of list?.namedChildren ?? []) {
            const s = m?.type === 'string' ? stringContent(m)?.toUpperCase() : undefined;
            if (s && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(s)) writes.push(s);
          }
        }
        if (writes.length === 0) return;
        ctx.reportNode(dec, { message: `${fname} accepts writes (${writes.join(', ')}) from anyone: permission_classes = ${open}; require authentication or a permission for the writes` });
      },
    };
  },
});
