import { defineRule, dictGet, keyName, replaceEnvDefault, setDictKeysEdits, truthy, unreadable, type DictEntry, type Edit, type SettingsContext, type Value } from '../../server/src/engine';

const SQLITE = /(^|\.)(sqlite3|spatialite)$/;
const DJ_DATABASE_URL = /^dj_database_url\.(config|parse)$/;

/** The qualified name of a call's callee through the settings' imports (`db_url.config` -> `dj_database_url.config`). */
function calleeOf(ctx: SettingsContext, v: Value): string | undefined {
  const node = v.origin.node;
  if (node.t !== 'call') return undefined;
  const parts: string[] = [];
  let fn = node.fn;
  while (fn.t === 'attr') {
    parts.unshift(fn.name);
    fn = fn.obj;
  }
  if (fn.t !== 'name') return undefined;
  parts.unshift(ctx.scope.aliases.get(fn.id) ?? fn.id);
  return parts.join('.');
}

/** `conn_max_age=60, conn_health_checks=True` on a dj_database_url call (replacing a 0, adding what is missing). */
function kwargEdits(ctx: SettingsContext, v: Value, healthChecks: boolean): Edit[] {
  const { module, top, node } = v.origin;
  if (node.t !== 'call') return [];
  const ed = ctx.editorFor(module);
  const text = module.text;
  const edits: Edit[] = [];
  const add: string[] = [];
  const cma = node.kw.find((k) => k.name === 'conn_max_age');
  if (cma) {
    if (cma.value.t !== 'num') return [];
    edits.push(ed.replaceNode(top, cma.value, '60'));
  } else add.push('conn_max_age=60');
  if (healthChecks && !node.kw.some((k) => k.name === 'conn_health_checks')) add.push('conn_health_checks=True');
  if (add.length === 0) return edits;
  const open = top.start + node.argsSpan.s; // `(`
  const close = top.start + node.argsSpan.e - 1; // `)`
  const args = [...node.args, ...node.kw];
  const lastEnd = args.length ? top.start + Math.max(...args.map((a) => a.e)) : undefined;
  if (lastEnd === undefined) return [...edits, ed.insert(open + 1, add.join(', '))];
  if (!text.slice(open, close).includes('\n')) return [...edits, ed.insert(lastEnd, `, ${add.join(', ')}`)];
  // one argument per line: keep the style
  const lines = module.lines;
  const lastStart = top.start + Math.min(...args.filter((a) => top.start + a.e === lastEnd).map((a) => a.s));
  const indent = ed.indentAt(lastStart);
  const comma = /^[ \t]*,/.test(text.slice(lastEnd, close));
  if (!comma) edits.push(ed.insert(lastEnd, ','));
  const lastLine = lines.positionAt(lastEnd).line;
  if (lines.positionAt(close).line > lastLine) {
    edits.push(ed.insert(lines.lineEnd(lastLine), add.map((a) => `${ed.eol}${indent}${a},`).join('')));
  } else {
    edits.push(ed.insert(close, `${add.map((a) => `${ed.eol}${indent}${a},`).join('')}${ed.eol}${ed.indentAt(open)}`));
  }
  return edits;
}

function fixFor(ctx: SettingsContext, alias: string, db: DictEntry, age: DictEntry | undefined, healthChecks: boolean): Edit[] {
  // CONN_MAX_AGE from the environment with a 0 default: raise the default
  if (age?.value.env) return age.value.env.defaultOrigin ? replaceEnvDefault(ctx, age.value.env, 60) : [];
  // the entry is a dj_database_url.config(...)/parse(...) call: its keyword arguments
  if (DJ_DATABASE_URL.test(calleeOf(ctx, db.value) ?? '')) return kwargEdits(ctx, db.value, healthChecks);
  if (db.value.env?.source === 'dj_database_url') return [];
  const entries = [{ keys: [alias, 'CONN_MAX_AGE'], valueSrc: '60' }];
  if (healthChecks) entries.push({ keys: [alias, 'CONN_HEALTH_CHECKS'], valueSrc: 'True' });
  return setDictKeysEdits(ctx, 'DATABASES', entries);
}

export default defineRule({
  meta: {
    code: 'DJR702',
    name: 'db-connections-not-persistent',
    category: 'database',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000', '002', '003', '004'],
    message: 'Database connections are opened and closed on every request',
    fixTitle: 'Set CONN_MAX_AGE = 60 and CONN_HEALTH_CHECKS = True',
    fix: 'unsafe',
    docs: {
      what: "Flags each production database (except SQLite, see DJR701) whose `CONN_MAX_AGE` is absent or 0 (Django's default: a new connection per request) and that has no connection pool (`OPTIONS['pool']` on Django 5.1+ with psycopg 3, a pooling backend, or `DISABLE_SERVER_SIDE_CURSORS` as used behind PgBouncer). `conn_max_age=` of `dj_database_url.config(...)` counts; an environment lookup is judged by its default.",
      why: 'Opening a database connection costs a TCP (and often TLS) handshake and authentication on every request: added latency, CPU on the database, and under load the server runs out of connection slots. Persistent connections or a pool reuse them.',
      example: "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'app',\n    },\n}",
      instead: "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'app',\n        'CONN_MAX_AGE': 60,\n        'CONN_HEALTH_CHECKS': True,\n    },\n}",
      fixSafety: "Unsafe: adds `CONN_MAX_AGE = 60` and `CONN_HEALTH_CHECKS = True` (Django 4.1+) to the database entry, or `conn_max_age=60, conn_health_checks=True` to a `dj_database_url` call, or raises an environment default of 0 to 60: each worker then keeps up to one connection per database open. Check that the database's connection limit (or a pooler such as PgBouncer in transaction mode) copes with all workers, threads included.",
      references: [
        'https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections',
        'https://docs.djangoproject.com/en/stable/ref/databases/#connection-pool',
        'https://docs.djangoproject.com/en/stable/ref/settings/#conn-max-age',
      ],
    },
  },
  checkSettings(ctx) {
    const dbs = ctx.value('DATABASES');
    if (!dbs) return ctx.notChecked('DATABASES is not set in the production settings.');
    if (dbs.kind !== 'dict') return ctx.notChecked(unreadable('DATABASES', dbs));
    let networked = 0;
    const local: string[] = [];
    const healthChecks = ctx.djangoVersion[0] > 4 || (ctx.djangoVersion[0] === 4 && ctx.djangoVersion[1] >= 1);
    for (const db of dbs.entries) {
      const alias = keyName(db.key);
      if (!alias || db.value.kind !== 'dict') {
        ctx.notChecked(unreadable(`DATABASES['${alias ?? '?'}']`, db.value));
        continue;
      }
      const engine = dictGet(db.value, 'ENGINE')?.value;
      if (engine && engine.kind !== 'str') {
        ctx.notChecked(unreadable(`The ENGINE of DATABASES['${alias}']`, engine));
        continue;
      }
      if (engine && (SQLITE.test(engine.value) || /dummy/i.test(engine.value))) {
        local.push(`DATABASES['${alias}'] is ${SQLITE.test(engine.value) ? 'SQLite, a local file' : 'the dummy backend'}`);
        continue;
      }
      networked++;
      if (engine && /pool/i.test(engine.value)) continue;
      const node = db.value.origin.node;
      if (node.t === 'call' && node.kw.some((k) => !k.name) && DJ_DATABASE_URL.test(calleeOf(ctx, db.value) ?? '')) {
        ctx.notChecked(`DATABASES['${alias}'] passes **kwargs to ${calleeOf(ctx, db.value)}(), which may set conn_max_age.`);
        continue;
      }
      const options = dictGet(db.value, 'OPTIONS')?.value;
      const pool = dictGet(options, 'pool')?.value;
      if (pool && truthy(pool) === undefined) {
        ctx.notChecked(unreadable(`The pool option of DATABASES['${alias}']`, pool));
        continue;
      }
      if (pool && truthy(pool) !== false) continue; // a pool (True or its options)
      const pgbouncer = dictGet(db.value, 'DISABLE_SERVER_SIDE_CURSORS')?.value;
      if (pgbouncer && truthy(pgbouncer) !== false) continue;
      const age = dictGet(db.value, 'CONN_MAX_AGE');
      if (age && age.value.kind === 'unknown') {
        ctx.notChecked(unreadable(`The CONN_MAX_AGE of DATABASES['${alias}']`, age.value));
        continue;
      }
      if (age && !(age.value.kind === 'num' && age.value.value === 0)) continue; // None (unlimited) or a positive age
      const hc = dictGet(db.value, 'CONN_HEALTH_CHECKS');
      const edits = fixFor(ctx, alias, db, age, healthChecks && !hc);
      const env = age?.value.env;
      ctx.report({
        at: age ? age.origin : db.origin,
        message: `DATABASES['${alias}'] ${age ? `has CONN_MAX_AGE = 0${env ? ` (the default of ${env.variable ?? 'an environment variable'})` : ''}` : 'sets no CONN_MAX_AGE'} and no connection pool: a new database connection is opened for every request`,
        fixes: edits.length > 0 ? [{ title: env ? `Default ${env.variable ?? 'CONN_MAX_AGE'} to 60 seconds` : healthChecks && !hc ? 'Set CONN_MAX_AGE = 60 and CONN_HEALTH_CHECKS = True' : 'Set CONN_MAX_AGE = 60', applicability: 'unsafe', edits }] : [],
      });
    }
    if (networked === 0 && local.length > 0) ctx.notApplicable(`${local.join('; ')}: there is no network connection to reuse.`);
  },
});
