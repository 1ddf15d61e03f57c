import { defineRule, isSequence, unreadable } from '../../server/src/engine';

/** Hashers that are fast, unsalted or both: a leaked hash is cracked in bulk. */
const WEAK = /(^|\.)(MD5|SHA1|UnsaltedMD5|UnsaltedSHA1|Crypt)PasswordHasher$/;

export default defineRule({
  meta: {
    code: 'DJR508',
    name: 'weak-password-hasher',
    category: 'auth',
    severity: 'error',
    kind: 'settings',
    seeds: ['001'],
    message: 'Passwords are hashed with a weak algorithm',
    fix: 'none',
    docs: {
      what: "Flags production settings whose first `PASSWORD_HASHERS` entry, the one Django uses for every new or updated password, is `MD5PasswordHasher`, `SHA1PasswordHasher`, `UnsaltedMD5PasswordHasher`, `UnsaltedSHA1PasswordHasher` or `CryptPasswordHasher`. Weak hashers further down the list only verify old hashes and are not flagged. Test settings that use MD5 for speed are not production and are not checked.",
      why: 'These algorithms are built for speed (MD5, SHA1: billions of guesses per second on one GPU), unsalted (identical passwords share a hash, precomputed tables apply) or truncated (crypt keeps 8 characters). After a database leak most passwords are recovered within hours, and users reuse them elsewhere. PBKDF2 (the default), Argon2, bcrypt and scrypt are deliberately slow and salted.',
      example: "PASSWORD_HASHERS = [\n    'django.contrib.auth.hashers.MD5PasswordHasher',\n]",
      instead: "PASSWORD_HASHERS = [\n    'django.contrib.auth.hashers.Argon2PasswordHasher',  # pip install django[argon2]\n    'django.contrib.auth.hashers.PBKDF2PasswordHasher',\n    'django.contrib.auth.hashers.MD5PasswordHasher',  # only to verify old hashes\n]",
      fixSafety: 'No automatic fix: the strong hasher may need a package (argon2-cffi, bcrypt), and the weak one should stay in the list, after it, so existing users can still log in; their hashes are upgraded at their next login.',
      references: [
        'https://docs.djangoproject.com/en/stable/topics/auth/passwords/#using-argon2-with-django',
        'https://docs.djangoproject.com/en/stable/ref/settings/#password-hashers',
        'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('PASSWORD_HASHERS');
    if (!b) return; // Django's default (PBKDF2) is fine
    if (!isSequence(b.value)) return ctx.notChecked(unreadable('PASSWORD_HASHERS', b.value));
    const first = b.value.items[0];
    if (!first) return ctx.notChecked('PASSWORD_HASHERS is empty: Django cannot hash passwords at all.');
    if (first.kind !== 'str') return ctx.notChecked(unreadable('The first entry of PASSWORD_HASHERS', first));
    const m = WEAK.exec(first.value.trim());
    if (!m) return;
    ctx.report({
      at: first.origin,
      message: `PASSWORD_HASHERS starts with ${m[2]}PasswordHasher${first.env ? ` (the default of ${first.env.variable ?? 'an environment variable'})` : ''}: every new password is hashed with it, and leaked hashes are cracked in bulk`,
    });
  },
});
