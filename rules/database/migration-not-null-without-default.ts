import type { Node } from 'web-tree-sitter';
import * as path from 'node:path';
import { callArgs, defineRule, dottedCall, field as fieldOf, mayBeNamed, scanCalls, stringContent, unparen, unwrap, type FileContext, type SemanticModel, type TextCall } from '../../server/src/engine';

/** Django's own model fields (a third-party field may fill existing rows itself: not judged). */
const DJANGO_FIELD = /^django\.(db\.models|contrib\.postgres\.fields|contrib\.gis\.db\.models)(\.fields(\.\w+)?)?\.(\w+)$/;
/** Fields whose column is filled for existing rows, that allow NULL by themselves, or that have no column. */
const NO_PROBLEM = new Set(['ManyToManyField', 'GeneratedField', 'AutoField', 'BigAutoField', 'SmallAutoField', 'NullBooleanField']);
/** Fields for which a blank=True field gets '' in existing rows (Django's effective default). */
const EMPTY_STRING = new Set(['CharField', 'TextField', 'SlugField', 'EmailField', 'URLField', 'FilePathField', 'FileField', 'ImageField', 'CommaSeparatedIntegerField', 'BinaryField', 'CICharField', 'CITextField', 'CIEmailField']);

/** `migrations.AddField` / `CreateModel` through the imports. */
function operationOf(q: string | undefined): string | undefined {
  const m = q ? /^django\.db\.migrations(?:\.operations(?:\.(?:fields|models))?)?\.(AddField|CreateModel)$/.exec(q) : null;
  return m?.[1];
}

const ADD_FIELD: ReadonlySet<string> = new Set(['AddField']);
const CREATE_MODEL_NAME: ReadonlySet<string> = new Set(['CreateModel']);
const SEPARATE: ReadonlySet<string> = new Set(['SeparateDatabaseAndState']);

const ADD_FIELD_TEXT = /\bAddField\b/;
const DATE_FIELDS = new Set(['DateTimeField', 'DateField', 'TimeField']);

/**
 * An AddField call read from the text that this rule can report: its field is built in the call
 * (`field=models.X(...)`) without null=True, a default, db_default or primary_key=True (and, for
 * `models.X`, where X is the class name, not one of the fields that are no problem).
 */
function mayAddNotNull(c: TextCall): boolean {
  if (c.args.some((a) => a.splat)) return false;
  const field = c.args.filter((a) => a.keyword === 'field').at(-1) ?? c.args.filter((a) => !a.keyword)[2];
  if (!field) return false;
  const call = dottedCall(field.value);
  if (call === undefined) return false;
  if (call === 'other') return true;
  if (call.args.some((a) => a.splat)) return false;
  const kw = new Map<string, string>();
  for (const a of call.args) if (a.keyword) kw.set(a.keyword, unwrap(a.value));
  if (kw.get('null') === 'True' || kw.has('default') || kw.has('db_default') || kw.get('primary_key') === 'True') return false;
  // `models.CharField`: the class is the attribute (a bare name may be an alias of anything)
  if (call.dotted) {
    const cls = call.name;
    if (NO_PROBLEM.has(cls)) return false;
    if (kw.get('blank') === 'True' && EMPTY_STRING.has(cls)) return false;
    if (DATE_FIELDS.has(cls) && (kw.get('auto_now') === 'True' || kw.get('auto_now_add') === 'True')) return false;
  }
  return true;
}

const isTrue = (n: Node | undefined) => !!n && unparen(n).type === 'true';

/** Model names (lower case) created by CreateModel in this migration. */
function createdHere(root: Node, model: SemanticModel): Set<string> {
  const out = new Set<string>();
  for (const c of root.descendantsOfType('call')) {
    if (!c) continue;
    const fn = fieldOf(c, 'function');
    if (!mayBeNamed(fn, CREATE_MODEL_NAME) || operationOf(model.qualifiedName(fn)) !== 'CreateModel') continue;
    const { positional, keywords } = callArgs(c);
    const name = keywords.get('name') ?? positional[0];
    const s = name ? stringContent(name) : undefined;
    if (s) out.add(s.toLowerCase());
  }
  return out;
}

/**
 * An initial migration (`initial = True`) or a squashed one (`replaces = [...]`) only ever runs on
 * a database without the app's tables: on an existing one, the migrations it replaces, or the
 * tables it creates, are already there.
 */
function runsOnFreshDatabase(model: SemanticModel): boolean {
  const cls = model.module.bindings.get('Migration')?.find((b) => b.kind === 'class');
  const scope = cls ? model.scopeFor(cls.node) : undefined;
  if (!scope) return false;
  const initial = scope.bindings.get('initial')?.some((b) => b.value && unparen(b.value).type === 'true');
  return !!initial || scope.bindings.has('replaces');
}

/**
 * Inside `SeparateDatabaseAndState(state_operations=[...])` (keyword or second positional
 * argument): the operation changes Django's model state only, the database is changed by the
 * `database_operations` next to it (archivebox adds a column with RunSQL and records the field there).
 */
function stateOnly(call: Node, model: SemanticModel): boolean {
  for (let n: Node | null = call.parent; n; n = n.parent) {
    if (n.type !== 'list' && n.type !== 'tuple') continue;
    const holder = n.parent?.type === 'keyword_argument' ? n.parent : n;
    const args = holder.parent;
    const op = args?.type === 'argument_list' ? args.parent : null;
    if (!op || op.type !== 'call') continue;
    const fn = fieldOf(op, 'function');
    if (!mayBeNamed(fn, SEPARATE) || !/(^|\.)SeparateDatabaseAndState$/.test(model.qualifiedName(fn) ?? '')) continue;
    if (holder.type === 'keyword_argument') return holder.childForFieldName('name')?.text === 'state_operations';
    const positional = args?.namedChildren.filter((c) => c && c.type !== 'keyword_argument' && c.type !== 'comment') ?? [];
    return positional[1]?.id === n.id;
  }
  return false;
}

const CREATE_MODEL = /CreateModel\(/g;

/** Models created unmanaged (`options={"managed": False}`) by the migrations of this app: AddField changes no table. */
function unmanagedModels(ctx: FileContext): Set<string> {
  const out = new Set<string>();
  const dir = path.dirname(ctx.file.path);
  for (const e of ctx.fs.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith('.py')) continue;
    const text = ctx.fs.readFile(path.join(dir, e.name));
    if (!text || !text.includes('managed')) continue;
    const starts: number[] = [];
    CREATE_MODEL.lastIndex = 0;
    for (let m = CREATE_MODEL.exec(text); m; m = CREATE_MODEL.exec(text)) starts.push(m.index);
    starts.forEach((start, i) => {
      const block = text.slice(start, starts[i + 1] ?? text.length);
      const name = /\bname\s*=\s*["']([\w]+)["']/.exec(block)?.[1] ?? /CreateModel\(\s*["']([\w]+)["']/.exec(block)?.[1];
      if (name && /["']managed["']\s*:\s*False/.test(block)) out.add(name.toLowerCase());
    });
  }
  return out;
}

export default defineRule({
  meta: {
    code: 'DJR712',
    name: 'migration-not-null-without-default',
    category: 'database',
    severity: 'warning',
    kind: 'code',
    seeds: ['000', '004'],
    message: 'A migration adds a NOT NULL column without a default to an existing table',
    fix: 'none',
    docs: {
      what: "Flags `migrations.AddField(...)` in migration modules (read as code, never imported) whose field is one of Django's own, not `null=True`, with no `default` or `db_default`, on a model this migration does not create, in a migration that can run on a database with data (not an `initial = True` or squashed `replaces = [...]` migration, which only run where the app's tables are new), and not on an unmanaged model (`managed: False` in its CreateModel, read from the app's migrations), nor in the `state_operations` of `SeparateDatabaseAndState` (they change no table). Fields Django fills for existing rows, or that allow NULL by themselves, are fine: `NullBooleanField`, `blank=True` text fields (they get `''`), `auto_now`/`auto_now_add` dates, auto fields, many-to-many and generated fields. Third-party field classes are not judged (they may fill rows themselves).",
      why: "Adding a NOT NULL column with nothing to put in the rows that already exist fails on a populated table (`column contains null values`), in the middle of a deploy, after the earlier operations of the migration may have run. `makemigrations` asks for a one-off default for this reason; a hand-written or edited migration skips that question.",
      example: "migrations.AddField(\n    model_name='order',\n    name='currency',\n    field=models.CharField(max_length=3),\n)",
      instead: "migrations.AddField(\n    model_name='order',\n    name='currency',\n    field=models.CharField(max_length=3, default='EUR'),\n)\n# or: add it null=True, fill it (RunPython), then make it NOT NULL in a later migration",
      references: [
        'https://docs.djangoproject.com/en/stable/ref/migration-operations/#addfield',
        'https://docs.djangoproject.com/en/stable/howto/writing-migrations/#migrations-that-add-unique-fields',
      ],
    },
  },
  files: 'migrations',
  // an AddField call whose field can be NOT NULL without a default in the text, or a use of the
  // name the text does not tell (an alias, a reference): most added fields are nullable or have one
  prefilter: {
    test(text: string): boolean {
      if (!ADD_FIELD_TEXT.test(text)) return false;
      const scan = scanCalls(text, ADD_FIELD, ADD_FIELD_TEXT);
      return scan.unsure || scan.calls.some(mayAddNotNull);
    },
  },
  create(ctx) {
    const model = ctx.semantic;
    let created: Set<string> | undefined;
    let fresh: boolean | undefined;
    let unmanaged: Set<string> | undefined;
    return {
      call(call) {
        const fn = fieldOf(call, 'function');
        if (!mayBeNamed(fn, ADD_FIELD) || operationOf(model.qualifiedName(fn)) !== 'AddField') return;
        fresh ??= runsOnFreshDatabase(model);
        if (fresh) return;
        if (stateOnly(call, model)) return;
        const { positional, keywords, splat } = callArgs(call);
        if (splat) return;
        const modelName = stringContent(keywords.get('model_name') ?? positional[0]);
        const fieldName = stringContent(keywords.get('name') ?? positional[1]);
        const field = keywords.get('field') ?? positional[2];
        const f = field ? unparen(field) : undefined;
        if (!modelName || f?.type !== 'call') return;
        const m = DJANGO_FIELD.exec(model.qualifiedName(f.childForFieldName('function')) ?? '');
        if (!m) return;
        const cls = m[4];
        if (NO_PROBLEM.has(cls)) return;
        const fa = callArgs(f);
        if (fa.splat) return;
        const kw = fa.keywords;
        if (isTrue(kw.get('null')) || kw.has('default') || kw.has('db_default') || isTrue(kw.get('primary_key'))) return;
        if (isTrue(kw.get('blank')) && EMPTY_STRING.has(cls)) return;
        if ((cls === 'DateTimeField' || cls === 'DateField' || cls === 'TimeField') && (isTrue(kw.get('auto_now')) || isTrue(kw.get('auto_now_add')))) return;
        // a model created by this migration has no rows yet
        created ??= createdHere(ctx.tree.rootNode, model);
        if (created.has(modelName.toLowerCase())) return;
        // an unmanaged model's table is not Django's to change
        unmanaged ??= unmanagedModels(ctx);
        if (unmanaged.has(modelName.toLowerCase())) return;
        ctx.reportNode(call, {
          message: `AddField ${modelName}.${fieldName ?? '?'}: a NOT NULL ${cls} without a default; on a table that already has rows the migration fails. Give it a default (or db_default), or add it null=True, fill it, then make it required`,
        });
      },
    };
  },
});
