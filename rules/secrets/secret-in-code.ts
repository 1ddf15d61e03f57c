import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { field, defineRule, maskSecret, plainStringInfo, plainText, unparen, type CodeVisitors, type FileContext, type FixSpec } from '../../server/src/engine';

/** Token formats that are credentials wherever they appear. */
const KNOWN: { name: string; re: RegExp }[] = [
  { name: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'a Stripe live secret key', re: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/ },
  { name: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { name: 'a Slack token', re: /\bxox[bpars]-[0-9A-Za-z-]{10,}/ },
  { name: 'a private key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----/ },
  { name: 'a Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'a GitLab token', re: /\bglpat-[0-9A-Za-z_-]{20,}\b/ },
  { name: 'a SendGrid API key', re: /\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}\b/ },
];
const KNOWN_PREFILTER = /AKIA|ASIA|k_live_|gh[pousr]_|github_pat_|xox[bpars]-|PRIVATE KEY|AIza|glpat-|SG\./;

/** Names that say they hold a credential: `STRIPE_SECRET`, `self.api_key`, `GITHUB_TOKEN`, `DB_PASSWORD`. */
const SECRET_NAME = /(?:^|_)(?:API_?KEY|SECRET_KEY|ACCESS_KEY|PRIVATE_KEY)$|_(?:SECRET|TOKEN|PASSWORD|PASSWD)$/i;

/** Values that are not credentials: placeholders, examples, masks, templates. */
const PLACEHOLDER = /example|sample|dummy|placeholder|change|your|xxx|fake|todo|replace|insert|enter|redacted|\*\*\*|<[^>]*>|\{[^}]*\}|%[sd(]|\$\{?\w/i;

/** Folders of code that is not deployed: development setups, examples, documentation. */
const NOT_DEPLOYED = new Set(['development', 'dev', 'examples', 'example', 'samples', 'sample', 'demo', 'docs', 'doc', 'scripts', 'fixtures']);

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Whether a literal assigned to a secret-named variable looks like a credential rather than a
 * name, a message or a code (`"invalid_token"`, `"Invalid or expired token."`, `'********'`):
 * at least 8 characters, no spaces, not a lower-case identifier, mixed characters, not a placeholder.
 */
export function credentialShaped(v: string): boolean {
  if (v.length < 8 || v.length > 4096 || /\s/.test(v)) return false;
  if (PLACEHOLDER.test(v)) return false;
  // enum values, setting names, URL names: invalid_token, set-active, REQUEST_TOKEN
  if (/^[a-z][a-z0-9]*(?:[_.:-][a-z0-9]+)*$/.test(v) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(v)) return false;
  if (/^(?:https?|wss?|ftp):\/\//i.test(v) && !/:[^/@]+@/.test(v)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(v)).length;
  return classes >= 2 && entropy(v) >= 3;
}

/** The identifier a secret-named assignment binds (`NAME`, `self.name`, `cls.name`), if any. */
function targetName(left: Node): string | undefined {
  const u = unparen(left);
  if (u.type === 'identifier') return u.text;
  if (u.type === 'attribute') return field(u, 'attribute')?.text;
  return undefined;
}

/** A settings module (DJR101/DJR103 judge those) or code that is not deployed. */
function skipped(ctx: FileContext): boolean {
  if (ctx.project.settingsModules.some((m) => m.path === ctx.file.path)) return true;
  const rel = path.relative(ctx.project.root, ctx.file.path).split(path.sep);
  return rel.slice(0, -1).some((p) => NOT_DEPLOYED.has(p.toLowerCase()));
}

export default defineRule({
  meta: {
    code: 'DJR107',
    name: 'secret-in-code',
    category: 'secrets',
    severity: 'error',
    kind: 'code',
    seeds: ['004'],
    message: 'A credential is written in the application code',
    fixTitle: 'Read it from the environment',
    fix: 'display-only',
    docs: {
      what: "Flags credentials written in application code outside the settings modules (which DJR101/DJR103 judge): a string in a known token format anywhere (`AKIA...` AWS key ids, `sk_live_...` Stripe keys, `ghp_...` GitHub tokens, `xoxb-...` Slack tokens, PEM private keys, `AIza...` Google keys, `glpat-...`, SendGrid keys), and a literal assigned to a name ending in `_SECRET`, `_TOKEN`, `_PASSWORD`, `_API_KEY` (`STRIPE_SECRET = '...'`, `self.api_key = '...'`) when it looks like a credential: at least 8 characters, no spaces, mixed characters, not a lower-case or upper-case identifier (`'invalid_token'`, `'REQUEST_TOKEN'`), not a placeholder (`example`, `changeme`, `<your-key>`, `{token}`, `****`). Test files, and folders of code that is not deployed (development, examples, docs, scripts), are skipped.",
      why: "A credential in the code is in every clone, fork, CI log and backup of the repository, forever (deleting it later leaves it in the history), and rotating it needs a code change and a deploy. Automated scanners find committed AWS and Stripe keys within minutes of a push to a public repository.",
      example: "STRIPE_SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'\n\nclass Client:\n    def __init__(self):\n        self.api_key = '9f8e7d6c5b4a39281706f5e4d3c2b1a0'",
      instead: "import os\n\nSTRIPE_SECRET = os.environ['STRIPE_SECRET']\n\nclass Client:\n    def __init__(self):\n        self.api_key = os.environ['CLIENT_API_KEY']",
      fixSafety: "The fix replaces the literal by `os.environ['NAME']` (adding `import os`) and is offered as a one-off quick fix only (never applied by fix-all or --fix): it removes the value from the code, so store it in the environment (and rotate it: it is in the git history) first. The application then fails at start-up until the variable is set.",
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
        'https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning',
        'https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/',
      ],
    },
  },
  prefilter: /AKIA|ASIA|k_live_|gh[pousr]_|github_pat_|xox[bpars]-|PRIVATE KEY|AIza|glpat-|SG\.[\w-]{20}|(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|(?:ACCESS|PRIVATE)_KEY|SECRET_KEY|[Ss]ecret|[Tt]oken|[Pp]assw(?:or)?d|[Aa]pi_?[Kk]ey|(?:[Ss]ecret|[Aa]ccess|[Pp]rivate)_[Kk]ey)\s*=\s*[rRbBuU]?["']/,
  create(ctx) {
    const skip = skipped(ctx);
    const reported = new Set<number>();
    const text = ctx.module.text;
    const knownIn = KNOWN_PREFILTER.test(text);
    // a file skipped, or without any known token format, asks for no node at all (strings are
    // the most numerous nodes: the walk does not collect them then)
    if (skip) return {};
    const visitors: CodeVisitors = {
      assignment(a) {
        const left = field(a, 'left');
        const right = field(a, 'right');
        const name = left ? targetName(left) : undefined;
        if (!name || !right || !SECRET_NAME.test(name)) return;
        const info = plainStringInfo(right);
        if (!info || /b/.test(info.prefix)) return;
        const value = plainText(info);
        if (!credentialShaped(value) && !KNOWN.some((k) => k.re.test(value))) return;
        const str = unparen(right);
        reported.add(str.id);
        for (const part of str.type === 'concatenated_string' ? str.namedChildren : []) if (part) reported.add(part.id);
        const variable = name.toUpperCase();
        const ed = ctx.editor;
        const fix: FixSpec = {
          title: `Read ${name} from the environment variable ${variable} (removes the literal: store the value there first)`,
          applicability: 'display-only',
          edits: [ed.replace(str.startIndex, str.endIndex, `os.environ[${ed.str(variable)}]`), ...ed.ensureImport('os')],
        };
        ctx.reportNode(a, { message: `${name} holds a credential written in the code (${maskSecret(value)}): it is in every clone and in the git history; read it from the environment and rotate it`, fixes: [fix] });
      },
      string(node) {
        // the parts of an implicit concatenation are judged together ("-----BEGIN..." "MII...")
        const s = node.parent?.type === 'concatenated_string' ? node.parent : node;
        if (reported.has(s.id)) return;
        reported.add(s.id);
        const content = s.text;
        for (const k of KNOWN) {
          const m = k.re.exec(content);
          if (!m || /EXAMPLE|X{6,}|0{10,}/i.test(m[0]) || /example/i.test(content.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40))) continue;
          ctx.reportNode(s, { message: `${k.name[0].toUpperCase()}${k.name.slice(1)} is written in the code (${maskSecret(m[0])}): it is in every clone and in the git history; move it to the environment and rotate it` });
          return;
        }
      },
    };
    if (!knownIn) delete visitors.string;
    return visitors;
  },
});
