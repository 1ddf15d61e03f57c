import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { field, appendArgumentEdit, callArgs, defineRule, mayBeNamed, scanCalls, unparen, unwrap, type FileSystem, type FixSpec, type TextCall } from '../../server/src/engine';

const NUMBERED = /^(\d+)_.*\.py$/;

/**
 * Whether a migration file is its app's most recent one: the highest number of its migrations
 * folder (ties included). A migration without a number (hand-named) counts as recent.
 */
function isLatestMigration(fs: FileSystem, file: string): boolean {
  const own = NUMBERED.exec(path.basename(file));
  if (!own) return true;
  const n = Number(own[1]);
  for (const e of fs.readDir(path.dirname(file))) {
    const m = e.isFile ? NUMBERED.exec(e.name) : null;
    if (m && Number(m[1]) > n) return false;
  }
  return true;
}

/** The operations and the argument that makes each reversible. */
const OPERATIONS: Record<string, { reverse: string; position: number }> = {
  RunPython: { reverse: 'reverse_code', position: 1 },
  RunSQL: { reverse: 'reverse_sql', position: 1 },
};

/** The last names operationOf accepts. */
const OPERATION_NAMES: ReadonlySet<string> = new Set(Object.keys(OPERATIONS));

const RUN = /\bRun(?:Python|SQL)\b/;

/** A RunPython/RunSQL call read from the text that this rule can report: no splat, its reverse argument absent or None. */
function mayBeIrreversible(c: TextCall): boolean {
  if (c.args.some((a) => a.splat)) return false;
  const spec = OPERATIONS[c.name];
  const keyword = c.args.filter((a) => a.keyword === spec.reverse).at(-1);
  const reverse = keyword ?? c.args.filter((a) => !a.keyword)[spec.position];
  return !reverse || unwrap(reverse.value) === 'None';
}

/** `migrations.RunPython` -> RunPython, through the imports (django.db.migrations[.operations[.special]]). */
function operationOf(q: string | undefined): string | undefined {
  const m = q ? /^django\.db\.migrations(?:\.operations(?:\.special)?)?\.(RunPython|RunSQL)$/.exec(q) : null;
  return m?.[1];
}

export default defineRule({
  meta: {
    code: 'DJR711',
    name: 'migration-irreversible',
    category: 'database',
    severity: 'info',
    kind: 'code',
    seeds: ['000', '004'],
    message: "An app's most recent migration cannot be reversed",
    fixTitle: 'Make the operation reversible with a no-op reverse',
    fix: 'unsafe',
    docs: {
      what: "Flags `migrations.RunPython(...)` without `reverse_code` and `migrations.RunSQL(...)` without `reverse_sql` (or with them set to None) in each app's most recent migration (the highest number in its `migrations/` folder; a migration without a number counts as recent), read as code: the module is never imported. Older migrations are not reported: on the open-source Django projects this rule was tried on, 496 of 505 irreversible operations (24 projects) were in older migrations, which every database has applied long ago; migrating back past them is not a rollback anyone runs, and a finding on each was noise that hid the one that matters, the migration being written or about to be deployed.",
      why: "Rolling back a release means migrating back. An irreversible operation makes `migrate app 0041` stop with IrreversibleError in the middle of an incident, with the database half-way between two versions; the way back is then restoring a backup.",
      example: "operations = [\n    migrations.RunPython(fill_slugs),\n]",
      instead: "def clear_slugs(apps, schema_editor):\n    ...\n\noperations = [\n    migrations.RunPython(fill_slugs, reverse_code=clear_slugs),\n    # or, when going back needs nothing undone:\n    # migrations.RunPython(fill_slugs, reverse_code=migrations.RunPython.noop),\n]",
      fixSafety: "Unsafe: the fix adds `reverse_code=migrations.RunPython.noop` (or `reverse_sql=migrations.RunSQL.noop`): rolling back then succeeds but leaves the data as the forward operation made it. Right when the forward step only fills or copies data the earlier schema ignores; write a real reverse when it deletes or transforms data.",
      references: [
        'https://docs.djangoproject.com/en/stable/ref/migration-operations/#runpython',
        'https://docs.djangoproject.com/en/stable/ref/migration-operations/#runsql',
        'https://docs.djangoproject.com/en/stable/topics/migrations/#reversing-migrations',
      ],
    },
  },
  files: 'migrations',
  // a RunPython/RunSQL call without a reverse (or with None) in the text, or a use of the names
  // the text does not tell (an alias, a reference): most migrations give the reverse
  prefilter: {
    test(text: string): boolean {
      if (!RUN.test(text)) return false;
      const scan = scanCalls(text, OPERATION_NAMES, RUN);
      return scan.unsure || scan.calls.some(mayBeIrreversible);
    },
  },
  create(ctx) {
    const model = ctx.semantic;
    // only the app's most recent migration: the one a rollback of the last release crosses first
    if (!isLatestMigration(ctx.fs, ctx.file.path)) return {};
    return {
      call(call) {
        const fn = field(call, 'function');
        if (!mayBeNamed(fn, OPERATION_NAMES)) return;
        const op = operationOf(model.qualifiedName(fn));
        if (!op || !fn) return;
        const spec = OPERATIONS[op];
        const { positional, keywords, splat } = callArgs(call);
        if (splat) return;
        const reverse = keywords.get(spec.reverse) ?? positional[spec.position];
        if (reverse && unparen(reverse).type !== 'none') return;
        const args = field(call, 'arguments');
        if (!args || args.type !== 'argument_list') return;
        // the operation as this file writes it: migrations.RunPython -> migrations.RunPython.noop
        const noop = `${fn.text}.noop`;
        const fix: FixSpec = reverse
          ? { title: `Set ${spec.reverse}=${noop}`, applicability: 'unsafe', edits: [ctx.editor.replace(reverse.startIndex, reverse.endIndex, noop)] }
          : { title: `Add ${spec.reverse}=${noop}`, applicability: 'unsafe', edits: [appendArgumentEdit(ctx.editor, ctx.module.text, args, `${spec.reverse}=${noop}`)] };
        const what = op === 'RunPython' ? 'RunPython without reverse_code' : 'RunSQL without reverse_sql';
        ctx.reportNode(call as Node, {
          message: `${what}: migrating back past this migration stops with IrreversibleError; give a reverse (${noop} when going back needs nothing undone)`,
          fixes: [fix],
        });
      },
    };
  },
});
