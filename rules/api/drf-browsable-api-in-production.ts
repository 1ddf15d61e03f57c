import { defineRule, dictGet, isSequence, originText, unreadable } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR604',
    name: 'drf-browsable-api-in-production',
    category: 'api',
    severity: 'info',
    kind: 'settings',
    seeds: ['004'],
    message: "Django REST framework's browsable API is served in production",
    fix: 'none',
    requires: ['rest_framework'],
    docs: {
      what: "Flags a project using Django REST framework whose production renderers include `BrowsableAPIRenderer`: listed in `DEFAULT_RENDERER_CLASSES`, or implied because `DEFAULT_RENDERER_CLASSES` (or `REST_FRAMEWORK`) is absent and DRF's default renderers include it.",
      why: 'The browsable API turns every endpoint into an HTML page with forms: anyone who opens an API URL in a browser sees the endpoint structure, allowed methods and serializer fields, and rendering those pages (with their related-field dropdowns) is much slower than JSON. It is a development convenience; production clients only need JSON.',
      example: "REST_FRAMEWORK = {\n    'DEFAULT_RENDERER_CLASSES': [\n        'rest_framework.renderers.JSONRenderer',\n        'rest_framework.renderers.BrowsableAPIRenderer',\n    ],\n}",
      instead: "REST_FRAMEWORK = {\n    'DEFAULT_RENDERER_CLASSES': ['rest_framework.renderers.JSONRenderer'],\n}\n\n# development settings only:\n# REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'] += ['rest_framework.renderers.BrowsableAPIRenderer']",
      fixSafety: 'No automatic fix: whether the HTML API should stay (an internal admin API, documentation) is a product decision.',
      references: [
        'https://www.django-rest-framework.org/api-guide/renderers/#setting-the-renderers',
        'https://www.django-rest-framework.org/topics/browsable-api/',
      ],
    },
  },
  checkSettings(ctx) {
    const rf = ctx.setting('REST_FRAMEWORK');
    if (rf && rf.value.kind !== 'dict') return ctx.notChecked(unreadable('REST_FRAMEWORK', rf.value));
    const renderers = dictGet(rf?.value, 'DEFAULT_RENDERER_CLASSES');
    if (!renderers) {
      ctx.report({
        at: ctx.missingAt('REST_FRAMEWORK'),
        message: `${rf ? 'REST_FRAMEWORK sets no DEFAULT_RENDERER_CLASSES' : 'REST_FRAMEWORK is not set'}: DRF's defaults include BrowsableAPIRenderer, so every endpoint is also an HTML page with forms`,
      });
      return;
    }
    if (!isSequence(renderers.value)) return ctx.notChecked(unreadable('DEFAULT_RENDERER_CLASSES', renderers.value));
    for (const item of renderers.value.items) {
      const name = item.kind === 'str' ? item.value : item.kind === 'unknown' ? originText(item.origin).trim() : '';
      if (!/(^|\.)BrowsableAPIRenderer$/.test(name)) continue;
      ctx.report({ at: item.origin, message: 'BrowsableAPIRenderer is among the production renderers: every endpoint is also an HTML page with forms' });
    }
  },
});
