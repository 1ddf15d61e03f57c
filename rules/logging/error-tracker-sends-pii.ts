import type { Node } from 'web-tree-sitter';
import { field, callArgs, defineRule, unparen, type FileContext, type FixSpec } from '../../server/src/engine';

/** Error trackers' init functions that take `send_default_pii`. */
const INIT = new Set(['sentry_sdk.init', 'sentry_sdk.client.Client', 'sentry_sdk.Client']);

/** Whether a value turns the option on: `True`, or an environment lookup whose default is truthy. */
function truthy(n: Node): 'literal' | 'default' | undefined {
  const u = unparen(n);
  if (u.type === 'true') return 'literal';
  if (u.type === 'call') {
    // env.bool("SENTRY_PII", default=True), config("X", default=True, cast=bool), os.environ.get("X", "True")
    const { positional, keywords } = callArgs(u);
    const d = keywords.get('default') ?? positional[1];
    if (!d) return undefined;
    const v = unparen(d);
    if (v.type === 'true') return 'default';
    if (v.type === 'string' && /^[rbuRBU]*["'](true|1|yes|on)["']$/i.test(v.text)) return 'default';
  }
  return undefined;
}

/** Whether the file is a settings module that never runs in production (development, test). */
function developmentOnly(ctx: FileContext): boolean {
  const m = ctx.project.settingsModules.find((s) => s.path === ctx.file.path);
  return m?.role === 'development';
}

export default defineRule({
  meta: {
    code: 'DJR804',
    name: 'error-tracker-sends-pii',
    category: 'logging',
    severity: 'warning',
    kind: 'code',
    seeds: ['002'],
    message: 'The error tracker sends personal data (send_default_pii=True)',
    fixTitle: 'Set send_default_pii=False',
    fix: 'unsafe',
    docs: {
      what: "Flags `sentry_sdk.init(..., send_default_pii=True)` (also through an options dict passed as `**options`, or an environment lookup whose default is true), resolved through the imports, anywhere in the application code except development-only settings modules.",
      why: "With `send_default_pii` on, every error report carries the user's id, email and username, their IP address, cookies and request headers (session cookies and authorization headers included) and request bodies: personal data copied to a third party and kept there, which the privacy policy and GDPR must then cover, and credentials that anyone with access to the error tracker can replay.",
      example: 'import sentry_sdk\n\nsentry_sdk.init(\n    dsn=os.environ["SENTRY_DSN"],\n    send_default_pii=True,\n)',
      instead: 'import sentry_sdk\n\nsentry_sdk.init(\n    dsn=os.environ["SENTRY_DSN"],\n    send_default_pii=False,  # identify users with set_user(id=...) where needed\n)',
      fixSafety: "Unsafe: the fix sets `send_default_pii=False` (or the lookup's default to False). Error reports then lack the user and request details the team may rely on to debug; send what is needed explicitly (`sentry_sdk.set_user({'id': user.pk})`) and scrub the rest with `before_send`.",
      references: [
        'https://docs.sentry.io/platforms/python/configuration/options/#send-default-pii',
        'https://docs.sentry.io/platforms/python/data-management/sensitive-data/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude',
      ],
    },
  },
  // a module where every send_default_pii is set to a plain False (`send_default_pii=False,`, a
  // settings module's usual sentry_sdk.init) has nothing to flag: not parsed for this rule
  prefilter: /send_default_pii(?!\s*=\s*False\s*[,)]|["']\s*:\s*False\s*[,}])/,
  create(ctx) {
    // a **splat can turn the option on only through a dict of this file with a 'send_default_pii' key
    const dictKey = /(["'])send_default_pii\1/.test(ctx.module.text);
    const flag = (value: Node) => {
      const how = truthy(value);
      if (!how) return;
      const u = unparen(value);
      let fix: FixSpec | undefined;
      if (how === 'literal') fix = { title: 'Set send_default_pii=False', applicability: 'unsafe', edits: [ctx.editor.replace(u.startIndex, u.endIndex, 'False')] };
      else {
        const { positional, keywords } = callArgs(u);
        const d = unparen(keywords.get('default') ?? positional[1]);
        const src = d.type === 'true' ? 'False' : d.text.replace(/(true|1|yes|on)(["'])$/i, (_m, _v, q: string) => `False${q}`);
        fix = { title: 'Default send_default_pii to False', applicability: 'unsafe', edits: [ctx.editor.replace(d.startIndex, d.endIndex, src)] };
      }
      ctx.reportNode(value.parent?.type === 'keyword_argument' || value.parent?.type === 'pair' ? value.parent : value, {
        message: how === 'literal' ? "send_default_pii=True: every error report sends the user's identity, IP address, cookies, headers and request bodies to the error tracker" : "send_default_pii defaults to True when the variable is missing: error reports would send the user's identity, IP address, cookies, headers and request bodies to the error tracker",
        fixes: [fix],
      });
    };
    return {
      call(call) {
        const args = field(call, 'arguments');
        // the semantic model (built on first use) only for a call that could turn the option on:
        // a settings module with `sentry_sdk.init(..., send_default_pii=False, **opts)` builds none
        const couldFlag = (a: Node | null) => {
          if (a?.type === 'dictionary_splat') return dictKey;
          const v = a?.type === 'keyword_argument' && field(a, 'name')?.text === 'send_default_pii' ? field(a, 'value') : null;
          return !!v && !!truthy(v);
        };
        if (!args?.namedChildren.some(couldFlag)) return;
        const model = ctx.semantic;
        const q = model.qualifiedName(field(call, 'function'));
        if (!q || !INIT.has(q) || developmentOnly(ctx)) return;
        for (const a of args?.namedChildren ?? []) {
          if (a?.type === 'keyword_argument' && field(a, 'name')?.text === 'send_default_pii') {
            const v = field(a, 'value');
            if (v) flag(v);
          } else if (a?.type === 'dictionary_splat') {
            // sentry_sdk.init(**options) with options = {"send_default_pii": True, ...}
            const inner = a.namedChildren.find((c) => c && c.type !== 'comment');
            const dict = inner?.type === 'identifier' ? model.valueOf(inner) : inner;
            for (const p of dict?.type === 'dictionary' ? dict.namedChildren : []) {
              if (p?.type !== 'pair') continue;
              const key = field(p, 'key');
              const v = field(p, 'value');
              if (key?.type === 'string' && key.text.slice(1, -1) === 'send_default_pii' && v) flag(v);
            }
          }
        }
      },
    };
  },
});
