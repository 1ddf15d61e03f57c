import { defineRule, dictGet, keyName, truthy, unreadable, type Value } from '../../server/src/engine';

const POSTGRES = /postgres|postgis|psycopg|cockroach/i;
const MYSQL = /mysql/i;
const PG_SSL_MODES = new Set(['require', 'verify-ca', 'verify-full']);
const MYSQL_SSL_MODES = new Set(['REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY']);
const LOCAL_HOSTS = new Set(['', 'localhost', '127.0.0.1', '::1']);

/** A database on this machine (literal HOST absent, empty, loopback or a socket path): no network to encrypt. */
function isLocal(db: Value, host: Value | undefined): boolean {
  if (db.env) return false; // a database URL from the environment: production names its own host
  if (!host) return true;
  if (host.kind !== 'str' || host.env) return false;
  return LOCAL_HOSTS.has(host.value.trim()) || host.value.startsWith('/');
}

export default defineRule({
  meta: {
    code: 'DJR703',
    name: 'db-ssl-not-required',
    category: 'database',
    severity: 'info',
    kind: 'settings',
    seeds: ['000', '001'],
    message: 'The database connection does not require SSL',
    fix: 'none',
    docs: {
      what: "Flags each production PostgreSQL or MySQL database on another host whose `OPTIONS` set no SSL requirement: `sslmode` of `require`, `verify-ca` or `verify-full` for PostgreSQL (`ssl_require=True` of `dj_database_url` and `?sslmode=require` in a database URL count); `ssl` or an `ssl_mode` of `REQUIRED`/`VERIFY_CA`/`VERIFY_IDENTITY` for MySQL. Databases with a literal local HOST (absent, empty, localhost, loopback, a socket path; not from a database URL read from the environment) are skipped; an environment lookup is judged by its default.",
      why: "PostgreSQL's default `sslmode=prefer` silently falls back to plaintext, and MySQL clients connect without TLS unless asked. Between the application and a managed or remote database the password and every query and row then cross networks you do not control, readable and alterable by anyone on the path.",
      example: "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'HOST': 'db.example.com',\n        'NAME': 'app',\n    },\n}",
      instead: "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'HOST': 'db.example.com',\n        'NAME': 'app',\n        'OPTIONS': {'sslmode': 'require'},  # verify-full with sslrootcert to also check the server\n    },\n}",
      fixSafety: 'No automatic fix: requiring SSL fails at start-up against a server that does not offer it, and `verify-full` needs the provider\'s CA certificate.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-connection-settings',
        'https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION',
        'https://docs.djangoproject.com/en/stable/ref/databases/#mysql-notes',
      ],
    },
  },
  checkSettings(ctx) {
    const dbs = ctx.value('DATABASES');
    if (!dbs) return ctx.notChecked('DATABASES is not set in the production settings.');
    if (dbs.kind !== 'dict') return ctx.notChecked(unreadable('DATABASES', dbs));
    // databases with no network connection to encrypt (SQLite, on this host): not applicable if all are
    let networked = 0;
    const local: string[] = [];
    for (const db of dbs.entries) {
      const alias = keyName(db.key);
      if (!alias || db.value.kind !== 'dict') {
        ctx.notChecked(unreadable(`DATABASES['${alias ?? '?'}']`, db.value));
        continue;
      }
      const engine = dictGet(db.value, 'ENGINE')?.value;
      if (!engine || engine.kind !== 'str') {
        ctx.notChecked(unreadable(`The ENGINE of DATABASES['${alias}']`, engine));
        continue;
      }
      const pg = POSTGRES.test(engine.value);
      if (!pg && !MYSQL.test(engine.value)) {
        local.push(/sqlite|spatialite/i.test(engine.value) ? `DATABASES['${alias}'] is SQLite, a local file` : `DATABASES['${alias}'] is neither PostgreSQL nor MySQL`);
        continue;
      }
      if (isLocal(db.value, dictGet(db.value, 'HOST')?.value)) {
        local.push(`DATABASES['${alias}'] runs on this host`);
        continue;
      }
      networked++;
      const options = dictGet(db.value, 'OPTIONS');
      if (options && options.value.kind !== 'dict') {
        ctx.notChecked(unreadable(`The OPTIONS of DATABASES['${alias}']`, options.value));
        continue;
      }
      const mode = dictGet(options?.value, pg ? 'sslmode' : 'ssl_mode');
      const mysqlSsl = pg ? undefined : dictGet(options?.value, 'ssl');
      if (mysqlSsl && truthy(mysqlSsl.value) !== false) continue;
      if (mode) {
        const v = mode.value;
        if (v.kind !== 'str') {
          ctx.notChecked(unreadable(`The ${pg ? 'sslmode' : 'ssl_mode'} of DATABASES['${alias}']`, v));
          continue;
        }
        if (pg ? PG_SSL_MODES.has(v.value) : MYSQL_SSL_MODES.has(v.value.toUpperCase())) continue;
        ctx.report({
          at: mode.origin,
          message: `DATABASES['${alias}'] connects with ${pg ? 'sslmode' : 'ssl_mode'} '${v.value}'${v.env ? ` (the default of ${v.env.variable ?? 'an environment variable'})` : ''}: the connection may be unencrypted`,
        });
        continue;
      }
      ctx.report({
        at: options ? options.origin : db.origin,
        message: `DATABASES['${alias}'] (${pg ? 'PostgreSQL' : 'MySQL'}) does not require SSL: ${pg ? "without sslmode 'require' the client falls back to plaintext" : 'MySQL clients connect without TLS unless asked'}`,
      });
    }
    if (networked === 0 && local.length > 0) ctx.notApplicable(`${local.join('; ')}: there is no network connection to encrypt.`);
  },
});
