/** Generates a realistic settings module of about `lines` lines (no download needed). */
export function generateSettings(lines: number): string {
  const out: string[] = [
    '"""Generated settings module for benchmarks."""',
    'import os',
    'from datetime import timedelta',
    'from pathlib import Path',
    '',
    'BASE_DIR = Path(__file__).resolve().parent.parent',
    "SECRET_KEY = 'django-insecure-benchmark-0123456789abcdefghijklmnopqrstuv'",
    'DEBUG = True',
    "ALLOWED_HOSTS = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')",
    'INSTALLED_APPS = [',
    "    'django.contrib.admin',",
    "    'django.contrib.auth',",
    "    'django.contrib.contenttypes',",
    "    'django.contrib.sessions',",
    "    'django.contrib.messages',",
    "    'django.contrib.staticfiles',",
    "    'rest_framework',",
    ']',
    'MIDDLEWARE = [',
    "    'django.middleware.security.SecurityMiddleware',",
    "    'django.contrib.sessions.middleware.SessionMiddleware',",
    "    'django.middleware.common.CommonMiddleware',",
    "    'django.middleware.csrf.CsrfViewMiddleware',",
    "    'django.contrib.auth.middleware.AuthenticationMiddleware',",
    "    'django.middleware.clickjacking.XFrameOptionsMiddleware',",
    ']',
    "REST_FRAMEWORK = {",
    "    'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated'],",
    "}",
  ];
  for (let i = 0; out.length < lines - 1; i++) {
    switch (i % 5) {
      case 0: out.push(`FEATURE_${i}_ENABLED = os.environ.get('FEATURE_${i}', 'False') == 'True'`); break;
      case 1: out.push(`SERVICE_${i}_URL = 'https://service-${i}.internal.example.com/api/v1/'`); break;
      case 2: out.push(`TIMEOUT_${i} = 60 * ${i % 13 + 1}`); break;
      case 3: out.push(`CACHE_${i} = {`, `    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',`, `    'TIMEOUT': timedelta(minutes=${i % 30 + 1}).seconds,`, '}'); break;
      default: out.push(`# setting group ${i}`, `LIMIT_${i} = [${i}, ${i + 1}, ${i + 2}]`);
    }
  }
  out.push('');
  return out.join('\n');
}
