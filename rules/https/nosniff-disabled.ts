import { defineRule, requireTrue, securityMiddlewareActive } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR308',
    name: 'nosniff-disabled',
    category: 'https',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '004'],
    django: 'W006',
    message: 'SECURE_CONTENT_TYPE_NOSNIFF is off',
    fixTitle: 'Set SECURE_CONTENT_TYPE_NOSNIFF = True',
    fix: 'unsafe',
    docs: {
      what: 'Flags production settings that set `SECURE_CONTENT_TYPE_NOSNIFF` to False (or leave it unset on Django before 3.0, whose default was False).',
      why: 'Without `X-Content-Type-Options: nosniff`, browsers may guess a response\'s type and run an uploaded file as script or style, turning uploads into cross-site scripting.',
      example: 'SECURE_CONTENT_TYPE_NOSNIFF = False',
      instead: 'SECURE_CONTENT_TYPE_NOSNIFF = True  # the default since Django 3.0',
      fixSafety: "Unsafe: browsers stop guessing content types (`X-Content-Type-Options: nosniff`): a script or stylesheet served with a wrong Content-Type is refused.",
      references: ['https://docs.djangoproject.com/en/stable/ref/settings/#secure-content-type-nosniff', 'https://developer.mozilla.org/docs/Web/HTTP/Headers/X-Content-Type-Options'],
    },
  },
  checkSettings(ctx) {
    if (!securityMiddlewareActive(ctx)) return;
    requireTrue(ctx, {
      name: 'SECURE_CONTENT_TYPE_NOSNIFF',
      djangoDefault: ctx.djangoVersion[0] >= 3,
      missing: 'SECURE_CONTENT_TYPE_NOSNIFF is not set (False before Django 3.0): responses lack X-Content-Type-Options: nosniff',
      disabled: 'SECURE_CONTENT_TYPE_NOSNIFF is False: responses lack X-Content-Type-Options: nosniff',
    });
  },
});
