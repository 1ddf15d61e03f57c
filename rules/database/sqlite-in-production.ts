import { defineRule, dictGet, keyName, unreadable, type DictEntry } from '../../server/src/engine';

const SQLITE = /(^|\.)(sqlite3|spatialite)$/;

/** `if 'test' in sys.argv:` / `if TESTING:` style branches: a test-run database, not production. */
function inTestBranch(entry: DictEntry): boolean {
  const { top, node } = entry.origin;
  if (top.ir.t !== 'if') return false;
  const at = node.s;
  const branch = top.ir.branches.find((b) => b.body.some((st) => st.s <= at && at < st.e));
  if (!branch?.test) return false;
  const test = entry.origin.module.text.slice(top.start + branch.test.s, top.start + branch.test.e);
  return /(^|[^a-z])(tests?|testing|pytest)([^a-z]|$)/i.test(test) && !/^\s*not\b/.test(test);
}

export default defineRule({
  meta: {
    code: 'DJR701',
    name: 'sqlite-in-production',
    category: 'database',
    severity: 'error',
    kind: 'settings',
    seeds: ['000', '002', '004'],
    message: 'A production database uses SQLite',
    fix: 'none',
    docs: {
      what: "Flags every entry of the production `DATABASES` whose `ENGINE` is `django.db.backends.sqlite3` (or SpatiaLite): a literal, an environment variable's default, or the default URL of `dj_database_url.config(default='sqlite:///...')` / `env.db(default=...)`.",
      why: 'SQLite locks the whole database for every write, so concurrent requests queue or fail with "database is locked"; the file lives on the application server, so it is lost when a container is replaced, cannot be shared by several servers, and is not backed up or replicated by a database service. A URL default is what runs whenever DATABASE_URL is forgotten: the site then starts on an empty local file.',
      example: "DATABASES = {\n    'default': dj_database_url.config(default='sqlite:///' + str(BASE_DIR / 'db.sqlite3')),\n}",
      instead: "DATABASES = {\n    'default': dj_database_url.config(conn_max_age=60, conn_health_checks=True, ssl_require=True),\n}\n# DATABASE_URL=postgres://user:password@db.example.com:5432/app",
      fixSafety: 'No automatic fix: moving to PostgreSQL or MySQL needs a server and a data migration (`dumpdata` / `loaddata`, or a migration tool).',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/databases/#sqlite-notes',
        'https://docs.djangoproject.com/en/stable/ref/settings/#databases',
        'https://www.sqlite.org/whentouse.html',
      ],
    },
  },
  checkSettings(ctx) {
    const dbs = ctx.value('DATABASES');
    if (!dbs) return ctx.notChecked('DATABASES is not set in the production settings.');
    if (dbs.kind !== 'dict') return ctx.notChecked(unreadable('DATABASES', dbs));
    for (const alias of dbs.entries) {
      const name = keyName(alias.key);
      const engine = dictGet(alias.value, 'ENGINE');
      if (!name || !engine || engine.value.kind !== 'str') {
        ctx.notChecked(unreadable(`The ENGINE of DATABASES['${name ?? '?'}']`, engine?.value ?? alias.value));
        continue;
      }
      if (!SQLITE.test(engine.value.value)) continue;
      if (inTestBranch(engine) || inTestBranch(alias)) continue;
      const env = engine.value.env ?? alias.value.env;
      const fromUrl = engine.origin.node.t === 'str' && /^[a-z]+:\/\//i.test(engine.origin.node.v);
      const when = env ? ` when ${env.variable ?? 'the environment variable'} is not set` : '';
      ctx.report({
        at: engine.origin,
        message: `DATABASES['${name}'] uses SQLite${fromUrl ? ' (the default database URL)' : ''}${when}: one writer at a time, a local file lost on redeploy`,
      });
    }
  },
});
