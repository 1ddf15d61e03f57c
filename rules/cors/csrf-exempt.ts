import type { Node } from 'web-tree-sitter';
import { field, callArgs, defineRule, exprDottedName, mayBeNamed, unparen, type FileContext, type Scope, type SemanticModel } from '../../server/src/engine';

const CSRF_EXEMPT = 'django.views.decorators.csrf.csrf_exempt';
const CSRF_EXEMPT_NAME: ReadonlySet<string> = new Set(['csrf_exempt']);

/** Django's mixins that require the session's user. */
const AUTH_MIXIN = /^django\.contrib\.auth\.mixins\.(LoginRequiredMixin|PermissionRequiredMixin|UserPassesTestMixin|AccessMixin)$/;

/** DRF's own views: CSRF-exempt by design, DRF checks CSRF itself when SessionAuthentication authenticates. */
const DRF_VIEW = /^rest_framework\.(views\.APIView|generics\.\w+|viewsets\.\w+|mixins\.\w+)$/;

/** Header names that carry a credential (X-Api-Key, Authorization, X-Hub-Signature-256, X-Gitlab-Token). */
function credentialHeader(name: string): boolean {
  const words = name
    .replace(/^HTTP_/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w && !/^\d+$/.test(w));
  const last = words[words.length - 1] ?? '';
  return ['KEY', 'APIKEY', 'TOKEN', 'SECRET', 'SIGNATURE', 'AUTHORIZATION', 'HMAC'].includes(last) && !words.includes('CSRF') && !words.includes('CSRFTOKEN');
}

const HEADER_READ = /\.headers(?:\.get)?\s*[[(]\s*(?:f?["']([^"']+)["'])|META(?:\.get)?\s*[[(]\s*["'](HTTP_[A-Z0-9_]+)["']/g;
/** Verifying a signature or a signed token: the request proves itself, no cookie needed. */
const SIGNATURE = /\b(compare_digest|constant_time_compare|construct_event|verify_signature|validate_signature|check_signature|verify_webhook|verify_request|\.unsign|signing\.loads|unsign_object|loads_signed)\b/;
/** Reading the logged-in user, the session or its cookies. */
const SESSION = /\brequest\.(user|session|COOKIES)\b|\b(login_required|permission_required|user_passes_test|staff_member_required|superuser_required)\b|\b(auth\.)?(login|logout)\(\s*request\b|\bget_user\(\s*request\b/g;
/** `request.user = ...` (not `==`). */
const USER_ASSIGNED = /^request\.user\s*=(?!=)/;
/**
 * A guard rejecting requests without `X-Requested-With: XMLHttpRequest` (`if not is_ajax(request):`,
 * `if not request.is_ajax():`, `if request.headers.get("x-requested-with") != "XMLHttpRequest":`): a
 * cross-site form cannot send that header, another site's script only after a CORS preflight.
 */
const AJAX_GUARD = /\bif\s+not\s+((?:[\w.]+\.)?is_ajax)\(|(x-requested-with|HTTP_X_REQUESTED_WITH)["']\s*\)?\s*\]?\s*!=\s*["']XMLHttpRequest["']/i;

/** Callees that take the request without acting with the user's authority (rendering, responses, messages). */
const NEUTRAL_CALLEES = /(^|\.)(render|render_to_response|render_to_string|TemplateResponse|redirect|HttpResponse\w*|JsonResponse|StreamingHttpResponse|FileResponse|success|info|warning|error|debug|add_message|get_current_site|get_client_ip|build_absolute_uri|is_ajax|resolve_url|reverse)$/;

interface Evidence {
  /** What authenticates the request instead of the session: "the X-Api-Key header", "a signature". */
  credential?: string;
  /** What shows the view acts for the logged-in user: "request.user". */
  session?: string;
  /** The request goes to code this rule cannot read. */
  opaque?: string;
  /** Requests without a header a cross-site form cannot send are rejected: "the X-Requested-With header (is_ajax)". */
  customHeader?: string;
  /** The view sets request.user itself before reading it (a bot looked up by a token in the URL). */
  userAssigned?: boolean;
}

/** Looks at source text (a function, its decorators' and callees' definitions): what authenticates it. */
function scanText(text: string, out: Evidence): void {
  if (!out.credential) {
    HEADER_READ.lastIndex = 0;
    for (let m = HEADER_READ.exec(text); m; m = HEADER_READ.exec(text)) {
      const name = m[1] ?? m[2] ?? '';
      if (credentialHeader(name)) {
        out.credential = `the ${m[1] ?? name} header`;
        break;
      }
    }
    const sig = SIGNATURE.exec(text);
    if (!out.credential && sig) out.credential = `a signature (${sig[1].replace(/^\./, '')})`;
  }
  if (!out.customHeader) {
    const g = AJAX_GUARD.exec(text);
    if (g) out.customHeader = `the X-Requested-With header${g[1] ? ` (${g[1]})` : ''}`;
  }
  if (out.session) return;
  SESSION.lastIndex = 0;
  for (let s = SESSION.exec(text); s; s = SESSION.exec(text)) {
    if (s[1] === 'user') {
      // request.user = bot.owner before any read: the view chose the user, the session did not
      if (out.userAssigned === undefined) out.userAssigned = USER_ASSIGNED.test(text.slice(s.index));
      if (out.userAssigned) continue;
    }
    out.session = s[0].replace(/\($/, '').replace(/\(\s*request$/, '');
    return;
  }
}

/** A call that hands the request on: `helper(request)`, `self.authenticate(x, request)`. */
const PASSES_REQUEST = /(?<![\w.])(?<!def\s+)([A-Za-z_][\w.]*)\(\s*(?:[^()]*?,\s*)?request\s*[,)]/g;

/** scanText for code read as text only (another module): the request handed to code not read is opaque. */
function scanExternal(text: string, out: Evidence): void {
  scanText(text, out);
  if (out.opaque) return;
  PASSES_REQUEST.lastIndex = 0;
  for (let m = PASSES_REQUEST.exec(text); m; m = PASSES_REQUEST.exec(text)) {
    const callee = m[1];
    if (/^(def|class|super|print|isinstance|getattr|hasattr|setattr|len|str)$/.test(callee) || /(^|\.)(def|class)$/.test(callee) || NEUTRAL_CALLEES.test(callee)) continue;
    out.opaque = callee;
    return;
  }
}

class Judge {
  constructor(
    private readonly ctx: FileContext,
    private readonly model: SemanticModel,
  ) {}

  /** The definition text of a qualified name in another module of the project, if it can be found. */
  private external(qualified: string): string | undefined {
    return this.ctx.projectSource.definitionText(qualified);
  }

  /** What a function or class of this file (or of the project, by name) shows about its authentication. */
  evidence(def: Node, depth = 0, out: Evidence = {}, seen = new Set<number>()): Evidence {
    if (seen.has(def.id) || depth > 3) return out;
    seen.add(def.id);
    scanText(def.text, out);
    // the decorators: same-file definitions are read, imported ones looked up in the project
    const decorated = def.parent?.type === 'decorated_definition' ? def.parent : undefined;
    for (const dec of decorated?.namedChildren.filter((c): c is Node => c?.type === 'decorator') ?? []) {
      scanText(dec.text, out);
      const expr = unparen(dec.namedChildren.find((c) => c && c.type !== 'comment') ?? dec);
      const fn = expr.type === 'call' ? field(expr, 'function') : expr;
      this.follow(fn, depth, out, seen);
    }
    // functions the request is handed to
    const requestName = this.requestParam(def);
    if (requestName) {
      for (const call of def.descendantsOfType('call')) {
        if (!call) continue;
        const args = field(call, 'arguments');
        if (!args?.namedChildren.some((a) => a?.type === 'identifier' && a.text === requestName)) continue;
        const fn = field(call, 'function');
        const name = fn ? (exprDottedName(fn) ?? '') : '';
        if (NEUTRAL_CALLEES.test(name) || NEUTRAL_CALLEES.test(this.model.qualifiedName(fn) ?? '')) continue;
        if (!this.follow(fn, depth, out, seen)) out.opaque ??= name || 'another function';
      }
    }
    return out;
  }

  /** Reads what `fn` names: a definition of this file, else of the project; false when neither is found. */
  private follow(fn: Node | null, depth: number, out: Evidence, seen: Set<number>): boolean {
    if (!fn) return false;
    const u = unparen(fn);
    if (u.type === 'identifier') {
      const b = this.model.bindingOf(u);
      if (b?.kind === 'function' || b?.kind === 'class') {
        this.evidence(b.node, depth + 1, out, seen);
        return true;
      }
    }
    if (u.type === 'attribute' && field(u, 'object')?.text === 'self') {
      const cls = this.model.enclosingClass(u);
      const method = cls?.bindings.get(field(u, 'attribute')?.text ?? '')?.find((x) => x.kind === 'function');
      if (method) {
        this.evidence(method.node, depth + 1, out, seen);
        return true;
      }
    }
    const q = this.model.qualifiedName(u);
    if (!q) return false;
    // Django's own decorators say what they do by name (login_required...); third-party code is opaque
    if (q.startsWith('django.')) {
      scanText(q.slice(q.lastIndexOf('.') + 1) + '(', out);
      return true;
    }
    const text = depth < 2 ? this.external(q) : undefined;
    if (text === undefined) return false;
    scanExternal(text, out);
    return true;
  }

  /**
   * A class-based view: what its methods show, then its bases (Django's auth mixins use the
   * session's user; a project base is read in its module; a third-party base cannot be read).
   */
  classEvidence(cls: Node, out: Evidence = {}, depth = 0): Evidence {
    if (depth > 5) return out;
    for (const list of this.model.scopeFor(cls)?.bindings.values() ?? []) for (const b of list) if (b.kind === 'function') out = this.evidence(b.node, 0, out);
    for (const base of this.model.baseNodes(cls)) {
      const local = this.model.localClass(base);
      if (local) {
        this.classEvidence(local, out, depth + 1);
        continue;
      }
      const q = this.model.qualifiedName(base);
      const auth = q ? AUTH_MIXIN.exec(q) : null;
      if (auth) out.session ??= auth[1];
      else if (q?.startsWith('django.') || /^(object|Generic|Protocol)$/.test(base.text)) continue;
      else {
        const text = q ? this.external(q) : undefined;
        if (text !== undefined) scanExternal(text, out);
        else out.opaque ??= base.text;
      }
    }
    return out;
  }

  /** Evidence about a view defined in another module of the project (`views.hook`, `HookView`). */
  externalEvidence(qualified: string): Evidence | undefined {
    const text = this.external(qualified);
    if (text === undefined) return undefined;
    const out: Evidence = {};
    scanExternal(text, out);
    return out;
  }

  /** The request parameter of a view function or method (`request`, after `self`). */
  private requestParam(def: Node): string | undefined {
    if (def.type !== 'function_definition') return undefined;
    const params = field(def, 'parameters')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
    const names = params.map((p) => (p.type === 'identifier' ? p.text : (field(p, 'name')?.text ?? p.namedChildren.find((c) => c?.type === 'identifier')?.text)));
    const inClass = this.model.scopeOf(def).kind === 'class';
    return names[inClass ? 1 : 0] ?? undefined;
  }

  /** Whether a class is a DRF view (CSRF-exempt by design) or declares its own authentication like one. */
  drfClass(cls: Node): boolean {
    if (this.model.ancestors(cls).some((a) => !!a.qualified && DRF_VIEW.test(a.qualified))) return true;
    // a DRF-style view declares how it authenticates (a vendored or extended APIView)
    const scope = this.model.scopeFor(cls);
    return this.declaresAuthentication(scope);
  }

  private declaresAuthentication(scope: Scope | undefined, depth = 0): boolean {
    if (!scope || depth > 10) return false;
    if (scope.bindings.has('authentication_classes') || scope.bindings.has('get_authenticators')) return true;
    for (const b of this.model.baseNodes(scope.node)) {
      const local = this.model.localClass(b);
      if (local && this.declaresAuthentication(this.model.scopeFor(local), depth + 1)) return true;
    }
    return false;
  }

  /** A function view decorated with DRF's @api_view. */
  drfFunction(def: Node): boolean {
    const decorated = def.parent?.type === 'decorated_definition' ? def.parent : undefined;
    return (decorated?.namedChildren ?? []).some((d) => {
      if (d?.type !== 'decorator') return false;
      const e = unparen(d.namedChildren.find((c) => c && c.type !== 'comment') ?? d);
      return this.model.qualifiedName(e.type === 'call' ? field(e, 'function') : e) === 'rest_framework.decorators.api_view';
    });
  }
}

export default defineRule({
  meta: {
    code: 'DJR404',
    name: 'csrf-exempt',
    category: 'cors',
    severity: 'warning',
    kind: 'code',
    seeds: ['001'],
    message: 'A view is exempt from CSRF protection',
    fix: 'none',
    docs: {
      what: "Flags views exempted from Django's CSRF check: decorated with `@csrf_exempt` (also through `@method_decorator(csrf_exempt, ...)`) or wrapped in `csrf_exempt(...)`, e.g. in `urls.py` (Django's `csrf_exempt`, resolved through the imports: a local function of that name is not it), and DRF `SessionAuthentication` subclasses whose `enforce_csrf` does nothing. It reads the view (and the decorators and helpers of the project it hands the request to; for a class-based view, or `@csrf_exempt` on its `dispatch` method, every method of the class and its base classes: Django's auth mixins, project mixins read in their module, a library's base said to be unreadable) to say what is at stake: a view that reads `request.user`, the session or its cookies is a warning; a view that authenticates each request by a credential header (`X-Api-Key`, `Authorization`) or a signature (`hmac.compare_digest`, a Stripe or signed-token check) is information, and so is a view that reads no session, user or cookie at all (a view that sets `request.user` itself before reading it, e.g. from a bot token in the URL, does not use the session's user) and one that rejects every request without the `X-Requested-With` header (`if not is_ajax(request): ...` in the view or its decorator), which a cross-site form cannot send. An exemption on a DRF view (APIView, viewsets, `@api_view`, or a view declaring its `authentication_classes`) is not reported: DRF exempts its views anyway and enforces CSRF itself whenever SessionAuthentication authenticates the request.",
      why: "`csrf_exempt` switches off Django's CSRF check for the view: any site the user visits can make their browser submit a state-changing request with the user's cookies. It is often added to make an API client or a webhook work and then forgotten. A view that never relies on the session cookie (a token header, a signed webhook, a public ping) is not exposed this way, as long as it stays so.",
      example: "from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef update_profile(request):\n    request.user.profile.update(...)\n\nclass CsrfExemptSessionAuthentication(SessionAuthentication):\n    def enforce_csrf(self, request):\n        return",
      instead: "# Browser views: keep CSRF on and send the token (X-CSRFToken header from the csrftoken cookie).\ndef update_profile(request):\n    ...\n\n# Webhooks called by another server: keep the exemption, verify the sender's signature\n# (hmac.compare_digest); the finding is then information only.\n@csrf_exempt\ndef stripe_webhook(request):\n    event = stripe.Webhook.construct_event(request.body, request.headers['Stripe-Signature'], secret)\n    ...",
      fixSafety: 'No automatic fix: removing the exemption breaks clients that do not send a CSRF token. Decide per view; keep it only for endpoints that authenticate each request by other means (a signature, a token header) and never rely on cookies.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/csrf/',
        'https://docs.djangoproject.com/en/stable/howto/csrf/#disabling-csrf-protection-for-just-a-few-views',
        'https://www.django-rest-framework.org/topics/ajax-csrf-cors/',
        'https://owasp.org/www-community/attacks/csrf',
      ],
    },
  },
  prefilter: /csrf_exempt|enforce_csrf/,
  create(ctx) {
    const model = ctx.semantic;
    let judge: Judge | undefined;
    const j = () => (judge ??= new Judge(ctx, model));

    /** Django's csrf_exempt, through the imports; unresolved names (star imports) count by name. */
    const isCsrfExempt = (n: Node | null): boolean => {
      if (!n) return false;
      const u = unparen(n);
      // an attribute other than x.csrf_exempt, a literal...: neither its qualified name nor its text can be it
      if (!mayBeNamed(u, CSRF_EXEMPT_NAME)) return false;
      const q = model.qualifiedName(u);
      if (q) return q === CSRF_EXEMPT || q.endsWith('.csrf_exempt');
      const name = exprDottedName(u);
      if (name !== 'csrf_exempt') return false;
      return model.resolve(u).kind !== 'binding';
    };

    /** Reports an exempted function or class (undefined target: a view this file does not define). */
    const report = (at: Node, name: string | undefined, target: Node | undefined, wrapped: boolean, known?: Evidence) => {
      const view = name ? `The view ${name}` : 'This view';
      const how = wrapped ? 'is wrapped in csrf_exempt' : 'is exempt from CSRF protection (csrf_exempt)';
      if (target) {
        const cls = target.type === 'class_definition' ? target : model.enclosingClass(target)?.node;
        if (cls && j().drfClass(cls)) return;
        if (target.type === 'function_definition' && j().drfFunction(target)) return;
      }
      let ev: Evidence = {};
      // a class-based view (or a method of one, `@csrf_exempt def dispatch`): the whole class and its bases
      const viewClass = target?.type === 'class_definition' ? target : target && model.scopeOf(target).kind === 'class' ? model.enclosingClass(target)?.node : undefined;
      if (viewClass) ev = j().classEvidence(viewClass);
      else if (target) ev = j().evidence(target);
      else if (known) ev = known;
      else ev.opaque = 'a view defined elsewhere';
      if (ev.credential && !ev.session) {
        ctx.reportNode(at, { severity: 'info', message: `${view} ${how}; it checks ${ev.credential} instead, which a cross-site form cannot send: fine as long as it never also accepts the session cookie` });
      } else if (ev.session && ev.customHeader) {
        ctx.reportNode(at, { severity: 'info', message: `${view} ${how} and acts for the logged-in user (it uses ${ev.session}), but it rejects requests without ${ev.customHeader}, which a cross-site form cannot send and another site's script can send only when your CORS policy allows it: keep that check` });
      } else if (ev.session) {
        ctx.reportNode(at, { message: `${view} ${how} and acts for the logged-in user (it uses ${ev.session}): any site can make that user's browser call it` });
      } else if (ev.opaque) {
        ctx.reportNode(at, { message: `${view} ${how}: if it relies on the session cookie (through ${ev.opaque}), any site can make a logged-in user's browser call it` });
      } else {
        ctx.reportNode(at, { severity: 'info', message: `${view} ${how}; it reads no session, user or cookie, so a forged cross-site request can do nothing a direct one cannot: keep it that way` });
      }
    };

    return {
      decorator(n) {
        const expr = n.namedChildren.find((c) => c && c.type !== 'comment');
        if (!expr) return;
        let exempt = isCsrfExempt(expr);
        // @method_decorator(csrf_exempt, name='dispatch')
        if (!exempt && expr.type === 'call' && (model.qualifiedName(expr) ?? exprDottedName(field(expr, 'function') ?? expr) ?? '').endsWith('method_decorator')) {
          exempt = callArgs(expr).positional.some((a) => isCsrfExempt(a));
        }
        if (!exempt) return;
        const def = (n.parent ? field(n.parent, 'definition') : null) ?? undefined;
        report(n, (def ? field(def, 'name') : undefined)?.text, def, false);
      },
      call(n) {
        // csrf_exempt(view) as a call, e.g. path('hook/', csrf_exempt(views.hook))
        if (!isCsrfExempt(field(n, 'function'))) return;
        if (n.parent?.type === 'decorator') return; // @csrf_exempt(...) is reported as a decorator
        const target = callArgs(n).positional[0];
        const u = target ? unparen(target) : undefined;
        // views.hook -> its definition when it is in this file; X.as_view() -> the class X
        const ref = u?.type === 'call' ? unparen(field(u, 'function') ?? u) : u;
        const base = ref?.type === 'attribute' && field(ref, 'attribute')?.text === 'as_view' ? field(ref, 'object') : ref;
        const local = base?.type === 'identifier' ? model.bindingOf(base) : undefined;
        const def = local && (local.kind === 'function' || local.kind === 'class') ? local.node : undefined;
        // a view of another module of the project: read as text
        const q = !def && base ? model.qualifiedName(base) : undefined;
        const ev = q ? j().externalEvidence(q) : undefined;
        report(n, u ? exprDottedName(u) : undefined, def, true, ev);
      },
      function_definition(n) {
        // class X(SessionAuthentication): def enforce_csrf(self, request): return
        if (field(n, 'name')?.text !== 'enforce_csrf') return;
        const cls = model.enclosingClass(n);
        if (!cls || model.scopeOf(n) !== cls) return;
        const sessionAuth = model.ancestors(cls.node).some((a) => a.qualified === 'rest_framework.authentication.SessionAuthentication' || (!a.qualified && /SessionAuthentication$/.test(a.text)));
        if (!sessionAuth) return;
        const body = field(n, 'body');
        const stmts = body?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
        const noop = stmts.every((s) => s.type === 'pass_statement' || (s.type === 'return_statement' && (s.namedChildren.length === 0 || s.namedChildren[0]?.type === 'none')) || (s.type === 'expression_statement' && s.namedChildren[0]?.type === 'string'));
        if (!noop) return;
        ctx.reportNode(field(n, 'name') ?? n, { message: `${cls.name ?? 'This class'}.enforce_csrf does nothing: every view authenticated by this session authentication accepts cross-site requests with the user's cookies` });
      },
    };
  },
});
