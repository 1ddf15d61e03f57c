import { defineRule, maskSecret, moveDefaultToDotenv, stringItems, type SettingsContext, type Value, type Where } from '../../server/src/engine';

function check(ctx: SettingsContext, v: Value, label: string, at: Where): void {
  const env = v.env;
  if (!env || !env.hasDefault || v.kind !== 'str' || v.fstring || v.value.trim().length === 0) return;
  const variable = env.variable ?? 'the environment variable';
  // the default moves to .env (nothing lost); dropping it alone is only a display-only quick fix
  const { fixes, refused } = moveDefaultToDotenv(ctx, env, v.value, label);
  ctx.report({
    at,
    message: `${label} falls back to the hardcoded default ${maskSecret(v.value)} when ${variable} is not set: anyone who can read the source can forge sessions and tokens`,
    fixes,
    unfixable: refused,
  });
}

export default defineRule({
  meta: {
    code: 'DJR102',
    name: 'secret-key-fallback',
    category: 'secrets',
    severity: 'error',
    kind: 'settings',
    seeds: ['001', '003'],
    django: 'W009',
    message: 'SECRET_KEY falls back to a hardcoded default when the environment variable is missing',
    fixTitle: 'Move the default to .env: require the environment variable',
    fix: 'unsafe',
    docs: {
      what: "Flags a `SECRET_KEY` (or an entry of `SECRET_KEY_FALLBACKS`) read from the environment with a literal, non-empty default: `config('SECRET_KEY', default='...')`, `os.environ.get('SECRET_KEY', '...')`, `os.environ.get('SECRET_KEY') or '...'`, `env('SECRET_KEY', default='...')`, `environ.Env(SECRET_KEY=(str, '...'))`, in the production settings or a module they inherit from.",
      why: 'The default is what runs whenever the variable is forgotten: a deploy with a missing or misnamed variable starts silently with a key that is in the repository, so anyone who can read the code can forge sessions, password-reset links and signed data. Without a default the application refuses to start, which is the failure you want.',
      example: "from decouple import config\n\nSECRET_KEY = config('SECRET_KEY', default='django-insecure-change-this-in-production')",
      instead: "from decouple import config\n\nSECRET_KEY = config('SECRET_KEY')",
      fixSafety: 'Unsafe: the application no longer starts where the variable is not set and `.env` is not loaded (CI, containers). The fix removes the default and writes its value into `.env` under the variable\'s name (created if needed, added to `.gitignore`, the name listed in `.env.example`), so the key is kept: python-decouple reads `.env` by itself; with `os.environ` or django-environ make sure `.env` is loaded. When the value cannot be kept that way (`.env` already sets the variable to another value, a value `.env` cannot hold, a variable name that is not a literal), removing the default alone is offered in the editor only, never by fix-all or `--fix --unsafe-fixes`, and the finding says why. Rotate the key if the default was ever used in production.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
        'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key',
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    const key = ctx.setting('SECRET_KEY');
    if (key) check(ctx, key.value, 'SECRET_KEY', ctx.bindingAt(key));
    const fallbacks = ctx.setting('SECRET_KEY_FALLBACKS');
    if (fallbacks) stringItems(fallbacks.value).forEach(({ item }, i) => check(ctx, item, `SECRET_KEY_FALLBACKS[${i}]`, item.origin));
  },
});
