import { defineRule, dictGet, setDictKeysEdits, unreadable } from '../../server/src/engine';

const PAGE_NUMBER = 'rest_framework.pagination.PageNumberPagination';

export default defineRule({
  meta: {
    code: 'DJR602',
    name: 'drf-no-pagination',
    category: 'api',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '002'],
    message: 'Django REST framework list endpoints are not paginated by default',
    fixTitle: 'Set DEFAULT_PAGINATION_CLASS to PageNumberPagination with PAGE_SIZE 50',
    fix: 'unsafe',
    requires: ['rest_framework'],
    docs: {
      what: "Flags a project using Django REST framework whose production `REST_FRAMEWORK` has no `DEFAULT_PAGINATION_CLASS` (DRF's default is none, so `PAGE_SIZE` alone does nothing), or uses one of DRF's pagination classes without a `PAGE_SIZE` (they do not paginate without one). A missing `REST_FRAMEWORK` counts as DRF's defaults.",
      why: 'An unpaginated list endpoint serialises the whole table on every request: responses grow with the data, memory spikes, and anyone can slow the service down by requesting the largest list repeatedly.',
      example: "REST_FRAMEWORK = {\n    'PAGE_SIZE': 100,\n}",
      instead: "REST_FRAMEWORK = {\n    'DEFAULT_PAGINATION_CLASS': 'rest_framework.pagination.PageNumberPagination',\n    'PAGE_SIZE': 50,\n}",
      fixSafety: "Unsafe: adds `DEFAULT_PAGINATION_CLASS` (PageNumberPagination) and, when absent, `PAGE_SIZE = 50` inside REST_FRAMEWORK, keeping an existing PAGE_SIZE. Every list endpoint's response changes shape (`{count, next, previous, results}` instead of a list) and returns 50 items at most, so API clients break until they follow it; views that must stay unpaginated can set `pagination_class = None`.",
      references: [
        'https://www.django-rest-framework.org/api-guide/pagination/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Denial_of_Service_Cheat_Sheet.html',
      ],
    },
  },
  checkSettings(ctx) {
    const rf = ctx.setting('REST_FRAMEWORK');
    if (rf && rf.value.kind !== 'dict') return ctx.notChecked(unreadable('REST_FRAMEWORK', rf.value));
    const cls = dictGet(rf?.value, 'DEFAULT_PAGINATION_CLASS');
    const size = dictGet(rf?.value, 'PAGE_SIZE');
    const ed = rf ? ctx.editorFor(rf.stmt.module) : ctx.editor;
    const sizeMissing = !size || size.value.kind === 'none';
    const fix = (entries: { keys: string[]; valueSrc: string }[], title: string) => {
      const edits = setDictKeysEdits(ctx, 'REST_FRAMEWORK', entries);
      return edits.length > 0 ? [{ title, applicability: 'unsafe' as const, edits }] : [];
    };
    if (!cls || cls.value.kind === 'none') {
      const entries = [{ keys: ['DEFAULT_PAGINATION_CLASS'], valueSrc: ed.str(PAGE_NUMBER) }];
      if (sizeMissing) entries.push({ keys: ['PAGE_SIZE'], valueSrc: '50' });
      const why = !sizeMissing ? 'PAGE_SIZE is set without DEFAULT_PAGINATION_CLASS, so DRF ignores it' : cls ? 'DEFAULT_PAGINATION_CLASS is None' : rf ? 'REST_FRAMEWORK sets no DEFAULT_PAGINATION_CLASS' : 'REST_FRAMEWORK is not set';
      ctx.report({
        at: cls ? cls.origin : ctx.missingAt('REST_FRAMEWORK'),
        message: `${why}: list endpoints return every row in one response`,
        fixes: fix(entries, sizeMissing ? 'Set DEFAULT_PAGINATION_CLASS to PageNumberPagination with PAGE_SIZE 50' : 'Set DEFAULT_PAGINATION_CLASS to PageNumberPagination'),
      });
      return;
    }
    // DRF's own classes read PAGE_SIZE (LimitOffsetPagination as its default limit): without it they do not paginate.
    if (cls.value.kind === 'str' && /^rest_framework\.pagination\.\w+$/.test(cls.value.value) && sizeMissing) {
      ctx.report({
        at: size ? size.origin : ctx.missingAt('REST_FRAMEWORK'),
        message: `DEFAULT_PAGINATION_CLASS is set but ${size ? 'PAGE_SIZE is None' : 'PAGE_SIZE is not'}: DRF's pagination classes return every row without a page size`,
        fixes: fix([{ keys: ['PAGE_SIZE'], valueSrc: '50' }], 'Set PAGE_SIZE = 50'),
      });
    }
  },
});
