/**
 * The test subjects shared by the fix-safety and security tests: every rule fixture (valid and
 * invalid variants, laid out as the fixture runner lays them out) and every example project, as
 * plain file maps that can be mounted in a MemoryFileSystem or written to a temporary folder.
 * Also: the secret literals written in them, and a batch Python parse check.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../../rules/index.generated';
import { MemoryFileSystem, parseOnce, type PartialConfig } from '../../server/src/engine';
import { fixturesRoot } from './fixtures';

export interface Subject {
  name: string;
  /** Relative path (with /) -> text. */
  files: Map<string, string>;
  config?: PartialConfig;
}

const VARIANT = /^(invalid\.fixed|invalid|valid)(\.[^./]+)?$/;

function readTree(dir: string, rename: (rel: string) => string | undefined = (r) => r): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const rel = rename(path.relative(dir, p).split(path.sep).join('/'));
        if (rel !== undefined) out.set(rel, fs.readFileSync(p, 'utf8'));
      }
    }
  };
  walk(dir);
  return out;
}

/** Every rule's valid and invalid fixtures, each as a small project (settings.py, app/views.py...). */
export function ruleFixtureSubjects(): Subject[] {
  const out: Subject[] = [];
  for (const rule of [...allRules].sort((a, b) => a.meta.code.localeCompare(b.meta.code))) {
    const dir = path.join(fixturesRoot, 'rules', rule.meta.name);
    if (!fs.existsSync(dir)) continue;
    const specPath = path.join(dir, 'fixture.json');
    const spec = fs.existsSync(specPath) ? (JSON.parse(fs.readFileSync(specPath, 'utf8')) as { file?: string; config?: PartialConfig }) : {};
    const fileName = spec.file ?? (rule.meta.kind === 'code' ? 'app/views.py' : 'settings.py');
    for (const variant of ['invalid', 'valid'] as const) {
      const files = readTree(dir, (rel) => {
        if (rel === 'fixture.json') return undefined;
        const m = VARIANT.exec(rel);
        if (!m) return rel;
        return m[1] === variant ? fileName : undefined;
      });
      if (!files.has(fileName)) continue;
      // every fixture is a Django project, as the fixture runner makes it (rules.test.ts): a folder
      // with no trace of Django is not checked at all
      if (!files.has('manage.py')) files.set('manage.py', '# the fixture is a Django project\n');
      out.push({ name: `${rule.meta.code} ${rule.meta.name} ${variant}`, files, config: spec.config });
    }
  }
  return out;
}

/** The example projects under test/fixtures/projects. */
export function projectSubjects(): Subject[] {
  const dir = path.join(fixturesRoot, 'projects');
  return fs
    .readdirSync(dir)
    .sort()
    .filter((n) => fs.statSync(path.join(dir, n)).isDirectory())
    .map((name) => ({ name: `project ${name}`, files: readTree(path.join(dir, name)) }));
}

export function mount(subject: Subject, root: string): MemoryFileSystem {
  const mem = new MemoryFileSystem();
  for (const [rel, text] of subject.files) mem.write(path.join(root, rel), text);
  return mem;
}

/** Writes the subject to a fresh temporary folder (real path) and returns it. */
export function writeTemp(subject: Subject, prefix = 'djr-subject-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  for (const [rel, text] of subject.files) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

// ------------------------------------------------------------------ secrets

const CRED = String.raw`[A-Za-z_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|SIGNING_KEY|PRIVATE_KEY|ACCESS_KEY)[A-Za-z_]*`;
const STR = String.raw`[rRbBuU]?(?<q>["'])(?<v>(?:(?!\k<q>)[^\\\r\n]|\\.)+)\k<q>`;
const PATTERNS: RegExp[] = [
  // SECRET_KEY = '...', "PASSWORD": "...", EMAIL_HOST_PASSWORD='...'
  new RegExp(String.raw`\b${CRED}["']?\s*[:=]\s*${STR}`, 'g'),
  // os.environ.get("SECRET_KEY", "..."), config("DB_PASSWORD", default="..."), os.getenv("X_SECRET_KEY") or "..."
  new RegExp(String.raw`["']${CRED}["']\s*(?:,\s*(?:default\s*=\s*)?|\)\s*or\s*)${STR}`, 'g'),
  // environ.Env(SECRET_KEY=(str, "..."))
  new RegExp(String.raw`\b${CRED}\s*=\s*\(\s*\w+\s*,\s*${STR}`, 'g'),
];
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^:/@\s'"]*:([^@\s'"]+)@/gi;
const DOTENV = new RegExp(String.raw`^[ \t]*(?:export[ \t]+)?${CRED}[ \t]*=[ \t]*["']?([^"'\s]+)`, 'gm');

function plausibleSecret(v: string): boolean {
  if (v.length < 6) return false;
  if (/^[A-Z0-9_]+$/.test(v)) return false; // an environment variable's name
  if (/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(v)) return false; // a dotted import path
  return true;
}

/**
 * The secret literals written in a file: string values of credential-like names (SECRET_KEY,
 * *_PASSWORD, *_TOKEN...), their defaults in environment lookups, URL passwords, and the values
 * of credential-like variables in .env files.
 */
export function secretLiterals(text: string, fileName = 'settings.py'): Set<string> {
  const out = new Set<string>();
  for (const re of PATTERNS) for (const m of text.matchAll(re)) if (m.groups && plausibleSecret(m.groups.v)) out.add(m.groups.v);
  for (const m of text.matchAll(URL_PASSWORD)) if (plausibleSecret(m[1]) && !/^\$\{/.test(m[1])) out.add(m[1]);
  if (path.basename(fileName).startsWith('.env')) for (const m of text.matchAll(DOTENV)) if (plausibleSecret(m[1])) out.add(m[1]);
  return out;
}

/** Where a secret shows in `output`: the whole value, or (for long ones) all but the masked prefix. */
export function leaks(output: string, secret: string): boolean {
  if (output.includes(secret)) return true;
  return secret.length >= 12 && output.includes(secret.slice(3));
}

// ------------------------------------------------------------------ Python parse check

let python: boolean | undefined;

const PY_BATCH = `
import ast, json, sys, warnings
warnings.simplefilter('ignore')
out = []
for src in json.loads(sys.stdin.read()):
    try:
        ast.parse(src)
        out.append(True)
    except BaseException:
        out.append(False)
print(json.dumps(out))
`;

/**
 * Whether each text parses as Python: one python3 process for the whole batch (ast.parse), or,
 * without python3, tree-sitter with no ERROR or MISSING node. `checker` says which decided.
 */
export function parsesBatch(texts: string[]): { results: boolean[]; checker: 'python3' | 'tree-sitter' } {
  if (python !== false) {
    const r = spawnSync('python3', ['-c', PY_BATCH], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (!r.error && r.status === 0) {
      python = true;
      const results = JSON.parse(r.stdout) as boolean[];
      if (results.length === texts.length) return { results, checker: 'python3' };
    }
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') python = false;
    else if (r.error || r.status !== 0) throw new Error(`python3 failed: ${r.error?.message ?? r.stderr}`);
  }
  return {
    results: texts.map((t) => {
      const m = parseOnce('/check.py', t);
      try {
        return !m.tree.rootNode.hasError && m.syntaxErrors.length === 0;
      } finally {
        m.tree.delete();
      }
    }),
    checker: 'tree-sitter',
  };
}

/** The comments of a Python text (tree-sitter comment nodes), in order. */
export function commentsOf(text: string): string[] {
  const m = parseOnce('/comments.py', text);
  try {
    const out: string[] = [];
    const cursor = m.tree.walk();
    let done = false;
    while (!done) {
      if (cursor.nodeType === 'comment') out.push(cursor.nodeText.trim());
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
      }
    }
    cursor.delete();
    return out;
  } finally {
    m.tree.delete();
  }
}
