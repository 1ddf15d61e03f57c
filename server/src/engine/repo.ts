/**
 * Repository-level files: the repository's root folder (where `.git` is), its CI configuration
 * and its dependency-update bots. Read as text, never run; git is never called.
 */
import * as path from 'node:path';
import { repositoryRoot } from './gitignore';
import type { FileSystem } from './project';

/**
 * The repository of a project: the nearest folder at or above the project's holding `.git`
 * (gitignore.ts), else the analysed folder.
 */
export function repositoryOf(fs: FileSystem, projectRoot: string, analysisRoot: string): string {
  return repositoryRoot(fs, path.join(projectRoot, 'manage.py')) ?? analysisRoot;
}

/** CI configuration files of a repository (GitHub Actions, GitLab CI, CircleCI, Travis, Azure, Bitbucket, Jenkins...). */
export function ciFiles(fs: FileSystem, root: string): string[] {
  const out: string[] = [];
  const yamlIn = (dir: string) => {
    for (const e of fs.readDir(path.join(root, dir))) if (e.isFile && /\.ya?ml$/i.test(e.name)) out.push(path.join(root, dir, e.name));
  };
  yamlIn('.github/workflows');
  yamlIn('.gitea/workflows');
  yamlIn('.forgejo/workflows');
  yamlIn('.woodpecker');
  for (const f of ['.gitlab-ci.yml', '.circleci/config.yml', '.travis.yml', 'azure-pipelines.yml', 'bitbucket-pipelines.yml', 'Jenkinsfile', '.drone.yml', '.woodpecker.yml', '.buildkite/pipeline.yml', 'appveyor.yml', '.semaphore/semaphore.yml', 'bitrise.yml', 'codefresh.yml']) {
    const p = path.join(root, f);
    if (fs.exists(p)) out.push(p);
  }
  return out;
}

/** Dependabot's configuration file, if any. */
export function dependabotFile(fs: FileSystem, root: string): string | undefined {
  return ['.github/dependabot.yml', '.github/dependabot.yaml'].map((f) => path.join(root, f)).find((p) => fs.exists(p));
}

/** Renovate's configuration files (and package.json when it has a "renovate" key). */
export function renovateFiles(fs: FileSystem, root: string): string[] {
  const names = ['renovate.json', 'renovate.json5', '.renovaterc', '.renovaterc.json', '.renovaterc.json5', '.github/renovate.json', '.github/renovate.json5', '.gitlab/renovate.json', '.gitlab/renovate.json5'];
  const out = names.map((f) => path.join(root, f)).filter((p) => fs.exists(p));
  const pkg = path.join(root, 'package.json');
  if (/"renovate"\s*:/.test(fs.readFile(pkg) ?? '')) out.push(pkg);
  return out;
}
