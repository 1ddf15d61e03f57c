import { defineRule, dictGet, isSequence, type Where } from '../../server/src/engine';

const PER_PROCESS = 'django.core.cache.backends.locmem.LocMemCache';
const DUMMY = 'django.core.cache.backends.dummy.DummyCache';

export default defineRule({
  meta: {
    code: 'DJR614',
    name: 'throttle-per-process-cache',
    category: 'api',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '003'],
    message: 'DRF throttles count in a per-process cache',
    fix: 'none',
    requires: ['rest_framework'],
    docs: {
      what: "Flags production settings where Django REST framework throttling is on (`REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']` not empty) while the `default` cache, where DRF's throttles keep their counters, is Django's per-process memory cache (`LocMemCache`, also what runs when `CACHES` is not set) or the `DummyCache`. A `CACHES` value the analysis cannot read, or one set only under a condition, is not judged.",
      why: "With a per-process cache each worker process (gunicorn workers, several containers) keeps its own counters: a limit of 100 requests per hour becomes 100 per worker, and a client that lands on a fresh process starts from zero, so brute-force protection is weaker than the setting says. With the dummy cache nothing is stored and no request is ever throttled.",
      example: "REST_FRAMEWORK = {\n    'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.UserRateThrottle'],\n    'DEFAULT_THROTTLE_RATES': {'user': '1000/hour'},\n}\n# no CACHES: every process counts alone",
      instead: "CACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n        'LOCATION': os.environ['REDIS_URL'],\n    }\n}",
      fixSafety: 'No automatic fix: a shared cache needs a running Redis or Memcached server and its address.',
      references: ['https://www.django-rest-framework.org/api-guide/throttling/#setting-up-the-cache', 'https://docs.djangoproject.com/en/stable/topics/cache/#local-memory-caching'],
    },
  },
  checkSettings(ctx) {
    const rf = ctx.setting('REST_FRAMEWORK');
    if (!rf || rf.value.kind !== 'dict') return;
    const classes = dictGet(rf.value, 'DEFAULT_THROTTLE_CLASSES');
    if (!classes || !isSequence(classes.value) || classes.value.items.length === 0) return;
    const caches = ctx.setting('CACHES');
    let backend: string;
    let at: Where;
    if (!caches) {
      backend = PER_PROCESS;
      at = classes.origin;
    } else {
      if (caches.conditional || caches.value.kind !== 'dict') return;
      const def = dictGet(caches.value, 'default');
      if (!def || def.value.kind !== 'dict') return;
      const b = dictGet(def.value, 'BACKEND');
      if (!b) {
        backend = PER_PROCESS; // Django's default backend
        at = def.origin;
      } else {
        if (b.value.kind !== 'str' || b.value.fstring) return;
        backend = b.value.value;
        at = b.origin;
      }
    }
    if (backend !== PER_PROCESS && backend !== DUMMY) return;
    const where = caches ? "the default cache is" : 'CACHES is not set, so the default cache is';
    ctx.report({
      at,
      message:
        backend === DUMMY
          ? `DRF throttling is on but ${where} DummyCache: it stores nothing, so no request is ever throttled`
          : `DRF throttling is on but ${where} LocMemCache: each worker process counts alone, so limits are multiplied by the number of processes`,
    });
  },
});
