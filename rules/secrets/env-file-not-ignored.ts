import * as path from 'node:path';
import { defineRule, gitignoreEdits, gitTracked, isGitIgnored, secretEnvFiles } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR105',
    name: 'env-file-not-ignored',
    category: 'secrets',
    severity: 'error',
    kind: 'project',
    seeds: ['001', '004'],
    message: 'A .env file is not ignored by git',
    fixTitle: 'Add the file to .gitignore',
    fix: 'safe',
    docs: {
      what: 'Flags `.env` files (also `.env.production`, `.env.local`...; not the `.env.example`/`.env.sample`/`.env.template` files meant to be committed) in or above the Django project that git would not ignore: no pattern of the `.gitignore` files from the repository root down to their folder, nor of `.git/info/exclude`, excludes them (git\'s own matching rules: trailing tabs are part of a pattern, a file in an ignored folder stays ignored...). A `.env` that git already tracks is DJR109\'s, not this rule\'s. A `.env` of plain configuration only (no variable named like a key, password, token or credentials, no URL with a password: `COMPOSE_PROJECT_NAME=shop`) holds no secret and is not reported; the checklist item says so.',
      why: 'A `.env` file holds the real secrets: the secret key, database and mail passwords, API tokens. If git does not ignore it, the next `git add .` commits it, and from then on every clone, fork and backup of the repository has the secrets.',
      example: '# .gitignore\n__pycache__/\n*.pyc',
      instead: '# .gitignore\n__pycache__/\n*.pyc\n.env',
      fixSafety: 'Safe: appends the file name to the `.gitignore` beside it (created if missing). It does not untrack a file git already tracks: if the file was ever committed, run `git rm --cached .env` and rotate every secret in it.',
      references: ['https://git-scm.com/docs/gitignore', 'https://12factor.net/config', 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html'],
    },
  },
  checkProject(ctx) {
    if (!ctx.files.some((f) => f.kind === 'env')) ctx.notApplicable('There is no .env file in the project.');
    const { files, plain } = secretEnvFiles(ctx);
    if (files.length === 0 && plain.length > 0) ctx.notApplicable(plain);
    for (const f of files) {
      if (isGitIgnored(ctx.fs, f.path)) continue;
      // a tracked file is DJR109's: ignoring it would change nothing
      if (gitTracked(ctx.fs, f.path).state === 'tracked') continue;
      const name = path.basename(f.path);
      ctx.report({
        at: { file: f.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
        message: `${name} is not ignored by git: the secrets in it would be committed with the next 'git add'; add it to .gitignore`,
        fixes: [{ title: `Add ${name} to .gitignore`, applicability: 'safe', edits: gitignoreEdits(ctx.fs, f.path) }],
      });
    }
  },
});
