import { defineRule, isSequence, listFullyKnown, unreadable, type FixSpec, type ModuleEditor } from '../../server/src/engine';

/** Django's four validators (as `startproject` writes them), MinimumLengthValidator with `min`. */
function validatorsSrc(ed: ModuleEditor, min: number): string {
  const [i1, i2, eol] = [ed.indent, ed.indent.repeat(2), ed.eol];
  const name = (v: string) => `${ed.str('NAME')}: ${ed.str(`django.contrib.auth.password_validation.${v}`)}`;
  return [
    '[',
    `${i1}{${name('UserAttributeSimilarityValidator')}},`,
    `${i1}{`,
    `${i2}${name('MinimumLengthValidator')},`,
    `${i2}${ed.str('OPTIONS')}: {${ed.str('min_length')}: ${min}},`,
    `${i1}},`,
    `${i1}{${name('CommonPasswordValidator')}},`,
    `${i1}{${name('NumericPasswordValidator')}},`,
    ']',
  ].join(eol);
}

export default defineRule({
  meta: {
    code: 'DJR506',
    name: 'password-validators-missing',
    category: 'auth',
    severity: 'error',
    kind: 'settings',
    seeds: ['001', '004'],
    message: 'Passwords are not validated',
    fixTitle: "Add Django's four password validators (minimum length 12)",
    fix: 'unsafe',
    docs: {
      what: "Flags production settings where `AUTH_PASSWORD_VALIDATORS` is absent (Django's default is an empty list) or empty, in projects that install `django.contrib.auth` (a project without it has no passwords to validate).",
      why: 'Without validators Django accepts any password: "1", "password", the user name. Such passwords fall to the first guesses of an online attack or a credential-stuffing list, and no rate limit makes up for them. The validators are checked when users set or change their password, through the forms, `createsuperuser` and `validate_password()`.',
      example: 'AUTH_PASSWORD_VALIDATORS = []',
      instead: "AUTH_PASSWORD_VALIDATORS = [\n    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},\n    {\n        'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator',\n        'OPTIONS': {'min_length': 12},\n    },\n    {'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'},\n    {'NAME': 'django.contrib.auth.password_validation.NumericPasswordValidator'},\n]",
      fixSafety: "Unsafe: sets AUTH_PASSWORD_VALIDATORS to Django's four validators, with a minimum length of 12 (the `passwordMinLength` threshold): passwords set or changed from now on (sign-up, password change, `createsuperuser`, test fixtures) must pass them. Existing passwords keep working. API serializers that set passwords must call `validate_password()` themselves.",
      references: [
        'https://docs.djangoproject.com/en/stable/topics/auth/passwords/#module-django.contrib.auth.password_validation',
        'https://docs.djangoproject.com/en/stable/ref/settings/#auth-password-validators',
        'https://pages.nist.gov/800-63-4/sp800-63b.html',
      ],
    },
  },
  checkSettings(ctx) {
    // no django.contrib.auth (python-getting-started): nobody has a password to validate
    const apps = ctx.setting('INSTALLED_APPS');
    if (apps && listFullyKnown(apps.value) && !ctx.installedApps.includes('django.contrib.auth')) {
      return ctx.notApplicable('The project does not use Django accounts (django.contrib.auth is not installed).');
    }
    const b = ctx.setting('AUTH_PASSWORD_VALIDATORS');
    const min = ctx.thresholds.passwordMinLength;
    const fixes: FixSpec[] = [{ title: `Add Django's four password validators (minimum length ${min})`, applicability: 'unsafe', edits: ctx.setSettingEdits('AUTH_PASSWORD_VALIDATORS', validatorsSrc(ctx.editor, min)) }];
    if (!b) {
      ctx.report({ at: ctx.missingAt(), message: 'AUTH_PASSWORD_VALIDATORS is not set (Django defaults to none): any password is accepted, even "1"', fixes });
      return;
    }
    if (!isSequence(b.value)) return ctx.notChecked(unreadable('AUTH_PASSWORD_VALIDATORS', b.value));
    if (b.value.items.length > 0) return;
    ctx.report({ at: ctx.bindingAt(b), message: `AUTH_PASSWORD_VALIDATORS is empty${b.conditional ? ' (in a branch that may run)' : ''}: any password is accepted, even "1"`, fixes });
  },
});
