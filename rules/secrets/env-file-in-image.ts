import * as path from 'node:path';
import { appendLinesEdit, defineRule, assignments, dockerIgnored, isDevDeploymentFile, parseDockerfile, parseDockerignore, splitWords, type DockerInstruction, type FixSpec, type ProjectContext, type ProjectFile } from '../../server/src/engine';

/** Variable names that hold secrets (SECRET_KEY, *_PASSWORD, *_SECRET, *_TOKEN, *_API_KEY...). */
const SECRET_NAME = /^(SECRET_KEY|PASSWORD|SECRET|TOKEN|API_KEY)$|_(PASSWORD|PASSWD|SECRET|SECRET_KEY|TOKEN|API_KEY|PRIVATE_KEY)$/i;

/** The sources of a COPY/ADD (flags and the destination dropped); undefined for `--from` copies. */
function copySources(ins: DockerInstruction): string[] | undefined {
  const a = ins.args.trim();
  let words: string[];
  if (a.startsWith('[')) {
    try {
      words = (JSON.parse(a) as unknown[]).filter((w): w is string => typeof w === 'string');
    } catch {
      return [];
    }
  } else words = splitWords(a).map((w) => w.replace(/^["']|["']$/g, ''));
  const flags = words.filter((w) => w.startsWith('--'));
  if (flags.some((f) => f.startsWith('--from'))) return undefined;
  const rest = words.filter((w) => !w.startsWith('--'));
  return rest.slice(0, -1);
}

const WHOLE_CONTEXT = new Set(['.', './', '*', './*', '/']);

/**
 * The build context of a Dockerfile: the `context:` of a compose service that names it, else the
 * nearest folder (from the Dockerfile's own, up to the analysed folder) holding every other file
 * its COPY/ADD lines name, else the Dockerfile's folder.
 */
function buildContext(ctx: ProjectContext, file: string, sources: string[]): string {
  for (const f of ctx.files) {
    if (f.kind !== 'compose') continue;
    const text = ctx.readFile(f.path) ?? '';
    const base = path.basename(file);
    if (!text.includes(base)) continue;
    const m = new RegExp(`context:\\s*["']?([^"'\\n#]+?)["']?\\s*\\n(?:[^\\n]*\\n){0,3}?\\s*dockerfile:\\s*["']?([^"'\\n#]+?)["']?\\s*(?:\\n|$)`).exec(text);
    if (m) {
      const dir = path.resolve(path.dirname(f.path), m[1].trim());
      if (path.resolve(dir, m[2].trim()) === file) return dir;
    }
  }
  const named = sources.filter((s) => !WHOLE_CONTEXT.has(s) && !/[*?[$]/.test(s) && !/^https?:/.test(s));
  let dir = path.dirname(file);
  const stop = ctx.analysisRoot;
  for (;;) {
    if (named.length > 0 && named.every((s) => ctx.fs.exists(path.join(dir, s)))) return dir;
    if (dir === stop || !dir.startsWith(stop) || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  return path.dirname(file);
}

/** Whether the production settings read a .env file at start-up (then the image may need it). */
function settingsReadDotenv(ctx: ProjectContext): boolean {
  const s = ctx.settings;
  if (!s) return false;
  if (ctx.uses('decouple')) return true; // python-decouple reads .env by itself
  return s.calls.some((c) => /(^|\.)(read_env|load_dotenv|dotenv_values)$/.test(c.qualified));
}

function checkCopies(ctx: ProjectContext, f: ProjectFile, ins: DockerInstruction[], lines: string[]): void {
  const envFiles = ctx.files.filter((x) => x.kind === 'env');
  if (envFiles.length === 0) return;
  for (const i of ins) {
    if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
    const sources = copySources(i);
    if (!sources || !sources.some((s) => WHOLE_CONTEXT.has(s))) continue;
    const allSources = ins.flatMap((x) => ((x.keyword === 'COPY' || x.keyword === 'ADD') && copySources(x)) || []);
    const context = buildContext(ctx, f.path, allSources);
    const inside = envFiles.filter((e) => e.path.startsWith(context + path.sep));
    if (inside.length === 0) continue;
    const ignoreFile = [`${f.path}.dockerignore`, path.join(context, '.dockerignore')].find((p) => ctx.fs.exists(p)) ?? path.join(context, '.dockerignore');
    const rules = parseDockerignore(ctx.readFile(ignoreFile) ?? '');
    const copied = inside.map((e) => path.relative(context, e.path).split(path.sep).join('/')).filter((rel) => !dockerIgnored(rules, rel));
    if (copied.length === 0) continue;
    const names = copied.length === 1 ? copied[0] : `${copied.slice(0, -1).join(', ')} and ${copied[copied.length - 1]}`;
    const fixes: FixSpec[] = [];
    if (ignoreFile.startsWith(ctx.analysisRoot + path.sep)) {
      const unsafe = settingsReadDotenv(ctx);
      fixes.push({
        title: unsafe ? `Add ${names} to .dockerignore (the settings read a .env file: supply its variables to the container instead)` : `Add ${names} to .dockerignore`,
        applicability: unsafe ? 'unsafe' : 'safe',
        edits: [appendLinesEdit(ctx.fs, ignoreFile, copied)],
      });
    }
    const line = lines[i.line] ?? '';
    ctx.report({
      at: { file: f.path, range: { start: { line: i.line, character: i.start }, end: { line: i.line, character: line.trimEnd().length } } },
      message: `${i.keyword} ${sources.find((s) => WHOLE_CONTEXT.has(s))} copies ${names} into the image: ${path.basename(ignoreFile) === '.dockerignore' && ctx.fs.exists(ignoreFile) ? 'the .dockerignore does not exclude it' : 'there is no .dockerignore'}, so every secret in it ships with the image and its layers`,
      fixes,
    });
  }
}

function checkSecretVariables(ctx: ProjectContext, f: ProjectFile, ins: DockerInstruction[], lines: string[]): void {
  const last = Math.max(...ins.map((i) => i.stage));
  for (const i of ins) {
    // only what the final image keeps: ENV/ARG of its stage
    if ((i.keyword !== 'ENV' && i.keyword !== 'ARG') || i.stage !== last || i.stage < 0) continue;
    for (const a of assignments(i)) {
      if (!SECRET_NAME.test(a.name) || a.value === undefined) continue;
      // what is left once references to other variables / build arguments are taken out
      // (`${SECRET_KEY}`, `$SECRET_KEY`, `${X:-}`): a literal part is written in the image
      const literal = a.value.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '').trim();
      if (!literal) continue;
      const line = lines[i.line] ?? '';
      ctx.report({
        at: { file: f.path, range: { start: { line: i.line, character: i.start }, end: { line: i.line, character: line.trimEnd().length } } },
        message:
          i.keyword === 'ENV'
            ? `ENV sets ${a.name} to a literal value: it is stored in the image, readable by anyone who can pull it (docker inspect), and used whenever the runtime does not override it`
            : `ARG gives ${a.name} a literal default: build arguments are recorded in the image history (docker history)`,
      });
    }
  }
}

export default defineRule({
  meta: {
    code: 'DJR108',
    name: 'env-file-in-image',
    category: 'secrets',
    severity: 'error',
    kind: 'project',
    seeds: ['001'],
    message: 'Secrets end up in the container image',
    fixTitle: 'Add .env to .dockerignore',
    fix: 'safe',
    docs: {
      what: "Flags a production Dockerfile that copies its whole build context (`COPY . .`, `ADD . /app`) while a `.env` file (`.env`, `.env.production`...; not `.env.example`) lies in that context and the `.dockerignore` (the context's, or `<Dockerfile>.dockerignore`) does not exclude it; and `ENV` / `ARG` instructions of the final stage that give a secret-named variable (`SECRET_KEY`, `*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`) a literal value. The build context is the `context:` of a compose service that names the Dockerfile, else the nearest folder that holds the files its COPY lines name. Development Dockerfiles (`Dockerfile.dev`, `compose/local/...`, or one that installs a development requirements file) are not checked.",
      why: 'Everything copied into an image stays in its layers, even if a later step deletes it: anyone who can pull the image (a registry, a CI cache, a leaked tarball) reads the `.env` and every secret in it. `ENV` values and `ARG` defaults are visible with `docker inspect` and `docker history`, and a literal `SECRET_KEY` in the image is the key production runs with whenever the runtime forgets to set one.',
      example: 'FROM python:3.12-slim\nENV DJANGO_SECRET_KEY=change-me\nCOPY . /app\n# and no .dockerignore, while .env sits beside the Dockerfile',
      instead: '# .dockerignore\n.env\n.env.*\n!.env.example\n\n# Dockerfile: no secret in ENV/ARG; pass them at run time\n# docker run --env-file .env ... / compose env_file: / Kubernetes secrets',
      fixSafety: 'Safe: appends the `.env` files the COPY would take to `.dockerignore` (created in the build context if needed); the image then no longer contains them. Unsafe when the settings read a `.env` file themselves (python-decouple, `environ.Env.read_env()`, `load_dotenv()`): the container must then receive those variables another way (`--env-file`, compose `env_file:`). Secret `ENV`/`ARG` values get no automatic fix: move them to the runtime environment.',
      references: ['https://docs.docker.com/build/concepts/context/#dockerignore-files', 'https://docs.docker.com/build/building/secrets/', 'https://docs.docker.com/reference/dockerfile/#env'],
    },
  },
  checkProject(ctx) {
    for (const f of ctx.files) {
      // development images: by name or folder, or because they install development requirements
      if (f.kind !== 'dockerfile' || isDevDeploymentFile(f.path, ctx.project.root) || ctx.dependencies.devImages.has(f.path)) continue;
      const text = ctx.readFile(f.path);
      if (text === undefined) continue;
      const df = parseDockerfile(text);
      if (df.instructions.length === 0) continue;
      checkCopies(ctx, f, df.instructions, df.lines);
      checkSecretVariables(ctx, f, df.instructions, df.lines);
    }
  },
});
