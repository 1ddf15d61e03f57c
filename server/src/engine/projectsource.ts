/**
 * Other modules of the project, read as text for a code rule that needs to know what an imported
 * name is (a decorator's body, a constant): `hc.api.decorators.authorize` -> the source of that
 * `def`. Nothing is parsed or imported; a module is read once per file check. What is found is
 * used to say more precise things, never to import or run anything.
 *
 * The result depends on the other module: an editor re-checks a file when it changes, not when a
 * module it reads this way changes (its findings may then lag until the file itself is checked).
 */
import * as path from 'node:path';
import { resolveModuleFile, type FileSystem } from './project';

export class ProjectSource {
  private readonly texts = new Map<string, string | undefined>();

  constructor(
    private readonly fs: FileSystem,
    private readonly root: string,
    /** The file being checked (relative imports, and it is never read again from disk). */
    private readonly from: string,
  ) {}

  /** The file and text of the module a qualified name lives in, and the rest of the name. */
  private locate(qualified: string): { text: string; rest: string[] } | undefined {
    const parts = qualified.split('.');
    for (let i = parts.length - 1; i >= 1; i--) {
      const file = resolveModuleFile(this.fs, this.root, this.from, parts.slice(0, i).join('.'), 0);
      if (!file || path.resolve(file) === path.resolve(this.from)) continue;
      if (!this.texts.has(file)) this.texts.set(file, this.fs.readFile(file));
      const text = this.texts.get(file);
      return text === undefined ? undefined : { text, rest: parts.slice(i) };
    }
    return undefined;
  }

  /** The source of `def NAME` / `class NAME` (with its decorators), or `Class.method`, of another module. */
  definitionText(qualified: string): string | undefined {
    const loc = this.locate(qualified);
    return loc && loc.rest.length > 0 ? definitionText(loc.text, loc.rest) : undefined;
  }

  /** The whole text of the module `pkg.mod.name` lives in (its imports, for a helper read with definitionText). */
  moduleText(qualified: string): string | undefined {
    const loc = this.locate(qualified);
    return loc && loc.rest.length > 0 ? loc.text : undefined;
  }

  /** Whether `pkg.mod.Class.member` is a number or string literal set once in that class's body. */
  classConstant(qualifiedClass: string, member: string): boolean {
    const text = this.definitionText(qualifiedClass);
    return text !== undefined && /^\s*(?:@.*\n\s*)*class\b/.test(text) && classLiteral(text, member);
  }

  /** The string a module-level `NAME = "..."` of another module assigns (a literal only). */
  constantString(qualified: string): string | undefined {
    const loc = this.locate(qualified);
    if (!loc || loc.rest.length !== 1) return undefined;
    const name = loc.rest[0].replace(/[^\w]/g, '');
    const m = new RegExp(`^${name}[ \\t]*(?::[^=\\n]+)?=[ \\t]*[rRuU]?(["'])([^"'\\\\\\n]*)\\1[ \\t]*(?:#.*)?$`, 'm').exec(loc.text);
    if (!m) return undefined;
    // assigned once only (a later assignment could change it)
    const again = new RegExp(`^${name}[ \\t]*(?::[^=\\n]+)?=`, 'gm');
    return (loc.text.match(again) ?? []).length === 1 ? m[2] : undefined;
  }
}

/**
 * Whether `Class.member` of another module is a number or a string literal assigned once in the
 * class body (`class NotifyLevel(IntEnum): none = 3`): what an enum member or a class constant
 * holds. Read as text: the first body line sets the body's indentation.
 */
export function classLiteral(classText: string, member: string): boolean {
  const lines = classText.split('\n');
  const start = lines.findIndex((l) => /^\s*class\b/.test(l));
  const body = lines.slice(start + 1).filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  if (body.length === 0) return false;
  const indent = /^[ \t]*/.exec(body[0])?.[0] ?? '';
  const name = member.replace(/[^\w]/g, '');
  const assign = new RegExp(`^${indent}${name}[ \\t]*(?::[^=\\n]+)?=(?!=)`);
  const literal = new RegExp(`^${indent}${name}[ \\t]*(?::[^=\\n]+)?=[ \\t]*(?:-?\\d+(?:\\.\\d+)?|[rRuU]?(["'])[^"'\\\\\\n]*\\1)[ \\t]*(?:#.*)?$`);
  const at = body.filter((l) => assign.test(l));
  return at.length === 1 && literal.test(at[0]);
}

/** The text of the top-level `def`/`class` NAME of a module's source (with its decorators), then of `Class.method`. */
export function definitionText(source: string, names: string[]): string | undefined {
  let text = source;
  for (const name of names) {
    const re = new RegExp(`^([ \\t]*)(?:async[ \\t]+)?(?:def|class)[ \\t]+${name.replace(/[^\w]/g, '')}\\b`, 'm');
    const m = re.exec(text);
    if (!m) return undefined;
    const indent = m[1].length;
    const lines = text.slice(m.index).split('\n');
    const out = [lines[0]];
    for (const line of lines.slice(1)) {
      if (line.trim() !== '' && line.length - line.trimStart().length <= indent && !/^\s*[)\]}#]/.test(line)) break;
      out.push(line);
    }
    // the decorators right above
    const before = text.slice(0, m.index).split('\n');
    before.pop();
    while (before.length > 0 && /^\s*@/.test(before[before.length - 1])) out.unshift(before.pop() as string);
    text = out.join('\n');
  }
  return text;
}
