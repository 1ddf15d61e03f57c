/**
 * What the language status item shows, and the choices of "Choose the production settings
 * module", computed from the server's djangoReadiness/status notifications. No vscode import.
 */
import * as path from 'node:path';
import type { StatusParams } from '../../server/src/protocol/messages';

export interface StatusPresentation {
  text: string;
  detail: string;
  severity: 'info' | 'warning' | 'error';
  /** Why that production module (or why none): the tooltip of the item's "Choose…" action. */
  reason?: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The status of the folder containing `fsPath` (deepest folder), else the first one with a project. */
export function statusFor(statuses: StatusParams[], fsPathOfFolder?: (uri: string) => string | undefined, fsPath?: string): StatusParams | undefined {
  if (fsPath && fsPathOfFolder) {
    const hits = statuses
      .map((s) => ({ s, root: fsPathOfFolder(s.uri) }))
      .filter((x): x is { s: StatusParams; root: string } => !!x.root && (fsPath === x.root || fsPath.startsWith(x.root + path.sep)))
      .sort((a, b) => b.root.length - a.root.length);
    if (hits.length > 0) return hits[0].s;
  }
  return statuses.find((s) => s.projects.some((p) => p.productionModule)) ?? statuses[0];
}

/** "5 errors, 17 warnings, 5 info": the Problems panel's counts (zeros left out). */
export function countsText(c: StatusParams['counts']): string {
  const parts: string[] = [];
  if (c.error > 0) parts.push(plural(c.error, 'error'));
  if (c.warning > 0) parts.push(plural(c.warning, 'warning'));
  if (c.info > 0) parts.push(`${c.info} info`);
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

/**
 * The language status item: the production settings module (its reason in the hover of the
 * checklist and the output, to keep the popup narrow) and the Problems panel's counts. Outside a
 * Django project it stays neutral: nothing is checked there.
 */
export function presentStatus(s: StatusParams | undefined): StatusPresentation {
  if (!s) return { text: '$(loading~spin) Django Readiness', detail: 'analysing…', severity: 'info' };
  if (!s.enabled) return { text: '$(circle-slash) Django Readiness', detail: 'disabled (djangoReadiness.enable)', severity: 'info' };
  if (s.hasDjangoProject === false) return { text: '$(circle-slash) No Django project', detail: 'nothing is checked in this folder', severity: 'info' };
  const prod = s.projects.find((p) => p.productionModule) ?? s.projects[0];
  const c = s.counts;
  const counts = countsText(c);
  const severity = c.error > 0 ? 'error' : c.warning > 0 ? 'warning' : 'info';
  if (prod?.configuredMissing) {
    return { text: '$(error) Production settings not found', detail: `${prod.productionReason} · ${counts}`, severity: 'error' };
  }
  if (!prod || !prod.productionDotted) {
    const candidates = prod?.candidates && prod.candidates.length > 0 ? ` (${prod.candidates.join(', ')})` : '';
    return { text: '$(question) No production settings', detail: `${prod?.productionReason ?? 'no Django project found'}${candidates} · ${counts}`, severity: s.projects.length > 0 ? 'warning' : severity, reason: prod?.productionReason };
  }
  const more = s.projects.length > 1 ? ` (+${s.projects.length - 1} project${s.projects.length > 2 ? 's' : ''})` : '';
  // files the module loads that the analysis could not read (a gitignored local.py): said in the tooltip
  const unread = prod.unread?.length ? `; it also loads ${prod.unread.map((u) => u.file.split(/[\\/]/).pop()).join(', ')}, not read (not in the repository or exec'd): the settings ${prod.unread.length === 1 ? 'it' : 'they'} may set are unknown` : '';
  return { text: `$(shield) ${prod.productionDotted}${more}`, detail: counts, severity, reason: prod.productionReason + unread };
}

export interface ProductionChoice {
  label: string;
  description?: string;
  detail?: string;
  folderUri: string;
  /** The dotted module to write; undefined = automatic detection (clears the setting). */
  value?: string;
  current: boolean;
}

/** The settings modules the server discovered, per folder, plus "automatic" per folder. */
export function productionChoices(statuses: StatusParams[], folderName: (uri: string) => string): ProductionChoice[] {
  const out: ProductionChoice[] = [];
  const many = statuses.length > 1;
  for (const s of statuses) {
    const prefix = many ? `${folderName(s.uri)}: ` : '';
    const reasons = s.projects.map((p) => p.productionReason);
    const configured = reasons.includes('configured');
    out.push({ label: `${prefix}$(sync) Automatic detection`, description: configured ? undefined : 'current', detail: 'production/prod/live modules, then wsgi.py, then a lone settings.py', folderUri: s.uri, value: undefined, current: !configured });
    for (const p of s.projects) {
      for (const m of p.settingsModules) {
        const current = configured && p.productionModule === m.path;
        out.push({
          label: `${prefix}${m.dotted}`,
          description: [m.role !== 'unknown' ? m.role : '', current ? 'current' : p.productionModule === m.path ? 'detected' : ''].filter(Boolean).join(' · ') || undefined,
          detail: m.path,
          folderUri: s.uri,
          value: m.dotted,
          current,
        });
      }
    }
  }
  return out;
}
