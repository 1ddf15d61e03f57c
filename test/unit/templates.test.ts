/** Django templates: the tokenizer (templates.ts) and which files are templates (templateDirs.ts). */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { buildChecklist, emptyManualState, looksLikeHtml, looksLikeJinja, loneVariableOf, MemoryFileSystem, parseFilterExpression, parseTemplate, tokenize, type TemplateSummary } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';

const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.kind === 'text' ? text.slice(t.start, t.end) : t.contents}`);

describe('template tokens', () => {
  test('tags, variables, comments and the text between them, with offsets', () => {
    const text = 'a{% if x %}b{{ y|upper }}{# c #}d';
    assert.deepEqual(kinds(text), ['text:a', 'block:if x', 'text:b', 'variable:y|upper', 'comment:c', 'text:d']);
    const toks = tokenize(text);
    assert.equal(text.slice(toks[1].start, toks[1].end), '{% if x %}');
    assert.equal(text.slice(toks[3].contentStart, toks[3].contentStart + toks[3].contents.length), 'y|upper');
  });

  test('like Django: a token never spans a line break, the first closer ends it', () => {
    assert.deepEqual(kinds('{% if\n x %}'), ['text:{% if\n x %}']);
    assert.deepEqual(kinds('{{ "}}" }}'), ['variable:"', 'text:" }}']);
    assert.deepEqual(kinds('{{{ x }}}'), ['variable:{ x', 'text:}']);
    assert.deepEqual(kinds('{'), ['text:{']);
    assert.deepEqual(kinds(''), []);
    assert.deepEqual(kinds('{% x'), ['text:{% x']);
  });

  test('verbatim blocks are text up to their (named) end tag; comment blocks are skipped', () => {
    assert.deepEqual(kinds('{% verbatim %}{{ a }}{% endverbatim %}{{ b }}'), ['block:verbatim', 'text:{{ a }}', 'block:endverbatim', 'variable:b']);
    assert.deepEqual(kinds('{% verbatim x %}{% endverbatim %}{% endverbatim x %}'), ['block:verbatim x', 'text:{% endverbatim %}', 'block:endverbatim x']);
    const doc = parseTemplate('{% comment "why" %}{{ a|safe }}{% csrf_token %}{% endcomment %}{{ b }}');
    assert.deepEqual(doc.variables.map((v) => v.expression.value.text), ['b']);
    assert.deepEqual(doc.tags.map((t) => t.name), ['comment']);
    assert.deepEqual(doc.skipped.map((s) => s.kind), ['comment']);
  });

  test('filter expressions: filters, arguments, literals, spaces around |', () => {
    const e = parseFilterExpression('value | default:"a|b" |safe', 10);
    assert.equal(e.value.text, 'value');
    assert.deepEqual(e.filters.map((f) => [f.name.text, f.arg?.text, f.name.start]), [['default', '"a|b"', 18], ['safe', undefined, 33]]);
    assert.equal(parseFilterExpression('_("x|y")|safe', 0).literal, true);
    assert.equal(parseFilterExpression("'x'|safe", 0).literal, true);
    assert.equal(parseFilterExpression('x.y|safe', 0).literal, false);
    // malformed: what can be read
    assert.deepEqual(parseFilterExpression('x|', 0).filters, []);
    assert.deepEqual(parseFilterExpression('"unclosed|safe', 0).filters, []);
  });

  test('tag arguments are split like smart_split; filters in rendering tags are found', () => {
    const doc = parseTemplate('{% with a="x y"|upper b=c|safe %}{% if d|safe %}{% endif %}{% endwith %}');
    assert.deepEqual(doc.tags[0].args.map((a) => a.text), ['a="x y"|upper', 'b=c|safe']);
    assert.deepEqual(doc.tagFilterExpressions().map((x) => x.expression.value.text), ['"x y"', 'c']);
  });

  test('autoescape state follows the blocks', () => {
    const doc = parseTemplate('{{ a }}{% autoescape off %}{{ b }}{% autoescape on %}{{ c }}{% endautoescape %}{{ d }}{% endautoescape %}{{ e }}');
    assert.deepEqual(doc.variables.map((v) => `${v.expression.value.text}:${v.autoescapeOff}`), ['a:false', 'b:true', 'c:false', 'd:true', 'e:false']);
  });

  test('positions are 0-based lines and UTF-16 columns', () => {
    const doc = parseTemplate('<p>\n😀é {{ x|safe }}</p>');
    const v = doc.variables[0];
    assert.deepEqual(doc.lines.positionAt(v.token.start), { line: 1, character: 4 });
  });
});

describe('HTML forms in templates', () => {
  const forms = (text: string) => parseTemplate(text).forms();

  test('attributes, template tokens inside the start tag, the tags inside the form', () => {
    const f = forms('<form {% if a > b %}class="x"{% endif %} method=POST action="{% url "a" %}">{% csrf_token %}</form>');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].attributes.map((a) => [a.name, a.value?.text, a.dynamic, a.conditional]), [
      ['class', 'x', false, true],
      ['method', 'POST', false, false],
      ['action', '{% url "a" %}', true, false],
    ]);
    assert.deepEqual(f[0].tagsInStartTag.map((t) => t.name), ['if', 'endif']);
    assert.deepEqual(f[0].tagsInside.map((t) => t.name), ['csrf_token']);
    assert.ok(f[0].close !== undefined);
  });

  test('no form in HTML comments, scripts, textareas, template comments, verbatim or template tokens', () => {
    const text = [
      '<!-- <form method="post"></form> -->',
      '<script>var s = "<form method=post></form>";</script>',
      '<textarea><form method="post"></form></textarea>',
      '{% comment %}<form method="post"></form>{% endcomment %}',
      '{% verbatim %}<form method="post"></form>{% endverbatim %}',
      '{{ "<form method=post>" }}',
    ].join('\n');
    assert.deepEqual(forms(text), []);
    assert.equal(parseTemplate(text).rawTextElementAt(text.indexOf('var s')), 'script');
    assert.equal(parseTemplate(text).rawTextElementAt(0), undefined);
  });

  test('a form inside an open form is ignored (browsers do not nest forms); an unclosed form runs to the end', () => {
    const f = forms('<form method="post"><form id="inner"></form><form method="post">{% csrf_token %}');
    assert.equal(f.length, 2);
    assert.equal(f[0].attributes.some((a) => a.name === 'id'), false);
    assert.equal(f[1].close, undefined);
    assert.deepEqual(f[1].tagsInside.map((t) => t.name), ['csrf_token']);
  });

  test('malformed HTML never throws: an unterminated start tag, a stray quote', () => {
    assert.equal(forms('<form method="post').length, 1);
    assert.equal(forms("<form method='post>x</form>").length, 1);
    assert.equal(forms('<form').length, 1);
    assert.deepEqual(forms('<formset method="post">'), []);
  });
});

describe('template robustness', () => {
  test('random template-like input never throws, and tokens tile the text', () => {
    const pieces = ['{', '}', '%', '#', '{%', '%}', '{{', '}}', '{#', '#}', '\n', ' ', 'x', '|safe', '"', "'", '<form', ' method="post"', '>', '</form>', '<!--', '-->', '<script>', '</script>', '{% verbatim %}', '{% endverbatim %}', '{% comment %}', '{% endcomment %}', '{% csrf_token %}', '😀', '\r\n'];
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const n = Math.floor(rnd() * 40);
      for (let k = 0; k < n; k++) text += pieces[Math.floor(rnd() * pieces.length)];
      const doc = parseTemplate(text);
      let at = 0;
      for (const t of doc.tokens) {
        assert.equal(t.start, at, JSON.stringify(text));
        assert.ok(t.end > t.start);
        at = t.end;
      }
      assert.equal(at, text.length);
      for (const f of doc.forms()) assert.ok(f.start < f.startTagEnd && f.startTagEnd <= text.length);
      doc.tagFilterExpressions();
      looksLikeJinja(doc);
      looksLikeHtml(doc);
    }
  });

  test('pathological inputs are linear: 1 MB of openers without closers, of <form, of {{ on one line', () => {
    for (const unit of ['{{', '{%', '{#', '<form ', '{{ x|', '<form method="post">', '{% verbatim %}', '{% comment %}']) {
      const text = unit.repeat(Math.floor(1_000_000 / unit.length));
      const doc = parseTemplate(text);
      doc.forms();
      doc.tagFilterExpressions();
      assert.ok(doc.tokens.length >= 1);
    }
  });

  test('Jinja2-only syntax is recognised; Django syntax is not taken for it', () => {
    for (const t of ['{%- if x %}', '{{ x -}}', '{% set a = 1 %}', '{% macro m() %}{% endmacro %}', '{{ url("home") }}', '{% raw %}x{% endraw %}']) {
      assert.equal(looksLikeJinja(parseTemplate(t)), true, t);
    }
    for (const t of ['{% if x %}{% endif %}', '{{ x|date:"Y" }}', '{% load static from staticfiles %}', '{% url "a" as b %}']) {
      assert.equal(looksLikeJinja(parseTemplate(t)), false, t);
    }
  });

  test('HTML output: markup or {% extends %}; text e-mails and subjects are not HTML', () => {
    assert.equal(looksLikeHtml(parseTemplate('<p>{{ x }}</p>')), true);
    assert.equal(looksLikeHtml(parseTemplate('{% extends "base.html" %}{% block a %}{{ x|safe }}{% endblock %}')), true);
    assert.equal(looksLikeHtml(parseTemplate('{% autoescape off %}Hello {{ name }}, go to <https://example.com/reset>{% endautoescape %}')), false);
    assert.equal(looksLikeHtml(parseTemplate('{{ check.name|safe }} is DOWN')), false);
  });
});

describe('which files are templates', () => {
  before(ready);
  const templateRules = allRules.filter((r) => r.checkTemplate);
  // DJR610 is opt-in: these tests turn it on
  const on = { severity: { DJR610: 'info' as const } };
  const summary = (files: Record<string, string>): TemplateSummary => {
    const r = analyze(new MemoryFileSystem(files), '/p', on, templateRules);
    const t = r.projects[0].templates;
    assert.ok(t);
    return t;
  };
  const folders = (t: TemplateSummary) => t.folders.map((f) => `${f.source} ${f.path}`);
  const findings = (files: Record<string, string>) => analyze(new MemoryFileSystem(files), '/p', on, templateRules).findings.map((f) => `${f.code} ${f.file}`);
  const SAFE = '<p>{{ x|safe }}</p>';

  test('DIRS evaluated statically (pathlib, os.path, BASE_DIR, +), APP_DIRS with INSTALLED_APPS', () => {
    const t = summary({
      '/p/manage.py': '',
      '/p/site/settings.py': [
        'import os',
        'from pathlib import Path',
        'BASE_DIR = Path(__file__).resolve().parent.parent',
        'OLD = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))',
        'INSTALLED_APPS = ["django.contrib.admin", "blog", "shop.apps.ShopConfig", "apps.forum"]',
        'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",',
        '  "DIRS": [BASE_DIR / "templates", os.path.join(OLD, "extra"), OLD + "/more", "rel/dir", BASE_DIR.parent / "shared"],',
        '  "APP_DIRS": True}]',
      ].join('\n'),
      '/p/blog/models.py': '',
      '/p/shop/apps.py': '',
      '/p/src/apps/forum/models.py': '',
    });
    assert.equal(t.fallbackReason, undefined);
    assert.deepEqual(folders(t).sort(), [
      'DIRS /p/extra',
      'DIRS /p/more',
      'DIRS /p/rel/dir',
      'DIRS /p/templates',
      'DIRS /shared',
      'app /p/blog/templates',
      'app /p/shop/templates',
      'app /p/src/apps/forum/templates',
    ]);
  });

  test('only files inside template folders are templates; a templates/ folder of an app not installed is not', () => {
    const files = {
      '/p/manage.py': '',
      '/p/site/settings.py': 'INSTALLED_APPS = ["blog"]\nTEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True}]\n',
      '/p/blog/models.py': '',
      '/p/blog/templates/blog/post.html': SAFE,
      '/p/old/templates/old.html': SAFE,
      '/p/static/page.html': SAFE,
      '/p/docs/index.html': SAFE,
      // a library copied into a template folder is not the project's templates
      '/p/blog/templates/blog/vendors/ckeditor/samples/api.html': SAFE,
    };
    assert.deepEqual(findings(files), ['DJR610 /p/blog/templates/blog/post.html']);
  });

  test('fallback: every templates/ folder of the root when the settings do not say', () => {
    const files = {
      '/p/manage.py': '',
      '/p/site/settings.py': 'from .base import *\nTEMPLATES = make_templates()\n',
      '/p/blog/templates/post.html': SAFE,
      '/p/static/page.html': SAFE,
    };
    const t = summary(files);
    assert.equal(t.fallbackReason, 'TEMPLATES is not a literal list');
    assert.deepEqual(findings(files), ['DJR610 /p/blog/templates/post.html']);
  });

  test('Jinja2: its DIRS are not Django templates; django_jinja reading app templates/ folders makes them Jinja2 too', () => {
    const base = {
      '/p/manage.py': '',
      '/p/blog/models.py': '',
      '/p/blog/templates/post.html': SAFE,
      '/p/jinja/page.html': SAFE,
      '/p/templates/page.html': SAFE,
    };
    const settings = (jinja: string) => [
      'INSTALLED_APPS = ["blog"]',
      `TEMPLATES = [${jinja}, {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": ["templates"], "APP_DIRS": True}]`,
    ].join('\n');
    // Django's own Jinja2 backend reads <app>/jinja2/: app templates/ stay Django's
    assert.deepEqual(findings({ ...base, '/p/site/settings.py': settings('{"BACKEND": "django.template.backends.jinja2.Jinja2", "DIRS": ["jinja"], "APP_DIRS": True}') }).sort(), ['DJR610 /p/blog/templates/post.html', 'DJR610 /p/templates/page.html']);
    // django_jinja with its default match_extension (.jinja) leaves .html files to Django
    assert.deepEqual(findings({ ...base, '/p/site/settings.py': settings('{"BACKEND": "django_jinja.backend.Jinja2", "DIRS": ["jinja"], "APP_DIRS": True}') }).sort(), ['DJR610 /p/blog/templates/post.html', 'DJR610 /p/templates/page.html']);
    // ... but with match_extension "" (or a match_regex) it may render any app template
    const s = settings('{"BACKEND": "django_jinja.backend.Jinja2", "DIRS": ["jinja"], "APP_DIRS": True, "OPTIONS": {"match_extension": ""}}');
    assert.deepEqual(findings({ ...base, '/p/site/settings.py': s }), ['DJR610 /p/templates/page.html']);
    assert.equal(summary({ ...base, '/p/site/settings.py': s }).appDirsJinja, true);
  });

  test('a file with Jinja-only syntax is not judged; plain-text templates are not judged by the HTML rules', () => {
    const files = {
      '/p/manage.py': '',
      '/p/templates/a.html': '{% set x = y %}<p>{{ x|safe }}</p>',
      '/p/templates/mail.txt': '{% autoescape off %}{{ x|safe }}{% endautoescape %}',
      '/p/templates/b.html': '<p>{{ y|safe }}</p>',
    };
    assert.deepEqual(findings(files), ['DJR610 /p/templates/b.html']);
  });

  test('templates under tests/ are judged only with include-tests', () => {
    const files = { '/p/manage.py': '', '/p/tests/templates/t.html': SAFE };
    assert.deepEqual(findings(files), []);
    assert.deepEqual(analyze(new MemoryFileSystem(files), '/p', { ...on, includeTests: true }, templateRules).findings.map((f) => f.code), ['DJR610']);
  });

  test('without templates the template rules do not apply (not-applicable, not passed)', () => {
    const r = analyze(new MemoryFileSystem({ '/p/manage.py': '', '/p/a.py': '' }), '/p', {}, templateRules);
    assert.equal(r.applicability.DJR611, false);
    const r2 = analyze(new MemoryFileSystem({ '/p/manage.py': '', '/p/templates/a.html': '<p></p>' }), '/p', {}, templateRules);
    assert.equal(r2.applicability.DJR611, true);
  });

  test('suppression comments work in templates: {# noqa: DJR610 #} and {# django-readiness: ignore[...] #}', () => {
    const files = {
      '/p/manage.py': '',
      '/p/templates/a.html': '<p>{{ a|safe }}</p> {# noqa: DJR610 #}\n{# django-readiness: ignore[DJR610] sanitised #}\n<p>{{ b|safe }}</p>\n<p>{{ c|safe }}</p>\n',
    };
    assert.deepEqual(analyze(new MemoryFileSystem(files), '/p', on, templateRules).findings.map((f) => f.range.start.line), [3]);
  });

  test('DJR610 is opt-in: off by default, on when selected (code, prefix, ALL) or given a severity', () => {
    const files = { '/p/manage.py': '', '/p/templates/a.html': SAFE };
    const codes = (partial: Parameters<typeof analyze>[2]) => analyze(new MemoryFileSystem(files), '/p', partial, templateRules).findings.map((f) => `${f.code}:${f.severity}`);
    assert.deepEqual(codes({}), []);
    assert.deepEqual(codes({ select: ['DJR610'] }), ['DJR610:info']);
    assert.deepEqual(codes({ select: ['DJR6'] }), ['DJR610:info']);
    assert.deepEqual(codes({ select: ['ALL'] }), ['DJR610:info']);
    assert.deepEqual(codes({ severity: { DJR610: 'warning' } }), ['DJR610:warning']);
    assert.deepEqual(codes({ severity: { DJR610: 'off' } }), []);
    assert.deepEqual(codes({ select: ['DJR610'], ignore: ['DJR610'] }), []);
  });

  test('DJR610 judges {% autoescape off %} around a lone variable, also in a file without |safe', () => {
    const files = { '/p/manage.py': '', '/p/templates/panel.html': '<div>\n  {% autoescape off %}\n    {{ panel.rendered_html }}\n  {% endautoescape %}\n</div>\n' };
    const r = analyze(new MemoryFileSystem(files), '/p', on, templateRules);
    assert.deepEqual(r.findings.map((f) => `${f.code}:${f.range.start.line}`), ['DJR610:2']);
  });
});

describe('template blocks', () => {
  test('endOf counts nesting; tokensBetween; a lone variable in autoescape off', () => {
    const doc = parseTemplate('{% autoescape off %}{% autoescape on %}{{ a }}{% endautoescape %} {{ b }} {% endautoescape %}{% autoescape off %} {{ c }} {% endautoescape %}');
    const [outer, inner, last] = doc.tags.filter((t) => t.name === 'autoescape');
    assert.equal(doc.endOf(outer)?.token.start, doc.text.lastIndexOf('{% endautoescape %}{% autoescape off'));
    assert.equal(doc.endOf(inner)?.token.start, doc.text.indexOf('{% endautoescape %}'));
    assert.equal(loneVariableOf(doc, outer), undefined);
    assert.equal(loneVariableOf(doc, last)?.expression.value.text, 'c');
    assert.deepEqual(doc.tokensBetween(0, 20).map((t) => t.kind), ['block']);
    assert.equal(loneVariableOf(parseTemplate('{% autoescape off %}{{ x }}'), parseTemplate('{% autoescape off %}{{ x }}').tags[0]), undefined, 'unclosed block');
  });
});

describe('template rules in the checklist', () => {
  before(ready);
  const files = {
    '/p/manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    '/p/mysite/settings.py': "import os\nSECRET_KEY = os.environ['K']\nINSTALLED_APPS = []\nTEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': ['templates'], 'APP_DIRS': True}]\n",
    '/p/templates/page.html': '<p>{{ bio|safe }}</p>\n<form method="post"><button>Go</button></form>\n',
  };
  const item = (id: string, partial = {}) => buildChecklist(analyze(new MemoryFileSystem(files), '/p', partial), emptyManualState(), allRules).items.find((i) => i.id === id)!;

  test('an opt-in rule that is off does not leave its item unchecked; turned on, it decides with the others', () => {
    const off = item('api.safe-html');
    assert.equal(off.status, 'passed', off.reason);
    assert.match(off.reason, /DJR607, DJR609/);
    const on = item('api.safe-html', { severity: { DJR610: 'info' } });
    assert.equal(on.status, 'failed');
    assert.deepEqual(on.findings.map((f) => f.code), ['DJR610']);
  });

  test('DJR611 fails the CSRF item; its fix snippet is a template', () => {
    const csrf = item('cors.csrf-middleware');
    assert.equal(csrf.status, 'failed');
    assert.equal(csrf.ruleRefs.find((r) => r.code === 'DJR611')?.instead?.lang, 'django');
  });
});
