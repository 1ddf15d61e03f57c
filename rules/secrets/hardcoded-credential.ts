import { credentialValues, defineRule, maskSecret, moveToDotenv, type FixSpec } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR103',
    name: 'hardcoded-credential',
    category: 'secrets',
    severity: 'error',
    kind: 'settings',
    seeds: ['001', '003', '004'],
    message: 'A credential is hardcoded in the settings',
    fixTitle: 'Move the credential to .env and read it from the environment',
    fix: 'unsafe',
    docs: {
      what: "Flags credential-like settings that hold a non-empty string literal in production: `DATABASES[*]['PASSWORD']`, `EMAIL_HOST_PASSWORD`, any setting named `*_PASSWORD`, `*_SECRET`, `*_SECRET_KEY`, `*_API_KEY` or `*_TOKEN`, password/secret/token keys of nested dicts (`CACHES[...]['OPTIONS']['PASSWORD']`), `SIMPLE_JWT['SIGNING_KEY']` (unless it is `SECRET_KEY`), and URLs/DSNs with a password (`'postgres://user:pass@host/db'`, `dj_database_url.parse('...')`). `SECRET_KEY` itself is DJR101. Names of actions (`reset_password`, `change_password`, `set_password`) are not credentials, and neither are values no credential looks like: an import path (`ACCOUNT_FORMS['reset_password'] = 'myapp.forms.ResetForm'`), a rate (`'1/m/user'`), a regular expression, a URL path or a URL without a password, `'true'`/`'none'`.",
      why: 'A password or API key in the settings is in every clone, fork, backup and CI log of the repository, and cannot be rotated without a code change and a deploy. Whoever reads the code gets the database, the mail account or the third-party account with it.',
      example: "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n        'USER': 'shop',\n        'PASSWORD': 'S3cr3t-passw0rd',\n    }\n}\nEMAIL_HOST_PASSWORD = 'my-sendgrid-api-key'",
      instead: "import os\n\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n        'USER': 'shop',\n        'PASSWORD': os.environ['DATABASE_PASSWORD'],\n    }\n}\nEMAIL_HOST_PASSWORD = os.environ['EMAIL_HOST_PASSWORD']",
      fixSafety: 'Unsafe: the application no longer starts until the variable (named after the setting: DATABASE_PASSWORD, EMAIL_HOST_PASSWORD, DATABASE_URL...) is set. "Move to .env" (preferred, and the one `--fix --unsafe-fixes` applies) writes the current value into `.env` (never overwriting a variable already there with another value), replaces the literal with an environment lookup, adds `.env` to `.gitignore` and the name to `.env.example`; with `os.environ` or django-environ make sure `.env` is loaded at start-up. "Read from the environment" only removes the literal: store the value elsewhere first (display-only: offered in the editor, never applied by fix-all or `--fix --unsafe-fixes`). Rotate the credential either way: it stays in the git history.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#password',
        'https://docs.djangoproject.com/en/stable/ref/settings/#email-host-password',
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
        'https://12factor.net/config',
      ],
    },
  },
  checkSettings(ctx) {
    for (const c of credentialValues(ctx)) {
      if (c.env) continue; // DJR104 when it is a lookup's default
      const o = c.value.origin;
      const ed = ctx.editorFor(o.module);
      const { expr, edits } = ed.envLookup(c.variable, 'str', undefined, o.top);
      const move = moveToDotenv(ctx, c.value, c.variable, c.label);
      const fix: FixSpec = { title: `Read ${c.label} from the environment variable ${c.variable} (removes the literal: store the current value first)`, applicability: 'display-only', kind: 'read-env', edits: [ed.replaceNode(o.top, o.node, expr), ...edits] };
      ctx.report({
        at: c.at,
        message: c.maskedUrl
          ? `${c.label} is the URL '${c.maskedUrl}' with a hardcoded password: anyone who can read the source has the credential`
          : `${c.label} is a hardcoded credential ${maskSecret(c.value.value)}: anyone who can read the source has it`,
        fixes: 'fix' in move ? [move.fix, fix] : [fix],
        unfixable: 'refused' in move ? move.refused : undefined,
      });
    }
  },
});
