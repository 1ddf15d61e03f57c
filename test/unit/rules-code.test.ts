/**
 * Code rules: what their messages and severities say on the shapes met in real projects (the
 * fixtures check where findings are; these check what they say).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { MemoryFileSystem, type Finding } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';

function check(files: Record<string, string>, code: string, partial = {}): Finding[] {
  const mem = new MemoryFileSystem();
  mem.write('/p/manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
  mem.write('/p/conf/settings.py', 'INSTALLED_APPS = ["rest_framework"]\n');
  for (const [f, t] of Object.entries(files)) mem.write(`/p/${f}`, t);
  return analyze(mem, '/p', partial).findings.filter((f) => f.code === code);
}

const one = (fs: Finding[]) => {
  assert.equal(fs.length, 1, fs.map((f) => f.message).join('\n'));
  return fs[0];
};

describe('DJR404 says what the exemption exposes', () => {
  before(ready);
  const head = 'from django.http import JsonResponse\nfrom django.views.decorators.csrf import csrf_exempt\n';

  test('a view that uses request.user: warning, acting for the logged-in user', () => {
    const f = one(check({ 'shop/views.py': `${head}@csrf_exempt\ndef save(request):\n    request.user.save()\n    return JsonResponse({})\n` }, 'DJR404'));
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /acts for the logged-in user \(it uses request\.user\)/);
  });

  test('authenticated by a header through a decorator of another module (healthchecks): information, naming the header', () => {
    const f = one(
      check(
        {
          'hc/api/decorators.py': 'def authorize(f):\n    def wrapper(request, *a):\n        api_key = request.headers["X-Api-Key"]\n        return f(request, *a)\n    return wrapper\n',
          'hc/api/views.py': `${head}from hc.api.decorators import authorize\n\n\n@csrf_exempt\n@authorize\ndef pause(request, code):\n    return JsonResponse({})\n\n\n@csrf_exempt\ndef checks(request):\n    return pause(request, 1)\n`,
        },
        'DJR404',
      ).filter((x) => x.range.start.line === 5),
    );
    assert.equal(f.severity, 'info');
    assert.match(f.message, /checks the X-Api-Key header instead/);
    // a view handing the request to that one is judged through it
    const g = one(check({ 'hc/api/decorators.py': 'def authorize(f):\n    def w(request):\n        return request.headers["X-Api-Key"]\n    return w\n', 'hc/api/views.py': `${head}from hc.api.decorators import authorize\n\n@authorize\ndef create(request):\n    pass\n\n@csrf_exempt\ndef checks(request):\n    return create(request)\n` }, 'DJR404'));
    assert.equal(g.severity, 'info');
  });

  test('a signed webhook: information, naming the check', () => {
    const f = one(check({ 'pay/views.py': `${head}import stripe\n\n@csrf_exempt\ndef hook(request):\n    event = stripe.Webhook.construct_event(request.body, request.headers["stripe-signature"], "s")\n    return JsonResponse({})\n` }, 'DJR404'));
    assert.equal(f.severity, 'info');
    assert.match(f.message, /stripe-signature header/);
  });

  test('a view that reads no session, user or cookie: information', () => {
    const f = one(check({ 'hc/views.py': `${head}@csrf_exempt\ndef ping(request, code):\n    return JsonResponse({"ua": request.META.get("HTTP_USER_AGENT", "")})\n` }, 'DJR404'));
    assert.equal(f.severity, 'info');
    assert.match(f.message, /reads no session, user or cookie/);
  });

  test('a view handing the request to code it cannot read: warning, conditional', () => {
    const f = one(check({ 'shop/views.py': `${head}from somewhere import handle\n\n@csrf_exempt\ndef hook(request):\n    return handle(request)\n` }, 'DJR404'));
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /if it relies on the session cookie \(through handle\)/);
  });

  test('csrf_exempt(view) in urls.py, the view read in its module', () => {
    const f = one(check({ 'shop/views.py': 'def hook(request):\n    return request.session["cart"]\n', 'shop/urls.py': 'from django.urls import path\nfrom django.views.decorators.csrf import csrf_exempt\nfrom shop import views\nurlpatterns = [path("h/", csrf_exempt(views.hook))]\n' }, 'DJR404'));
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /request\.session/);
  });

  test('a view that rejects requests without X-Requested-With (pontoon require_AJAX): information, naming the guard', () => {
    const f = one(
      check(
        {
          'base/utils.py': 'import functools\n\ndef is_ajax(request):\n    return request.headers.get("x-requested-with") == "XMLHttpRequest"\n\ndef require_AJAX(f):\n    @functools.wraps(f)\n    def wrap(request, *args, **kwargs):\n        if not is_ajax(request):\n            return None\n        return f(request, *args, **kwargs)\n    return wrap\n',
          'base/views.py': `${head}from base import utils\n\n@csrf_exempt\n@utils.require_AJAX\ndef entities(request):\n    return JsonResponse({"u": request.user.pk})\n`,
        },
        'DJR404',
      ),
    );
    assert.equal(f.severity, 'info');
    assert.match(f.message, /acts for the logged-in user \(it uses request\.user\), but it rejects requests without the X-Requested-With header \(is_ajax\)/);
    // near miss: is_ajax() choosing a response format is no guard
    const g = one(check({ 'shop/views.py': `${head}@csrf_exempt\ndef save(request):\n    request.user.save()\n    if request.is_ajax():\n        return JsonResponse({})\n    return JsonResponse({"html": True})\n` }, 'DJR404'));
    assert.equal(g.severity, 'warning');
  });

  test('a view that sets request.user itself before reading it (tandoor bot webhook) does not act for the logged-in user', () => {
    const f = one(check({ 'bot/views.py': `${head}@csrf_exempt\ndef hook(request, token):\n    bot = Bot.objects.get(token=token)\n    request.user = bot.owner\n    Entry.objects.create(created_by=request.user)\n    return JsonResponse({})\n` }, 'DJR404'));
    assert.equal(f.severity, 'info');
    assert.doesNotMatch(f.message, /logged-in user/);
    // near miss (netbox graphql): the session's user is read first, a token only when it is anonymous
    const g = one(check({ 'gql/views.py': `${head}@csrf_exempt\ndef dispatch(request):\n    if not request.user.is_authenticated:\n        request.user = token_user(request)\n    return JsonResponse({})\n` }, 'DJR404'));
    assert.equal(g.severity, 'warning');
    assert.match(g.message, /it uses request\.user/);
  });

  test('@csrf_exempt on a method (rapidpro dispatch) judges the whole class view and its bases', () => {
    const viewsHead = `${head}from django.contrib.auth.mixins import LoginRequiredMixin\nfrom django.views.generic import FormView, View\nfrom shop.mixins import OrgPermsMixin\n`;
    const mixins = 'class OrgPermsMixin:\n    def has_permission(self, request):\n        return self.request.user.has_perm("x")\n';
    const dispatch = '    @csrf_exempt\n    def dispatch(self, *args, **kwargs):\n        return super().dispatch(*args, **kwargs)\n';
    const found = check({ 'shop/mixins.py': mixins, 'shop/views.py': `${viewsHead}\nclass Simulate(OrgPermsMixin, View):\n${dispatch}\n\nclass Staff(LoginRequiredMixin, FormView):\n${dispatch}\n\nclass Preprocess(FormView):\n${dispatch}` }, 'DJR404');
    assert.deepEqual(
      found.map((f) => [f.range.start.line, f.severity]),
      [
        [7, 'warning'],
        [13, 'warning'],
        [19, 'info'],
      ],
    );
    assert.match(found[0].message, /acts for the logged-in user \(it uses request\.user\)/);
    assert.match(found[1].message, /LoginRequiredMixin/);
    // a base class from a library this rule cannot read: said conditionally
    const g = one(check({ 'shop/views.py': `${head}from smartmin.views import SmartFormView\n\nclass Login(SmartFormView):\n${dispatch}` }, 'DJR404'));
    assert.equal(g.severity, 'warning');
    assert.match(g.message, /if it relies on the session cookie \(through SmartFormView\)/);
  });

  test('a severity override still wins', () => {
    const f = one(check({ 'hc/views.py': `${head}@csrf_exempt\ndef ping(request):\n    return JsonResponse({})\n` }, 'DJR404', { severity: { DJR404: 'error' } }));
    assert.equal(f.severity, 'error');
  });
});

describe('DJR606 and DJR607 name the piece they could not prove safe', () => {
  before(ready);

  test('DJR606: the first untrusted interpolation, followed through a local name', () => {
    const f = one(check({ 'shop/db.py': 'from django.db import connection\n\ndef count(model_name):\n    table = "shop_" + model_name\n    with connection.cursor() as c:\n        c.execute(f"SELECT COUNT(*) FROM {table}")\n' }, 'DJR606'));
    assert.match(f.message, /from `model_name`/);
  });

  test('DJR607: the unescaped piece of an f-string', () => {
    const f = one(check({ 'shop/html.py': 'from django.utils.html import escape\nfrom django.utils.safestring import mark_safe\n\ndef link(obj):\n    return mark_safe(f\'<a href="{obj.url}">{escape(obj.name)}</a>\')\n' }, 'DJR607'));
    assert.match(f.message, /`obj\.url` is not escaped/);
  });
});

describe('DJR712 judges only migrations that can meet existing rows', () => {
  before(ready);
  const add = 'migrations.AddField(model_name="order", name="currency", field=models.CharField(max_length=3))';
  const mig = (head: string) => `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n${head}    operations = [${add}]\n`;

  test('a plain migration is flagged; initial and squashed ones are not', () => {
    assert.equal(check({ 'shop/migrations/0007_currency.py': mig('') }, 'DJR712').length, 1);
    assert.equal(check({ 'shop/migrations/0002_initial.py': mig('    initial = True\n') }, 'DJR712').length, 0);
    assert.equal(check({ 'shop/migrations/0001_squashed_0042.py': mig('    replaces = [("shop", "0001_initial")]\n') }, 'DJR712').length, 0);
  });

  test('the same code outside a migrations folder is not a migration', () => {
    assert.equal(check({ 'shop/schema.py': mig('') }, 'DJR712').length, 0);
  });
});
