/**
 * docker compose files read as data (the `yaml` package: anchors, `<<` merges, positions), and
 * what each service says about itself: what it builds (context, Dockerfile, target), the command
 * it runs, the folders it mounts, its environment, its user and health check. Nothing is run.
 * Templated files (cookiecutter's `{% if %}`) are read as far as YAML can; what it cannot read
 * is simply absent.
 */
import * as path from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';

/** A 0-based position in the file. */
export interface YamlPos {
  line: number;
  character: number;
}

export interface YamlSpan {
  start: YamlPos;
  end: YamlPos;
}

export interface ComposeService {
  /** The compose file. */
  file: string;
  name: string;
  /** Where the service's key is. */
  at: YamlSpan;
  build?: {
    /** `context:` / `dockerfile:` as written. */
    contextRaw: string;
    dockerfileRaw?: string;
    /** Absolute build context. */
    context: string;
    /** Absolute Dockerfile path (context/Dockerfile when not given). */
    dockerfile: string;
    target?: string;
    args: Record<string, string>;
  };
  image?: string;
  /** The command / entrypoint as one line, where they are written. */
  command?: { text: string; at: YamlSpan };
  entrypoint?: { text: string; at: YamlSpan };
  /** Mounts as `SOURCE:TARGET[:MODE]` (long syntax turned into that). */
  volumes: string[];
  environment: Record<string, string>;
  /** env_file paths (absolute). */
  envFiles: string[];
  user?: string;
  /** `healthcheck:` (disable: true or test NONE count as none). */
  healthcheck?: { test: string; disabled: boolean; at: YamlSpan };
}

export interface ComposeFile {
  path: string;
  services: ComposeService[];
  /** The file has YAML errors (a template): what could be read is still there. */
  partial: boolean;
}

type Plain = string | number | boolean | null | Plain[] | PlainMap;
interface PlainMap {
  [k: string]: Plain;
}

/** A YAML node as plain data: aliases resolved, `<<` merges applied (at most `depth` levels). */
function plain(node: unknown, doc: Document, depth = 0): Plain {
  if (depth > 30) return null;
  if (isAlias(node)) return plain(node.resolve(doc), doc, depth + 1);
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : v === null || v === undefined ? null : String(v);
  }
  if (isSeq(node)) return node.items.map((i) => plain(i, doc, depth + 1));
  if (isMap(node)) {
    const out: PlainMap = {};
    const own: [string, Plain][] = [];
    for (const p of node.items) {
      if (!isPair(p)) continue;
      const key = isScalar(p.key) ? String(p.key.value) : undefined;
      if (key === undefined) continue;
      if (key === '<<') {
        const v = plain(p.value, doc, depth + 1);
        for (const src of Array.isArray(v) ? v : [v]) if (src && typeof src === 'object' && !Array.isArray(src)) Object.assign(out, src);
        continue;
      }
      own.push([key, plain(p.value, doc, depth + 1)]);
    }
    for (const [k, v] of own) out[k] = v;
    return out;
  }
  return null;
}

/** The node under `key` of a map node, following `<<` merges (for positions). */
function child(node: unknown, key: string, doc: Document, depth = 0): YamlNode | undefined {
  if (depth > 30) return undefined;
  if (isAlias(node)) return child(node.resolve(doc), key, doc, depth + 1);
  if (!isMap(node)) return undefined;
  let merged: YamlNode | undefined;
  for (const p of node.items) {
    if (!isPair(p) || !isScalar(p.key)) continue;
    const k = String(p.key.value);
    if (k === key) return (p.value ?? p.key) as YamlNode;
    if (k === '<<' && merged === undefined) {
      const sources = isSeq(p.value) ? p.value.items : [p.value];
      for (const s of sources) {
        merged = child(s, key, doc, depth + 1);
        if (merged) break;
      }
    }
  }
  return merged;
}

function keyNode(node: unknown, key: string): YamlNode | undefined {
  if (!isMap(node)) return undefined;
  for (const p of node.items) if (isPair(p) && isScalar(p.key) && String(p.key.value) === key) return p.key as YamlNode;
  return undefined;
}

const str = (v: Plain | undefined): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** A command written as a string or a list, as one line. */
function commandText(v: Plain | undefined): string | undefined {
  if (Array.isArray(v)) return v.map((x) => str(x) ?? '').join(' ');
  return str(v);
}

/** `environment:` / build `args:` as a map (list `KEY=value` form too). */
function keyValues(v: Plain | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = str(item);
      if (s === undefined) continue;
      const eq = s.indexOf('=');
      if (eq < 0) out[s.trim()] = '';
      else out[s.slice(0, eq).trim()] = s.slice(eq + 1).trim();
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out[k] = str(x) ?? '';
  }
  return out;
}

/** Parses a compose file; undefined when it has no `services:` map. */
export function parseCompose(file: string, text: string): ComposeFile | undefined {
  const counter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false, strict: false });
  } catch {
    return undefined;
  }
  const span = (n: YamlNode | undefined): YamlSpan => {
    const r = n?.range ?? [0, 0];
    const s = counter.linePos(r[0]);
    // a value's range may run to the next key: end on the same line as the start
    const lineEnd = text.indexOf('\n', r[0]);
    const endOffset = Math.min(r[1], lineEnd < 0 ? text.length : lineEnd);
    const e = counter.linePos(Math.max(r[0], endOffset));
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  const servicesNode = child(doc.contents, 'services', doc);
  if (!isMap(servicesNode)) return undefined;
  const dir = path.dirname(file);
  const services: ComposeService[] = [];
  for (const p of servicesNode.items) {
    if (!isPair(p) || !isScalar(p.key)) continue;
    const name = String(p.key.value);
    let data: Plain;
    try {
      data = plain(p.value, doc);
    } catch {
      continue;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) data = {};
    const svc: ComposeService = { file, name, at: span(p.key as YamlNode), volumes: [], environment: keyValues(data.environment), envFiles: [] };
    const b = data.build;
    if (typeof b === 'string') svc.build = { contextRaw: b, context: path.resolve(dir, b), dockerfile: path.resolve(dir, b, 'Dockerfile'), args: {} };
    else if (b && typeof b === 'object' && !Array.isArray(b)) {
      const context = path.resolve(dir, str(b.context) ?? '.');
      const df = str(b.dockerfile);
      svc.build = { contextRaw: str(b.context) ?? '.', dockerfileRaw: df, context, dockerfile: path.resolve(context, df ?? 'Dockerfile'), target: str(b.target), args: keyValues(b.args) };
    }
    svc.image = str(data.image);
    const cmd = commandText(data.command);
    if (cmd !== undefined) svc.command = { text: cmd, at: span(child(p.value, 'command', doc)) };
    const ep = commandText(data.entrypoint);
    if (ep !== undefined) svc.entrypoint = { text: ep, at: span(child(p.value, 'entrypoint', doc)) };
    if (Array.isArray(data.volumes)) {
      for (const v of data.volumes) {
        if (typeof v === 'string') svc.volumes.push(v);
        else if (v && typeof v === 'object' && !Array.isArray(v)) {
          const source = str(v.source);
          const target = str(v.target);
          if (source !== undefined && target !== undefined) svc.volumes.push(`${source}:${target}`);
        }
      }
    }
    const ef = data.env_file;
    for (const e of Array.isArray(ef) ? ef : ef === undefined || ef === null ? [] : [ef]) {
      const p2 = typeof e === 'object' && e && !Array.isArray(e) ? str(e.path) : str(e);
      if (p2) svc.envFiles.push(path.resolve(dir, p2));
    }
    svc.user = str(data.user);
    const hc = data.healthcheck;
    if (hc && typeof hc === 'object' && !Array.isArray(hc)) {
      const test = commandText(hc.test) ?? '';
      svc.healthcheck = { test, disabled: hc.disable === true || /^\s*NONE\b/.test(test), at: span(keyNode(p.value, 'healthcheck') ?? child(p.value, 'healthcheck', doc)) };
    }
    services.push(svc);
  }
  return { path: file, services, partial: doc.errors.length > 0 };
}
