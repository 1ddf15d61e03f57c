import { corsSetting, defineRule, isSequence, regexAllowsAnyOrigin, replaceEnvDefault, stringItems, truthy, unreadable, type Binding, type Edit, type FixSpec, type ModuleEditor, type SettingsContext, type TopStmt, type Value } from '../../server/src/engine';
import type { PyExpr } from '../../server/src/engine/ir';

/** `NAME = value` alone in the production module: the statement can be rewritten as a whole. */
function ownStatement(ctx: SettingsContext, b: Binding): boolean {
  return b.stmt.module === ctx.module && b.stmt.node.t === 'assign' && b.stmt.node.targets.length === 1 && !b.conditional && b.mutations.length === 0;
}

/** CORS_ALLOWED_ORIGINS read from the environment (when no origin list exists yet). */
function originsEdits(ctx: SettingsContext): Edit[] {
  if (corsSetting(ctx, 'CORS_ALLOWED_ORIGINS')) return [];
  const lookup = ctx.editor.envLookup('CORS_ALLOWED_ORIGINS', 'list');
  return [...ctx.setSettingEdits('CORS_ALLOWED_ORIGINS', lookup.expr), ...lookup.edits];
}

/** Allow-all on: `NAME = True` becomes `CORS_ALLOWED_ORIGINS = <lookup>`, else it is turned off (and the list added). */
function allowAllFix(ctx: SettingsContext, b: Binding): FixSpec {
  const hasOrigins = !!corsSetting(ctx, 'CORS_ALLOWED_ORIGINS');
  const env = b.value.env;
  let edits: Edit[];
  if (!hasOrigins && !env && ownStatement(ctx, b)) {
    const ed = ctx.editor;
    const lookup = ed.envLookup('CORS_ALLOWED_ORIGINS', 'list');
    edits = [ed.replaceNode(b.stmt.top, b.stmt.node, `CORS_ALLOWED_ORIGINS = ${lookup.expr}`), ...lookup.edits];
  } else {
    edits = [...(env?.defaultOrigin ? replaceEnvDefault(ctx, env, false) : ctx.setSettingEdits(b.name, 'False')), ...originsEdits(ctx)];
  }
  return {
    title: hasOrigins ? `Set ${b.name} to False (CORS_ALLOWED_ORIGINS lists the allowed origins)` : `Replace ${b.name} with CORS_ALLOWED_ORIGINS read from the environment variable CORS_ALLOWED_ORIGINS`,
    applicability: 'unsafe',
    edits,
  };
}

/** Deletes an item of a list literal with its comma; a comment after it stays on its line. */
function removeItem(ed: ModuleEditor, top: TopStmt, item: PyExpr): Edit {
  const text = ed.module.text;
  const lines = ed.module.lines;
  const s = top.start + item.s;
  const e = top.start + item.e;
  const first = lines.positionAt(s).line;
  const last = lines.positionAt(e).line;
  const after = /^[ \t]*(,[ \t]*)?/.exec(text.slice(e, lines.lineEnd(last)))?.[0] ?? '';
  const restOfLine = text.slice(e + after.length, lines.lineEnd(last));
  const lead = text.slice(lines.lineStart(first), s);
  if (lead.trim() === '') {
    // alone on its line(s): drop the lines, or keep just the comment
    if (restOfLine.trim() === '') return ed.replace(lines.lineStart(first), lines.lineStart(last + 1), '');
    if (restOfLine.trimStart().startsWith('#')) return ed.replace(s, e + after.length, '');
  }
  if (after.includes(',')) return ed.replace(s, e + after.length, '');
  // the last item of a one-line list: take the comma before it
  const before = /,[ \t]*$/.exec(text.slice(lines.lineStart(first), s));
  return ed.replace(before ? s - before[0].length : s, e, '');
}

/**
 * Allow-all regexes: removed from the list literal in the production module (or the list set to
 * `[]` there when every entry allows all), and CORS_ALLOWED_ORIGINS added unless allow-all is on
 * (its own fix adds it).
 */
function regexFix(ctx: SettingsContext, rx: Binding, open: Value[], every: boolean, allOn: boolean): FixSpec | undefined {
  const st = rx.stmt.node;
  const list = st.t === 'assign' && (st.value.t === 'list' || st.value.t === 'tuple') ? st.value : undefined;
  const literal = list && ownStatement(ctx, rx) && open.every((v) => v.origin.top === rx.stmt.top && list.items.includes(v.origin.node as PyExpr));
  let edits: Edit[];
  if (literal) edits = open.map((v) => removeItem(ctx.editor, rx.stmt.top, v.origin.node as PyExpr));
  else if (every) edits = ctx.setSettingEdits(rx.name, '[]');
  else return undefined;
  const add = every && !allOn ? originsEdits(ctx) : [];
  return {
    title: `Remove the allow-all pattern${open.length > 1 ? 's' : ''} from ${rx.name}${add.length ? ' and read CORS_ALLOWED_ORIGINS from the environment' : ''}`,
    applicability: 'unsafe',
    edits: [...edits, ...add],
  };
}

export default defineRule({
  meta: {
    code: 'DJR401',
    name: 'cors-allow-all',
    category: 'cors',
    severity: 'error',
    kind: 'settings',
    seeds: ['000', '001', '004'],
    message: 'CORS allows every origin in production',
    fixTitle: 'Replace allow-all CORS with CORS_ALLOWED_ORIGINS read from the environment',
    fix: 'unsafe',
    requires: ['corsheaders'],
    docs: {
      what: "Flags production settings where django-cors-headers accepts any origin: `CORS_ALLOW_ALL_ORIGINS` (or its old name `CORS_ORIGIN_ALLOW_ALL`) is true, or an entry of `CORS_ALLOWED_ORIGIN_REGEXES` (`CORS_ORIGIN_REGEX_WHITELIST`) matches any site, such as `r'.*'`, `r'^.*$'` or `r'^https?://.*$'`. The regexes are tried the way the package uses them (`re.match`) against unrelated origins. An environment lookup is judged by its default.",
      why: "With allow-all CORS every website a user visits can call the API from the user's browser and read the responses. Combined with cookies or a token kept by the browser this exposes the user's data to any page; even without credentials it opens internal or IP-restricted APIs to the whole web.",
      example: 'CORS_ALLOW_ALL_ORIGINS = True',
      instead: "import os\n\nCORS_ALLOWED_ORIGINS = [\n    item.strip() for item in os.environ.get('CORS_ALLOWED_ORIGINS', '').split(',') if item.strip()\n]  # e.g. CORS_ALLOWED_ORIGINS=https://app.example.com",
      fixSafety: "Unsafe: `CORS_ALLOW_ALL_ORIGINS = True` becomes `CORS_ALLOWED_ORIGINS` read from the environment variable CORS_ALLOWED_ORIGINS (comma-separated, in the file's idiom: decouple, django-environ or os.environ); until that variable lists the frontend's origins, browsers block its cross-origin requests. An allow-all inherited from a base module is turned off in the production module, an environment default becomes False, and allow-all regexes are removed from the list (the list set to `[]` when it is inherited and holds nothing else).",
      references: [
        'https://github.com/adamchainz/django-cors-headers#configuration',
        'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS',
        'https://cheatsheetseries.owasp.org/cheatsheets/HTML5_Security_Cheat_Sheet.html#cross-origin-resource-sharing',
      ],
    },
  },
  checkSettings(ctx) {
    const all = corsSetting(ctx, 'CORS_ALLOW_ALL_ORIGINS');
    const allOn = !!all && truthy(all.value) === true;
    if (all && truthy(all.value) === undefined) ctx.notChecked(unreadable(all.name, all.value));
    if (all && allOn) {
      const env = all.value.env;
      ctx.report({
        at: ctx.bindingAt(all),
        message: `${all.name} is True${env ? ` (the default of ${env.variable ?? 'an environment variable'})` : ''}${all.conditional ? ' (in a branch that may run)' : ''}: every website can call the API from its visitors' browsers`,
        fixes: [allowAllFix(ctx, all)],
      });
    }
    const rx = corsSetting(ctx, 'CORS_ALLOWED_ORIGIN_REGEXES');
    if (!rx) return;
    const items = stringItems(rx.value);
    const open = items.filter((s) => regexAllowsAnyOrigin(s.value));
    const every = isSequence(rx.value) && open.length === rx.value.items.length;
    const fix = open.length ? regexFix(ctx, rx, open.map((o) => o.item), every, allOn) : undefined;
    for (const { item, value } of open) {
      ctx.report({
        at: item.origin,
        message: `${rx.name} entry r'${value}' matches any origin${item.env ? ` (the default of ${item.env.variable ?? 'an environment variable'})` : ''}: every website can call the API from its visitors' browsers`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
