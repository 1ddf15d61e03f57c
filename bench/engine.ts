/**
 * Engine benchmark (not a test): time from a one-character edit of a generated 1,000-line
 * settings module to its findings, after warm-up; also cold analysis and parse-only times.
 * Run: npm run bench:engine
 */
import { allRules } from '../rules/index.generated';
import { Analyzer, initParser, mergeConfig, MemoryFileSystem, parseOnce } from '../server/src/engine';
import { generateSettings } from './settings-generator';

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms (n=${s.length})`;
}

async function main() {
  await initParser();
  const text = generateSettings(1000);
  const root = '/bench';
  const file = `${root}/mysite/settings.py`;
  const fs = new MemoryFileSystem({ 'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n", 'mysite/__init__.py': '', 'mysite/settings.py': text }, root);
  const config = mergeConfig({});
  console.log(`settings module: ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(1)} KB; rules: ${allRules.length}`);

  const parse: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    parseOnce(file, text).tree.delete();
    parse.push(performance.now() - t);
  }
  console.log(`full parse (tree-sitter + IR):         ${stats(parse.slice(5))}`);

  const cold: number[] = [];
  for (let i = 0; i < 15; i++) {
    const an = new Analyzer({ rules: allRules, fs });
    const t = performance.now();
    an.analyze(root, config);
    cold.push(performance.now() - t);
    an.cache.clear();
  }
  console.log(`cold analysis (new analyzer):          ${stats(cold.slice(3))}`);

  const an = new Analyzer({ rules: allRules, fs });
  an.analyze(root, config);
  const edit: number[] = [];
  let current = text;
  const anchor = current.indexOf('TIMEOUT_7 = ');
  for (let i = 0; i < 220; i++) {
    // Keystrokes arrive as separate events: let the event loop (and the GC) run between them,
    // as it does in the language server. No extra delay is added.
    await new Promise((r) => setImmediate(r));
    // type one digit into a line in the middle of the file, as a user would
    current = current.slice(0, anchor + 12) + String(i % 10) + current.slice(anchor + 13);
    fs.write(file, current);
    const t = performance.now();
    const r = an.analyze(root, config);
    edit.push(performance.now() - t);
    if (r.findings.length === 0) throw new Error('no findings: benchmark is broken');
  }
  console.log(`edit -> findings (incremental, warm):  ${stats(edit.slice(20))}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
