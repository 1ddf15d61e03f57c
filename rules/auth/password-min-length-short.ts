import { defineRule, dictGet, dictLiteralEntry, isSequence, replaceEnvDefault, unreadable, type Edit, type SettingsContext, type Value } from '../../server/src/engine';
import type { PyExpr } from '../../server/src/engine/ir';

const DJANGO_MIN_LENGTH = 'django.contrib.auth.password_validation.MinimumLengthValidator';
/** Django's MinimumLengthValidator default. */
const DJANGO_DEFAULT = 8;

type DictExpr = Extract<PyExpr, { t: 'dict' }>;

/** The dict literal a dict value was written as (for inserting a key into it). */
function dictLiteral(v: Value): DictExpr | undefined {
  const n = v.origin.node;
  return 't' in n && n.t === 'dict' ? n : undefined;
}

export default defineRule({
  meta: {
    code: 'DJR507',
    name: 'password-min-length-short',
    category: 'auth',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '003'],
    message: 'The minimum password length is too short',
    fixTitle: "Set 'OPTIONS': {'min_length': 12} on MinimumLengthValidator",
    fix: 'unsafe',
    docs: {
      what: "Flags production `AUTH_PASSWORD_VALIDATORS` that have no `MinimumLengthValidator`, or whose `min_length` is below the threshold (12 by default, setting `djangoReadiness.thresholds.passwordMinLength`); without `OPTIONS` Django's own default of 8 applies. An absent or empty validator list is DJR506's finding; an environment lookup is judged by its default.",
      why: 'Length is what makes a password hard to guess: each character multiplies the work of an offline attack on a leaked hash. Eight characters, Django\'s default, is within reach of commodity GPUs for common patterns; current guidance (NIST SP 800-63B, OWASP) asks for at least 12 to 15 when passwords are the only factor.',
      example: "AUTH_PASSWORD_VALIDATORS = [\n    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},\n    {'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'},\n]",
      instead: "AUTH_PASSWORD_VALIDATORS = [\n    {\n        'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator',\n        'OPTIONS': {'min_length': 12},\n    },\n    {'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'},\n]",
      fixSafety: "Unsafe: sets `min_length` to the threshold in the validator's `OPTIONS` (added when missing), or adds a MinimumLengthValidator to the list: shorter passwords are refused from now on when set or changed. Existing passwords keep working.",
      references: [
        'https://docs.djangoproject.com/en/stable/topics/auth/passwords/#django.contrib.auth.password_validation.MinimumLengthValidator',
        'https://pages.nist.gov/800-63-4/sp800-63b.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#implement-proper-password-strength-controls',
      ],
    },
  },
  checkSettings(ctx: SettingsContext) {
    const b = ctx.setting('AUTH_PASSWORD_VALIDATORS');
    if (!b || !isSequence(b.value) || b.value.items.length === 0) return ctx.notChecked(b && !isSequence(b.value) ? unreadable('AUTH_PASSWORD_VALIDATORS', b.value) : 'No password validator is configured, so no minimum length applies (see the password validators item).'); // DJR506 reports it
    const min = ctx.thresholds.passwordMinLength;
    const title = `Set the minimum password length to ${min}`;
    let found = false;
    // a validator (or an option) we cannot read: do not claim there is none, nor that it is long enough
    const unknown = (why: string) => {
      found = true;
      ctx.notChecked(why);
    };
    for (const item of b.value.items) {
      if (item.kind !== 'dict') {
        unknown('An AUTH_PASSWORD_VALIDATORS entry cannot be read statically.');
        continue;
      }
      const name = dictGet(item, 'NAME')?.value;
      if (!name || name.kind !== 'str') {
        unknown("An AUTH_PASSWORD_VALIDATORS entry's NAME cannot be read statically.");
        continue;
      }
      if (!name.value.endsWith('LengthValidator')) continue;
      found = true;
      const options = dictGet(item, 'OPTIONS');
      if (options && options.value.kind !== 'dict') {
        unknown(unreadable(`The OPTIONS of ${name.value.split('.').pop()}`, options.value));
        continue;
      }
      const ml = dictGet(options?.value, 'min_length');
      if (!ml) {
        if (name.value !== DJANGO_MIN_LENGTH) {
          unknown(`${name.value.split('.').pop()} sets no min_length and is not recognised as Django's own MinimumLengthValidator, so its minimum is unknown.`);
          continue;
        }
        if (DJANGO_DEFAULT >= min) continue;
        const ed = ctx.editorFor(item.origin.module);
        const target = options ? dictLiteral(options.value) : dictLiteral(item);
        const src = options ? [ed.str('min_length'), String(min)] : [ed.str('OPTIONS'), `{${ed.str('min_length')}: ${min}}`];
        const edits = target ? ed.insertDictEntry((options ? options.value : item).origin.top, target, src[0], src[1]) : [];
        ctx.report({
          at: item.origin,
          message: `MinimumLengthValidator has no min_length: Django's default of ${DJANGO_DEFAULT} characters applies, below ${min}`,
          fixes: edits.length ? [{ title, applicability: 'unsafe', edits }] : [],
        });
        continue;
      }
      const v = ml.value;
      if (v.kind !== 'num') {
        unknown(unreadable('min_length', v));
        continue;
      }
      if (v.value >= min) continue;
      let edits: Edit[] = [];
      if (v.env?.defaultOrigin) edits = replaceEnvDefault(ctx, v.env, min);
      else {
        // the `'min_length': N` entry of the OPTIONS literal, else the number wherever it was written
        const lit = options ? dictLiteral(options.value) : undefined;
        const en = lit && options && ml.origin.top === options.value.origin.top ? dictLiteralEntry(lit, 'min_length') : undefined;
        if (options && en) edits = [ctx.editorFor(options.value.origin.module).replaceNode(options.value.origin.top, en.v, String(min))];
        else if (v.origin.node.t === 'num') edits = [ctx.editorFor(v.origin.module).replaceNode(v.origin.top, v.origin.node, String(min))];
      }
      ctx.report({
        at: ml.origin,
        message: `MinimumLengthValidator min_length is ${v.value}${v.env ? ` (the default of ${v.env.variable ?? 'an environment variable'})` : ''}, below ${min}: short passwords fall to offline guessing`,
        fixes: edits.length ? [{ title, applicability: 'unsafe', edits }] : [],
      });
    }
    if (found) return;
    const st = b.stmt.node;
    const list = st.t === 'assign' && (st.value.t === 'list' || st.value.t === 'tuple') && !b.conditional ? st.value : undefined;
    const ed = ctx.editorFor(b.stmt.module);
    const src = `{${ed.str('NAME')}: ${ed.str(DJANGO_MIN_LENGTH)}, ${ed.str('OPTIONS')}: {${ed.str('min_length')}: ${min}}}`;
    ctx.report({
      at: ctx.bindingAt(b),
      message: `AUTH_PASSWORD_VALIDATORS has no MinimumLengthValidator: passwords of any length are accepted`,
      fixes: list ? [{ title: `Add MinimumLengthValidator with min_length ${min}`, applicability: 'unsafe', edits: ed.appendListItem(b.stmt.top, list, src) }] : [],
    });
  },
});
