import { defineRule, dictGet, keyName, unreadable, type DictEntry, type SettingsContext, type TopStmt } from '../../server/src/engine';

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

/**
 * The environment variables that switch DATABASES away from this SQLite entry: the tests of the
 * `if` branches up to the one that set it (`if "DATABASE_URL" in os.environ: ... else:`), and the
 * tests of later top-level `if`s of the same module that assign DATABASES again (`if
 * os.getenv("DB") == "postgres": DATABASES = ...`). The production value of such a test is the
 * one with the variable unset, so SQLite is what runs "when X is not set".
 */
function switchVariables(ctx: SettingsContext, entry: DictEntry): string[] {
  const { module, top, node } = entry.origin;
  const names = new Set<string>();
  const sites = ctx.envLookups().filter((s) => s.module === module);
  const readIn = (t: TopStmt, test: { s: number; e: number }) => {
    for (const s of sites) if (s.top === t && s.node.s >= test.s && s.node.e <= test.e) names.add(s.variable);
    const text = module.text.slice(t.start + test.s, t.start + test.e);
    // `"DATABASE_URL" in os.environ` (a presence test, not a lookup)
    for (const m of text.matchAll(/["'](\w+)["']\s+(?:not\s+)?in\s+(?:os\.)?environ\b/g)) names.add(m[1]);
    // a name bound to an environment lookup: `LD_DB_ENGINE = os.getenv("LD_DB_ENGINE", "sqlite")`
    for (const m of text.matchAll(/\b[A-Za-z_]\w*\b/g)) {
      const v = ctx.value(m[0]);
      if (v?.env?.variable) names.add(v.env.variable);
    }
  };
  if (top.ir.t === 'if') {
    for (const b of top.ir.branches) {
      if (b.test) readIn(top, b.test);
      if (b.body.some((st) => st.s <= node.s && node.s < st.e)) break;
    }
  }
  for (const t of module.stmts) {
    if (t.start <= top.start || t.ir.t !== 'if') continue;
    const assigns = t.ir.branches.some((b) => b.body.some((st) => /^\s*DATABASES\b/.test(module.text.slice(t.start + st.s, t.start + st.e))));
    if (assigns) for (const b of t.ir.branches) if (b.test) readIn(t, b.test);
  }
  return [...names];
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
      what: "Flags every entry of the production `DATABASES` whose `ENGINE` is `django.db.backends.sqlite3` (or SpatiaLite): a literal, an environment variable's default, or the default URL of `dj_database_url.config(default='sqlite:///...')` / `env.db(default=...)`. When an environment switch decides it (`if 'DATABASE_URL' in os.environ: ... else: <SQLite>`, or a later `if os.getenv('DB') == 'postgres': DATABASES = ...`), the message says SQLite runs \"when DATABASE_URL is not set\": the production value of a variable nobody sets.",
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
      // SQLite from an environment lookup's default, or kept because an environment switch
      // (`if "DATABASE_URL" in os.environ:`) is off when its variables are not set
      const vars = env ? [env.variable ?? 'the environment variable'] : switchVariables(ctx, engine);
      const when = vars.length > 0 ? ` when ${vars.join(' and ')} ${vars.length === 1 ? 'is' : 'are'} not set` : '';
      ctx.report({
        at: engine.origin,
        message: `DATABASES['${name}'] uses SQLite${fromUrl ? ' (the default database URL)' : ''}${when}: one writer at a time, a local file lost on redeploy`,
      });
    }
  },
});
