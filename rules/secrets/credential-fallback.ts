import { credentialValues, defineRule, maskSecret, moveDefaultToDotenv } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR104',
    name: 'credential-fallback',
    category: 'secrets',
    severity: 'warning',
    kind: 'settings',
    seeds: ['001', '003', '004'],
    message: 'A credential falls back to a hardcoded default when its environment variable is missing',
    fixTitle: 'Move the default to .env: require the environment variable',
    fix: 'unsafe',
    docs: {
      what: "Flags the credentials DJR103 looks at (`DATABASES[*]['PASSWORD']`, `EMAIL_HOST_PASSWORD`, `*_PASSWORD`, `*_SECRET`, `*_SECRET_KEY`, `*_API_KEY`, `*_TOKEN`, `SIMPLE_JWT['SIGNING_KEY']`, URLs/DSNs with a password) when they come from an environment lookup with a non-empty literal default: `config('DB_PASSWORD', default='postgres')`, `os.environ.get('EMAIL_HOST_PASSWORD', '...')`, `env.db('DATABASE_URL', default='postgres://user:pass@localhost/db')`, `dj_database_url.config(default=...)`.",
      why: 'The default is what production runs whenever the variable is forgotten or misnamed, and it is in the repository for anyone to read. A deploy then talks to the database with a well-known password, or silently uses a development account, instead of failing at start-up.',
      example: "from decouple import config\n\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'PASSWORD': config('DB_PASSWORD', default='postgres'),\n    }\n}",
      instead: "from decouple import config\n\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'PASSWORD': config('DB_PASSWORD'),\n    }\n}",
      fixSafety: 'Unsafe: without the default the application no longer starts where the variable is not set and `.env` is not loaded (CI, containers). The fix removes the default and writes its value into `.env` under the variable\'s name (created if needed, added to `.gitignore`, the name listed in `.env.example`), so the credential is kept. When it cannot be kept that way (`.env` already sets the variable to another value, a value `.env` cannot hold, a variable name that is not a literal), removing the default alone is offered in the editor only, never by fix-all or `--fix --unsafe-fixes`, and the finding says why.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#password',
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
        'https://12factor.net/config',
      ],
    },
  },
  checkSettings(ctx) {
    for (const c of credentialValues(ctx)) {
      const env = c.env;
      if (!env?.hasDefault) continue;
      const variable = env.variable ?? 'its variable';
      // the default moves to .env (nothing lost); dropping it alone is only a display-only quick fix
      const { fixes, refused } = c.value.kind === 'str' ? moveDefaultToDotenv(ctx, env, c.value.value, c.label) : { fixes: [], refused: undefined };
      ctx.report({
        at: c.at,
        message: c.maskedUrl
          ? `${c.label} falls back to the URL '${c.maskedUrl}' with a hardcoded password when ${variable} is not set`
          : `${c.label} falls back to the hardcoded default ${maskSecret(c.value.value)} when ${variable} is not set`,
        fixes,
        unfixable: refused,
      });
    }
  },
});
