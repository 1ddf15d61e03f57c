/**
 * Which third-party packages a project uses, from INSTALLED_APPS, MIDDLEWARE and requirements.
 * Rules declare the packages they need; where a package is not used the rule does not apply.
 */
export type PackageId = 'rest_framework' | 'simplejwt' | 'corsheaders' | 'allauth' | 'whitenoise' | 'csp' | 'sentry' | 'decouple' | 'environ';

interface PackageSignature {
  /** INSTALLED_APPS entries (prefix match on the dotted path). */
  apps: string[];
  /** MIDDLEWARE / settings strings that reveal it (prefix match). */
  dotted: string[];
  /** Distribution names in requirements. */
  requirements: string[];
}

export const PACKAGES: Record<PackageId, PackageSignature> = {
  rest_framework: { apps: ['rest_framework'], dotted: ['rest_framework.'], requirements: ['djangorestframework'] },
  simplejwt: { apps: ['rest_framework_simplejwt'], dotted: ['rest_framework_simplejwt.'], requirements: ['djangorestframework-simplejwt'] },
  corsheaders: { apps: ['corsheaders'], dotted: ['corsheaders.'], requirements: ['django-cors-headers'] },
  allauth: { apps: ['allauth'], dotted: ['allauth.'], requirements: ['django-allauth'] },
  whitenoise: { apps: ['whitenoise'], dotted: ['whitenoise.'], requirements: ['whitenoise'] },
  csp: { apps: ['csp'], dotted: ['csp.'], requirements: ['django-csp'] },
  sentry: { apps: [], dotted: ['sentry_sdk'], requirements: ['sentry-sdk'] },
  decouple: { apps: [], dotted: [], requirements: ['python-decouple'] },
  environ: { apps: [], dotted: [], requirements: ['django-environ'] },
};

export const PACKAGE_TITLES: Record<PackageId, string> = {
  rest_framework: 'Django REST framework',
  simplejwt: 'djangorestframework-simplejwt',
  corsheaders: 'django-cors-headers',
  allauth: 'django-allauth',
  whitenoise: 'WhiteNoise',
  csp: 'django-csp',
  sentry: 'sentry-sdk',
  decouple: 'python-decouple',
  environ: 'django-environ',
};

export function detectPackages(installedApps: string[], middleware: string[], otherDotted: string[], requirementNames: Set<string>): Set<PackageId> {
  const out = new Set<PackageId>();
  for (const [id, sig] of Object.entries(PACKAGES) as [PackageId, PackageSignature][]) {
    const hitApp = installedApps.some((a) => sig.apps.some((p) => a === p || a.startsWith(p + '.')));
    const hitDotted = [...middleware, ...otherDotted].some((m) => sig.dotted.some((p) => m.startsWith(p)));
    const hitReq = sig.requirements.some((r) => requirementNames.has(r));
    if (hitApp || hitDotted || hitReq) out.add(id);
  }
  return out;
}
