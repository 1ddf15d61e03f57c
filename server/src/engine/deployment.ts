/**
 * What the deployment files of a project say about production, for the deployment rules
 * (DJR906 runserver, DJR907 root containers, DJR910 health checks):
 *
 *  - which compose files and services are development setups (named so, beside a production
 *    compose file, mounting the source over the image, DEBUG on, a development settings module
 *    or build target...), and why;
 *  - each Dockerfile as build stages: the stage production runs (a compose `target:`, else the
 *    last stage not named for development or tests), what it inherits from the stages it is
 *    built `FROM` (USER, CMD, ENTRYPOINT, HEALTHCHECK), whether it is the Python application's
 *    image at all (not nginx, postgres, traefik...), whether it is a development image, and
 *    whether its entrypoint drops root privileges (gosu, su-exec, s6-setuidgid, a uWSGI `uid`,
 *    gunicorn `--user`).
 *
 * Built once per analysis (cached on the inventory) from the texts the analysis reads.
 */
import * as path from 'node:path';
import { parseCompose, type ComposeFile, type ComposeService } from './compose';
import { expand, parseDockerfile, splitWords, variablesAt, type Dockerfile, type DockerInstruction } from './dockerfile';
import { isDevDeploymentFile } from './helpers';
import { isDevName, isProdName } from './manifests';
import type { FileSystem, ProjectFile } from './project';
import { settingsRole } from './project';

export interface DockerStage {
  index: number;
  /** `FROM ... AS name`, lower case. */
  name?: string;
  /** The image or stage it is built FROM (ARGs expanded where known). */
  base: string;
  /** The earlier stage of the same file it is built FROM. */
  parent?: DockerStage;
  from: DockerInstruction;
  instructions: DockerInstruction[];
}

export interface DockerImage {
  file: string;
  df: Dockerfile;
  stages: DockerStage[];
  /** The stage production runs, and how it was chosen. */
  stage?: DockerStage;
  stageReason: string;
  /** Why this Dockerfile is for development only; undefined when it may be production. */
  dev?: string;
  /** It builds a Python application (base image, pip/uv/poetry, manage.py, a WSGI/ASGI server). */
  python: boolean;
  /** The build context (compose `context:`, else the folder holding its COPY sources). */
  context: string;
  /** Compose services that build it. */
  services: ComposeService[];
}

export interface DeploymentModel {
  compose: ComposeFile[];
  /** Why a compose file is for development (undefined: it may be production). */
  composeDev: Map<string, string | undefined>;
  /** Why a service is for development (its file's reason, or its own). */
  serviceDev: Map<ComposeService, string | undefined>;
  images: DockerImage[];
  image(file: string): DockerImage | undefined;
}

export interface DeploymentInput {
  files: ProjectFile[];
  readFile(p: string): string | undefined;
  fs: FileSystem;
  /** The Django project's folder (manage.py). */
  root: string;
  /** The analysed folder: nothing above it is read. */
  analysisRoot: string;
  /** Dockerfiles that install a development requirements file. */
  devImages: Set<string>;
}

const cache = new WeakMap<object, DeploymentModel>();

/** The deployment model of a project rule's analysis. */
export function deploymentOf(ctx: { files: ProjectFile[]; readFile(p: string): string | undefined; fs: FileSystem; project: { root: string }; analysisRoot: string; dependencies: { devImages: Set<string> } }): DeploymentModel {
  return deploymentModel({ files: ctx.files, readFile: (p) => ctx.readFile(p), fs: ctx.fs, root: ctx.project.root, analysisRoot: ctx.analysisRoot, devImages: ctx.dependencies.devImages });
}

/** The deployment model of an analysis (built on first use, shared by the rules). */
export function deploymentModel(input: DeploymentInput): DeploymentModel {
  const hit = cache.get(input.files);
  if (hit) return hit;
  const model = buildModel(input);
  cache.set(input.files, model);
  return model;
}

// ---------------------------------------------------------------- words

const TRUE = /^(1|true|yes|on|y)$/i;
const DEV_ENV_VALUE = /^(dev|devel|develop|development|local|test|testing)$/i;
const ENV_NAME = /^(DJANGO_ENV|DJANGO_ENVIRONMENT|ENV|ENVIRONMENT|APP_ENV|APP_ENVIRONMENT|DJANGO_CONFIGURATION|STAGE|RUN_ENV)$/i;

/** A development marker among environment variables or build arguments. */
function devVariable(vars: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(vars)) {
    const value = v.trim().replace(/^["']|["']$/g, '');
    if (/(^|_)DEBUG$/i.test(k) && TRUE.test(value)) return `${k}=${value}`;
    if (k === 'DJANGO_SETTINGS_MODULE' && value && !value.includes('$') && settingsRole(value) === 'development') return `${k}=${value}`;
    if (ENV_NAME.test(k) && DEV_ENV_VALUE.test(value)) return `${k}=${value}`;
    // REQ_FILE=requirements/tests.txt: the image installs development requirements
    if (/\.(txt|in)$/.test(value) && /req/i.test(value) && isDevName(path.basename(value).replace(/\.(txt|in)$/, ''))) return `${k}=${value}`;
  }
  return undefined;
}

/** A script named for development among the words of a command (`docker-entrypoint.dev.sh`, `/start-dev`). */
function devScript(command: string | undefined): string | undefined {
  if (!command) return undefined;
  for (const w of splitWords(command)) {
    const word = w.replace(/^["'[,]+|["',\]]+$/g, '');
    if (!/[/.]/.test(word) || /^-/.test(word)) continue;
    if (isDevDeploymentFile(path.basename(word))) return word;
  }
  return undefined;
}

/** Why a file is development by its path: its name, or a folder (compose/local/, .github/). */
function devPathReason(file: string, root: string): string {
  if (isDevDeploymentFile(path.basename(file))) return `${path.basename(file)} is named for development`;
  return `it lies in ${path.relative(root, path.dirname(file)).split(path.sep).join('/')}/, a development, test or CI folder`;
}

/** Whether the analysed folder holds a Django project at all (manage.py, settings, or Django required). */
export function djangoProjectFound(ctx: { project: { managePy?: string; production?: unknown; settingsModules: unknown[] }; requirements: { name: string }[] }): boolean {
  return !!ctx.project.managePy || !!ctx.project.production || ctx.project.settingsModules.length > 0 || ctx.requirements.some((r) => r.name === 'django');
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

// ---------------------------------------------------------------- compose

function composeFileDev(f: ComposeFile, all: ComposeFile[], input: DeploymentInput): string | undefined {
  if (isDevDeploymentFile(f.path, input.root)) return devPathReason(f.path, input.root);
  const words = (p: string) => path.basename(p).replace(/\.ya?ml$/i, '').replace(/^(docker-)?compose/i, '');
  if (isProdName(words(f.path))) return undefined;
  // docker-compose.yml beside docker-compose.prod.yml / production.yml: the plain one is development
  const prod = all.find((o) => o !== f && isProdName(words(o.path)) && !isDevDeploymentFile(o.path, input.root));
  if (prod) return `${path.relative(path.dirname(f.path), prod.path).split(path.sep).join('/')} is the production compose file`;
  return undefined;
}

function serviceDev(s: ComposeService, input: DeploymentInput): string | undefined {
  if (isDevName(s.name)) return `the service is named ${s.name}`;
  const dir = path.dirname(s.file);
  for (const v of s.volumes) {
    const source = v.split(':')[0];
    if (!/^\.{1,2}(\/|$)|^\$\{?PWD\}?/.test(source)) continue;
    const abs = path.resolve(dir, source.replace(/^\$\{?PWD\}?/, '.'));
    // the source tree (the project, a folder above it, or the build context) mounted over the image
    if (inside(input.root, abs) || (s.build && abs === s.build.context) || input.fs.exists(path.join(abs, 'manage.py'))) return `it mounts the source (${v})`;
  }
  const env = devVariable(s.environment);
  if (env) return `its environment sets ${env}`;
  if (s.build) {
    if (isDevDeploymentFile(s.build.dockerfile, input.root)) return `it builds ${path.relative(dir, s.build.dockerfile).split(path.sep).join('/')}`;
    if (s.build.target && isDevName(s.build.target)) return `it builds the ${s.build.target} target`;
    const arg = devVariable(s.build.args);
    if (arg) return `it builds with ${arg}`;
  }
  const script = devScript(s.entrypoint?.text) ?? devScript(s.command?.text);
  if (script) return `it starts ${script}`;
  return undefined;
}

// ---------------------------------------------------------------- Dockerfiles

function stagesOf(df: Dockerfile): DockerStage[] {
  const stages: DockerStage[] = [];
  const globals = new Map<string, string>();
  for (const ins of df.instructions) {
    if (ins.stage === -1 && ins.keyword === 'ARG') {
      for (const w of splitWords(ins.args)) {
        const eq = w.indexOf('=');
        if (eq > 0) globals.set(w.slice(0, eq), w.slice(eq + 1).replace(/^["']|["']$/g, ''));
      }
    }
    if (ins.keyword === 'FROM') {
      const words = splitWords(ins.args).filter((w) => !w.startsWith('--'));
      const base = expand(words[0] ?? '', globals).toLowerCase();
      const parent = stages.find((s) => s.name !== undefined && s.name === base);
      stages.push({ index: ins.stage, name: ins.stageName, base, parent, from: ins, instructions: [] });
    } else if (ins.stage >= 0) stages[ins.stage]?.instructions.push(ins);
  }
  return stages;
}

/** The stage and its ancestors in this file, the stage itself first. */
export function stageChain(stage: DockerStage): DockerStage[] {
  const out: DockerStage[] = [];
  for (let s: DockerStage | undefined = stage; s && !out.includes(s); s = s.parent) out.push(s);
  return out;
}

/** The last instruction of a kind the stage has or inherits. */
export function inherited(stage: DockerStage, keyword: string): DockerInstruction | undefined {
  for (const s of stageChain(stage)) {
    const own = s.instructions.filter((i) => i.keyword === keyword);
    if (own.length > 0) return own[own.length - 1];
  }
  return undefined;
}

/** Sources of a COPY/ADD (flags and destination dropped), the `--from` stage if any, and the destination. */
export function copyParts(ins: DockerInstruction): { sources: string[]; from?: string; dest: string } {
  const a = ins.args.trim();
  let words: string[];
  if (a.startsWith('[')) {
    try {
      words = (JSON.parse(a) as unknown[]).filter((w): w is string => typeof w === 'string');
    } catch {
      words = [];
    }
  } else words = splitWords(a).map((w) => w.replace(/^["']|["']$/g, ''));
  const from = words.find((w) => w.startsWith('--from='))?.slice(7).toLowerCase();
  const rest = words.filter((w) => !w.startsWith('--'));
  return { sources: rest.slice(0, -1), from, dest: rest[rest.length - 1] ?? '' };
}

/** Files that only describe dependencies (an image copying only these does not hold the code). */
const DEPENDENCY_FILE = /(^|\/)(requirements[^/]*|requirements\/.*|[^/]*requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock|Pipfile(\.lock)?|setup\.(py|cfg)|package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|\.python-version|runtime\.txt)\/?$/i;

function copiesCode(stage: DockerStage, stages: DockerStage[], seen = new Set<DockerStage>()): boolean {
  for (const s of stageChain(stage)) {
    if (seen.has(s)) continue;
    seen.add(s);
    for (const ins of s.instructions) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      const { sources, from } = copyParts(ins);
      if (from !== undefined) {
        const src = stages.find((x) => x.name === from || String(x.index) === from);
        if (src && copiesCode(src, stages, seen)) return true;
        continue;
      }
      if (sources.some((x) => !DEPENDENCY_FILE.test(x.replace(/^\.\//, '')))) return true;
    }
  }
  return false;
}

const PYTHON_BASE = /(^|[/:-])(python|pypy)([:@-]|$)|astral-sh\/uv|miniconda|micromamba|anaconda|django/;
const PYTHON_WORDS = /\b(pip3?|uv|poetry|pipenv|pdm)\s+(install|sync)\b|manage\.py|DJANGO_SETTINGS_MODULE|\b(gunicorn|uvicorn|daphne|uwsgi|hypercorn|granian|waitress-serve)\b|\bpython3?(\.\d+)?\s/;

/** Servers that are not the Python application (a reverse proxy, a database...). */
const OTHER_SERVER = /^(\S*\/)?(caddy|nginx|traefik|haproxy|envoy|postgres|redis-server|memcached|mysqld|mongod|rabbitmq-server)$/;

function runsPython(stage: DockerStage): boolean {
  const chain = stageChain(stage);
  // pip/uv/poetry installs, manage.py, a WSGI/ASGI server: the application
  if (chain.some((s) => s.instructions.some((i) => PYTHON_WORDS.test(i.args + ' ')))) return true;
  // a Python base image, unless what it starts is another server (caddy on python:3.14)
  if (!chain.some((s) => PYTHON_BASE.test(s.base))) return false;
  const start = inherited(stage, 'ENTRYPOINT') ?? inherited(stage, 'CMD');
  const first = start ? commandWords(start.args)[0] : undefined;
  return !(first && OTHER_SERVER.test(first));
}

/** Stage names that are not what production runs. */
function devStageName(name: string | undefined): boolean {
  return name !== undefined && isDevName(name);
}

/** The build context: a compose service's, else the nearest folder holding every COPY source, else the Dockerfile's folder. */
function contextOf(file: string, df: Dockerfile, services: ComposeService[], input: DeploymentInput): string {
  const svc = services.find((s) => s.build);
  if (svc?.build) return svc.build.context;
  const named = df.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map(copyParts)
    .filter((c) => c.from === undefined)
    .flatMap((c) => c.sources)
    .filter((s) => !/^(\.|\.\/|\*|\/)$/.test(s) && !/[*?[$]/.test(s) && !/^https?:/.test(s));
  let dir = path.dirname(file);
  for (;;) {
    if (named.length > 0 && named.every((s) => input.fs.exists(path.join(dir, s)))) return dir;
    if (dir === input.analysisRoot || !inside(dir, input.analysisRoot) || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  return path.dirname(file);
}

function buildModel(input: DeploymentInput): DeploymentModel {
  const compose: ComposeFile[] = [];
  for (const f of input.files) {
    if (f.kind !== 'compose') continue;
    const text = input.readFile(f.path);
    if (text === undefined) continue;
    const parsed = parseCompose(f.path, text);
    if (parsed) compose.push(parsed);
  }
  // an override file in a subfolder (docker/docker-compose.prod.yml) is used with `-f` after the
  // main file, whose folder its relative paths are resolved against: when the Dockerfile is not
  // where the file's own folder says, the nearest folder above where it is wins
  for (const c of compose) {
    for (const s of c.services) {
      const b = s.build;
      if (!b || input.fs.exists(b.dockerfile)) continue;
      // an override of a service the main file defines (same name) keeps the main file's Dockerfile
      const main = compose.flatMap((o) => (o === c ? [] : o.services)).find((o) => o.name === s.name && o.build && input.fs.exists(o.build.dockerfile));
      if (main?.build && b.dockerfileRaw === undefined) {
        b.context = main.build.context;
        b.dockerfile = main.build.dockerfile;
        continue;
      }
      for (let dir = path.dirname(path.dirname(c.path)); inside(dir, input.analysisRoot); dir = path.dirname(dir)) {
        const context = path.resolve(dir, b.contextRaw);
        const dockerfile = path.resolve(context, b.dockerfileRaw ?? 'Dockerfile');
        if (input.fs.exists(dockerfile)) {
          b.context = context;
          b.dockerfile = dockerfile;
          break;
        }
        if (dir === input.analysisRoot || path.dirname(dir) === dir) break;
      }
    }
  }
  const composeDev = new Map<string, string | undefined>();
  const svcDev = new Map<ComposeService, string | undefined>();
  for (const c of compose) {
    const fileReason = composeFileDev(c, compose, input);
    composeDev.set(c.path, fileReason);
    for (const s of c.services) svcDev.set(s, fileReason ?? serviceDev(s, input));
  }
  const allServices = compose.flatMap((c) => c.services);

  const images: DockerImage[] = [];
  for (const f of input.files) {
    if (f.kind !== 'dockerfile') continue;
    const text = input.readFile(f.path);
    if (text === undefined) continue;
    const df = parseDockerfile(text);
    const stages = stagesOf(df);
    const services = allServices.filter((s) => s.build?.dockerfile === f.path);
    const prodServices = services.filter((s) => svcDev.get(s) === undefined);
    let stage: DockerStage | undefined;
    let stageReason = '';
    const target = prodServices.map((s) => s.build?.target).find((t) => t !== undefined);
    if (target !== undefined) {
      stage = stages.find((s) => s.name === target.toLowerCase());
      const svc = prodServices.find((s) => s.build?.target === target)!;
      stageReason = `the ${target} stage (the target of compose service ${svc.name})`;
    }
    if (!stage) {
      const last = stages[stages.length - 1];
      stage = [...stages].reverse().find((s) => !devStageName(s.name)) ?? last;
      stageReason = stages.length <= 1 ? 'the image' : stage === last ? `the final stage${stage?.name ? ` (${stage.name})` : ''}` : `the ${stage?.name ?? stage?.index} stage (the last one not for development or tests)`;
    }
    const image: DockerImage = { file: f.path, df, stages, stage, stageReason, python: stage ? runsPython(stage) : false, context: contextOf(f.path, df, services, input), services };
    if (isDevDeploymentFile(f.path, input.root)) image.dev = devPathReason(f.path, input.root);
    else if (input.devImages.has(f.path)) image.dev = 'it installs development requirements';
    else if (stage && !copiesCode(stage, stages)) image.dev = 'it copies no project code into the image (a base image, or the code is mounted when it runs)';
    images.push(image);
  }
  // a Dockerfile only development compose services build, when another Dockerfile builds the
  // application for production (pythondotorg: Dockerfile for docker-compose, Dockerfile.cabotage)
  const prodPython = images.filter((i) => !i.dev && i.python);
  for (const i of prodPython) {
    // the services that build the stage production would run (no target, or that target)
    const builders = i.services.filter((s) => s.build?.target === undefined || s.build.target.toLowerCase() === i.stage?.name);
    if (builders.length === 0 || builders.some((s) => svcDev.get(s) === undefined)) continue;
    const other = prodPython.find((o) => o !== i && o.services.every((s) => svcDev.get(s) === undefined));
    if (other) i.dev = `only development compose services build it (${builders.map((s) => s.name).join(', ')}); ${path.basename(other.file)} is the production image`;
  }
  // a Dockerfile only development compose services build, that starts Django's development
  // server (djangogirls: its entrypoint script runs manage.py runserver, docker-compose.yml mounts the source)
  for (const i of images) {
    if (i.dev || !i.stage || i.services.length === 0 || i.services.some((s) => svcDev.get(s) === undefined)) continue;
    const start = [inherited(i.stage, 'ENTRYPOINT'), inherited(i.stage, 'CMD')].find((x) => x !== undefined && RUNSERVER.test(x.args));
    const script = start ? undefined : startScripts(i, i.stage, input.fs).texts.find((t) => RUNSERVER.test(t.text));
    if (start || script) i.dev = `it starts Django's development server (${start ? `${start.keyword} line ${start.line + 1}` : script!.name}) and only development compose services build it (${i.services.map((s) => s.name).join(', ')})`;
  }
  const byFile = new Map(images.map((i) => [i.file, i]));
  const model: DeploymentModel = { compose, composeDev, serviceDev: svcDev, images, image: (file) => byFile.get(file) };
  // an image built FROM the project's own base image (kuma: FROM mdnwebdocs/kuma_base) is Python when that one is
  for (const i of images) {
    if (i.python || !i.stage) continue;
    const base = projectImageFor(stageChain(i.stage).pop()!.base, model);
    if (base && base !== i && base.python) i.python = true;
  }
  return model;
}

// ---------------------------------------------------------------- users

/** Official images (and a few well-known ones) that run as root unless told otherwise. */
function rootByDefault(image: string): boolean {
  const name = image.replace(/^docker\.io\//, '').replace(/^library\//, '').split(/[:@]/)[0];
  if (!name.includes('/')) return true;
  return /^(ghcr\.io\/astral-sh\/uv|continuumio\/|condaforge\/miniforge|tiangolo\/)/.test(name);
}

/** A project Dockerfile that builds the image `base` (folder or file named like the image). */
function projectImageFor(base: string, model: DeploymentModel): DockerImage | undefined {
  const name = base.split(/[:@]/)[0];
  const short = name.split('/').pop() ?? name;
  const byService = model.compose.flatMap((c) => c.services).find((s) => s.build && s.image && s.image.split(/[:@]/)[0] === name);
  if (byService?.build) return model.image(byService.build.dockerfile);
  return model.images.find((i) => {
    const dir = path.basename(path.dirname(i.file)).toLowerCase();
    const file = path.basename(i.file).toLowerCase();
    return dir === short || file === `dockerfile.${short}` || file === `${short}.dockerfile`;
  });
}

export type UserVerdict =
  | { state: 'root'; at?: DockerInstruction; created?: string }
  | { state: 'user'; user: string; at?: DockerInstruction }
  | { state: 'unknown'; reason: string };

/** Who the stage's processes run as: its USER (own or inherited), else its base image's. */
export function stageUser(image: DockerImage, stage: DockerStage, model: DeploymentModel, seen = new Set<string>()): UserVerdict {
  const user = inherited(stage, 'USER');
  if (user) {
    const idx = image.df.instructions.indexOf(user);
    const value = expand(splitWords(user.args)[0] ?? '', variablesAt(image.df, idx)).split(':')[0];
    if (value === 'root' || value === '0') return { state: 'root', at: user };
    return { state: 'user', user: value, at: user };
  }
  const root = stageChain(stage).pop()!;
  const created = stageChain(stage)
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'RUN')
    .map((i) => createdUser(i.args))
    .find((u) => u !== undefined);
  if (rootByDefault(root.base)) return { state: 'root', created };
  const project = projectImageFor(root.base, model);
  if (project && project.stage && !seen.has(project.file)) {
    seen.add(project.file);
    const v = stageUser(project, project.stage, model, seen);
    return v.state === 'root' ? { state: 'root', created: created ?? v.created } : v;
  }
  return { state: 'unknown', reason: `it is built on ${root.base}, whose user is not known here` };
}

/** Commands that start the real process as another user. */
const DROP = /\b(gosu|su-exec|s6-setuidgid|setuidgid|chpst\s+-u|runuser\s+-u|setpriv\s+--reuid|setuser)\b|--uid[= ]\S|\bgunicorn\b[^\n]*\s--user[= ]\S/;

/** How the application drops root (gosu in the entrypoint, a uWSGI `uid`...), if it does. */
export function dropsPrivileges(image: DockerImage, stage: DockerStage, fs: FileSystem): string | undefined {
  const chain = stageChain(stage);
  const all = chain.flatMap((s) => s.instructions);
  for (const i of all) {
    const m = DROP.exec(i.args);
    if (m && i.keyword !== 'COPY' && i.keyword !== 'ADD') return `${i.keyword} line ${i.line + 1} uses ${m[0].trim().split(/\s/)[0]}`;
    if (i.keyword === 'ENV' && /\bUWSGI_UID\b/.test(i.args)) return `ENV line ${i.line + 1} sets UWSGI_UID`;
  }
  // the scripts the entrypoint / command start, and the server configuration they name
  const start = inherited(stage, 'ENTRYPOINT') ?? inherited(stage, 'CMD');
  if (start && /\b(apache2ctl|apache2-foreground|httpd)\b/.test(start.args)) return `${start.keyword} line ${start.line + 1} starts Apache, whose mod_wsgi processes run as the Apache user`;
  const { words, texts, read } = startScripts(image, stage, fs);
  for (const { name, text } of [...texts]) {
    const m = DROP.exec(text);
    if (m) return `${name} uses ${m[0].trim().split(/\s/)[0]}`;
    for (const w of commandWords(text)) if (/\.(ini|ya?ml|py)$/.test(w) && /uwsgi|gunicorn/i.test(text)) read(w);
  }
  if (words.some((w) => /gunicorn/.test(w)) || texts.some((t) => /\bgunicorn\b/.test(t.text))) read('gunicorn.conf.py');
  for (const { name, text } of texts) {
    if (/\.ini$/.test(name) && /^\s*uid\s*[=:]\s*(?!root\b|0\b)\S/m.test(text)) return `${name} sets uid`;
    if (/gunicorn.*\.py$/.test(name) && /^\s*user\s*=\s*(?!0\b|["']root["'])\S/m.test(text)) return `${name} sets user`;
  }
  return undefined;
}

/** The scripts an image's ENTRYPOINT / CMD start (read through the COPY that puts them in the image), and a reader for more files of its context. */
export function startScripts(image: DockerImage, stage: DockerStage, fs: FileSystem): { words: string[]; texts: { name: string; text: string }[]; read(word: string): void } {
  const all = stageChain(stage).flatMap((s) => s.instructions);
  const entry = [inherited(stage, 'ENTRYPOINT'), inherited(stage, 'CMD')].filter((x): x is DockerInstruction => x !== undefined);
  const words = entry.flatMap((i) => commandWords(i.args));
  const copies = all.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map(copyParts).filter((c) => c.from === undefined);
  const texts: { name: string; text: string }[] = [];
  const read = (word: string) => {
    for (const p of sourcesFor(word, copies, image.context)) {
      const t = fs.readFile(p);
      if (t !== undefined && t.length < 200_000) {
        texts.push({ name: path.basename(p), text: t });
        return;
      }
    }
  };
  for (const w of words) if (/[/.]/.test(w) && !w.startsWith('-')) read(w);
  return { words, texts, read };
}

/** `manage.py runserver` (or django-admin / python -m django) in a command or script. */
export const RUNSERVER = /manage\.py["',\s]+runserver|django-admin["',\s]+runserver|-m\s+django["',\s]+runserver/;

function commandWords(args: string): string[] {
  const a = args.trim();
  if (a.startsWith('[')) {
    try {
      return (JSON.parse(a) as unknown[]).filter((w): w is string => typeof w === 'string').flatMap((w) => splitWords(w));
    } catch {
      /* shell form below */
    }
  }
  return splitWords(a).map((w) => w.replace(/^["']|["';]$/g, ''));
}

/** Where the file an image path names comes from: a COPY that puts it there, or the same path in the context. */
function sourcesFor(word: string, copies: { sources: string[]; dest: string }[], context: string): string[] {
  const out: string[] = [];
  const base = path.posix.basename(word);
  for (const c of copies) {
    const dest = c.dest.replace(/\/+$/, '');
    for (const s of c.sources) {
      if (path.posix.basename(s) === base) out.push(path.join(context, s));
      // a folder copied to a place above the path: the rest of the path inside that folder
      else if (word.startsWith(dest + '/') && (dest || c.dest.startsWith('/'))) out.push(path.join(context, s, word.slice(dest.length + 1)));
    }
  }
  const rel = word.replace(/^\.\//, '');
  if (!path.posix.isAbsolute(rel)) out.push(path.join(context, rel));
  out.push(path.join(context, base));
  return [...new Set(out)];
}

/** Options of useradd/adduser that take a value. */
const USER_OPTION_VALUE = new Set(['-g', '-G', '--gid', '--ingroup', '--groups', '-d', '--home', '--home-dir', '-s', '--shell', '-u', '--uid', '-c', '--comment', '--gecos', '-k', '--skel', '-p', '--password', '-K', '-e', '-f']);

/** The user a `useradd` / `adduser` command creates (for messages). */
function createdUser(cmd: string): string | undefined {
  for (const part of cmd.split(/&&|\|\||;/)) {
    const words = splitWords(part.trim()).map((w) => w.replace(/^["']|["']$/g, ''));
    const at = words.findIndex((w) => w === 'useradd' || w === 'adduser' || w.endsWith('/useradd') || w.endsWith('/adduser'));
    if (at < 0) continue;
    let name: string | undefined;
    for (let k = at + 1; k < words.length; k++) {
      const w = words[k];
      if (w.startsWith('-')) {
        if (USER_OPTION_VALUE.has(w)) k++;
        continue;
      }
      if (/^[a-z_$][\w.${}-]*$/i.test(w)) name = w;
    }
    if (name) return name;
  }
  return undefined;
}
