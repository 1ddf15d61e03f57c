import { defineRule, isHardcodedString, maskSecret, moveToDotenv, rotateSecretKeyFix, stringItems, type FixSpec, type SettingsContext, type Value } from '../../server/src/engine';

function envFix(ctx: SettingsContext, literal: Extract<Value, { kind: 'str' }>, variable: string, setting: string): FixSpec {
  const ed = ctx.editorFor(literal.origin.module);
  const { expr, edits } = ed.envLookup(variable, 'str', undefined, literal.origin.top);
  return {
    title: `Read ${setting} from the environment variable ${variable} (removes the literal: store the current key first)`,
    // never by fix-all, not even --unsafe-fixes: the literal would be gone with no copy anywhere
    applicability: 'display-only',
    kind: 'read-env',
    edits: [ed.replaceNode(literal.origin.top, literal.origin.node, expr), ...edits],
  };
}

/** Move to .env first (keeps the value), then rotate (SECRET_KEY only), then a bare env lookup; why the move is not offered, when it is not. */
function fixesFor(ctx: SettingsContext, literal: Extract<Value, { kind: 'str' }>, variable: string, label: string, rotate: boolean): { fixes: FixSpec[]; unfixable?: string } {
  const fixes: FixSpec[] = [];
  const move = moveToDotenv(ctx, literal, variable, label);
  if ('fix' in move) fixes.push(move.fix);
  const rotation = rotate ? rotateSecretKeyFix(ctx, literal, variable) : undefined;
  if (rotation) fixes.push(rotation);
  fixes.push(envFix(ctx, literal, variable, label));
  return { fixes, unfixable: 'refused' in move ? move.refused : undefined };
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
    fixTitle: 'Move SECRET_KEY to .env and read it from the environment',
    fix: 'unsafe',
    docs: {
      what: 'Flags a `SECRET_KEY` (or an entry of `SECRET_KEY_FALLBACKS`) written as a string literal in the production settings, including one inherited from a base module.',
      why: 'The secret key signs sessions, password-reset tokens, messages and anything using `django.core.signing`. A key in the source is known to everyone who can read the repository, its forks, CI logs and backups: they can forge sessions and reset tokens. A key that was ever committed must be treated as leaked and rotated.',
      example: "SECRET_KEY = 'django-insecure-0123456789abcdefghijklmnopqrstuvwxyz'",
      instead: "import os\n\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']",
      fixSafety: 'Three fixes, none safe: the application then needs DJANGO_SECRET_KEY in its environment at start-up. The first two are unsafe, the third display-only. "Move SECRET_KEY to .env" (the preferred one, and the one `--fix --unsafe-fixes` applies) writes the current key into `.env` (created if needed; a variable already there with another value is never overwritten, and the fix is then not offered), replaces the literal with an environment lookup in the file\'s idiom, adds `.env` to `.gitignore` and the variable name (never the value) to `.env.example`. python-decouple reads `.env` by itself; with `os.environ` or django-environ make sure `.env` is loaded (docker compose `env_file`, systemd `EnvironmentFile`, `environ.Env.read_env()`, python-dotenv). "Rotate SECRET_KEY" does the same with a freshly generated key (50 characters from a CSPRNG over Django\'s alphabet) and keeps the old key in `SECRET_KEY_FALLBACKS`, read from `DJANGO_SECRET_KEY_FALLBACKS` in `.env`, so existing sessions and tokens stay valid; drop the fallback once they have expired. "Read SECRET_KEY from the environment" only replaces the literal: store the key elsewhere first (display-only: offered in the editor, never applied by fix-all or `--fix --unsafe-fixes`). A key that was ever committed must be treated as leaked: rotate it.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
        'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key',
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    const key = ctx.setting('SECRET_KEY');
    if (!key) ctx.notChecked('SECRET_KEY is not assigned in the production settings (Django refuses to start without it).');
    if (key && isHardcodedString(key.value)) {
      ctx.report({
        at: ctx.bindingAt(key),
        message: `SECRET_KEY is a hardcoded string ${maskSecret(key.value.value)}: anyone who can read the source can forge sessions and tokens`,
        ...fixesFor(ctx, key.value, 'DJANGO_SECRET_KEY', 'SECRET_KEY', true),
      });
    }
    const fallbacks = ctx.setting('SECRET_KEY_FALLBACKS');
    if (fallbacks) {
      stringItems(fallbacks.value).forEach(({ item }, i) => {
        if (!isHardcodedString(item)) return;
        ctx.report({
          at: item.origin,
          message: `SECRET_KEY_FALLBACKS[${i}] is a hardcoded string ${maskSecret(item.kind === 'str' ? item.value : '')}`,
          ...fixesFor(ctx, item, `DJANGO_SECRET_KEY_FALLBACK${i === 0 ? '' : `_${i}`}`, `SECRET_KEY_FALLBACKS[${i}]`, false),
        });
      });
    }
  },
});
