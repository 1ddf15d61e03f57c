import { callArgs, exprDottedName, unparen, defineRule } from '../../server/src/engine';
import type { Node } from 'web-tree-sitter';


/** `csrf_exempt`, `csrf.csrf_exempt`, `django.views.decorators.csrf.csrf_exempt`. */
function isCsrfExempt(n: Node | null): boolean {
  if (!n) return false;
  const name = exprDottedName(unparen(n));
  return name !== undefined && (name === 'csrf_exempt' || name.endsWith('.csrf_exempt'));
}

/** The name of the function or class a decorator decorates. */
function decoratedName(dec: Node): string | undefined {
  const def = dec.parent?.childForFieldName('definition');
  return def?.childForFieldName('name')?.text;
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
      what: 'Flags views decorated with `@csrf_exempt` (also through `@method_decorator(csrf_exempt, ...)`) and views wrapped in `csrf_exempt(...)`, e.g. in `urls.py`.',
      why: "`csrf_exempt` switches off Django's CSRF check for the view: any site the user visits can make their browser submit a state-changing request with the user's cookies. It is often added to make an API client or a webhook work and then forgotten.",
      example: "from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef update_profile(request):\n    ...",
      instead: "# Browser views: keep CSRF on and send the token (X-CSRFToken header from the csrftoken cookie).\ndef update_profile(request):\n    ...\n\n# Webhooks called by another server: keep the exemption, verify the sender's signature\n# (hmac.compare_digest) and silence the finding with a reason:\n@csrf_exempt  # django-readiness: ignore[DJR404] signed webhook, signature checked below\ndef stripe_webhook(request):\n    ...",
      fixSafety: 'No automatic fix: removing the exemption breaks clients that do not send a CSRF token. Decide per view; keep it only for endpoints that authenticate each request by other means (a signature, a token header) and never rely on cookies.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/csrf/',
        'https://docs.djangoproject.com/en/stable/howto/csrf/#disabling-csrf-protection-for-just-a-few-views',
        'https://owasp.org/www-community/attacks/csrf',
      ],
    },
  },
  prefilter: /csrf_exempt/,
  create(ctx) {
    const visit = (n: Node): void => {
      if (n.type === 'decorator') {
        const expr = n.namedChildren.find((c) => c && c.type !== 'comment');
        if (!expr) return;
        let exempt = isCsrfExempt(expr);
        // @method_decorator(csrf_exempt, name='dispatch')
        if (!exempt && expr.type === 'call' && exprDottedName(expr.childForFieldName('function') ?? expr)?.endsWith('method_decorator')) {
          exempt = callArgs(expr).positional.some((a) => isCsrfExempt(a));
        }
        if (!exempt) return;
        const name = decoratedName(n);
        ctx.report({ at: { file: ctx.file.path, range: ctx.nodeRange(n) }, message: `${name ? `The view ${name}` : 'This view'} is exempt from CSRF protection (csrf_exempt): any site can make a logged-in user's browser call it` });
        return;
      }
      // csrf_exempt(view) as a call, e.g. path('hook/', csrf_exempt(views.hook))
      if (!isCsrfExempt(n.childForFieldName('function'))) return;
      if (n.parent?.type === 'decorator') return; // @csrf_exempt(...) is reported as a decorator
      const target = callArgs(n).positional[0];
      const name = target ? exprDottedName(unparen(target)) : undefined;
      ctx.report({ at: { file: ctx.file.path, range: ctx.nodeRange(n) }, message: `${name ? `The view ${name}` : 'This view'} is wrapped in csrf_exempt: any site can make a logged-in user's browser call it` });
    };
    return { decorator: visit, call: visit };
  },
});
