import { defineRule, isHardcodedString, maskSecret, stringItems, type Fix, type SettingsContext, type Value } from '../../server/src/engine';

function envFix(ctx: SettingsContext, literal: Extract<Value, { kind: 'str' }>, variable: string, setting: string): Fix {
  const ed = ctx.editorFor(literal.origin.module);
  const { expr, edits } = ed.envLookup(variable, 'str');
  return {
    title: `Read ${setting} from the environment variable ${variable} (removes the literal: store the current key first)`,
    safe: false,
    edits: [ed.replaceNode(literal.origin.top, literal.origin.node, expr), ...edits],
  };
}

export default defineRule({
  meta: {
    code: 'DJR101',
    name: 'hardcoded-secret-key',
    category: 'secrets',
    severity: 'error',
    kind: 'settings',
    seeds: ['000', '001', '002', '003', '004'],
    django: 'W009/W025',
    message: 'SECRET_KEY is a hardcoded string',
    fixTitle: 'Read SECRET_KEY from the environment',
    fix: 'unsafe',
    docs: {
      what: 'Flags a `SECRET_KEY` (or an entry of `SECRET_KEY_FALLBACKS`) written as a string literal in the production settings, including one inherited from a base module.',
      why: 'The secret key signs sessions, password-reset tokens, messages and anything using `django.core.signing`. A key in the source is known to everyone who can read the repository, its forks, CI logs and backups: they can forge sessions and reset tokens. A key that was ever committed must be treated as leaked and rotated.',
      example: "SECRET_KEY = 'django-insecure-0123456789abcdefghijklmnopqrstuvwxyz'",
      instead: "import os\n\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']",
      fixSafety: 'Unsafe: the application will not start until DJANGO_SECRET_KEY is set, and the literal is removed from the file. Copy the current key to your secret store (or use "Move SECRET_KEY to .env") before applying it, then rotate the key with SECRET_KEY_FALLBACKS.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
        'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key',
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    const key = ctx.setting('SECRET_KEY');
    if (key && isHardcodedString(key.value)) {
      ctx.report({
        at: ctx.bindingAt(key),
        message: `SECRET_KEY is a hardcoded string ${maskSecret(key.value.value)}: anyone who can read the source can forge sessions and tokens`,
        fixes: [envFix(ctx, key.value, 'DJANGO_SECRET_KEY', 'SECRET_KEY')],
      });
    }
    const fallbacks = ctx.setting('SECRET_KEY_FALLBACKS');
    if (fallbacks) {
      stringItems(fallbacks.value).forEach(({ item }, i) => {
        if (!isHardcodedString(item)) return;
        ctx.report({
          at: item.origin,
          message: `SECRET_KEY_FALLBACKS[${i}] is a hardcoded string ${maskSecret(item.kind === 'str' ? item.value : '')}`,
          fixes: [envFix(ctx, item, `DJANGO_SECRET_KEY_FALLBACK${i === 0 ? '' : `_${i}`}`, `SECRET_KEY_FALLBACKS[${i}]`)],
        });
      });
    }
  },
});
