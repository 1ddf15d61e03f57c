import { defineRule, literalLike, replaceEnvDefault, unreadable, type FixSpec } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR509',
    name: 'email-verification-optional',
    category: 'auth',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '003'],
    message: 'Email addresses are not verified before login',
    fixTitle: "Set ACCOUNT_EMAIL_VERIFICATION = 'mandatory'",
    fix: 'unsafe',
    requires: ['allauth'],
    docs: {
      what: "Flags production settings of a django-allauth project where `ACCOUNT_EMAIL_VERIFICATION` is not `'mandatory'`: `'optional'` (allauth's default, so an absent setting counts), `'none'`, or the legacy `False`. An environment lookup is judged by its default.",
      why: "Without mandatory verification anyone can sign up with someone else's address: the account then receives that person's notifications and, worse, password resets and invitations go to whoever typed the address, and the real owner cannot register. Fake addresses also make abuse and spam sign-ups free.",
      example: "ACCOUNT_EMAIL_VERIFICATION = 'optional'",
      instead: "ACCOUNT_EMAIL_VERIFICATION = 'mandatory'\nEMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'  # a working mail setup",
      fixSafety: "Unsafe: users with an unverified address can no longer log in until they confirm it (allauth sends the confirmation when they try), and sign-up depends on outgoing mail working in production. Check EMAIL_BACKEND and consider marking existing addresses verified first.",
      references: [
        'https://docs.allauth.org/en/latest/account/configuration.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('ACCOUNT_EMAIL_VERIFICATION');
    // a string literal keeps its quotes
    const src = b && b.value.kind === 'str' && !b.value.env && b.stmt.module === ctx.module ? literalLike(ctx, b.value.origin, 'mandatory') : ctx.editor.str('mandatory');
    const fix = (): FixSpec => ({ title: "Set ACCOUNT_EMAIL_VERIFICATION = 'mandatory'", applicability: 'unsafe', edits: ctx.setSettingEdits('ACCOUNT_EMAIL_VERIFICATION', src) });
    if (!b) {
      ctx.report({ at: ctx.missingAt(), message: "ACCOUNT_EMAIL_VERIFICATION is not set (allauth defaults to 'optional'): accounts can use an address their owner never confirmed", fixes: [fix()] });
      return;
    }
    const v = b.value;
    if (v.kind !== 'str' && v.kind !== 'bool') return ctx.notChecked(unreadable('ACCOUNT_EMAIL_VERIFICATION', v));
    // allauth still reads the legacy booleans: True is 'mandatory', False 'optional'
    if (v.kind === 'bool' ? v.value : v.kind !== 'str' || v.value === 'mandatory') return;
    const env = v.env;
    const shown = v.kind === 'str' ? `'${v.value}'` : "False (read as 'optional')";
    ctx.report({
      at: ctx.bindingAt(b),
      message: `ACCOUNT_EMAIL_VERIFICATION is ${shown}${env ? ` (the default of ${env.variable ?? 'an environment variable'})` : ''}: accounts can use an address their owner never confirmed`,
      fixes: [env?.defaultOrigin && v.kind === 'str' ? { title: "Make 'mandatory' the default of ACCOUNT_EMAIL_VERIFICATION", applicability: 'unsafe' as const, edits: replaceEnvDefault(ctx, env, 'mandatory') } : fix()],
    });
  },
});
