import * as path from 'node:path';
import { defineRule, dotenvPath, ENV_EXAMPLE_HEADER, envExampleEdits, envExampleTarget, parseDotenv, type Where } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR106',
    name: 'env-example-missing',
    category: 'secrets',
    severity: 'info',
    kind: 'project',
    seeds: ['000', '002'],
    message: 'No .env.example lists the environment variables the settings read',
    fixTitle: 'List the variables in .env.example',
    fix: 'safe',
    docs: {
      what: 'The production settings read environment variables (`os.environ`, `os.getenv`, python-decouple `config`, django-environ `env`), and no example file lists all of them: `.env.example` (or `.env.sample`, `.env.template`, `.env.dist`, then any other example name such as `.env.local.example`) beside the `.env`, else the shallowest such file in the project.',
      why: 'Whoever deploys the project (or a new developer) has to know every variable the settings expect. Without a committed example they find out one crash at a time, or worse, run with a silent default.',
      example: "# settings.py\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDATABASE_URL = os.environ['DATABASE_URL']\n# and no .env.example",
      instead: '# .env.example (committed; no values)\nDJANGO_SECRET_KEY=\nDATABASE_URL=',
      fixSafety: 'Safe: extends the existing example file (the one named above), else creates `.env.example`, with one `NAME=` line per variable the settings read, in source order. Names only, never values. The "Move to .env" fixes (DJR101, DJR102, DJR104) list the variables in the same file; run together in one fix-all, each variable is written once.',
      references: ['https://12factor.net/config', 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/'],
    },
  },
  checkProject(ctx) {
    const settings = ctx.settings;
    if (!settings) return ctx.notChecked('No production settings module was found.');
    // found syntactically, in source order (forcing every lazily evaluated setting on each keystroke would cost more than the rest of the analysis)
    const reads = settings.envLookups();
    // names a dotenv file can hold (a name with other characters could never be listed)
    const names = [...new Set(reads.map((r) => r.variable))].filter((n) => /^[A-Za-z_][A-Za-z0-9_.]*$/.test(n));
    if (names.length === 0) return ctx.notApplicable('The production settings read no environment variable.');
    // the file every fix lists variables in (dotenv.ts envExampleTarget: an existing example file
    // beside the .env, else one elsewhere in the project, else a new .env.example)
    const examples = ctx.files.filter((f) => f.kind === 'env-example').map((f) => f.path);
    const example = envExampleTarget(ctx.fs, dotenvPath(ctx.fs, ctx.project.root), examples);
    const existing = ctx.fs.exists(example) ? example : undefined;
    // every example file beside it counts (.env.dist and .env.template side by side)
    const siblings = existing ? ctx.files.filter((f) => f.kind === 'env-example' && path.dirname(f.path) === path.dirname(existing)).map((f) => f.path) : [];
    const listed = new Set([existing, ...siblings].flatMap((f) => (f ? parseDotenv(ctx.readFile(f) ?? '').map((e) => e.name) : [])));
    const missing = names.filter((n) => !listed.has(n));
    if (missing.length === 0) return;
    const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    const first = reads.find((r) => r.variable === missing[0]);
    const at: Where = existing ? { file: existing, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } : first ? { module: first.module, top: first.top, node: first.node } : settings.missingAt();
    ctx.report({
      at,
      message: existing
        ? `${path.basename(existing)} does not list ${missing.length === 1 ? 'a variable' : `${missing.length} variables`} the settings read: ${shown}`
        : `The settings read ${names.length === 1 ? 'an environment variable' : `${names.length} environment variables`} and no .env.example lists them: ${shown}`,
      fixes: [{ title: existing ? `Add ${missing.length === 1 ? missing[0] : `${missing.length} variables`} to ${path.basename(existing)}` : 'Create .env.example with the variable names (no values)', applicability: 'safe', edits: envExampleEdits(ctx.fs, example, missing, ENV_EXAMPLE_HEADER) }],
    });
  },
});
