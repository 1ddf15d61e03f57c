import * as path from 'node:path';
import { defineRule, gitTracked, secretEnvFiles } from '../../server/src/engine';

export default defineRule({
  meta: {
    code: 'DJR109',
    name: 'env-file-tracked',
    category: 'secrets',
    severity: 'error',
    kind: 'project',
    seeds: ['001'],
    message: 'A .env file is tracked by git',
    fix: 'none',
    docs: {
      what: 'Flags `.env` files (also `.env.production`, `.env.local`...; not the `.env.example`/`.env.sample`/`.env.template` files meant to be committed) that git tracks: they are listed in the repository\'s index (`.git/index`, read as a file; git is never run). Index versions 2 to 4 and SHA-256 repositories are read; when the index cannot be read faithfully (a split index, a `.git` file pointing outside the project) nothing is reported. A `.env` of plain configuration only (no variable named like a key, password, token or credentials, no URL with a password: `COMPOSE_PROJECT_NAME=shop`) holds no secret and is not reported; the checklist item says so.',
      why: 'Once a file is tracked, `.gitignore` no longer applies to it: every commit carries its current content, and its past content stays in the history of every clone, fork and backup. The secrets in it must be considered public. DJR105 (not ignored) says nothing about a tracked file: adding it to `.gitignore` alone would change nothing.',
      example: '$ git ls-files .env\n.env',
      instead: '$ git rm --cached .env        # stop tracking it (the file stays on disk)\n$ echo .env >> .gitignore\n# then rotate every secret the file held: the old values are in the history',
      fixSafety: 'No automatic fix: untracking a file is a git operation (`git rm --cached`), and the secrets it held must be rotated by hand. The "Move to .env" fixes of DJR101/DJR103 never write into a tracked `.env`.',
      references: ['https://git-scm.com/docs/git-rm', 'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository', 'https://git-scm.com/docs/index-format'],
    },
  },
  checkProject(ctx) {
    if (!ctx.files.some((f) => f.kind === 'env')) ctx.notApplicable('There is no .env file in the project.');
    const { files, plain } = secretEnvFiles(ctx);
    if (files.length === 0 && plain.length > 0) ctx.notApplicable(plain);
    for (const f of files) {
      if (gitTracked(ctx.fs, f.path).state !== 'tracked') continue;
      const name = path.basename(f.path);
      ctx.report({
        at: { file: f.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
        message: `${name} is tracked by git: every secret in it is in the repository and its history. Untrack it (git rm --cached ${name}), ignore it, and rotate its secrets`,
      });
    }
  },
});
