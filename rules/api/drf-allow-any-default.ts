import { defineRule, dictGet, isSequence, originText, setDictKeysEdits, unreadable, type Value } from '../../server/src/engine';

const IS_AUTHENTICATED = 'rest_framework.permissions.IsAuthenticated';

/** `'rest_framework.permissions.AllowAny'`, or a class reference such as `permissions.AllowAny`. */
function isAllowAny(v: Value): boolean {
  if (v.kind === 'str') return v.value === 'rest_framework.permissions.AllowAny';
  return v.kind === 'unknown' && /^(?:[\w.]+\.)?AllowAny$/.test(originText(v.origin).trim());
}

export default defineRule({
  meta: {
    code: 'DJR603',
    name: 'drf-allow-any-default',
    category: 'api',
    severity: 'warning',
    kind: 'settings',
    seeds: ['001', '004'],
    message: 'Django REST framework views are public unless they say otherwise (AllowAny default)',
    fixTitle: 'Set DEFAULT_PERMISSION_CLASSES to IsAuthenticated',
    fix: 'unsafe',
    requires: ['rest_framework'],
    docs: {
      what: "Flags a project using Django REST framework whose production `REST_FRAMEWORK` has no `DEFAULT_PERMISSION_CLASSES` (DRF's default is `AllowAny`), an empty list, or only `AllowAny`. A missing `REST_FRAMEWORK` counts as DRF's defaults.",
      why: 'With AllowAny as the default every view that forgets `permission_classes` is open to anonymous users, including new views added later. A deny-by-default setting makes the public endpoints the explicit exception.',
      example: "REST_FRAMEWORK = {\n    'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.AllowAny'],\n}",
      instead: "REST_FRAMEWORK = {\n    'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated'],\n}\n\n# and on the views that must stay public:\n# permission_classes = [AllowAny]",
      fixSafety: 'Unsafe: every view without its own `permission_classes` starts answering 401/403 to anonymous requests, including login, registration and health-check endpoints that relied on the default. Mark those views `permission_classes = [AllowAny]` before applying it.',
      references: [
        'https://www.django-rest-framework.org/api-guide/permissions/#setting-the-permission-policy',
        'https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/',
      ],
    },
  },
  checkSettings(ctx) {
    const rf = ctx.setting('REST_FRAMEWORK');
    if (rf && rf.value.kind !== 'dict') return ctx.notChecked(unreadable('REST_FRAMEWORK', rf.value));
    const perms = dictGet(rf?.value, 'DEFAULT_PERMISSION_CLASSES');
    let why: string;
    if (!perms) why = rf ? 'REST_FRAMEWORK sets no DEFAULT_PERMISSION_CLASSES, so DRF defaults to AllowAny' : 'REST_FRAMEWORK is not set, so DRF defaults to AllowAny';
    else if (!isSequence(perms.value)) return ctx.notChecked(unreadable('DEFAULT_PERMISSION_CLASSES', perms.value));
    else if (perms.value.items.length === 0) why = 'DEFAULT_PERMISSION_CLASSES is empty';
    else if (perms.value.items.every(isAllowAny)) why = 'DEFAULT_PERMISSION_CLASSES is AllowAny';
    else return;
    const ed = rf ? ctx.editorFor(rf.stmt.module) : ctx.editor;
    const edits = setDictKeysEdits(ctx, 'REST_FRAMEWORK', [{ keys: ['DEFAULT_PERMISSION_CLASSES'], valueSrc: `[${ed.str(IS_AUTHENTICATED)}]` }]);
    ctx.report({
      at: perms ? perms.origin : ctx.missingAt('REST_FRAMEWORK'),
      message: `${why}${perms?.value.env ? ` (the default of ${perms.value.env.variable ?? 'an environment variable'})` : ''}: every view without permission_classes is open to anonymous users`,
      fixes: edits.length > 0 ? [{ title: 'Set DEFAULT_PERMISSION_CLASSES to IsAuthenticated (views that must stay public need permission_classes = [AllowAny])', applicability: 'unsafe', edits }] : [],
    });
  },
});
