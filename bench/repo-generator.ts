/**
 * A large synthetic Django repository for benchmarks (never committed: written to a git-ignored
 * folder). Deterministic for a given seed. The shape follows real projects: manage.py, a settings
 * package (base / production / development), and many apps, each with models, views,
 * serializers, urls, admin, tests, apps and migrations. About 210 lines per file on average, so
 * 4,000 files are about 850,000 lines.
 *
 * A small, realistic fraction of the views does what the code rules look for (raw SQL built with
 * f-strings or %, mark_safe of user data, @csrf_exempt webhooks, API keys compared with ==); more
 * files use the same APIs safely (parameterised SQL, constant mark_safe, compare_digest), so the
 * rules' prefilters let them through and they are parsed without producing findings.
 *
 * Each app also has three Django templates (list, detail, form; not counted in `files`, made with
 * their own random stream so the Python files are the same as without them), found through
 * TEMPLATES' APP_DIRS: about 30 template files per 100 Python files, as in real projects. A few
 * have `|safe` on model data or a POST form without `{% csrf_token %}`; every form template is
 * a POST form (the DJR611 prefilter matches it and it is tokenized).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RepoOptions {
  /** Number of files to generate (Python and project files), at least ~20. */
  files: number;
  seed?: number;
}

export interface GeneratedFile {
  path: string;
  text: string;
}

/** mulberry32: a small, fast, seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = ['order', 'invoice', 'customer', 'product', 'shipment', 'ticket', 'article', 'comment', 'payment', 'account', 'report', 'booking', 'course', 'lesson', 'project', 'task', 'device', 'sensor', 'message', 'campaign', 'coupon', 'review', 'vendor', 'warehouse', 'employee', 'contract', 'claim', 'policy', 'event', 'venue'];
const ADJ = ['active', 'archived', 'pending', 'primary', 'internal', 'public', 'recurring', 'draft', 'legacy', 'regional'];
const FIELD_KINDS: [string, (r: () => number) => string][] = [
  ['CharField', (r) => `max_length=${[32, 64, 128, 255][Math.floor(r() * 4)]}`],
  ['TextField', () => 'blank=True'],
  ['IntegerField', (r) => `default=${Math.floor(r() * 10)}`],
  ['DecimalField', () => 'max_digits=12, decimal_places=2, default=0'],
  ['BooleanField', () => 'default=False'],
  ['DateTimeField', () => 'auto_now_add=True'],
  ['DateField', () => 'null=True, blank=True'],
  ['EmailField', () => 'blank=True'],
  ['SlugField', () => 'unique=True'],
  ['URLField', () => 'blank=True'],
  ['PositiveIntegerField', () => 'default=0'],
  ['JSONField', () => 'default=dict, blank=True'],
];

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const camel = (s: string) => s.split('_').map(cap).join('');

interface AppModel {
  name: string;
  fields: { name: string; kind: string; args: string }[];
}

class AppWriter {
  readonly models: AppModel[] = [];
  constructor(
    readonly app: string,
    private readonly r: () => number,
    /** Which risky patterns this app's views contain (a small fraction of apps). */
    private readonly risky: Set<string>,
    /** Which safe uses of the same APIs (parsed, no finding). */
    private readonly benign: Set<string>,
  ) {
    const n = 7 + Math.floor(r() * 6);
    for (let i = 0; i < n; i++) {
      const noun = NOUNS[Math.floor(r() * NOUNS.length)];
      const name = `${camel(noun)}${camel(ADJ[Math.floor(r() * ADJ.length)])}${i}`;
      const fields = [];
      const nf = 6 + Math.floor(r() * 8);
      for (let k = 0; k < nf; k++) {
        const [kind, args] = FIELD_KINDS[Math.floor(r() * FIELD_KINDS.length)];
        fields.push({ name: `${NOUNS[Math.floor(r() * NOUNS.length)]}_${['name', 'code', 'total', 'status', 'note', 'count', 'ref', 'date', 'flag', 'value'][k % 10]}_${k}`, kind, args: args(r) });
      }
      this.models.push({ name, fields });
    }
  }

  pick<T>(xs: T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }

  modelsPy(): string {
    const L = ['"""Models of the ' + this.app + ' app."""', 'import uuid', 'from decimal import Decimal', '', 'from django.conf import settings', 'from django.db import models', 'from django.urls import reverse', 'from django.utils import timezone', 'from django.utils.translation import gettext_lazy as _', ''];
    L.push('', 'class TimeStampedModel(models.Model):', '    created_at = models.DateTimeField(auto_now_add=True)', '    updated_at = models.DateTimeField(auto_now=True)', '', '    class Meta:', '        abstract = True', '');
    for (const m of this.models) {
      L.push('', `class ${m.name}QuerySet(models.QuerySet):`, '    def recent(self, days=30):', '        since = timezone.now() - timezone.timedelta(days=days)', '        return self.filter(created_at__gte=since)', '', '    def visible_to(self, user):', '        if user.is_staff:', '            return self', '        return self.filter(owner=user)', '');
      L.push('', `class ${m.name}(TimeStampedModel):`, `    """A ${m.name.toLowerCase()} record."""`, '', '    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)', '    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")');
      for (const f of m.fields) L.push(`    ${f.name} = models.${f.kind}(${f.args})`);
      L.push('', `    objects = ${m.name}QuerySet.as_manager()`, '', '    class Meta:', `        ordering = ["-created_at"]`, `        verbose_name = _("${m.name.toLowerCase()}")`, `        indexes = [models.Index(fields=["owner", "created_at"])]`, '');
      L.push('    def __str__(self):', `        return f"${m.name} {self.pk}"`, '', '    def get_absolute_url(self):', `        return reverse("${this.app}:${m.name.toLowerCase()}-detail", kwargs={"pk": self.pk})`, '');
      const num = m.fields.find((f) => f.kind === 'DecimalField' || f.kind === 'IntegerField');
      if (num) {
        L.push('    @property', `    def ${num.name}_display(self):`, `        value = self.${num.name} or 0`, '        if value < 0:', '            return "-"', '        return f"{value:,}"', '');
      }
      L.push('    def summary(self):', '        """A short description for lists and exports."""', '        parts = [str(self.pk)[:8]]', `        if self.${m.fields[0].name}:`, `            parts.append(str(self.${m.fields[0].name}))`, '        if self.created_at:', '            parts.append(self.created_at.strftime("%Y-%m-%d"))', '        return " / ".join(parts)', '');
      L.push('    def clean(self):', '        super().clean()', `        for field in ("${m.fields[0].name}", "${m.fields[1].name}"):`, '            value = getattr(self, field)', '            if value is None:', '                continue', '');
    }
    return L.join('\n') + '\n';
  }

  viewsPy(): string {
    const imports = ['"""Views of the ' + this.app + ' app."""', 'import json', 'import logging', '', 'from django.contrib.auth.decorators import login_required', 'from django.core.paginator import Paginator', 'from django.http import Http404, HttpResponse, JsonResponse', 'from django.shortcuts import get_object_or_404, redirect, render', 'from django.views.decorators.http import require_http_methods', 'from rest_framework import permissions, viewsets', 'from rest_framework.decorators import action', 'from rest_framework.response import Response', ''];
    if (this.risky.has('sql') || this.benign.has('sql')) imports.push('from django.db import connection');
    if (this.risky.has('csrf')) imports.push('from django.views.decorators.csrf import csrf_exempt');
    if (this.risky.has('safe') || this.benign.has('safe')) imports.push('from django.utils.safestring import mark_safe');
    if (this.risky.has('compare') || this.benign.has('compare')) imports.push('import hmac', 'from django.conf import settings');
    imports.push('', `from .models import ${this.models.map((m) => m.name).join(', ')}`, `from .serializers import ${this.models.map((m) => m.name + 'Serializer').join(', ')}`, '', 'logger = logging.getLogger(__name__)', '');
    const L = imports;
    for (const m of this.models) {
      const lower = m.name.toLowerCase();
      L.push('', `class ${m.name}ViewSet(viewsets.ModelViewSet):`, `    serializer_class = ${m.name}Serializer`, '    permission_classes = [permissions.IsAuthenticated]', '', '    def get_queryset(self):', `        qs = ${m.name}.objects.visible_to(self.request.user)`, '        status = self.request.query_params.get("status")', '        if status:', `            qs = qs.filter(${m.fields[0].name}=status)`, '        return qs.select_related("owner")', '');
      L.push('    @action(detail=True, methods=["post"])', '    def archive(self, request, pk=None):', '        obj = self.get_object()', '        obj.save(update_fields=["updated_at"])', '        logger.info("archived %s", obj.pk)', '        return Response({"status": "archived"})', '');
      L.push('', '@login_required', `def ${lower}_list(request):`, `    qs = ${m.name}.objects.visible_to(request.user).recent()`, '    paginator = Paginator(qs, 25)', '    page = paginator.get_page(request.GET.get("page"))', `    return render(request, "${this.app}/${lower}_list.html", {"page": page})`, '');
      L.push('', '@login_required', '@require_http_methods(["GET", "POST"])', `def ${lower}_detail(request, pk):`, `    obj = get_object_or_404(${m.name}, pk=pk, owner=request.user)`, '    if request.method == "POST":', '        data = json.loads(request.body or "{}")', `        for key in ("${m.fields[0].name}", "${m.fields[1].name}"):`, '            if key in data:', '                setattr(obj, key, data[key])', '        obj.full_clean()', '        obj.save()', `        return redirect("${this.app}:${lower}-detail", pk=obj.pk)`, `    return render(request, "${this.app}/${lower}_detail.html", {"object": obj})`, '');
      L.push('', '@login_required', `def ${lower}_export(request):`, '    response = HttpResponse(content_type="text/csv")', `    response["Content-Disposition"] = 'attachment; filename="${lower}.csv"'`, `    rows = ${m.name}.objects.visible_to(request.user).values_list("id", "${m.fields[0].name}", "created_at")`, '    lines = ["id,value,created"]', '    for pk, value, created in rows.iterator():', '        lines.append(f"{pk},{value},{created:%Y-%m-%d}")', '    response.write("\\n".join(lines))', '    return response', '');
      L.push('', '@login_required', `def ${lower}_stats(request):`, `    qs = ${m.name}.objects.visible_to(request.user)`, '    total = qs.count()', '    recent = qs.recent(days=7).count()', '    share = round(100 * recent / total, 1) if total else 0.0', '    return JsonResponse({"total": total, "recent": recent, "share": share})', '');
    }
    const first = this.models[0];
    const table = `${this.app}_${first.name.toLowerCase()}`;
    if (this.risky.has('sql')) {
      L.push('', '@login_required', 'def search(request):', '    term = request.GET.get("q", "")', '    with connection.cursor() as cursor:', `        cursor.execute(f"SELECT id FROM ${table} WHERE ${first.fields[0].name} = '{term}'")`, '        rows = cursor.fetchall()', '    return JsonResponse({"ids": [r[0] for r in rows]})', '');
      L.push('', 'def legacy_lookup(request, code):', `    rows = ${first.name}.objects.raw("SELECT * FROM ${table} WHERE ${first.fields[1].name} = '%s'" % code)`, '    return JsonResponse({"count": len(list(rows))})', '');
    } else if (this.benign.has('sql')) {
      L.push('', '@login_required', 'def search(request):', '    term = request.GET.get("q", "")', '    with connection.cursor() as cursor:', `        cursor.execute("SELECT id FROM ${table} WHERE ${first.fields[0].name} = %s", [term])`, '        rows = cursor.fetchall()', '    return JsonResponse({"ids": [r[0] for r in rows]})', '');
    }
    if (this.risky.has('safe')) {
      L.push('', 'def banner(request):', '    name = request.GET.get("name", "")', '    return HttpResponse(mark_safe(f"<h1>Hello {name}</h1>"))', '');
    } else if (this.benign.has('safe')) {
      L.push('', 'def separator(request):', '    return HttpResponse(mark_safe("<hr/>"))', '');
    }
    if (this.risky.has('csrf')) {
      L.push('', '@csrf_exempt', 'def webhook(request):', '    payload = json.loads(request.body or "{}")', '    logger.info("webhook %s", payload.get("type"))', '    return JsonResponse({"ok": True})', '');
    }
    if (this.risky.has('compare')) {
      L.push('', 'def api_ping(request):', '    if request.headers.get("X-Api-Key") == settings.API_KEY:', '        return JsonResponse({"pong": True})', '    raise Http404()', '');
    } else if (this.benign.has('compare')) {
      L.push('', 'def api_ping(request):', '    given = request.headers.get("X-Api-Key", "")', '    if hmac.compare_digest(given.encode(), settings.API_KEY.encode()):', '        return JsonResponse({"pong": True})', '    raise Http404()', '');
    }
    return L.join('\n') + '\n';
  }

  serializersPy(): string {
    const L = ['"""Serializers of the ' + this.app + ' app."""', 'from rest_framework import serializers', '', `from .models import ${this.models.map((m) => m.name).join(', ')}`, ''];
    for (const m of this.models) {
      L.push('', `class ${m.name}Serializer(serializers.ModelSerializer):`, '    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())', '', '    class Meta:', `        model = ${m.name}`, `        fields = [${['id', ...m.fields.slice(0, 6).map((f) => f.name)].map((s) => `"${s}"`).join(', ')}]`, '        read_only_fields = ["id"]', '');
      L.push(`    def validate_${m.fields[0].name}(self, value):`, '        if isinstance(value, str) and len(value) > 200:', '            raise serializers.ValidationError("too long")', '        return value', '');
      L.push('    def to_representation(self, instance):', '        data = super().to_representation(instance)', '        request = self.context.get("request")', '        if request is not None and not request.user.is_staff:', `            data.pop("${m.fields[1].name}", None)`, '        data["summary"] = instance.summary()', '        return data', '');
    }
    return L.join('\n') + '\n';
  }

  urlsPy(): string {
    const L = ['from django.urls import include, path', 'from rest_framework.routers import DefaultRouter', '', 'from . import views', '', `app_name = "${this.app}"`, '', 'router = DefaultRouter()'];
    for (const m of this.models) L.push(`router.register(r"${m.name.toLowerCase()}s", views.${m.name}ViewSet, basename="${m.name.toLowerCase()}")`);
    L.push('', 'urlpatterns = [', '    path("api/", include(router.urls)),');
    for (const m of this.models) {
      const lower = m.name.toLowerCase();
      L.push(`    path("${lower}/", views.${lower}_list, name="${lower}-list"),`, `    path("${lower}/<uuid:pk>/", views.${lower}_detail, name="${lower}-detail"),`);
    }
    if (this.risky.has('csrf')) L.push('    path("webhook/", views.webhook, name="webhook"),');
    L.push(']');
    return L.join('\n') + '\n';
  }

  adminPy(): string {
    const L = ['from django.contrib import admin', '', `from .models import ${this.models.map((m) => m.name).join(', ')}`, ''];
    for (const m of this.models) {
      L.push('', `@admin.register(${m.name})`, `class ${m.name}Admin(admin.ModelAdmin):`, `    list_display = (${['id', ...m.fields.slice(0, 3).map((f) => f.name)].map((s) => `"${s}"`).join(', ')})`, `    search_fields = ("${m.fields[0].name}",)`, '    list_filter = ("created_at",)', '    readonly_fields = ("id", "created_at", "updated_at")');
    }
    return L.join('\n') + '\n';
  }

  testsPy(): string {
    const L = ['from django.contrib.auth import get_user_model', 'from django.test import TestCase', 'from django.urls import reverse', 'from rest_framework.test import APIClient', '', `from .models import ${this.models.map((m) => m.name).join(', ')}`, ''];
    for (const m of this.models) {
      const lower = m.name.toLowerCase();
      L.push('', `class ${m.name}Tests(TestCase):`, '    def setUp(self):', '        self.user = get_user_model().objects.create_user("u", "u@example.com", "pw-for-tests")', '        self.client = APIClient()', '        self.client.force_authenticate(self.user)', '');
      L.push(`    def test_list_${lower}(self):`, `        response = self.client.get(reverse("${this.app}:${lower}-list"))`, '        self.assertEqual(response.status_code, 200)', '');
      L.push(`    def test_create_${lower}(self):`, `        obj = ${m.name}.objects.create(owner=self.user)`, '        self.assertIsNotNone(obj.pk)', `        self.assertIn("${m.name}", str(obj))`, '');
      L.push(`    def test_token_${lower}(self):`, '        token = "test-token"', '        self.assertTrue(token == "test-token")', '');
      L.push(`    def test_detail_${lower}_requires_owner(self):`, `        obj = ${m.name}.objects.create(owner=self.user)`, '        other = get_user_model().objects.create_user("o", "o@example.com", "pw-for-tests")', '        self.client.force_authenticate(other)', `        response = self.client.get(reverse("${this.app}:${lower}-detail", kwargs={"pk": obj.pk}))`, '        self.assertEqual(response.status_code, 404)', '');
      L.push(`    def test_stats_${lower}(self):`, `        response = self.client.get(reverse("${this.app}:${lower}-list"))`, '        self.assertEqual(response.status_code, 200)', '        self.assertIn("page", response.context)', '');
    }
    return L.join('\n') + '\n';
  }

  migrationPy(): string {
    const L = ['# Generated by Django 5.2', '', 'import uuid', '', 'import django.db.models.deletion', 'from django.conf import settings', 'from django.db import migrations, models', '', '', 'class Migration(migrations.Migration):', '    initial = True', '', '    dependencies = [', '        migrations.swappable_dependency(settings.AUTH_USER_MODEL),', '    ]', '', '    operations = ['];
    for (const m of this.models) {
      L.push('        migrations.CreateModel(', `            name="${m.name}",`, '            fields=[', '                ("created_at", models.DateTimeField(auto_now_add=True)),', '                ("updated_at", models.DateTimeField(auto_now=True)),', '                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),');
      for (const f of m.fields) L.push(`                ("${f.name}", models.${f.kind}(${f.args})),`);
      L.push('                ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),', '            ],', '            options={', '                "ordering": ["-created_at"],', '            },', '        ),');
      L.push('        migrations.AddIndex(', `            model_name="${m.name.toLowerCase()}",`, `            index=models.Index(fields=["owner", "created_at"], name="${m.name.toLowerCase().slice(0, 20)}_owner_idx"),`, '        ),');
    }
    L.push('    ]');
    return L.join('\n') + '\n';
  }

  appsPy(): string {
    return ['from django.apps import AppConfig', '', '', `class ${camel(this.app)}Config(AppConfig):`, '    default_auto_field = "django.db.models.BigAutoField"', `    name = "apps.${this.app}"`, ''].join('\n');
  }
}

function projectFiles(apps: string[]): GeneratedFile[] {
  const installed = apps.map((a) => `    "apps.${a}",`).join('\n');
  return [
    { path: 'manage.py', text: '#!/usr/bin/env python\nimport os\nimport sys\n\n\ndef main():\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == "__main__":\n    main()\n' },
    { path: 'config/__init__.py', text: '' },
    { path: 'config/settings/__init__.py', text: '' },
    {
      path: 'config/settings/base.py',
      text: `"""Shared settings."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "example.com").split(",")
API_KEY = os.environ.get("API_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
${installed}
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "app"),
        "USER": os.environ.get("DB_USER", "app"),
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": os.environ.get("DB_HOST", "localhost"),
        "CONN_MAX_AGE": 60,
    }
}
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
`,
    },
    { path: 'config/settings/production.py', text: 'from .base import *  # noqa: F401,F403\n\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 60 * 60 * 24 * 365\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n' },
    { path: 'config/settings/development.py', text: 'from .base import *  # noqa: F401,F403\n\nDEBUG = True\nALLOWED_HOSTS = ["*"]\n' },
    { path: 'config/urls.py', text: `from django.contrib import admin\nfrom django.urls import include, path\n\nurlpatterns = [\n    path("admin/", admin.site.urls),\n${apps.map((a) => `    path("${a}/", include("apps.${a}.urls")),`).join('\n')}\n]\n` },
    { path: 'config/wsgi.py', text: 'import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\napplication = get_wsgi_application()\n' },
    { path: 'apps/__init__.py', text: '' },
    { path: 'requirements.txt', text: 'Django==5.2.4\ndjangorestframework==3.16.0\npsycopg[binary]==3.2.9\ngunicorn==23.0.0\n' },
    { path: '.gitignore', text: '.env\n__pycache__/\n*.pyc\nstaticfiles/\n' },
    { path: 'templates/base.html', text: '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>{% block title %}App{% endblock %}</title>\n</head>\n<body>\n  {% block content %}{% endblock %}\n</body>\n</html>\n' },
  ];
}

/** The list, detail and form templates of an app (`risky`: |safe on data, a form without its token). */
function appTemplates(app: string, r: () => number, risky: Set<string>, benign: Set<string>): GeneratedFile[] {
  const noun = app.split('_')[0];
  const fields = Array.from({ length: 5 + Math.floor(r() * 6) }, (_, i) => `${ADJ[Math.floor(r() * ADJ.length)]}_${i}`);
  const dir = `apps/${app}/templates/${app}`;
  const rows = fields.map((f) => `        <td>{{ obj.${f}|default:"-" }}</td>`).join('\n');
  const list = `{% extends "base.html" %}\n{% load static %}\n{% block title %}${cap(noun)}s{% endblock %}\n{% block content %}\n<h1>${cap(noun)}s</h1>\n<table class="table">\n  <thead><tr>${fields.map((f) => `<th>${f}</th>`).join('')}</tr></thead>\n  <tbody>\n    {% for obj in object_list %}\n      <tr>\n${rows}\n        <td><a href="{% url '${app}:detail' obj.pk %}">{% trans "View" %}</a></td>\n      </tr>\n    {% empty %}\n      <tr><td colspan="${fields.length + 1}">{% trans "Nothing yet." %}</td></tr>\n    {% endfor %}\n  </tbody>\n</table>\n{% if is_paginated %}<nav>{{ page_obj.number }} / {{ page_obj.paginator.num_pages }}</nav>{% endif %}\n{% endblock %}\n`;
  const dl = fields.map((f) => `  <dt>${f}</dt><dd>{{ object.${f}|linebreaksbr }}</dd>`).join('\n');
  const extra = risky.has('safe') ? '<div class="notes">{{ object.notes|safe }}</div>\n' : benign.has('safe') ? '<p>{{ "<br>"|safe }}</p>\n' : '';
  const detail = `{% extends "base.html" %}\n{% block title %}{{ object }}{% endblock %}\n{% block content %}\n<h1>{{ object }}</h1>\n<dl>\n${dl}\n</dl>\n${extra}<a href="{% url '${app}:list' %}">{% trans "Back" %}</a>\n{% endblock %}\n`;
  const token = risky.has('csrf') ? '' : '  {% csrf_token %}\n';
  const inputs = fields.map((f) => `  <label for="id_${f}">${f}</label>\n  <input id="id_${f}" name="${f}" value="{{ form.${f}.value|default_if_none:'' }}">\n  {% if form.${f}.errors %}<p class="error">{{ form.${f}.errors|join:", " }}</p>{% endif %}`).join('\n');
  const form = `{% extends "base.html" %}\n{% block content %}\n<form method="post" action="{% url '${app}:edit' object.pk %}">\n${token}${inputs}\n  <button type="submit">{% trans "Save" %}</button>\n</form>\n{% endblock %}\n`;
  return [
    { path: `${dir}/list.html`, text: list },
    { path: `${dir}/detail.html`, text: detail },
    { path: `${dir}/form.html`, text: form },
  ];
}

/** The files of the repository, in a stable order. */
export function* generateRepo(opts: RepoOptions): Generator<GeneratedFile> {
  const r = rng(opts.seed ?? 42);
  const perApp = 10;
  const appCount = Math.max(1, Math.round((opts.files - 11) / perApp));
  const apps = Array.from({ length: appCount }, (_, i) => `${NOUNS[i % NOUNS.length]}_${Math.floor(i / NOUNS.length)}`);
  const fixed = projectFiles(apps);
  yield* fixed;
  // the templates' own random stream: the Python files are the same as without them
  const tr = rng((opts.seed ?? 42) + 1);
  let count = fixed.length - 1; // templates/base.html is not counted
  for (const app of apps) {
    // ~3% of apps have each risky pattern, ~8% use the same API safely
    const risky = new Set<string>();
    const benign = new Set<string>();
    for (const k of ['sql', 'safe', 'csrf', 'compare']) {
      const x = r();
      if (x < 0.03) risky.add(k);
      else if (x < 0.11) benign.add(k);
    }
    const w = new AppWriter(app, r, risky, benign);
    const dir = `apps/${app}`;
    const files: [string, () => string][] = [
      ['__init__.py', () => ''],
      ['apps.py', () => w.appsPy()],
      ['models.py', () => w.modelsPy()],
      ['views.py', () => w.viewsPy()],
      ['serializers.py', () => w.serializersPy()],
      ['urls.py', () => w.urlsPy()],
      ['admin.py', () => w.adminPy()],
      ['tests.py', () => w.testsPy()],
      ['migrations/__init__.py', () => ''],
      ['migrations/0001_initial.py', () => w.migrationPy()],
    ];
    for (const [name, make] of files) {
      if (count >= opts.files) return;
      yield { path: `${dir}/${name}`, text: make() };
      count++;
    }
    yield* appTemplates(app, tr, risky, benign);
  }
}

export interface RepoStats {
  files: number;
  pythonFiles: number;
  lines: number;
  bytes: number;
}

/** Writes the repository into `dir` (created; an existing folder is replaced). */
export function writeRepo(dir: string, opts: RepoOptions): RepoStats {
  fs.rmSync(dir, { recursive: true, force: true });
  const stats: RepoStats = { files: 0, pythonFiles: 0, lines: 0, bytes: 0 };
  const made = new Set<string>();
  for (const f of generateRepo(opts)) {
    const p = path.join(dir, f.path);
    const d = path.dirname(p);
    if (!made.has(d)) {
      fs.mkdirSync(d, { recursive: true });
      made.add(d);
    }
    fs.writeFileSync(p, f.text);
    stats.files++;
    if (f.path.endsWith('.py')) stats.pythonFiles++;
    stats.lines += f.text.length === 0 ? 0 : f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0);
    stats.bytes += Buffer.byteLength(f.text);
  }
  return stats;
}

/** A generated repository under bench/out (git-ignored), written once per size and seed. */
export function benchRepo(repoRoot: string, files: number, seed = 42): string {
  const dir = path.join(repoRoot, 'bench', 'out', `repo-${files}-${seed}`);
  const marker = path.join(dir, '.generated');
  // the marker names the generator's version: a repository made by an older one is rewritten
  const version = 'v2 (templates)\n';
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== version) {
    writeRepo(dir, { files, seed });
    fs.writeFileSync(marker, version);
  }
  return dir;
}
