/**
 * The semantic model of a Python file (engine/semantic.ts) and the single-walk dispatch of the
 * code rules (engine/codecheck.ts).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { Analyzer, BINDER_TYPES, defineRule, initParser, mayBeNamed, MemoryFileSystem, ParseCache, requestData, SemanticModel, TrustAnalysis, type Rule } from '../../server/src/engine';
import { config } from '../helpers/fixtures';

function model(src: string, dotted = 'shop.views', isPackage = false): { m: SemanticModel; root: Node; src: string } {
  const mod = new ParseCache().parse(`/p/${dotted.replace(/\./g, '/')}.py`, src);
  return { m: new SemanticModel(mod.tree.rootNode, dotted, isPackage), root: mod.tree.rootNode, src };
}

/** The node of `type` whose text is `text` (the `nth` one, 0-based). */
function find(root: Node, type: string, text: string, nth = 0): Node {
  const hits = root.descendantsOfType(type).filter((n): n is Node => !!n && n.text === text);
  const n = hits[nth];
  assert.ok(n, `no ${type} ${JSON.stringify(text)} (#${nth})`);
  return n;
}

describe('semantic model: qualified names', () => {
  before(initParser);

  test('imports, aliases, module aliases and attribute chains resolve to the same name', () => {
    const { m, root } = model(
      [
        'import django.views.decorators.csrf',
        'from django.views.decorators import csrf as c',
        'from django.views.decorators.csrf import csrf_exempt as ce',
        'import django.views.decorators.csrf as dc',
        '@c.csrf_exempt',
        'def a(request): pass',
        '@ce',
        'def b(request): pass',
        '@dc.csrf_exempt',
        'def d(request): pass',
        '@django.views.decorators.csrf.csrf_exempt',
        'def e(request): pass',
      ].join('\n'),
    );
    const Q = 'django.views.decorators.csrf.csrf_exempt';
    for (const text of ['c.csrf_exempt', 'ce', 'dc.csrf_exempt', 'django.views.decorators.csrf.csrf_exempt']) {
      const dec = root.descendantsOfType('decorator').find((d) => d?.namedChildren[0]?.text === text);
      assert.ok(dec, text);
      assert.equal(m.qualifiedName(dec.namedChildren[0]), Q, text);
    }
  });

  test('a local function with the same name does not resolve; nor does a parameter or an assignment', () => {
    const { m, root } = model(
      [
        'def csrf_exempt(view):',
        '    return view',
        '@csrf_exempt',
        'def a(request): pass',
        'def b(mark_safe):',
        '    return mark_safe("x")',
        'format_html = lambda s: s',
        'format_html("x")',
      ].join('\n'),
    );
    assert.equal(m.qualifiedName(find(root, 'identifier', 'csrf_exempt', 1)), undefined);
    assert.equal(m.qualifiedName(find(root, 'identifier', 'mark_safe', 1)), undefined);
    assert.equal(m.qualifiedName(find(root, 'identifier', 'format_html', 1)), undefined);
  });

  test('relative imports are made absolute from the module name; __init__ is its own package', () => {
    const a = model('from . import views\nfrom .models import Shop\nfrom ..core.base import Base as B\nviews; Shop; B', 'shop.api.views');
    assert.equal(a.m.qualifiedName(find(a.root, 'identifier', 'views', 1)), 'shop.api.views');
    assert.equal(a.m.qualifiedName(find(a.root, 'identifier', 'Shop', 1)), 'shop.api.models.Shop');
    assert.equal(a.m.qualifiedName(find(a.root, 'identifier', 'B', 1)), 'shop.core.base.Base');
    const b = model('from .models import Shop\nShop', 'shop', true);
    assert.equal(b.m.qualifiedName(find(b.root, 'identifier', 'Shop', 1)), 'shop.models.Shop');
  });

  test('function-level imports, LEGB, class scopes skipped from methods, global', () => {
    const { m, root } = model(
      [
        'from django.utils.safestring import mark_safe',
        'class W:',
        '    mark_safe = staticmethod(lambda s: s)',
        '    x = mark_safe("a")',
        '    def render(self):',
        '        return mark_safe("b")',
        'def f():',
        '    from django.utils.html import format_html as mark_safe',
        '    return mark_safe("c")',
        'def g():',
        '    return mark_safe("d")',
      ].join('\n'),
    );
    const calls = root.descendantsOfType('call').filter((c): c is Node => !!c && c.childForFieldName('function')?.text === 'mark_safe');
    const q = calls.map((c) => m.qualifiedName(c));
    assert.deepEqual(q, [undefined, 'django.utils.safestring.mark_safe', 'django.utils.html.format_html', 'django.utils.safestring.mark_safe']);
  });

  test('the binding in effect: a name rebound after its import, try/except ImportError fallbacks', () => {
    const { m, root } = model(
      [
        'from a import thing',
        'thing()',
        'thing = None',
        'thing()',
        'try:',
        '    import json',
        'except ImportError:',
        '    json = None',
        'def f():',
        '    return json.dumps(1)',
      ].join('\n'),
    );
    const calls = root.descendantsOfType('call').filter((c): c is Node => !!c);
    assert.equal(m.qualifiedName(calls[0]), 'a.thing');
    assert.equal(m.qualifiedName(calls[1]), undefined);
    assert.equal(m.qualifiedName(calls[2]), 'json.dumps');
  });

  test('builtins, star imports, unknown names', () => {
    const one = model('from django.utils.safestring import *\nmark_safe(x)\nlen(x)');
    const calls = one.root.descendantsOfType('call').filter((c): c is Node => !!c);
    assert.equal(one.m.qualifiedName(calls[0]), 'django.utils.safestring.mark_safe');
    // with a star import, a builtin's name could come from it: no guess
    assert.equal(one.m.qualifiedName(calls[1]), 'django.utils.safestring.len');
    const none = model('mark_safe(x)\nlen(x)');
    const c2 = none.root.descendantsOfType('call').filter((c): c is Node => !!c);
    assert.equal(none.m.qualifiedName(c2[0]), undefined);
    assert.equal(none.m.qualifiedName(c2[1]), 'builtins.len');
    const two = model('from a import *\nfrom b import *\nthing()');
    assert.equal(two.m.qualifiedName(two.root.descendantsOfType('call')[0]), undefined);
  });
});

describe('semantic model: built on first use, from the runner\'s walk', () => {
  const src = [
    'from django.db import migrations as m',
    'import os',
    'class Migration(m.Migration):',
    '    initial = True',
    '    def f(self, m):',
    '        return m.RunPython(g)',
    '    operations = [m.RunPython(os.path.join(\'a\')), (lambda m: m.RunSQL)(1)]',
    '',
  ].join('\n');

  test('a model given the nodes of a wider walk answers as one that walked the tree itself', () => {
    const own = model(src);
    const mod = new ParseCache().parse('/p/shop/views.py', src);
    const supplied = new SemanticModel(mod.tree.rootNode, 'shop.views');
    assert.equal(supplied.built, false);
    supplied.supply(mod.tree.rootNode.descendantsOfType(['call', 'identifier', ...BINDER_TYPES]));
    const names = (m: SemanticModel, root: Node) => root.descendantsOfType('call').map((c) => m.qualifiedName(c));
    assert.deepEqual(names(supplied, mod.tree.rootNode), names(own.m, own.root));
    assert.deepEqual(names(own.m, own.root), [undefined, 'django.db.migrations.RunPython', 'os.path.join', undefined]);
    assert.equal(supplied.built, true);
    assert.deepEqual([...supplied.allScopes()].map((s) => s.kind), [...own.m.allScopes()].map((s) => s.kind));
  });

  test('mayBeNamed rules out an attribute or call only when its qualified name cannot end with the names', () => {
    const { m, root } = model(src);
    const names = new Set(['RunPython']);
    for (const c of root.descendantsOfType('call')) {
      if (!c) continue;
      const fn = c.childForFieldName('function');
      const q = m.qualifiedName(fn);
      // never a false "no": whenever the qualified name ends with the name, mayBeNamed says maybe
      if (q && /(^|\.)RunPython$/.test(q)) assert.ok(mayBeNamed(fn, names), c.text);
    }
    const calls = root.descendantsOfType('call').filter((c): c is Node => !!c);
    assert.equal(mayBeNamed(calls[1].childForFieldName('function'), names), true); // m.RunPython
    assert.equal(mayBeNamed(calls[2].childForFieldName('function'), names), false); // os.path.join
    assert.equal(mayBeNamed(calls[3].childForFieldName('function'), names), false); // (lambda ...)(1)
    assert.equal(mayBeNamed(calls[1], names), true); // a call's name is its callee's
    assert.equal(mayBeNamed(find(root, 'identifier', 'g'), names), true); // a name may be an alias
  });
});

describe('semantic model: scopes, classes and values', () => {
  before(initParser);

  test('enclosing function and class', () => {
    const { m, root } = model(['class V(APIView):', '    def post(self, request):', '        return go(request)', 'def top():', '    return [go(x) for x in y]'].join('\n'));
    const calls = root.descendantsOfType('call').filter((c): c is Node => !!c);
    assert.equal(m.enclosingFunction(calls[0])?.name, 'post');
    assert.equal(m.enclosingClass(calls[0])?.name, 'V');
    assert.equal(m.enclosingFunction(calls[1])?.name, 'top');
    assert.equal(m.enclosingClass(calls[1]), undefined);
    const cls = root.descendantsOfType('class_definition')[0] as Node;
    assert.equal(m.enclosingClass(cls), undefined);
    assert.equal(m.scopeFor(cls)?.kind, 'class');
  });

  test('class bases resolve through imports, and through the classes of the file', () => {
    const { m, root } = model(
      [
        'from rest_framework import viewsets as vs',
        'from rest_framework.views import APIView',
        'from .base import Mine',
        'class Base(vs.ModelViewSet): pass',
        'class Mid(Base, metaclass=Meta): pass',
        'class Leaf(Mid, APIView, Mine, Unknown): pass',
      ].join('\n'),
      'shop.views',
    );
    const leaf = root.descendantsOfType('class_definition').find((c) => c?.childForFieldName('name')?.text === 'Leaf') as Node;
    assert.deepEqual(m.classBases(leaf), [undefined, 'rest_framework.views.APIView', 'shop.base.Mine', undefined]);
    assert.deepEqual(
      m.ancestors(leaf).map((a) => a.qualified ?? `?${a.text}`),
      ['rest_framework.viewsets.ModelViewSet', 'rest_framework.views.APIView', 'shop.base.Mine', '?Unknown'],
    );
  });

  test('a value assigned once is known; reassigned, augmented, looped or parameter values are not', () => {
    const { m, root } = model(
      [
        'TABLE = "shop"',
        'def f(request, p):',
        '    q = request.GET["q"]',
        '    r = "a"',
        '    r = "b"',
        '    s = "x"',
        '    s += p',
        '    for t in p: pass',
        '    use(TABLE, q, r, s, t, p)',
        'def g():',
        '    global TABLE',
        '    TABLE = "other"',
      ].join('\n'),
    );
    const call = root.descendantsOfType('call').find((c) => c?.childForFieldName('function')?.text === 'use') as Node;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    const values = args.map((a) => m.valueOf(a)?.text);
    assert.deepEqual(values, [undefined, 'request.GET["q"]', undefined, undefined, undefined, undefined]);
    assert.equal(requestData(m.valueOf(args[1]) as Node), 'request.GET');
    const clean = model('TABLE = "shop"\ndef f():\n    use(TABLE)');
    const arg = clean.root.descendantsOfType('call')[0]?.childForFieldName('arguments')?.namedChildren[0] as Node;
    assert.equal(clean.m.valueOf(arg)?.text, '"shop"');
  });

  test('request data: subscripts, get(), self.request, str(); not other objects', () => {
    const { root } = model(['a = request.GET["q"]', 'b = self.request.query_params.get("k")', 'c = str(request.data["x"])', 'd = request.headers.get("X-Api-Key")', 'e = obj.GET["q"]', 'f = request.user.name'].join('\n'));
    const rights = root.descendantsOfType('assignment').map((a) => a?.childForFieldName('right') as Node);
    assert.deepEqual(
      rights.map((r) => requestData(r)),
      ['request.GET', 'request.query_params', 'request.data', 'request.headers', undefined, undefined],
    );
  });
});

describe('code rules: one walk, dispatched by node type', () => {
  before(initParser);

  const meta = (code: string, name: string) => ({ code, name, category: 'api' as const, severity: 'warning' as const, kind: 'code' as const, seeds: ['000'], message: name, fix: 'none' as const, docs: { what: '', why: '', example: '', instead: '', references: [] } });

  function run(rules: Rule[], files: Record<string, string>, partial = {}) {
    const mem = new MemoryFileSystem();
    mem.write('/p/manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "p.settings")\n');
    mem.write('/p/p/settings.py', 'SECRET_KEY = __import__("os").environ["K"]\n');
    for (const [f, t] of Object.entries(files)) mem.write(`/p/${f}`, t);
    return new Analyzer({ rules, fs: mem }).analyze('/p', config(partial));
  }

  test('visitors see their node types in document order; module:exit runs last; create runs once per file', () => {
    const seen: string[] = [];
    let creates = 0;
    const rule = defineRule({
      meta: meta('DJR990', 'visitor-order'),
      prefilter: /go\(/,
      create(ctx) {
        creates++;
        return {
          call: (n) => seen.push(`call ${n.text}`),
          decorator: (n) => seen.push(`decorator ${n.text}`),
          'module:exit': () => {
            seen.push(`exit ${ctx.file.path}`);
            ctx.reportNode(ctx.tree.rootNode, { message: 'done' });
          },
        };
      },
    });
    const r = run([rule], { 'shop/views.py': '@deco\ndef f():\n    go(1)\ngo(2)\n', 'shop/other.py': 'nothing here\n' });
    assert.equal(creates, 1);
    assert.deepEqual(seen, ['decorator @deco', 'call go(1)', 'call go(2)', 'exit /p/shop/views.py']);
    assert.deepEqual(r.findings.map((f) => f.code), ['DJR990']);
  });

  test('a rule that throws is reported once and stops for that file; the other rules go on', () => {
    const bad = defineRule({
      meta: meta('DJR991', 'throws'),
      create: () => ({
        call: () => {
          throw new Error('boom');
        },
      }),
    });
    const good = defineRule({ meta: meta('DJR992', 'counts'), create: (ctx) => ({ call: (n) => ctx.reportNode(n, {}) }) });
    const r = run([bad, good], { 'shop/views.py': 'a()\nb()\nc()\n' });
    const views = (f: { file: string }) => f.file.endsWith('views.py');
    assert.equal(r.notes.filter((n) => views(n) && n.kind === 'rule-failed' && n.code === 'DJR991').length, 1);
    assert.equal(r.findings.filter((f) => views(f) && f.code === 'DJR992').length, 3);
  });

  test('migrations are seen by migration rules only; tests by no rule unless includeTests; tooling in dot-folders by none', () => {
    const code = defineRule({ meta: meta('DJR993', 'code-only'), create: (ctx) => ({ 'module:exit': () => ctx.reportNode(ctx.tree.rootNode, {}) }) });
    const mig = defineRule({ meta: meta('DJR994', 'migrations-only'), files: 'migrations', create: (ctx) => ({ 'module:exit': () => ctx.reportNode(ctx.tree.rootNode, {}) }) });
    const files = { 'shop/views.py': 'x = 1\n', 'shop/migrations/0001_initial.py': 'x = 1\n', 'shop/tests/test_views.py': 'x = 1\n', 'shop/tests/migrations/0001_initial.py': 'x = 1\n', '.semgrep/requests/no-timeout.py': 'x = 1\n', '.github/scripts/release.py': 'x = 1\n' };
    const where = (r: ReturnType<typeof run>, code: string) => r.findings.filter((f) => f.code === code).map((f) => f.file.slice(3)).sort();
    const r = run([code, mig], files);
    assert.deepEqual(where(r, 'DJR993'), ['manage.py', 'p/settings.py', 'shop/views.py']);
    assert.deepEqual(where(r, 'DJR994'), ['shop/migrations/0001_initial.py']);
    const t = run([code, mig], files, { includeTests: true });
    assert.deepEqual(where(t, 'DJR993'), ['manage.py', 'p/settings.py', 'shop/tests/test_views.py', 'shop/views.py']);
    assert.deepEqual(where(t, 'DJR994'), ['shop/migrations/0001_initial.py', 'shop/tests/migrations/0001_initial.py']);
  });

  test('the semantic model is shared by the rules of a file', () => {
    const models = new Map<string, Set<unknown>>();
    const asks = (code: string) =>
      defineRule({
        meta: meta(code, `asks-${code}`),
        create: (ctx) => ({
          call: () => {
            const set = models.get(ctx.file.path) ?? new Set();
            set.add(ctx.semantic);
            models.set(ctx.file.path, set);
          },
        }),
      });
    run([asks('DJR995'), asks('DJR996')], { 'shop/views.py': 'a()\nb()\n', 'shop/urls.py': 'c()\n' });
    assert.ok(models.size >= 2);
    for (const [file, set] of models) assert.equal(set.size, 1, file);
  });
});

describe('trust analysis (the proof behind DJR606/DJR607 staying silent)', () => {
  before(initParser);

  /** Whether the argument of the last call to `use(...)` is built only from constants. */
  function constant(src: string): boolean {
    const { m, root } = model(src);
    const calls = root.descendantsOfType('call').filter((c): c is Node => !!c && c.childForFieldName('function')?.text === 'use');
    const arg = calls[calls.length - 1].childForFieldName('arguments')?.namedChildren[0] as Node;
    return new TrustAnalysis(m, {}).trusted(arg);
  }

  test('names assigned only constants, also through themselves (co-induction), loops and helpers', () => {
    assert.equal(constant('q = "a"\nq = q + "b"\nfor x in ("c", "d"):\n    q += x\nuse(q)'), true);
    assert.equal(constant('def h(k):\n    return "t_" + k\nuse(h("a"))'), true);
    assert.equal(constant('def h(k):\n    return "t_" + k\ndef f(p):\n    use(h(p))'), false);
    assert.equal(constant('def f(p):\n    q = "a"\n    for x in p:\n        q += x\n    use(q)'), false);
  });

  test('only the bindings that reach the use count (a later reassignment does not, one in the same loop does)', () => {
    assert.equal(constant('def f(p):\n    q = "a"\n    use(q)\n    q = p'), true);
    assert.equal(constant('def f(p):\n    q = "a"\n    for i in range(3):\n        use(q)\n        q = p'), false);
  });

  test('values put into a list in place are part of it', () => {
    assert.equal(constant('parts = []\nparts.append("a")\nuse(", ".join(parts))'), true);
    assert.equal(constant('def f(p):\n    parts = []\n    parts.append(p)\n    use(", ".join(parts))'), false);
    assert.equal(constant('def f(p):\n    parts = []\n    parts.extend(x for x in p)\n    use(", ".join(parts))'), false);
  });

  test('numbers whatever their source; unknown calls and attributes are not proven', () => {
    assert.equal(constant('def f(p):\n    use(f"{len(p)} {p.count()} {int(p)}")'), true);
    assert.equal(constant('def f(p):\n    use(f"{p.name}")'), false);
    assert.equal(constant('def f(p):\n    use(str(p))'), false);
  });
});
