import type { Node } from 'web-tree-sitter';
import { field, builtString, callArgs, Constants, defineRule, isClassConstant, isImportedClassLiteral, isForeignKeyId, isModelMetaAttribute, isPrimaryKeyAttribute, isSettingsAttribute, codeSnippet, TrustAnalysis, type TrustPolicy, exprDottedName, lastName, fStringInfo, plainStringInfo, plainText, unescapeFBraces, unparen, type BuiltString, type FileContext, type FixSpec } from '../../server/src/engine';

const EXECUTE = new Set(['execute', 'executemany', 'executescript']);
/** The callee names sqlArguments looks at (any other call is not a database call). */
const SQL_CALLS = new Set([...EXECUTE, 'RawSQL', 'raw', 'extra']);
const SQL_WORDS = /\b(select|insert|update|delete|from|where|into|values|create|drop|alter|truncate|join|order\s+by|group\s+by|union|pragma|grant)\b/i;

/** The SQL argument(s) of a database call, if `call` is one. */
function sqlArguments(call: Node): { api: string; args: Node[]; paramsGiven: boolean; cursorLike: boolean } | undefined {
  const fn = field(call, 'function');
  const name = lastName(fn);
  if (!fn || !name || !SQL_CALLS.has(name)) return undefined;
  const { positional, keywords } = callArgs(call);
  if (name === 'RawSQL') {
    const sql = positional[0] ?? keywords.get('sql');
    return sql ? { api: 'RawSQL()', args: [sql], paramsGiven: true, cursorLike: true } : undefined;
  }
  if (fn.type !== 'attribute') return undefined;
  const receiver = exprDottedName(field(fn, 'object') ?? fn) ?? '';
  if (EXECUTE.has(name)) {
    const sql = positional[0] ?? keywords.get('sql') ?? keywords.get('operation');
    const cursorLike = /(^|\.|_)(cursor|cur|c|conn|connection|db)(\(\))?$/i.test(receiver);
    return sql ? { api: `.${name}()`, args: [sql], paramsGiven: positional.length > 1 || keywords.has('params') || keywords.has('seq_of_params'), cursorLike } : undefined;
  }
  if (name === 'raw') {
    const sql = positional[0] ?? keywords.get('raw_query');
    return sql ? { api: '.raw()', args: [sql], paramsGiven: positional.length > 1 || keywords.has('params'), cursorLike: /objects|manager|\)$/i.test(receiver) } : undefined;
  }
  if (name === 'extra') {
    const args: Node[] = [];
    for (const key of ['where', 'tables', 'order_by']) {
      const v = keywords.get(key);
      if (v && (v.type === 'list' || v.type === 'tuple')) args.push(...v.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment'));
    }
    const select = keywords.get('select');
    if (select?.type === 'dictionary') {
      for (const pair of select.namedChildren) {
        const value = pair?.type === 'pair' ? field(pair, 'value') : null;
        if (value) args.push(value);
      }
    }
    return args.length > 0 ? { api: '.extra()', args, paramsGiven: true, cursorLike: true } : undefined;
  }
  return undefined;
}

/** What is before a placeholder allows a bound parameter there (a value, not an identifier). */
function valuePosition(before: string): boolean {
  return /(=|<>|<|>|\b(like|ilike|in|is|limit|offset|values|between|and)\s*\(?|[(,])\s*$/i.test(before);
}

/**
 * `cursor.execute(f"... WHERE id = {pk}")` -> `cursor.execute("... WHERE id = %s", [pk])` when the
 * f-string is the argument itself, no parameters are passed yet, every interpolation is a plain
 * value in a value position (`= {x}` or `= '{x}'`), and the SQL has no other `{`/`%` trap.
 */
function fStringFix(ctx: FileContext, arg: Node, trust: TrustAnalysis): FixSpec | undefined {
  const info = fStringInfo(arg);
  if (!info) return undefined;
  const q = info.quote;
  let sql = '';
  const params: string[] = [];
  for (let i = 0; i < info.pieces.length; i++) {
    const p = info.pieces[i];
    if (p.kind === 'text') {
      sql += unescapeFBraces(p.raw).replace(/%/g, '%%');
      continue;
    }
    if (!p.plain) return undefined;
    const next = info.pieces[i + 1];
    // '{x}' -> %s (the driver quotes the value)
    if (sql.endsWith("'") && next?.kind === 'text' && next.raw.startsWith("'")) {
      sql = sql.slice(0, -1);
      info.pieces[i + 1] = { kind: 'text', raw: next.raw.slice(1) };
    } else if (/['"]$/.test(sql)) return undefined; // inside a quoted literal ('%{term}%'): no simple rewrite
    if (!valuePosition(sql)) return undefined;
    sql += '%s';
    // a trusted piece (a table name, the compiler's SQL) is SQL text, not a value: no simple rewrite
    if (trust.trusted(p.expr)) return undefined;
    params.push(p.expr.text);
  }
  if (params.length === 0) return undefined;
  const prefix = info.prefix.replace('f', '');
  const ed = ctx.editor;
  return {
    title: `Pass the values as query parameters (${params.length === 1 ? 'one %s placeholder' : `${params.length} %s placeholders`})`,
    applicability: 'unsafe',
    edits: [ed.replace(arg.startIndex, arg.endIndex, `${prefix}${q}${sql}${q}, [${params.join(', ')}]`)],
  };
}

/** `"... = '%s'" % x` -> `"... = %s", [x]` when the placeholders are all %s/%d in value positions. */
function percentFix(ctx: FileContext, arg: Node, trust: TrustAnalysis): FixSpec | undefined {
  const u = unparen(arg);
  if (u.type !== 'binary_operator' || field(u, 'operator')?.type !== '%') return undefined;
  const left = field(u, 'left');
  const right = field(u, 'right');
  const info = plainStringInfo(left);
  if (!info || !right || info.pieces.length !== 1) return undefined;
  const raw = plainText(info);
  let values: string[];
  const r = unparen(right);
  const valueNodes = r.type === 'tuple' ? r.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [r];
  if (valueNodes.some((v) => trust.trusted(v))) return undefined;
  if (r.type === 'tuple') values = valueNodes.map((c) => c.text);
  else if (r.type === 'dictionary' || r.type === 'list_splat') return undefined;
  else values = [r.text];
  // placeholders: %s, %d, %i (%% is a literal percent sign and stays as it is)
  let sql = '';
  let count = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '%') {
      sql += c;
      continue;
    }
    const k = raw[i + 1];
    if (k === '%') {
      sql += '%%';
      i++;
      continue;
    }
    if (k !== 's' && k !== 'd' && k !== 'i') return undefined;
    const quotedBefore = sql.endsWith("'");
    const quotedAfter = raw[i + 2] === "'";
    if (quotedBefore !== quotedAfter) return undefined; // inside a quoted literal: no simple rewrite
    if (quotedBefore) sql = sql.slice(0, -1);
    if (!valuePosition(sql)) return undefined;
    sql += '%s';
    count++;
    i += quotedAfter ? 2 : 1;
  }
  if (count === 0 || count !== values.length) return undefined;
  const ed = ctx.editor;
  return {
    title: `Pass the values as query parameters (${count === 1 ? 'one %s placeholder' : `${count} %s placeholders`})`,
    applicability: 'unsafe',
    edits: [ed.replace(arg.startIndex, arg.endIndex, `${info.prefix}${info.quote}${sql}${info.quote}, [${values.join(', ')}]`)],
  };
}

/** Methods of the ORM's compilers that return `(sql, params)`: the SQL text is Django's own. */
const COMPILED = new Set(['as_sql', 'sql_with_params', 'compile']);
/** Attributes that name schema objects the model classes declare. */
const SCHEMA_ATTRIBUTES = new Set(['db_table', 'column', 'attname', 'db_column', 'db_tablespace']);

/** What may be spliced into SQL text without being a parameter. */
/** What may be spliced into SQL text, for one file (imported constants are read from their module). */
export function sqlTrust(ctx?: Pick<FileContext, 'projectSource'>): TrustPolicy {
  return {
    // psycopg's sql module composes identifiers and literals safely
    call: (q) => !!q && /^psycopg2?\.sql\./.test(q),
    // connection.ops.quote_name(x): an identifier quoted (trusted when x is)
    passThrough: (_q, call) => lastName(field(call, 'function')) === 'quote_name',
    attribute: (attr, model) => isModelMetaAttribute(attr) || isSettingsAttribute(attr, model) || isPrimaryKeyAttribute(attr) || isForeignKeyId(attr, model) || isClassConstant(attr, model) || isImportedClassLiteral(attr, model, ctx?.projectSource) || SCHEMA_ATTRIBUTES.has(field(attr, 'attribute')?.text ?? ''),
    element: (call, index) => index === 0 && COMPILED.has(lastName(field(call, 'function')) ?? ''),
    imported: (q) => ctx?.projectSource.constantString(q) !== undefined,
  };
}

function describe(b: BuiltString, ctx: FileContext): string {
  const where = b.via ? ` (built on line ${ctx.nodeRange(b.via).start.line + 1})` : '';
  return `${b.how}${where}`;
}

export default defineRule({
  meta: {
    code: 'DJR606',
    name: 'sql-built-with-formatting',
    category: 'api',
    severity: 'error',
    kind: 'code',
    seeds: ['001', '004'],
    message: 'SQL is built with string formatting (SQL injection)',
    fixTitle: 'Pass the values as query parameters',
    fix: 'unsafe',
    docs: {
      what: "Flags raw SQL given to `cursor.execute()` / `executemany()`, `Manager.raw()`, `QuerySet.extra()` and `RawSQL()` that is built at run time with an f-string, `%` formatting, `.format()` or `+` concatenation, directly or through a local variable. It stays silent when every interpolated piece is proven harmless: a literal or a name only ever assigned literals (followed through assignments, `+=`, loops over constant lists, and helper functions of the same file called with constants), a model's `_meta` (`Model._meta.db_table`, `field.column`), a primary key (`obj.pk`, `obj.id`), a class constant (`Status.ACTIVE.value`, or a member a class of another project module sets once to a literal: `NotifyLevel.none`), a setting, a value checked against an allow-list first (`if key not in ALLOWED: raise`, or used inside `if key in ALLOWED:`), or the SQL text the ORM's compiler produced (`sql, params = qs.query.sql_with_params()`, `where.as_sql(compiler, connection)[0]`; the parameters still go separately). Parameterised calls (`cursor.execute(sql, [value])`) are fine. The message names the first piece it could not prove harmless.",
      why: 'A value spliced into SQL text is SQL: a name like `x\' OR \'1\'=\'1` or `1; DROP TABLE ...` changes the query. Database drivers bind parameters separately from the SQL text, so passing values as parameters makes injection impossible, whatever the value.',
      example: "def search(request):\n    term = request.GET['q']\n    with connection.cursor() as cursor:\n        cursor.execute(f\"SELECT id FROM shop_product WHERE name = '{term}'\")",
      instead: "def search(request):\n    term = request.GET['q']\n    with connection.cursor() as cursor:\n        cursor.execute(\"SELECT id FROM shop_product WHERE name = %s\", [term])",
      fixSafety: "Unsafe, offered only where the shape allows it: an f-string or `'...' % values` passed directly, with no parameters yet, every interpolated piece a value (none of the harmless pieces above, which are SQL text and stay where they are: then no fix is offered) in a value position (`= {x}`, `= '{x}'`, `IN ({x})`...). The placeholders become `%s`, the quotes around them go (the driver quotes values), literal `%` become `%%`. Review it: a value used as an identifier (a table or column name) cannot be a parameter, and `LIKE '%{x}%'` needs the wildcards in the value (`[f'%{x}%']`). Identifiers must be validated against an allow-list instead.",
      references: [
        'https://docs.djangoproject.com/en/stable/topics/db/sql/',
        'https://docs.djangoproject.com/en/stable/topics/security/#sql-injection-protection',
        'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html',
      ],
    },
  },
  prefilter: /\b(?:execute|executemany|executescript|raw|extra|RawSQL)\s*\(/,
  create(ctx) {
    let constants: Constants | undefined;
    let trust: TrustAnalysis | undefined;
    const visit = (call: Node): void => {
      const target = sqlArguments(call);
      if (!target) return;
      constants ??= new Constants(ctx.tree.rootNode);
      for (const arg of target.args) {
        const b = builtString(arg, constants, call);
        if (!b) continue;
        // outside cursors and managers, `.execute()`/`.raw()` must at least look like SQL
        if (!target.cursorLike && !SQL_WORDS.test(b.literalText)) continue;
        // every piece is a constant, a model's _meta, a primary key or the ORM compiler's own SQL
        trust ??= new TrustAnalysis(ctx.semantic, sqlTrust(ctx));
        if (trust.trusted(arg)) continue;
        const fixes: FixSpec[] = [];
        if (!target.paramsGiven && target.args.length === 1 && target.api !== '.extra()') {
          const fix = b.via ? undefined : (fStringFix(ctx, arg, trust) ?? percentFix(ctx, arg, trust));
          if (fix) fixes.push(fix);
        }
        const piece = trust.untrustedPieces(arg)[0];
        const from = piece && piece.text !== unparen(arg).text ? ` from \`${codeSnippet(piece)}\`` : '';
        ctx.report({
          at: { file: ctx.file.path, range: ctx.nodeRange(arg) },
          message: `SQL passed to ${target.api} is built with ${describe(b, ctx)}${from}: a crafted value can change the query (SQL injection); pass values as query parameters`,
          fixes,
        });
      }
    };
    return { call: visit };
  },
});
