/**
 * `.env` files: reading the variables they define, and the workspace edits of "Move to .env":
 * write a value into `.env` (created if needed, a variable never written twice), make sure git
 * ignores `.env`, and list the variable name (never the value) in `.env.example`.
 */
import { randomInt } from 'node:crypto';
import * as path from 'node:path';
import { isGitIgnored } from './gitignore';
import { gitTracked } from './gitindex';
import { dropEnvDefault } from './helpers';
import type { FileSystem, ProjectFile } from './project';
import type { SettingsContext } from './rule';
import { LineIndex } from './text';
import type { Edit, FixSpec } from './types';
import type { EnvInfo, Value } from './values';

/** The first line of an example file a fix creates. */
export const ENV_EXAMPLE_HEADER = '# Environment variables the settings read. Values go in .env (never committed).';

/** The names an example file may have, in order of preference. */
export const ENV_EXAMPLE_NAMES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'env.example'];

export interface DotenvEntry {
  name: string;
  /** The value with its quotes removed (no escape processing). */
  value: string;
  line: number;
}

/** `NAME=value` lines of a .env file (`export NAME=...` too); comments and blanks skipped. */
export function parseDotenv(text: string): DotenvEntry[] {
  const out: DotenvEntry[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, line) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) return;
    let value = m[2];
    const q = value[0];
    const close = q === "'" || q === '"' ? value.indexOf(q, 1) : -1;
    if (close > 0) value = value.slice(1, close);
    else value = value.replace(/\s+#.*$/, '');
    out.push({ name: m[1], value, line });
  });
  return out;
}

/** Variable names that hold secrets: keys, passwords, tokens, credentials, DSNs, salts. */
const SECRET_VAR = /SECRET|PASSWORD|PASSWD|PASSPHRASE|(?:^|_)PASS(?:_|$)|(?:^|_)PWD(?:_|$)|TOKEN|(?:^|_)KEY(?:_|$)|APIKEY|PRIVATE|CREDENTIAL|(?:^|_)AUTH|(?:^|_)DSN(?:_|$)|SALT|SIGNING|(?:^|_)CERT/i;

/**
 * The variables of a .env file that hold (or are meant to hold) a secret: by name, or a URL
 * with a password in it (`postgres://user:pw@host/db`). Names only: never the values.
 */
export function dotenvSecretNames(text: string): string[] {
  return parseDotenv(text)
    .filter((e) => SECRET_VAR.test(e.name) || /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i.test(e.value))
    .map((e) => e.name);
}

/**
 * The project's .env files that hold a secret (or could not be read: then they may), and, when
 * none does, why the .env rules have nothing to check ("plain configuration only").
 */
export function secretEnvFiles(ctx: { files: readonly ProjectFile[]; readFile(p: string): string | undefined }): { files: ProjectFile[]; plain: string } {
  const files: ProjectFile[] = [];
  const plain: string[] = [];
  for (const f of ctx.files) {
    if (f.kind !== 'env') continue;
    const text = ctx.readFile(f.path);
    if (text === undefined || dotenvSecretNames(text).length > 0) files.push(f);
    else plain.push(path.basename(f.path));
  }
  const names = [...new Set(plain)];
  return { files, plain: plain.length === 0 ? '' : `No .env file holds a secret: ${names.join(', ')} ${names.length === 1 ? 'holds' : 'hold'} plain configuration only (no key, password, token or credentials).` };
}

/** Django's key alphabet (django.core.management.utils.get_random_secret_key). */
const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';

/**
 * A fresh secret key: 50 characters drawn with a CSPRNG from Django's alphabet. It never starts
 * with `$` (django-environ would read such a value as a reference to another variable).
 */
export function generateSecretKey(): string {
  let key = '';
  while (key.length < 50) {
    const c = KEY_CHARS[randomInt(KEY_CHARS.length)];
    if (key.length === 0 && c === '$') continue;
    key += c;
  }
  return key;
}

/**
 * Why a value cannot be written to `.env` so that every common reader (python-dotenv,
 * python-decouple, django-environ, docker compose `env_file`) reads back exactly that value, or
 * undefined when it can. Values are written single-quoted, so they must hold no quote, backslash,
 * line break or NUL; they must be valid Unicode (no unpaired surrogate: the file is UTF-8), and
 * not start with `$` (django-environ proxies such values).
 */
export function dotenvUnwritable(value: string): string | undefined {
  if (value.length === 0) return 'the value is empty';
  if (/[\r\n]/.test(value)) return 'the value holds a line break, which a .env file cannot hold faithfully';
  if (value.includes('\u0000')) return 'the value holds a NUL character, which a .env file cannot hold';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) return 'the value holds an unpaired surrogate (not valid Unicode), which a UTF-8 .env file cannot hold';
  if (/['\\]/.test(value)) return 'the value holds a quote or a backslash, which .env readers do not all read back the same';
  if (value.startsWith('$')) return 'the value starts with $, which django-environ would read as a reference to another variable';
  return undefined;
}

/** Whether a value can be written to `.env` faithfully (see dotenvUnwritable). */
export function dotenvWritable(value: string): boolean {
  return dotenvUnwritable(value) === undefined;
}

export function dotenvLine(name: string, value: string): string {
  return `${name}='${value}'`;
}

function eolOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : /\r(?!\n)/.test(text) && !text.includes("\n") ? "\r" : "\n";
}

/** An edit appending lines at the end of `file` (creating it when it does not exist). */
export function appendLinesEdit(fs: FileSystem, file: string, lines: string[]): Edit {
  const text = fs.readFile(file);
  if (text === undefined) {
    return { file, start: 0, end: 0, newText: lines.join('\n') + '\n', create: true };
  }
  const eol = eolOf(text);
  const sep = text.length > 0 && !text.endsWith('\n') && !text.endsWith('\r') ? eol : '';
  return { file, start: text.length, end: text.length, newText: sep + lines.join(eol) + eol };
}

/** The `.env` a project uses: an existing one beside manage.py or up to two folders above, else beside manage.py. */
export function dotenvPath(fs: FileSystem, projectRoot: string): string {
  let dir = projectRoot;
  for (let i = 0; i < 3; i++) {
    const p = path.join(dir, '.env');
    if (fs.exists(p)) return p;
    if (fs.exists(path.join(dir, '.git'))) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.join(projectRoot, '.env');
}

const PRODUCTION_WORD = /(?:^|[._-])(?:prod|production|live|deploy)(?:[._-]|$)/i;

/**
 * The example file every fix lists variables in (DJR106 and every "Move to .env"), so that two
 * fixes never write to two files nor create one twice: an existing example file beside
 * `envFile` (by preference `.env.example`, `.env.sample`, `.env.template`, `.env.dist`,
 * `env.example`, then one named for production, then any other such as `.env.local.example`),
 * else the shallowest one elsewhere among `examples` (the project's example files: a
 * `config/.env.template`), else a new `.env.example` beside `envFile`.
 */
export function envExampleTarget(fs: FileSystem, envFile: string, examples: readonly string[] = []): string {
  const dir = path.dirname(envFile);
  for (const n of ENV_EXAMPLE_NAMES) if (fs.exists(path.join(dir, n))) return path.join(dir, n);
  const beside = examples.filter((f) => path.dirname(f) === dir && fs.exists(f)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (beside.length > 0) return beside[0];
  const elsewhere = examples.filter((f) => fs.exists(f)).sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || a.localeCompare(b));
  if (elsewhere.length > 0) return elsewhere[0];
  return path.join(dir, '.env.example');
}

function rank(file: string): number {
  return PRODUCTION_WORD.test(path.basename(file)) ? 0 : 1;
}

/** Edits that make git ignore `file` (a line in the `.gitignore` beside it), or none if it already is. */
export function gitignoreEdits(fs: FileSystem, file: string): Edit[] {
  if (isGitIgnored(fs, file)) return [];
  return [appendLinesEdit(fs, path.join(path.dirname(file), '.gitignore'), [path.basename(file)])];
}

/** Edits adding `NAME=` lines for the names the example file does not list yet. */
export function envExampleEdits(fs: FileSystem, exampleFile: string, names: string[], header?: string): Edit[] {
  const text = fs.readFile(exampleFile);
  const have = new Set(parseDotenv(text ?? '').map((e) => e.name));
  const missing = [...new Set(names)].filter((n) => !have.has(n));
  if (missing.length === 0) return [];
  const lines = missing.map((n) => `${n}=`);
  if (text === undefined && header) lines.unshift(header);
  return [appendLinesEdit(fs, exampleFile, lines)];
}

export interface MoveToDotenvPlan {
  /** Edits to .env, .gitignore and .env.example (the settings edit is the caller's). */
  edits: Edit[];
  envFile: string;
}

/**
 * The side-file edits of "Move to .env" for variables and their values, or why it cannot be done
 * without losing data: a value that cannot be written exactly, a variable the .env already
 * defines with another value (the existing line is never overwritten), a .env that git tracks.
 * `alsoList`: more variable names for `.env.example` (every variable the settings read).
 */
export function moveToDotenvPlan(fs: FileSystem, projectRoot: string, vars: { name: string; value: string }[], alsoList: string[] = [], examples: readonly string[] = []): MoveToDotenvPlan | { refused: string } {
  const envFile = dotenvPath(fs, projectRoot);
  // a .env that git tracks is published with every commit: never a place for a secret (DJR109)
  if (gitTracked(fs, envFile).state === 'tracked') return { refused: `${path.basename(envFile)} is tracked by git (DJR109): not moved there` };
  const envText = fs.readFile(envFile) ?? '';
  const existing = parseDotenv(envText);
  const lines: string[] = [];
  const edits: Edit[] = [];
  const li = new LineIndex(envText);
  for (const v of vars) {
    const why = dotenvUnwritable(v.value);
    if (why) return { refused: `not moved to .env: ${why}` };
    const defined = existing.filter((e) => e.name === v.name);
    if (defined.length > 0) {
      // already there with the same value: nothing to write
      if (defined.every((e) => e.value === v.value)) continue;
      // an empty placeholder (`NAME=`) is filled in; another value is never overwritten
      if (defined.length === 1 && defined[0].value === '') {
        edits.push({ file: envFile, start: li.lineStart(defined[0].line), end: li.lineEnd(defined[0].line), newText: dotenvLine(v.name, v.value) });
        continue;
      }
      return { refused: `not moved to .env: ${path.basename(envFile)} already sets ${v.name} to another value` };
    }
    lines.push(dotenvLine(v.name, v.value));
  }
  if (lines.length > 0) edits.push(appendLinesEdit(fs, envFile, lines));
  edits.push(...gitignoreEdits(fs, envFile));
  edits.push(...envExampleEdits(fs, envExampleTarget(fs, envFile, examples), [...vars.map((v) => v.name), ...alsoList], ENV_EXAMPLE_HEADER));
  return { edits, envFile };
}

/** The names of every environment variable the settings read, in source order (for .env.example). */
export function variablesRead(ctx: SettingsContext): string[] {
  return [...new Set(ctx.envLookups().map((r) => r.variable))];
}

/**
 * "Move NAME to .env": the literal becomes an environment lookup in the module's idiom, and its
 * value goes into `.env` (plus `.gitignore`, and `.env.example` listing every variable the
 * settings read), all in one fix. `{ refused }` when the value cannot be moved without loss (see
 * moveToDotenvPlan): the finding says why.
 */
export function moveToDotenv(ctx: SettingsContext, literal: Extract<Value, { kind: 'str' }>, variable: string, label: string): { fix: FixSpec } | { refused: string } {
  const plan = moveToDotenvPlan(ctx.fs, ctx.project.root, [{ name: variable, value: literal.value }], variablesRead(ctx), ctx.envExamples?.());
  if ('refused' in plan) return plan;
  const ed = ctx.editorFor(literal.origin.module);
  const { expr, edits } = ed.envLookup(variable, 'str', undefined, literal.origin.top);
  return {
    fix: {
      title: `Move ${label} to ${path.basename(plan.envFile)} (${variable}) and read it from the environment`,
      applicability: 'unsafe',
      kind: 'move-to-dotenv',
      preferred: true,
      edits: [ed.replaceNode(literal.origin.top, literal.origin.node, expr), ...edits, ...plan.edits],
    },
  };
}

/** moveToDotenv's fix, or undefined when refused. */
export function moveToDotenvFix(ctx: SettingsContext, literal: Extract<Value, { kind: 'str' }>, variable: string, label: string): FixSpec | undefined {
  const r = moveToDotenv(ctx, literal, variable, label);
  return 'fix' in r ? r.fix : undefined;
}

/**
 * "Move the default of NAME to .env" (DJR102, DJR104): the hardcoded default of an environment
 * lookup is dropped and its value written to `.env` as NAME, so that no copy of the secret is
 * lost. When it cannot be moved (no variable name, a value .env cannot hold, another value
 * already there), dropping the default alone is offered as a display-only quick fix (never
 * applied by fix-all or `--fix --unsafe-fixes`), with the reason.
 */
export function moveDefaultToDotenv(ctx: SettingsContext, env: EnvInfo, value: string, label: string): { fixes: FixSpec[]; refused?: string } {
  const drop = dropEnvDefault(ctx, env);
  if (drop.length === 0) return { fixes: [] };
  const variable = env.variable;
  // the default as written (a whole database URL, not the password parsed out of it)
  const lit = env.defaultOrigin?.node;
  const stored = lit && lit.t === 'str' && !lit.fstring ? lit.v : value;
  const plan = variable ? moveToDotenvPlan(ctx.fs, ctx.project.root, [{ name: variable, value: stored }], variablesRead(ctx), ctx.envExamples?.()) : { refused: 'not moved to .env: the variable name is not a literal' };
  if ('refused' in plan) {
    return {
      refused: plan.refused,
      fixes: [{ title: `Remove the default of ${variable ?? 'the lookup'} (the value is not kept anywhere: store it first)`, applicability: 'display-only', kind: 'drop-default', edits: drop }],
    };
  }
  return {
    fixes: [{ title: `Move the default of ${variable} to ${path.basename(plan.envFile)}: ${label} must come from the environment`, applicability: 'unsafe', kind: 'move-default', preferred: true, edits: [...drop, ...plan.edits] }],
  };
}

/**
 * "Rotate SECRET_KEY": a freshly generated key goes into `.env` as the new SECRET_KEY, the old
 * one into `.env` as SECRET_KEY_FALLBACKS (read from the environment, never a literal), so that
 * sessions and tokens signed with the old key stay valid until it is dropped.
 */
export function rotateSecretKeyFix(ctx: SettingsContext, literal: Extract<Value, { kind: 'str' }>, variable: string): FixSpec | undefined {
  const old = literal.value;
  if (ctx.setting('SECRET_KEY_FALLBACKS') || old.includes(',') || old.trim() !== old) return undefined;
  const fallbackVar = `${variable}_FALLBACKS`;
  const plan = moveToDotenvPlan(
    ctx.fs,
    ctx.project.root,
    [
      { name: variable, value: generateSecretKey() },
      { name: fallbackVar, value: old },
    ],
    variablesRead(ctx),
    ctx.envExamples?.(),
  );
  if ('refused' in plan) return undefined;
  const ed = ctx.editorFor(literal.origin.module);
  const top = literal.origin.top;
  const key = ed.envLookup(variable, 'str', undefined, top);
  const idiom = ed.envIdiom(top).kind;
  const fallbacks = ed.envLookup(fallbackVar, 'list', idiom === 'environ' ? '[]' : idiom === 'decouple' ? ed.str('') : undefined, top);
  return {
    title: `Rotate SECRET_KEY: a new key in ${path.basename(plan.envFile)}, the current one kept in SECRET_KEY_FALLBACKS (${fallbackVar})`,
    applicability: 'unsafe',
    kind: 'rotate',
    edits: [
      ed.replaceNode(literal.origin.top, literal.origin.node, key.expr),
      ...key.edits,
      ...fallbacks.edits,
      ed.insertStatement(`SECRET_KEY_FALLBACKS = ${fallbacks.expr}`, literal.origin.top),
      ...plan.edits,
    ],
  };
}
