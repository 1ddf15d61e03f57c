import { defineRule, unreadable } from '../../server/src/engine';

const NON_DELIVERING: Record<string, string> = {
  console: 'prints messages to the console',
  locmem: 'keeps messages in memory',
  dummy: 'discards messages',
  filebased: 'writes messages to files',
};

export default defineRule({
  meta: {
    code: 'DJR803',
    name: 'email-console-backend',
    category: 'logging',
    severity: 'warning',
    kind: 'settings',
    seeds: ['003', '004'],
    message: 'EMAIL_BACKEND does not send e-mail in production',
    fix: 'none',
    docs: {
      what: "Flags a production `EMAIL_BACKEND` that is one of Django's development backends: `console`, `locmem`, `dummy` or `filebased` (`django.core.mail.backends.<name>.EmailBackend`), including as the default of an environment lookup.",
      why: 'These backends never deliver: password-reset and verification e-mails, notifications and the error reports sent to ADMINS silently go to stdout, memory, nowhere or a local file. Users cannot recover their accounts and nobody notices until they complain.',
      example: "EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'",
      instead: "EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'  # or a provider's backend (django-anymail)\nEMAIL_HOST = os.environ['EMAIL_HOST']\nEMAIL_HOST_USER = os.environ['EMAIL_HOST_USER']\nEMAIL_HOST_PASSWORD = os.environ['EMAIL_HOST_PASSWORD']\nEMAIL_USE_TLS = True",
      fixSafety: 'No automatic fix: a real backend needs a mail server or provider and its credentials.',
      references: [
        'https://docs.djangoproject.com/en/stable/topics/email/#email-backends',
        'https://docs.djangoproject.com/en/stable/ref/settings/#email-backend',
      ],
    },
  },
  checkSettings(ctx) {
    const b = ctx.setting('EMAIL_BACKEND');
    if (!b) return; // Django's default is SMTP
    if (b.value.kind !== 'str') return ctx.notChecked(unreadable('EMAIL_BACKEND', b.value));
    const m = /^django\.core\.mail\.backends\.(console|locmem|dummy|filebased)\.EmailBackend$/.exec(b.value.value.trim());
    if (!m) return;
    const env = b.value.env;
    ctx.report({
      at: ctx.bindingAt(b),
      message: `EMAIL_BACKEND is the ${m[1]} backend${env ? ` (the default of ${env.variable ?? 'an environment variable'})` : ''}${b.conditional ? ' (in a branch that may run)' : ''}: it ${NON_DELIVERING[m[1]]}, so password resets and error reports are never delivered`,
    });
  },
});
