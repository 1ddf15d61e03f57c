import { defineRule, dictGet, isSequence, setDictKeysEdits, stringItems, unreadable } from '../../server/src/engine';

const ANON = 'rest_framework.throttling.AnonRateThrottle';
const USER = 'rest_framework.throttling.UserRateThrottle';

export default defineRule({
  meta: {
    code: 'DJR601',
    name: 'drf-no-throttling',
    category: 'api',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '001', '002', '003', '004'],
    message: 'Django REST framework has no default throttling',
    fixTitle: 'Add anonymous and user rate throttles (100/hour, 1000/hour) to REST_FRAMEWORK',
    fix: 'unsafe',
    requires: ['rest_framework'],
    docs: {
      what: "Flags a project using Django REST framework whose production `REST_FRAMEWORK` sets no `DEFAULT_THROTTLE_CLASSES` (DRF's default is none), an empty list, or DRF's rate throttles without `DEFAULT_THROTTLE_RATES`. A missing `REST_FRAMEWORK` counts as DRF's defaults.",
      why: 'Without throttling a single client can call any endpoint as fast as it likes: brute-force login or token endpoints, scrape every record, or exhaust workers and the database. Per-view throttles are easy to forget on new views; a default covers them all.',
      example: "REST_FRAMEWORK = {\n    'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated'],\n}",
      instead: "REST_FRAMEWORK = {\n    'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated'],\n    'DEFAULT_THROTTLE_CLASSES': [\n        'rest_framework.throttling.AnonRateThrottle',\n        'rest_framework.throttling.UserRateThrottle',\n    ],\n    'DEFAULT_THROTTLE_RATES': {'anon': '100/hour', 'user': '1000/hour'},\n}",
      fixSafety: "Unsafe: adds `DEFAULT_THROTTLE_CLASSES` (anonymous and user rate throttles) and `DEFAULT_THROTTLE_RATES` (100/hour anonymous, 1000/hour per user) inside REST_FRAMEWORK, one fix for both keys: clients above the rates get 429 responses. Adjust the rates to your traffic; throttle counters live in the default cache, so use a shared cache (Redis, Memcached) when several processes serve the API.",
      references: [
        'https://www.django-rest-framework.org/api-guide/throttling/',
        'https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#rate-limiting',
      ],
    },
  },
  checkSettings(ctx) {
    const rf = ctx.setting('REST_FRAMEWORK');
    if (rf && rf.value.kind !== 'dict') return ctx.notChecked(unreadable('REST_FRAMEWORK', rf.value));
    const classes = dictGet(rf?.value, 'DEFAULT_THROTTLE_CLASSES');
    const rates = dictGet(rf?.value, 'DEFAULT_THROTTLE_RATES');
    if (classes && !isSequence(classes.value)) return ctx.notChecked(unreadable('DEFAULT_THROTTLE_CLASSES', classes.value));
    const ed = rf ? ctx.editorFor(rf.stmt.module) : ctx.editor;
    const classesSrc = `[${ed.str(ANON)}, ${ed.str(USER)}]`;
    const rateSrc: Record<string, string> = { anon: ed.str('100/hour'), user: ed.str('1000/hour') };
    const ratesSrc = `{${ed.str('anon')}: ${rateSrc.anon}, ${ed.str('user')}: ${rateSrc.user}}`;
    const ratesValue = rates?.value;
    const noRates = !ratesValue || ratesValue.kind === 'none' || (ratesValue.kind === 'dict' && ratesValue.entries.length === 0);
    const fixes = (entries: { keys: string[]; valueSrc: string }[], title: string) => {
      const edits = setDictKeysEdits(ctx, 'REST_FRAMEWORK', entries);
      return edits.length > 0 ? [{ title, applicability: 'unsafe' as const, edits }] : [];
    };
    if (!classes || (isSequence(classes.value) && classes.value.items.length === 0)) {
      const entries = [{ keys: ['DEFAULT_THROTTLE_CLASSES'], valueSrc: classesSrc }];
      if (noRates) entries.push({ keys: ['DEFAULT_THROTTLE_RATES'], valueSrc: ratesSrc });
      // existing rates: add the scopes the two throttles need, so the quick fix alone is complete
      else if (ratesValue?.kind === 'dict') for (const sc of ['anon', 'user']) if (!dictGet(ratesValue, sc)) entries.push({ keys: ['DEFAULT_THROTTLE_RATES', sc], valueSrc: rateSrc[sc] });
      ctx.report({
        at: classes ? classes.origin : ctx.missingAt('REST_FRAMEWORK'),
        message: `${classes ? 'DEFAULT_THROTTLE_CLASSES is empty' : rf ? 'REST_FRAMEWORK sets no DEFAULT_THROTTLE_CLASSES' : 'REST_FRAMEWORK is not set'}: API requests are not throttled, one client can call any endpoint without limit`,
        fixes: fixes(entries, noRates ? 'Add anonymous and user rate throttles (100/hour, 1000/hour) to REST_FRAMEWORK' : 'Add anonymous and user rate throttles to REST_FRAMEWORK'),
      });
      return;
    }
    // DRF's anon/user rate throttles need a rate for their scope: without one every request
    // fails with ImproperlyConfigured instead of being throttled.
    const scopes = stringItems(classes.value).flatMap(({ value }) => (value === ANON ? ['anon'] : value === USER ? ['user'] : []));
    if (scopes.length === 0) return;
    if (noRates) {
      ctx.report({
        at: rates ? rates.origin : ctx.missingAt('REST_FRAMEWORK'),
        message: `DEFAULT_THROTTLE_CLASSES uses DRF rate throttles but ${rates ? 'DEFAULT_THROTTLE_RATES is empty' : 'DEFAULT_THROTTLE_RATES is not set'}: requests fail with ImproperlyConfigured instead of being throttled`,
        fixes: fixes([{ keys: ['DEFAULT_THROTTLE_RATES'], valueSrc: ratesSrc }], 'Add DEFAULT_THROTTLE_RATES (anon 100/hour, user 1000/hour)'),
      });
      return;
    }
    if (!rates || rates.value.kind !== 'dict') return;
    const missing = [...new Set(scopes)].filter((sc) => !dictGet(rates.value, sc));
    if (missing.length === 0) return;
    ctx.report({
      at: rates.origin,
      message: `DEFAULT_THROTTLE_RATES has no rate for ${missing.map((m) => `'${m}'`).join(' and ')}: requests fail with ImproperlyConfigured instead of being throttled`,
      fixes: fixes(missing.map((sc) => ({ keys: ['DEFAULT_THROTTLE_RATES', sc], valueSrc: rateSrc[sc] })), `Add the missing rate${missing.length > 1 ? 's' : ''} to DEFAULT_THROTTLE_RATES`),
    });
  },
});
