/**
 * "Does this fixed module run?" as far as it can be told without running it: python3 compiles it
 * (ast.parse: nothing is executed) and every name used by the code that runs at import time
 * (module level, class bodies, decorators, default values, comprehensions) is bound by then:
 * builtins, imports, assignments, defs and classes above it; names bound inside a branch count
 * after the branch; after `from x import *` anything may be bound.
 */
import { spawnSync } from 'node:child_process';

const SCRIPT = String.raw`
import ast, builtins, json, sys

MODULE_NAMES = {"__file__", "__name__", "__doc__", "__package__", "__spec__", "__loader__", "__path__", "__builtins__", "__annotations__"}

def stores(node):
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)): out.add(n.id)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for a in n.names: out.add("*" if a.name == "*" else (a.asname or a.name.split(".")[0]))
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): out.add(n.name)
        elif isinstance(n, ast.ExceptHandler) and n.name: out.add(n.name)
        elif isinstance(n, ast.alias): pass
    return out

class Loads(ast.NodeVisitor):
    """Names loaded when a statement runs at module level (function bodies run later)."""
    def __init__(self): self.names = []
    def visit_FunctionDef(self, n):
        for d in n.decorator_list + n.args.defaults + [x for x in n.args.kw_defaults if x]: self.visit(d)
    visit_AsyncFunctionDef = visit_FunctionDef
    def visit_Lambda(self, n):
        for d in n.args.defaults + [x for x in n.args.kw_defaults if x]: self.visit(d)
    def comprehension(self, n):
        inner = Loads()
        for child in ast.iter_child_nodes(n): inner.visit(child)
        targets = set()
        for g in n.generators: targets |= stores(g.target)
        self.names += [x for x in inner.names if x.id not in targets]
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = comprehension
    def visit_Name(self, n):
        if isinstance(n.ctx, ast.Load): self.names.append(n)

def check(src):
    try: tree = ast.parse(src)
    except (SyntaxError, ValueError): return None
    bound = set(dir(builtins)) | MODULE_NAMES
    star = False
    problems = []
    for stmt in tree.body:
        v = Loads(); v.visit(stmt)
        # names a compound statement binds before using them (for x in ...: x; try: import a except: a = None)
        own = stores(stmt) if isinstance(stmt, (ast.If, ast.Try, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.ClassDef)) else set()
        walrus = set(n.target.id for n in ast.walk(stmt) if isinstance(n, ast.NamedExpr))
        for n in v.names:
            if not star and n.id not in bound and n.id not in own and n.id not in walrus:
                problems.append("%s is used on line %d before it is bound" % (n.id, n.lineno))
        b = stores(stmt)
        star = star or "*" in b
        bound |= b
    return problems

print(json.dumps([check(s) for s in json.load(sys.stdin)]))
`;

let available: boolean | undefined;

export function hasPython(): boolean {
  if (available === undefined) available = spawnSync('python3', ['--version']).status === 0;
  return available;
}

/**
 * For each source: undefined when it does not compile, else the names used before they are
 * bound (empty: it runs as far as names go). Throws when python3 is missing (check hasPython()).
 */
export function unboundNames(sources: string[]): (string[] | undefined)[] {
  const r = spawnSync('python3', ['-c', SCRIPT], { input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new Error(`python3 failed: ${r.error?.message ?? r.stderr}`);
  return (JSON.parse(r.stdout) as (string[] | null)[]).map((x) => x ?? undefined);
}
