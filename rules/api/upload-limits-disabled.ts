import { defineRule, type Binding, type SettingsContext } from '../../server/src/engine';

const LIMITS: Record<string, string> = {
  DATA_UPLOAD_MAX_MEMORY_SIZE: 'the size of a request body read into memory is no longer limited (Django: 2.5 MB)',
  DATA_UPLOAD_MAX_NUMBER_FIELDS: 'the number of GET/POST parameters is no longer limited (Django: 1000)',
  DATA_UPLOAD_MAX_NUMBER_FILES: 'the number of uploaded files per request is no longer limited (Django: 100)',
};

const PERMISSIONS = ['FILE_UPLOAD_PERMISSIONS', 'FILE_UPLOAD_DIRECTORY_PERMISSIONS'];

function fromEnv(b: Binding): string {
  return b.value.env ? ` (the default of ${b.value.env.variable ?? 'an environment lookup'})` : '';
}

function check(ctx: SettingsContext): void {
  for (const [name, why] of Object.entries(LIMITS)) {
    const b = ctx.setting(name);
    if (!b || b.value.kind !== 'none') continue;
    ctx.report({ at: ctx.bindingAt(b), message: `${name} is None${fromEnv(b)}: ${why}, so one request can exhaust the memory or the CPU of a worker` });
  }
  for (const name of PERMISSIONS) {
    const b = ctx.setting(name);
    if (!b || b.value.kind !== 'num' || !Number.isInteger(b.value.value)) continue;
    const mode = b.value.value;
    if ((mode & 0o002) === 0) continue;
    ctx.report({ at: ctx.bindingAt(b), message: `${name} is 0o${mode.toString(8)}${fromEnv(b)}: uploaded ${name.includes('DIRECTORY') ? 'folders' : 'files'} are writable by every user of the server` });
  }
}

export default defineRule({
  meta: {
    code: 'DJR914',
    name: 'upload-limits-disabled',
    category: 'api',
    severity: 'warning',
    kind: 'settings',
    seeds: ['000'],
    message: 'Request size limits are disabled, or uploads are world-writable',
    fix: 'none',
    docs: {
      what: 'Flags production settings that switch off Django\'s request limits, `DATA_UPLOAD_MAX_MEMORY_SIZE`, `DATA_UPLOAD_MAX_NUMBER_FIELDS` or `DATA_UPLOAD_MAX_NUMBER_FILES` set to `None` (or an environment lookup defaulting to `None`), and `FILE_UPLOAD_PERMISSIONS` / `FILE_UPLOAD_DIRECTORY_PERMISSIONS` modes that are world-writable (`0o666`, `0o777`). A larger limit is not flagged: only switching it off is.',
      why: 'These limits are Django\'s defence against denial of service by request body: without them one request with a huge body or hundreds of thousands of fields keeps a worker busy and its memory full (they were added after real attacks, CVE-2023-24580 for the number of files). World-writable uploads let any process or user on the host replace a file that the application serves.',
      example: 'DATA_UPLOAD_MAX_MEMORY_SIZE = None\nDATA_UPLOAD_MAX_NUMBER_FIELDS = None\nFILE_UPLOAD_PERMISSIONS = 0o666',
      instead: 'DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # raise the limit, never remove it\nDATA_UPLOAD_MAX_NUMBER_FIELDS = 5000\nFILE_UPLOAD_PERMISSIONS = 0o644  # the default',
      fixSafety: 'No automatic fix: the right limit is the largest request the application must accept.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#data-upload-max-memory-size',
        'https://docs.djangoproject.com/en/stable/ref/settings/#data-upload-max-number-fields',
        'https://docs.djangoproject.com/en/stable/ref/settings/#file-upload-permissions',
        'https://www.djangoproject.com/weblog/2023/feb/14/security-releases/',
      ],
    },
  },
  checkSettings: check,
});
