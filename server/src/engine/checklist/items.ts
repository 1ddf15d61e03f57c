/**
 * The readiness checklist: the backend items of the five seed reviews (shared/seeds), merged
 * into one curated list. An item is decided either by rules (`rules`: the catalogue codes whose
 * findings fail it) or by the team (`manual`: what no static check can decide).
 *
 * `sources` quotes, per seed file ('000'...'004'), the seed lines the item merges (exact
 * substrings of the seed text, checked by test/unit/checklist-items.test.ts). An item with no
 * source comes from the rule catalogue alone (a rule no seed asked for, kept so every finding
 * lands in the checklist). `supersedes` marks seed advice that is obsolete today and says what
 * replaces it.
 */
import type { Category } from '../types';

export type SeedId = '000' | '001' | '002' | '003' | '004';

export const SEED_IDS: readonly SeedId[] = ['000', '001', '002', '003', '004'];

export const SEED_TITLES: Record<SeedId, string> = {
  '000': 'ESE-APP robustness checklist',
  '001': 'Django backend security checklist',
  '002': 'Exit Three production readiness review',
  '003': 'AllThrive security and best-practices review',
  '004': 'Production readiness checklist',
};

export interface Supersedes {
  /** What the seeds recommend. */
  advice: string;
  /** What to do instead. */
  replacement: string;
  /** Why the advice is obsolete. */
  reason: string;
}

export interface ChecklistItemDef {
  /** `<category>.<kebab-name>`, stable: manual ticks are stored under it. */
  id: string;
  category: Category;
  title: string;
  /** Why it matters, one or two sentences. */
  why: string;
  /** Seed lines this item merges, per seed file. */
  sources: Partial<Record<SeedId, string[]>>;
  /** Rule codes (shared/rules.md) whose findings fail the item. */
  rules?: string[];
  /** No static check can decide the item: the team ticks it. */
  manual?: true;
  supersedes?: Supersedes;
}

/** Seed items deliberately not in the checklist, with the reason (documentation and tests). */
export interface LeftOut {
  seed: SeedId;
  /** An exact substring of the seed. */
  text: string;
  reason: string;
}

export const CHECKLIST: readonly ChecklistItemDef[] = [
  // ── Secrets and environment ────────────────────────────────────────────────────────────
  {
    id: 'secrets.secret-key-env',
    category: 'secrets',
    title: 'SECRET_KEY has no hardcoded value or default in the settings',
    why: 'Whoever knows the key can forge sessions, password-reset links and signed data. A key in the repository, or as the default of an environment lookup, is known to everyone who can read the code and is used whenever the variable is missing.',
    rules: ['DJR101', 'DJR102'],
    sources: {
      '000': ['Move SECRET_KEY from hardcoded to environment variable', 'Fix SECRET_KEY to use environment variable'],
      '001': ['Move SECRET_KEY to environment variable only', 'Remove hardcoded SECRET_KEY from settings.py', 'SECRET_KEY still has fallback'],
      '002': ['Hardcoded SECRET_KEY', 'Move `SECRET_KEY` to environment variable'],
      '003': ['Insecure DEFAULT Secret Key', 'Remove SECRET_KEY default'],
      '004': ['`SECRET_KEY` uses secure environment variable'],
    },
  },
  {
    id: 'secrets.secret-key-rotation',
    category: 'secrets',
    title: 'A fresh production SECRET_KEY is generated, and rotating it is documented',
    why: 'A key that ever sat in git, a ticket or a laptop .env must be replaced before launch. Rotation without SECRET_KEY_FALLBACKS logs every user out and invalidates reset links, so write the procedure down before you need it.',
    manual: true,
    sources: {
      '001': ['Rotate SECRET_KEY'],
      '002': ['Generate new production `SECRET_KEY`'],
      '003': ['SECRET_KEY generated and secure'],
    },
  },
  {
    id: 'secrets.credentials-env',
    category: 'secrets',
    title: 'No database, email or API credential is hardcoded in the settings or the application code, nor as a default',
    why: 'Passwords and API keys committed with the settings or the code leak with every clone, backup and CI log, and cannot be rotated without a deploy.',
    rules: ['DJR103', 'DJR104', 'DJR107'],
    sources: {
      '001': ['Use environment variables for database credentials'],
      '003': ['Environment Variables to Add'],
      '004': ['No sensitive data in code or logs', 'No hardcoded secrets in code'],
    },
  },
  {
    id: 'secrets.env-file-ignored',
    category: 'secrets',
    title: '.env files are excluded from version control',
    why: 'A committed .env publishes every secret it holds, and stays in the git history after it is deleted. Ignoring a file git already tracks changes nothing: it must also be untracked.',
    rules: ['DJR105', 'DJR109'],
    sources: { '001': ['Add .env to .gitignore'] },
  },
  {
    id: 'secrets.image-without-secrets',
    category: 'secrets',
    title: 'Container images hold no secrets: no .env copied in, no secret in ENV or ARG',
    why: 'Whatever an image holds, anyone who can pull it can read, layers and history included; secrets belong in the runtime environment.',
    rules: ['DJR108'],
    sources: {},
  },
  {
    id: 'secrets.env-example',
    category: 'secrets',
    title: '.env.example lists every environment variable the settings read',
    why: 'Whoever deploys needs the full list of variables; a forgotten one silently falls back to its default in production.',
    rules: ['DJR106'],
    sources: {
      '000': ['Create .env.example file with all required variables', 'Add .env.example file'],
      '002': ['.env.example created with all required variables'],
      '004': ['Environment variables documented'],
    },
  },

  // ── Debug and hosts ────────────────────────────────────────────────────────────────────
  {
    id: 'debug.debug-off',
    category: 'debug',
    title: 'DEBUG is not True in production, nor by default when its variable is missing',
    why: 'With DEBUG on, error pages show code, settings, SQL and local variables to anyone, and memory grows with every query.',
    rules: ['DJR201', 'DJR202', 'DJR205'],
    sources: {
      '000': ["Set `DEBUG = os.getenv('DEBUG', 'False') == 'True'` for production safety"],
      '001': ['Disable DEBUG in production', 'DEBUG mode enabled'],
      '002': ['DEBUG Mode Hardcoded to True', 'Move `DEBUG` to environment variable'],
      '003': ['DEBUG=False in production'],
      '004': ['`DEBUG = False` (controlled via environment variable)'],
    },
  },
  {
    id: 'debug.allowed-hosts',
    category: 'debug',
    title: "ALLOWED_HOSTS has no '*' and is not empty, in the code or as a default",
    why: "A wildcard lets forged Host headers poison password-reset links and caches; an empty list makes every request fail once DEBUG is off.",
    rules: ['DJR203', 'DJR204'],
    sources: {
      '001': ['Configure proper ALLOWED_HOSTS for production'],
      '002': ['ALLOWED_HOSTS Configuration'],
      '004': ['`ALLOWED_HOSTS` restricted to specific domains'],
    },
  },

  // ── HTTPS and security headers ─────────────────────────────────────────────────────────
  {
    id: 'https.ssl-redirect',
    category: 'https',
    title: 'HTTP requests are redirected to HTTPS (SECURE_SSL_REDIRECT)',
    why: 'Without the redirect the first request, cookies included, can travel in clear text; behind a TLS-terminating proxy Django also needs the proxy header to know the request was secure.',
    rules: ['DJR301'],
    sources: {
      '000': ['Add `SECURE_SSL_REDIRECT = True` (production)'],
      '001': ['Enable SECURE_SSL_REDIRECT in production', 'Enable HTTPS only'],
      '002': ['SSL redirect, secure cookies, HSTS'],
      '003': ['Add proxy SSL header and force redirects'],
      '004': ['HTTPS/SSL enforced (`SECURE_SSL_REDIRECT = True`)', 'Django admin accessible only via HTTPS'],
    },
  },
  {
    id: 'https.session-cookie-secure',
    category: 'https',
    title: 'The session cookie is sent over HTTPS only (SESSION_COOKIE_SECURE)',
    why: 'A session cookie sent over plain HTTP can be sniffed and replayed to take over the account.',
    rules: ['DJR302'],
    sources: {
      '000': ['Add `SESSION_COOKIE_SECURE = True`'],
      '001': ['Enable SESSION_COOKIE_SECURE in production'],
      '002': ['SSL redirect, secure cookies, HSTS'],
      '004': ['Session cookies are secure and HttpOnly'],
    },
  },
  {
    id: 'https.csrf-cookie-secure',
    category: 'https',
    title: 'The CSRF cookie is sent over HTTPS only (CSRF_COOKIE_SECURE)',
    why: 'A CSRF token leaked over plain HTTP lets an attacker forge requests on behalf of the user.',
    rules: ['DJR303'],
    sources: {
      '000': ['Add `CSRF_COOKIE_SECURE = True`'],
      '001': ['Enable CSRF_COOKIE_SECURE in production'],
      '002': ['SSL redirect, secure cookies, HSTS'],
      '004': ['CSRF protection enabled with secure cookies'],
    },
  },
  {
    id: 'https.session-cookie-httponly',
    category: 'https',
    title: 'The session cookie is HttpOnly',
    why: 'JavaScript must not read the session cookie: one XSS bug would otherwise hand out every session it runs in.',
    rules: ['DJR313'],
    sources: { '004': ['Session cookies are secure and HttpOnly'] },
  },
  {
    id: 'https.hsts',
    category: 'https',
    title: 'HSTS is on, for a year or more (SECURE_HSTS_SECONDS)',
    why: 'HSTS tells browsers never to try plain HTTP again, closing the window a redirect leaves open to SSL-stripping.',
    rules: ['DJR304'],
    sources: {
      '000': ['Add `SECURE_HSTS_SECONDS = 31536000`'],
      '001': ['Enable SECURE_HSTS_SECONDS in production'],
      '002': ['SSL redirect, secure cookies, HSTS'],
    },
  },
  {
    id: 'https.hsts-subdomains',
    category: 'https',
    title: 'HSTS covers subdomains (SECURE_HSTS_INCLUDE_SUBDOMAINS)',
    why: 'Without it an attacker can plant cookies for the whole domain from a plain-HTTP subdomain.',
    rules: ['DJR305'],
    sources: { '001': ['Enable SECURE_HSTS_INCLUDE_SUBDOMAINS in production'] },
  },
  {
    id: 'https.hsts-preload',
    category: 'https',
    title: 'HSTS preloading is enabled (SECURE_HSTS_PRELOAD)',
    why: 'Preloading protects even the very first visit, before the browser has seen the HSTS header.',
    rules: ['DJR306'],
    sources: {
      '001': ['Enable SECURE_HSTS_PRELOAD in production'],
      '003': ['Missing HSTS Preload in Production', 'Add HSTS preload configuration'],
    },
  },
  {
    id: 'https.clickjacking',
    category: 'https',
    title: "Pages cannot be framed by other sites (XFrameOptionsMiddleware, X_FRAME_OPTIONS = 'DENY')",
    why: 'A framed page can be overlaid with decoys so that users click buttons they cannot see (clickjacking).',
    rules: ['DJR307'],
    sources: {
      '000': ["Add `X_FRAME_OPTIONS = 'DENY'`"],
      '002': ['X-Frame-Options'],
      '003': ['X-Frame-Options'],
    },
  },
  {
    id: 'https.nosniff',
    category: 'https',
    title: 'Content sniffing is off (SECURE_CONTENT_TYPE_NOSNIFF)',
    why: 'Browsers that guess content types can run an uploaded file as a script or a stylesheet.',
    rules: ['DJR308'],
    sources: { '002': ['content type nosniff'], '003': ['Content Type Nosniff'] },
  },
  {
    id: 'https.security-middleware',
    category: 'https',
    title: 'SecurityMiddleware is enabled, with a valid Referrer-Policy',
    why: "Django's SecurityMiddleware implements the SSL redirect, HSTS, nosniff and Referrer-Policy: without it those settings do nothing.",
    rules: ['DJR309', 'DJR312'],
    sources: {
      '001': ['Configure security headers', 'Consider using django-security package'],
      '002': ['Add security headers middleware'],
      '003': ['Add Security Headers Middleware'],
    },
    supersedes: {
      advice: 'the django-security package for security headers',
      replacement: "Django's own SecurityMiddleware and its SECURE_* settings",
      reason: 'Django itself sends these headers (SecurityMiddleware since 1.8, Referrer-Policy since 3.0, Cross-Origin-Opener-Policy since 4.0); a second package setting the same headers is only more configuration to keep in sync.',
    },
  },
  {
    id: 'https.no-xss-filter',
    category: 'https',
    title: 'No obsolete SECURE_BROWSER_XSS_FILTER setting (X-XSS-Protection)',
    why: 'The X-XSS-Protection header is still widely recommended, but it is obsolete, and the setting that sent it no longer exists.',
    rules: ['DJR311'],
    sources: {
      '000': ['Add `SECURE_BROWSER_XSS_FILTER = True`'],
      '002': ['XSS filter'],
      '003': ['XSS Filter'],
    },
    supersedes: {
      advice: 'SECURE_BROWSER_XSS_FILTER = True (the X-XSS-Protection header)',
      replacement: 'a Content-Security-Policy (see the Content-Security-Policy item)',
      reason: 'Browsers removed their XSS auditors (Chrome 78, Edge 17, Safari 15.4; Firefox never had one) because the auditor itself could be abused to leak data; Django removed the check in 3.0 and the setting in 4.0, so the line is dead code.',
    },
  },
  {
    id: 'https.csp',
    category: 'https',
    title: 'A Content-Security-Policy is configured (django-csp, or SECURE_CSP on Django 6+)',
    why: 'CSP is the modern defence against XSS: the browser refuses scripts the policy does not allow, even if an injection slips through.',
    rules: ['DJR314'],
    sources: { '003': ['Content Security Policy'] },
  },
  {
    id: 'https.csp-reporting',
    category: 'https',
    title: 'CSP violations are reported to an endpoint someone watches',
    why: 'Without reports you learn about a blocked legitimate script, or an attempted injection, from users rather than from logs.',
    manual: true,
    sources: { '003': ['No Content Security Policy Reporting', 'Implement CSP reporting endpoint'] },
  },

  // ── CORS and CSRF ──────────────────────────────────────────────────────────────────────
  {
    id: 'cors.no-allow-all',
    category: 'cors',
    title: 'CORS does not allow every origin in production',
    why: 'Allow-all CORS lets any website call the API from its visitors\' browsers and read the answers.',
    rules: ['DJR401'],
    sources: {
      '000': ['Remove wildcard origins', 'Make CORS more restrictive in production', 'Implement proper CORS in production'],
      '001': ['Disable CORS_ALLOW_ALL_ORIGINS in production', 'CORS_ALLOW_ALL_ORIGINS enabled'],
      '004': ['No overly permissive CORS settings'],
    },
  },
  {
    id: 'cors.allowed-origins',
    category: 'cors',
    title: 'Trusted origins (CORS, CSRF) are exact https:// origins: no http://, wildcard or missing scheme',
    why: 'http:// or wildcard entries let a network attacker or any matching subdomain act as the trusted frontend; an entry without a scheme never matches on Django 4.0+ and stops migrate with 4_0.E001.',
    rules: ['DJR403', 'DJR406'],
    sources: {
      '001': ['Add proper CORS_ALLOWED_ORIGINS for production', 'Configure specific CORS origins for production'],
      '002': ['Make CORS origins configurable'],
      '004': ['`CORS_ALLOWED_ORIGINS` restricted to frontend domain', '`CORS_ALLOWED_ORIGINS` includes frontend domain'],
    },
  },
  {
    id: 'cors.credentials',
    category: 'cors',
    title: 'CORS credentials are never combined with allow-all origins or wildcard patterns',
    why: 'CORS_ALLOW_CREDENTIALS with any origin lets every website make authenticated requests as the logged-in user.',
    rules: ['DJR402'],
    sources: {
      '000': ['Configure credentials properly'],
      '002': ['Set True only if using cookies'],
      '004': ['Credentials allowed for authenticated requests'],
    },
  },
  {
    id: 'cors.methods-headers',
    category: 'cors',
    title: 'CORS allows only the methods and headers the API uses',
    why: 'The defaults of django-cors-headers are broad; narrowing them documents the API surface and limits what a misconfigured origin can do.',
    manual: true,
    sources: {
      '000': ['Specify exact allowed methods', 'Specify exact allowed headers'],
      '001': ['Configure proper CORS headers'],
      '002': ['CORS_ALLOW_HEADERS = ['],
    },
  },
  {
    id: 'cors.preflight-cache',
    category: 'cors',
    title: 'Preflight responses are handled and cached (CORS_PREFLIGHT_MAX_AGE)',
    why: 'Every uncached preflight doubles the number of requests a browser makes to the API.',
    manual: true,
    sources: { '003': ['CORS_PREFLIGHT_MAX_AGE = 86400'], '004': ['Preflight requests handled correctly'] },
  },
  {
    id: 'cors.middleware-order',
    category: 'cors',
    title: 'Middleware order: CorsMiddleware before CommonMiddleware, WhiteNoise right after SecurityMiddleware',
    why: 'Out of order, CORS headers are missing from redirects and errors, and static files bypass the security headers.',
    rules: ['DJR405'],
    sources: { '002': ['# Add after SecurityMiddleware'] },
  },
  {
    id: 'cors.csrf-middleware',
    category: 'cors',
    title: 'CSRF protection is on (CsrfViewMiddleware) and every POST form sends {% csrf_token %}',
    why: 'Without it any website can submit forms and session-authenticated API calls on behalf of a logged-in user. A POST form without the token is rejected (403), or works only because its view is exempt.',
    rules: ['DJR310', 'DJR611'],
    sources: {
      '001': ['Enable CSRF protection for all forms'],
      '003': ['CSRF Protection'],
      '004': ['CSRF protection enabled with secure cookies'],
    },
  },
  {
    id: 'cors.csrf-exempt',
    category: 'cors',
    title: 'No view opts out of CSRF with csrf_exempt',
    why: 'An exempt view accepting cookies is a forged-request target; API views should authenticate with tokens instead.',
    rules: ['DJR404'],
    sources: { '001': ['Add CSRF tokens to API endpoints'], '004': ['CSRF protection tested'] },
  },

  // ── Authentication ─────────────────────────────────────────────────────────────────────
  {
    id: 'auth.jwt-access-lifetime',
    category: 'auth',
    title: 'JWT access tokens are short-lived (15 minutes or less)',
    why: 'An access token cannot be revoked: a stolen one works until it expires.',
    rules: ['DJR501'],
    sources: {
      '000': ['Configure `ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)`', 'Add JWT token expiration and rotation'],
      '001': ['Reduce ACCESS_TOKEN_LIFETIME'],
      '004': ['JWT token expiration set appropriately'],
    },
  },
  {
    id: 'auth.jwt-refresh-lifetime',
    category: 'auth',
    title: 'JWT refresh tokens expire within a week',
    why: 'A long-lived refresh token is a long-lived login for whoever steals it.',
    rules: ['DJR502'],
    sources: { '000': ['Configure `REFRESH_TOKEN_LIFETIME = timedelta(days=7)`'] },
  },
  {
    id: 'auth.jwt-rotation',
    category: 'auth',
    title: 'Refresh tokens are rotated on use (ROTATE_REFRESH_TOKENS)',
    why: 'Rotation turns a stolen refresh token into a one-shot token instead of a permanent key.',
    rules: ['DJR503'],
    sources: { '000': ['Enable `ROTATE_REFRESH_TOKENS = True`'], '001': ['Enable ROTATE_REFRESH_TOKENS'] },
  },
  {
    id: 'auth.jwt-blacklist',
    category: 'auth',
    title: 'Used refresh tokens are blacklisted (BLACKLIST_AFTER_ROTATION + token_blacklist app)',
    why: 'Without the blacklist a rotated-out refresh token keeps working, and logout cannot revoke anything.',
    rules: ['DJR504'],
    sources: {
      '000': ['Enable `BLACKLIST_AFTER_ROTATION = True`', 'Install `rest_framework_simplejwt.token_blacklist` app'],
      '001': ['Add JWT token blacklisting'],
    },
  },
  {
    id: 'auth.token-refresh-logout',
    category: 'auth',
    title: 'Token refresh and logout work end to end (logout blacklists the refresh token)',
    why: 'Short lifetimes only help if clients refresh smoothly, and a logout that leaves the refresh token valid logs nobody out.',
    manual: true,
    sources: {
      '000': ['Implement proper logout with token blacklisting', 'Implement token refresh mechanism'],
      '001': ['Implement token refresh endpoint'],
      '004': ['Token refresh mechanism working'],
    },
  },
  {
    id: 'auth.token-cookies',
    category: 'auth',
    title: 'Tokens are kept in HttpOnly, Secure cookies, not in localStorage',
    why: 'Any script on the page can read localStorage, so one XSS bug exfiltrates every token.',
    manual: true,
    sources: {
      '000': ['Consider storing refresh tokens in HttpOnly cookies'],
      '001': ['Configure proper JWT_AUTH_COOKIE settings'],
      '003': ['HTTP-only Cookies'],
    },
  },
  {
    id: 'auth.password-validators',
    category: 'auth',
    title: 'Password validators are enabled in production (AUTH_PASSWORD_VALIDATORS)',
    why: 'Without validators Django accepts "1", "password" and the user name as passwords.',
    rules: ['DJR506'],
    sources: { '001': ['Password validators'], '004': ['Password validators enabled in production'] },
  },
  {
    id: 'auth.password-min-length',
    category: 'auth',
    title: 'Passwords must be at least 12 characters long (MinimumLengthValidator)',
    why: "Length is what makes a password hard to guess; Django's default minimum of 8 is below current guidance.",
    rules: ['DJR507'],
    sources: {
      '000': ['Increase minimum password length to 12 characters'],
      '001': ['Add minimum password length validation'],
      '003': ['Strong Password Validation'],
    },
  },
  {
    id: 'auth.password-hasher',
    category: 'auth',
    title: 'Passwords are hashed with a strong algorithm (PBKDF2, Argon2, bcrypt or scrypt)',
    why: 'MD5, SHA1 and unsalted hashes are cracked in bulk within hours of a database leak.',
    rules: ['DJR508'],
    sources: {},
  },
  {
    id: 'auth.password-breach-check',
    category: 'auth',
    title: 'Breached and reused passwords are refused',
    why: 'Credential stuffing uses passwords leaked elsewhere; refusing known-breached and recently used passwords stops it where length rules cannot.',
    manual: true,
    sources: {
      '000': ['Install django-pwned-passwords to check breached passwords', 'Prevent password reuse (last 5 passwords)', 'Add custom validator requiring special characters', 'Add password expiration policy (optional)', 'Implement password change history'],
      '001': ['Add password complexity requirements'],
    },
    supersedes: {
      advice: 'special-character rules and password expiry',
      replacement: 'a minimum length of 12+ and a breached-password check',
      reason: 'NIST SP 800-63B advises against composition rules and periodic expiry: they push users to predictable patterns (Password1!) without making passwords harder to guess.',
    },
  },
  {
    id: 'auth.password-reset',
    category: 'auth',
    title: 'Password reset works, expires, and is rate limited',
    why: 'The reset flow is an account-takeover path: links must expire, be single-use, and not reveal whether an address has an account.',
    manual: true,
    sources: {
      '000': ['Rate Limiting (Expand Beyond Password Reset)'],
      '001': ['Implement password reset functionality'],
      '004': ['Password reset flow tested'],
    },
  },
  {
    id: 'auth.login-rate-limit',
    category: 'auth',
    title: 'Login, signup and verification endpoints are rate limited, with lockout after repeated failures',
    why: 'Unthrottled authentication endpoints invite brute force, credential stuffing and account enumeration.',
    manual: true,
    sources: {
      '000': ['Add login rate limiting (3 attempts per 15 min)', 'Add registration rate limiting (5 per hour per IP)', 'Install django-axes for automatic account lockout', 'Add login rate limiting'],
      '001': ['Add rate limiting for login attempts', 'Add account lockout after failed attempts', 'Add rate limiting to login endpoints', 'Add rate limiting to email verification', 'Install django-ratelimit'],
      '003': ['Missing Rate Limiting on Authentication Endpoints', 'Add rate limiting to auth endpoints'],
    },
  },
  {
    id: 'auth.email-verification',
    category: 'auth',
    title: "New accounts verify their email address (allauth ACCOUNT_EMAIL_VERIFICATION = 'mandatory')",
    why: 'Unverified addresses let people sign up as someone else, and password resets then go to whoever typed the address.',
    rules: ['DJR509'],
    sources: {
      '000': ['Add email verification before account activation', 'Prevent login until email is verified', 'Add email verification on registration'],
      '003': ['No Email Verification for Critical Operations', 'Implement mandatory email verification'],
    },
  },
  {
    id: 'auth.two-factor',
    category: 'auth',
    title: 'Two-factor authentication is available (at least for staff and admin accounts)',
    why: 'A second factor keeps a phished or reused password from being enough to take over an account.',
    manual: true,
    sources: {
      '000': ['Install django-otp or similar library', 'Generate and store backup codes', 'Add security questions for account recovery'],
    },
    supersedes: {
      advice: 'security questions for account recovery',
      replacement: 'two-factor authentication with one-time backup codes',
      reason: 'Answers to security questions are guessable or public (NIST SP 800-63B forbids them as authenticators); recovery codes are random and single-use.',
    },
  },
  {
    id: 'auth.account-activity',
    category: 'auth',
    title: 'Login activity is recorded and visible (last login, active sessions, new-device alerts)',
    why: 'Users and support can only spot a takeover if logins are recorded and unusual ones are announced.',
    manual: true,
    sources: {
      '000': ['Enable `UPDATE_LAST_LOGIN = True`', 'Track active sessions (devices/locations)', 'Add "Login from new device" email notifications', 'Send email notifications for security events'],
    },
  },
  {
    id: 'auth.constant-time-compare',
    category: 'auth',
    title: 'No secret, token or API key is compared with == or != (timing attacks)',
    why: 'An `==` comparison returns early at the first differing byte; timing the answers reveals the secret byte by byte.',
    rules: ['DJR511'],
    sources: {
      '002': ['Implemented constant_time_compare to prevent timing attacks'],
      '003': ['Username Enumeration via Timing Attacks'],
    },
  },

  // ── API and code ───────────────────────────────────────────────────────────────────────
  {
    id: 'api.throttling',
    category: 'api',
    title: 'API requests are throttled by default (DEFAULT_THROTTLE_CLASSES, with their rates)',
    why: 'Without throttling one client can exhaust workers and the database, or brute-force any endpoint.',
    rules: ['DJR601'],
    sources: {
      '000': ['Add API-wide rate limiting using django-throttle-requests', 'Configure different limits for authenticated vs anonymous users', 'Use `rest_framework.throttling`'],
      '001': ['Implement API rate limiting', 'Add rate limiting to API endpoints', 'No rate limiting'],
      '002': ['Added DRF throttling'],
      '003': ['on public endpoints (throttles.py)'],
      '004': ['Rate limiting enabled', 'Rate limiting prevents abuse'],
    },
    supersedes: {
      advice: 'the django-throttle-requests package',
      replacement: "Django REST framework's built-in throttling (DEFAULT_THROTTLE_CLASSES / DEFAULT_THROTTLE_RATES), backed by a shared cache",
      reason: 'django-throttle-requests has not been maintained for years; DRF throttling is built in and per view.',
    },
  },
  {
    id: 'api.pagination',
    category: 'api',
    title: 'List endpoints are paginated by default',
    why: 'An unpaginated list endpoint returns the whole table: slow pages, memory spikes and an easy denial of service.',
    rules: ['DJR602'],
    sources: {
      '000': ['Add pagination to booking list endpoints', 'Use `rest_framework.pagination.PageNumberPagination`'],
      '002': ['Implement pagination on list endpoints'],
    },
  },
  {
    id: 'api.default-permissions',
    category: 'api',
    title: 'DRF requires authentication by default (DEFAULT_PERMISSION_CLASSES), and no view that writes allows anyone (AllowAny)',
    why: 'DRF defaults to AllowAny: every view that forgets permission_classes is public, and a view that creates, changes or deletes data with AllowAny lets anyone do it.',
    rules: ['DJR603', 'DJR613'],
    sources: {
      '001': ['Review all permission_classes in views'],
      '004': ['API endpoints have proper permissions', 'Authentication required for protected endpoints'],
    },
  },
  {
    id: 'api.serializer-fields',
    category: 'api',
    title: "Model serializers list their fields (no fields = '__all__')",
    why: "'__all__' makes every model field readable and writable through the API, the ones added later too: mass assignment of is_staff, owner or price.",
    rules: ['DJR612'],
    sources: {},
  },
  {
    id: 'api.authorization',
    category: 'api',
    title: 'Object-level permissions and per-user data isolation are enforced and tested',
    why: 'Authentication says who the user is; only per-object checks and filtered querysets stop them reading or editing other users\' data.',
    manual: true,
    sources: {
      '001': ['Add proper role-based access control'],
      '003': ['by user for data isolation', 'Role Escalation Prevention'],
      '004': ['No authentication bypass vulnerabilities', 'Authorization checks tested'],
    },
  },
  {
    id: 'api.browsable-api',
    category: 'api',
    title: 'The browsable API is not served in production',
    why: 'The HTML renderer exposes forms and endpoint structure to anyone who opens an URL in a browser.',
    rules: ['DJR604'],
    sources: {},
  },
  {
    id: 'api.sql-injection',
    category: 'api',
    title: 'Raw SQL is never built with f-strings, % or + (values go in as parameters)',
    why: 'The ORM protects you only until a query is assembled from strings; then one crafted parameter reads or deletes any table.',
    rules: ['DJR606'],
    sources: { '001': ['Prevent SQL injection'], '004': ['SQL injection vulnerabilities tested'] },
  },
  {
    id: 'api.safe-html',
    category: 'api',
    title: 'User content stays escaped: no mark_safe on strings built at run time, no autoescape off in templates',
    why: 'mark_safe, {% autoescape off %} and the |safe filter switch off autoescaping: user data that reaches them becomes script in other users\' browsers. Every |safe is listed by DJR610 when you turn it on (opt-in: a template cannot tell trusted HTML from user input).',
    rules: ['DJR607', 'DJR609', 'DJR610'],
    sources: {
      '000': ['Sanitize user-generated content'],
      '001': ['Add input sanitization for all fields'],
      '003': ['Input Sanitization'],
      '004': ['XSS vulnerabilities tested'],
    },
  },
  {
    id: 'api.upload-limits',
    category: 'api',
    title: "Django's request size limits stay on (DATA_UPLOAD_MAX_*) and uploads are not world-writable",
    why: 'Without the limits one request with a huge body or a flood of fields exhausts a worker; world-writable uploads can be replaced by any user of the host.',
    rules: ['DJR914'],
    sources: {
      '000': ['Add request data size limits'],
    },
  },
  {
    id: 'api.input-validation',
    category: 'api',
    title: 'Every endpoint validates its input: serializers, size limits, uploads, JSON structure',
    why: 'Unvalidated input becomes 500 errors, oversized rows, stored XSS and uploads of anything at all.',
    manual: true,
    sources: {
      '000': ['Add input size limits for all text fields', 'Validate file upload sizes for profile pictures', 'Add content-type validation for uploads', 'Add JSON schema validation for complex requests'],
      '001': ['Implement proper serializer validation', 'Add file upload validation'],
      '002': ['Missing Input Validation'],
      '003': ['Insufficient Input Validation on JSONField Data', 'Add JSON schema validation'],
      '004': ['Input validation on all endpoints', 'Media file uploads secured'],
    },
  },
  {
    id: 'api.error-responses',
    category: 'api',
    title: 'Errors use one response format and never leak internals (exception handler, 404/500 pages)',
    why: 'Stack traces and raw exception messages tell an attacker about the code; inconsistent error shapes break clients.',
    manual: true,
    sources: {
      '000': ['Create standard error response format', 'Create custom exception handler', 'Standardize error responses'],
      '001': ['Disable detailed error messages in production', 'Implement custom error pages'],
      '003': ['Inconsistent Error Handling', 'Set up proper error handling middleware'],
      '004': ["Error messages don't leak sensitive info", "Error responses don't leak sensitive info"],
    },
  },
  {
    id: 'api.versioning',
    category: 'api',
    title: 'The API is versioned, with a deprecation policy',
    why: 'Without versions every change to a response can break mobile apps and integrations already in the field.',
    manual: true,
    sources: {
      '000': ['Restructure URLs to `/api/v1/auth/...`', 'Create deprecation policy'],
      '002': ['No API Versioning'],
      '003': ['Implement API Versioning Enforcement'],
      '004': ['API versioning strategy in place'],
    },
  },
  {
    id: 'api.documentation',
    category: 'api',
    title: 'The API is documented (OpenAPI schema, e.g. drf-spectacular)',
    why: 'Clients integrate against the documentation; undocumented endpoints get misused or reverse-engineered.',
    manual: true,
    sources: {
      '000': ['Install drf-spectacular for OpenAPI/Swagger'],
      '002': ['No API Documentation'],
      '004': ['API endpoints documented'],
    },
  },

  // ── Database ───────────────────────────────────────────────────────────────────────────
  {
    id: 'database.production-engine',
    category: 'database',
    title: 'The production database is not SQLite',
    why: 'SQLite locks the whole database on every write and lives on the app server\'s disk: no concurrency, no replicas, lost on redeploy.',
    rules: ['DJR701'],
    sources: {
      '000': ['Set up PostgreSQL for production', 'Migrate to PostgreSQL'],
      '002': ['Change database from SQLite to PostgreSQL'],
      '004': ['PostgreSQL configured (not SQLite)'],
    },
  },
  {
    id: 'database.persistent-connections',
    category: 'database',
    title: 'Database connections are reused between requests (CONN_MAX_AGE or a pool)',
    why: 'Opening a connection per request adds latency and exhausts the server\'s connection limit under load.',
    rules: ['DJR702'],
    sources: {
      '000': ['Configure connection pooling', 'Use database connection pooling'],
      '002': ['Set up database connection pooling', 'Configure database connection retry logic'],
      '003': ['Missing Database Connection Pooling', 'Add database connection pooling'],
      '004': ['Connection pooling configured (pgBouncer)'],
    },
  },
  {
    id: 'database.ssl',
    category: 'database',
    title: 'Connections to a remote database require SSL (sslmode / ssl_mode in OPTIONS)',
    why: 'Credentials and data travel to a managed database over networks you do not control.',
    rules: ['DJR703'],
    sources: { '000': ['Configure database SSL connections'], '001': ['Enable database connection encryption'] },
  },
  {
    id: 'database.least-privilege',
    category: 'database',
    title: 'The application\'s database user has only the permissions it needs',
    why: 'An SQL injection or a leaked password is bounded by what the account may do: a superuser account can read every database and drop them.',
    manual: true,
    sources: { '001': ['Configure proper database permissions'], '004': ['Database user has minimal required permissions'] },
  },
  {
    id: 'database.backups',
    category: 'database',
    title: 'Automated backups run daily, with a retention policy and an off-site copy',
    why: 'Hardware, operators and migrations all lose data eventually; a backup you did not automate is a backup you do not have.',
    manual: true,
    sources: {
      '000': ['Set up automated daily database backups', 'Store backups in separate geographic location'],
      '001': ['Add database backup strategy'],
      '002': ['No Database Backup Strategy', 'Set up automated daily backups'],
      '003': ['Database backups configured'],
      '004': ['Database backups enabled', 'Backup retention policy set'],
    },
  },
  {
    id: 'database.restore-tested',
    category: 'database',
    title: 'Restoring a backup has been tested, on a schedule (point-in-time recovery where available)',
    why: 'Backups fail silently; only a restore proves that they contain what you need and how long recovery takes.',
    manual: true,
    sources: {
      '000': ['Create backup restoration testing schedule', 'Configure point-in-time recovery'],
      '004': ['Regular backup restoration tests done', 'Verify backups are working'],
    },
  },
  {
    id: 'database.migrations-safe',
    category: 'database',
    title: 'Migration operations can be reversed, and no NOT NULL column is added without a default',
    why: 'An operation without a reverse stops a rollback half-way; a NOT NULL column without a default fails on a table that has rows, mid-deploy.',
    rules: ['DJR711', 'DJR712'],
    sources: {
      '000': ['Ensure backward-compatible migrations', 'Create rollback plans for migrations'],
      '004': ['All migrations apply cleanly', 'Schema changes backward compatible'],
    },
  },
  {
    id: 'database.migrations',
    category: 'database',
    title: 'Migrations are reviewed, tried on staging, and the rollback procedure is tested',
    why: 'A migration that locks a big table or drops a column still in use takes production down mid-deploy; only a rehearsal on production-sized data shows it.',
    manual: true,
    sources: {
      '000': ['Review all migrations before applying', 'Test migrations on staging first'],
      '004': ['Migrations tested and applied', 'Rollback procedure tested', 'Migrations run after deployment'],
    },
  },
  {
    id: 'database.query-performance',
    category: 'database',
    title: 'Hot queries are indexed and free of N+1 patterns; slow queries are monitored',
    why: 'Queries that are fast on a developer\'s ten rows time out on production data.',
    manual: true,
    sources: {
      '000': ['Add index on User.email field', 'Identify and fix N+1 queries', 'Monitor and optimize slow queries (> 100ms)', 'Set up read replicas (for scaling)'],
      '002': ['Add database indexes on frequently queried fields', 'Add query optimization (select_related, prefetch_related)'],
      '003': ['Missing Index on Frequently Queried Fields', 'Implement Query Monitoring', 'Add Database Read Replicas'],
      '004': ['Database query monitoring configured', 'No N+1 query problems'],
    },
  },
  {
    id: 'database.integrity',
    category: 'database',
    title: 'Multi-step writes run in transactions; constraints and idempotency keys protect the data',
    why: 'A failure half-way through a registration, or a double-submitted payment, leaves inconsistent rows that no code expects.',
    manual: true,
    sources: {
      '000': ['Wrap critical operations in database transactions', 'Add unique constraint on User.email at database level', 'Make critical endpoints idempotent'],
      '003': ['Missing Database Transaction Management', 'Add transaction management to critical views'],
    },
  },
  {
    id: 'database.data-retention',
    category: 'database',
    title: 'Deletion and retention rules are defined (soft delete, retention periods, GDPR requests)',
    why: 'Cascading deletes destroy audit trails, while keeping everything forever breaks privacy law; both must be decided before launch.',
    manual: true,
    sources: {
      '000': ['Add `is_deleted` field to User model'],
      '001': ['Add data retention policies', 'Implement GDPR compliance'],
      '003': ['Implement soft deletion for user data', 'Add Data Retention Policies'],
    },
  },
  {
    id: 'database.sensitive-fields',
    category: 'database',
    title: 'Sensitive personal data is encrypted at rest',
    why: 'A leaked dump or backup should not expose documents, tokens or health data in clear text.',
    manual: true,
    sources: { '001': ['Encrypt sensitive user data'], '003': ['Encrypt Sensitive Fields'] },
  },

  // ── Logging and monitoring ─────────────────────────────────────────────────────────────
  {
    id: 'logging.configured',
    category: 'logging',
    title: 'LOGGING is configured for production',
    why: 'Django\'s default logging drops most errors when DEBUG is off: without a configuration, production failures leave no trace.',
    rules: ['DJR801'],
    sources: {
      '000': ['Configure appropriate log levels for each environment', 'Add comprehensive logging'],
      '002': ['No Logging Configuration', 'Set up logging configuration'],
      '003': ['Missing Application-Level Logging Configuration', 'Add LOGGING configuration'],
      '004': ['Logging configured for production', 'Log levels appropriate for production'],
    },
  },
  {
    id: 'logging.error-monitoring',
    category: 'logging',
    title: 'Errors reach someone: an error tracker (e.g. Sentry) or ADMINS',
    why: 'An exception that nobody is told about is found by users, weeks later.',
    rules: ['DJR802'],
    sources: {
      '000': ['Set up Sentry or DataDog for APM'],
      '001': ['Set up error monitoring'],
      '002': ['No Error Monitoring'],
      '003': ['Error tracking (Sentry) active'],
      '004': ['Error tracking enabled (Sentry, etc.)'],
    },
  },
  {
    id: 'logging.email-backend',
    category: 'logging',
    title: 'Outgoing email uses a backend that delivers it (not console, locmem, file or dummy)',
    why: 'With a console backend, password resets, verification mails and error reports silently go nowhere.',
    rules: ['DJR803'],
    sources: {
      '003': ['Change to mandatory and configure email backend'],
      '004': ['Verify all emails are sending'],
    },
  },
  {
    id: 'logging.security-events',
    category: 'logging',
    title: 'Security events are logged: logins, failures, password resets, admin actions',
    why: 'Brute force and account takeover are visible only in these events, and investigating an incident needs them.',
    manual: true,
    sources: {
      '000': ['Log authentication attempts (success/failure)', 'Log security events (unusual activity)', 'Log password reset requests'],
      '001': ['Add security event logging', 'Log failed login attempts', 'Log admin actions', 'Add request logging for admin actions', 'No security logging'],
    },
  },
  {
    id: 'logging.audit-trail',
    category: 'logging',
    title: 'An audit trail records who changed which data, and when',
    why: 'Disputes, support questions and breach investigations all start with "who changed this?".',
    manual: true,
    sources: {
      '000': ['Create AuditLog model', 'Track user CRUD operations'],
      '003': ['No Audit Logging for Sensitive Operations', 'Implement comprehensive audit logging'],
    },
  },
  {
    id: 'logging.error-reports-no-pii',
    category: 'logging',
    title: "The error tracker does not send users' personal data (send_default_pii is not True)",
    why: "With send_default_pii on, every error report carries the user's identity, IP address, cookies, headers and request bodies to a third party.",
    rules: ['DJR804'],
    sources: { '002': ['send_default_pii=False'] },
  },
  {
    id: 'logging.no-sensitive-data',
    category: 'logging',
    title: 'No passwords, tokens or personal data end up in logs',
    why: 'Logs are copied to many systems and kept for long; a token logged once is a token leaked.',
    manual: true,
    sources: { '004': ['No sensitive data logged'] },
  },
  {
    id: 'logging.aggregation',
    category: 'logging',
    title: 'Logs are structured and shipped to a central service',
    why: 'Logs on a container\'s disk vanish with the container and cannot be searched across instances.',
    manual: true,
    sources: {
      '000': ['Install django-structlog for structured JSON logs', 'Add request/response logging'],
      '001': ['Add request/response logging', 'Log API access patterns'],
      '002': ['Configure log aggregation (ELK stack or CloudWatch)', 'Add request/response logging'],
      '003': ['Configure production logging aggregation', 'Implement Structured Logging'],
      '004': ['Log aggregation service connected'],
    },
  },
  {
    id: 'logging.monitoring-alerts',
    category: 'logging',
    title: 'Uptime and performance are monitored, and alerts reach a person',
    why: 'Dashboards nobody watches do not page anyone at 3 a.m.; alerts on downtime, error rates and latency do.',
    manual: true,
    sources: {
      '000': ['Set up uptime monitoring', 'Monitor API response times', 'Alert on failed login attempt spikes'],
      '001': ['Set up monitoring and alerting'],
      '002': ['Set up application performance monitoring'],
      '003': ['Set up monitoring (Sentry, APM)', 'Monitoring tools configured'],
      '004': ['Performance monitoring enabled', 'Uptime monitoring configured', 'Alerts configured for critical errors'],
    },
  },

  // ── Static files and deployment ────────────────────────────────────────────────────────
  {
    id: 'deployment.wsgi-server',
    category: 'deployment',
    title: 'A production server (gunicorn, uvicorn...) is in the requirements, and no deployment file starts runserver',
    why: 'runserver is single-purpose development tooling: not audited for security, not built for load.',
    rules: ['DJR905', 'DJR906'],
    sources: {
      '001': ['Use production-grade WSGI server'],
      '002': ['No WSGI Server Configuration', 'Configure Gunicorn as WSGI server'],
      '004': ['`gunicorn` for production WSGI server', 'Start command configured correctly'],
    },
  },
  {
    id: 'deployment.static-files',
    category: 'deployment',
    title: 'STATIC_ROOT is set, so collectstatic can gather the static files',
    why: 'collectstatic gathers every static file into STATIC_ROOT for the web server or WhiteNoise to serve; without it the deploy has nothing to serve.',
    rules: ['DJR901'],
    sources: {
      '000': ['Configure `STATIC_ROOT` properly'],
      '004': ['STATIC_ROOT configured', 'Static files collected with `collectstatic`'],
    },
  },
  {
    id: 'deployment.static-serving',
    category: 'deployment',
    title: 'Static files are served by WhiteNoise, a CDN or the web server, not by Django',
    why: 'With DEBUG off Django stops serving static files; what serves them instead (WhiteNoise, nginx, a CDN) lives outside the settings, so no static check can tell.',
    manual: true,
    sources: {
      '000': ['Use WhiteNoise or CDN for static files'],
      '002': ['Static File Serving Not Production-Ready'],
      '004': ['`whitenoise` for static file serving'],
    },
  },
  {
    id: 'deployment.media-storage',
    category: 'deployment',
    title: 'Uploaded media live on persistent storage (object storage or a mounted volume)',
    why: 'Files written into a container or a dyno\'s filesystem disappear on the next deploy.',
    manual: true,
    sources: {
      '000': ['Separate media files storage (S3 or Cloudinary)', 'Configure `MEDIA_ROOT` properly'],
      '002': ['Missing media file configuration'],
      '004': ['MEDIA_ROOT on persistent storage', 'Persistent storage configured for media files'],
    },
  },
  {
    id: 'deployment.health-check',
    category: 'deployment',
    title: 'A health-check URL exists for the load balancer and the uptime monitor',
    why: 'Without one, a broken instance keeps receiving traffic and a failed deploy is noticed by users.',
    rules: ['DJR910'],
    sources: {
      '000': ['Create `/api/health/` endpoint', 'Add health check endpoint'],
      '002': ['No Health Check Endpoint', 'Add health check endpoint'],
      '003': ['in docker-compose'],
      '004': ['Health checks configured'],
    },
  },
  {
    id: 'deployment.container-user',
    category: 'deployment',
    title: 'The production container runs as a non-root user (USER in the Dockerfile)',
    why: 'A compromised process running as root in the container is one kernel bug away from the host.',
    rules: ['DJR907'],
    sources: { '002': ['# Switch to non-root user'], '003': ['Docker Non-Root User'] },
  },
  {
    id: 'deployment.settings-split',
    category: 'deployment',
    title: 'Production settings do not double as development settings (split modules, or differences read from the environment)',
    why: 'One module for every environment means production runs whatever the last developer needed locally.',
    rules: ['DJR909'],
    sources: { '000': ['Separate settings by environment:'] },
  },
  {
    id: 'deployment.environments',
    category: 'deployment',
    title: 'Development, staging and production are separate, each with its own variables and database',
    why: 'Testing against production data, or deploying untested changes straight to it, is how outages and leaks start.',
    manual: true,
    sources: {
      '000': ['Set up Staging environment', 'Use different databases per environment'],
      '001': ['Create separate .env files for development/production'],
      '004': ['Environment variables all set'],
    },
  },
  {
    id: 'deployment.server-hardening',
    category: 'deployment',
    title: 'The host is hardened: TLS certificates, reverse proxy, firewall, file permissions',
    why: 'Django\'s settings assume a proxy that terminates TLS and a host that exposes nothing else.',
    manual: true,
    sources: {
      '001': ['Configure proper firewall rules', 'Set up proper SSL certificates', 'Configure reverse proxy (nginx)', 'Configure proper file permissions'],
      '002': ['Missing Nginx Configuration'],
      '003': ['SSL certificates installed'],
    },
  },
  {
    id: 'deployment.ci-checks',
    category: 'deployment',
    title: 'CI runs the tests, manage.py check --deploy and makemigrations --check on every push',
    why: 'Every fix on this checklist and every dependency upgrade changes behaviour; a CI that runs the tests and Django\'s own checks finds the broken setting or the missing migration before production does.',
    rules: ['DJR913'],
    sources: {
      '000': ['Set up GitHub Actions or similar CI/CD'],
      '002': ['Create CI/CD pipeline (GitHub Actions)'],
      '003': ['.github/workflows/security.yml'],
    },
  },
  {
    id: 'deployment.ci-cd',
    category: 'deployment',
    title: 'Deployments are automated and can be rolled back',
    why: 'Manual deploys drift and get skipped under pressure; a rollback path turns a bad deploy into a minor event.',
    manual: true,
    sources: {
      '000': ['Create rollback mechanisms'],
    },
  },
  {
    id: 'deployment.tests',
    category: 'deployment',
    title: 'Automated tests cover the models, the API and the critical user flows',
    why: 'Every fix on this checklist changes behaviour at start-up; tests are what make those changes safe to ship.',
    manual: true,
    sources: {
      '002': ['No Automated Testing', 'Write API tests for endpoints'],
      '003': ['Test rate limiting works'],
      '004': ['User login flow tested', 'All endpoints tested with production environment'],
    },
  },
  {
    id: 'deployment.load-testing',
    category: 'deployment',
    title: 'The app has been load tested and response times are acceptable',
    why: 'Connection limits, missing indexes and worker counts only show up under realistic load.',
    manual: true,
    sources: {
      '003': ['Performance testing under load', 'Load testing completed'],
      '004': ['API response times acceptable', 'Performance benchmarks recorded'],
    },
  },
  {
    id: 'deployment.security-testing',
    category: 'deployment',
    title: 'A security review or penetration test has been done (auth bypass, XSS, CSRF, injection)',
    why: 'Static checks find configuration mistakes; logic flaws in authorization need a human attacker\'s eye.',
    manual: true,
    sources: {
      '001': ['Regular security audits recommended'],
      '003': ['Conduct penetration testing', 'Security scan passed'],
      '004': ['Authentication bypass tested'],
    },
  },
  {
    id: 'deployment.incident-response',
    category: 'deployment',
    title: 'An incident-response plan and runbooks exist (who is called, what to do first)',
    why: 'During an outage or a breach there is no time to work out who decides, who talks to users, and how to rotate secrets.',
    manual: true,
    sources: {
      '002': ['Create runbook for common operations'],
      '003': ['Security incident response plan ready'],
      '004': ['Emergency procedures documented', 'Monitor error logs for first 24 hours'],
    },
  },
  {
    id: 'deployment.disaster-recovery',
    category: 'deployment',
    title: 'A disaster-recovery plan is documented (recovery time and data-loss targets)',
    why: 'Backups are half the answer; the other half is knowing how long recovery takes and in what order to rebuild.',
    manual: true,
    sources: {
      '000': ['Document backup and recovery procedures'],
      '001': ['Implement backup and recovery'],
      '003': ['Disaster recovery plan documented'],
      '004': ['Disaster recovery plan documented'],
    },
  },
  {
    id: 'deployment.documentation',
    category: 'deployment',
    title: 'Deployment, configuration and troubleshooting are documented',
    why: 'The person deploying at night is rarely the person who set it up.',
    manual: true,
    sources: {
      '000': ['Document all configuration options', 'Document environment setup procedures'],
      '004': ['Deployment guide written', 'Troubleshooting guide written'],
    },
  },
  {
    id: 'deployment.shared-cache',
    category: 'deployment',
    title: 'A shared cache (Redis or Memcached) backs caching and throttling',
    why: 'The default per-process memory cache gives every worker its own counters, so throttles and cached data differ per worker.',
    rules: ['DJR614'],
    sources: { '000': ['Set up Redis or Memcached'], '003': ['Cache Implementation'] },
  },
  {
    id: 'deployment.outbound-timeouts',
    category: 'deployment',
    title: 'Outbound HTTP calls made with requests have a timeout',
    why: 'requests waits forever by default: one slow or silent upstream holds a worker until it is killed, and a few of them stop the site.',
    rules: ['DJR608'],
    sources: { '000': ['Configure timeouts and retry counts'] },
  },
  {
    id: 'deployment.task-queue',
    category: 'deployment',
    title: 'Slow or flaky third-party calls (email, uploads) run in a task queue with retries',
    why: 'A request that waits on SendGrid or S3 fails, or hangs a worker, whenever they do.',
    manual: true,
    sources: {
      '000': ['Queue email sending (use Celery)', 'Retry failed email sends', 'Handle SendGrid service failures'],
      '003': ['Add Celery Task Monitoring'],
    },
  },

  // ── Dependencies ───────────────────────────────────────────────────────────────────────
  {
    id: 'dependencies.pinned',
    category: 'dependencies',
    title: 'Every production requirement is pinned to an exact version (==, or a lock file)',
    why: 'Unpinned requirements install whatever is newest on the day of the deploy: builds stop being reproducible and a compromised release goes straight to production.',
    rules: ['DJR903'],
    sources: {
      '000': ['Pin all dependency versions:'],
      '002': ['requirements.txt created with all dependencies'],
      '004': ['All dependencies pinned to specific versions'],
    },
    supersedes: {
      advice: 'lower bounds such as django>=6.0.2 presented as pins',
      replacement: 'exact pins (django==6.0.2), updated deliberately (Dependabot, pip-compile)',
      reason: '>= is not a pin: each deploy may install a different, untested version.',
    },
  },
  {
    id: 'dependencies.requirements-valid',
    category: 'dependencies',
    title: 'requirements files only contain lines pip can read',
    why: 'A line like "pip install django" makes pip fail, or worse, install a package named install.',
    rules: ['DJR904'],
    sources: { '000': ['Fix requirements.txt format (remove "pip install")', 'Fix requirements.txt format'] },
  },
  {
    id: 'dependencies.django-supported',
    category: 'dependencies',
    title: 'The pinned Django release still receives security fixes',
    why: 'Past its end of support, a Django release gets no security patches: known vulnerabilities stay open.',
    rules: ['DJR908'],
    sources: { '000': ['`django>=6.0.2`'] },
  },
  {
    id: 'dependencies.production-requirements',
    category: 'dependencies',
    title: 'Production requirements are separate from development tools',
    why: 'Debug toolbars and test tools in the production image widen the attack surface and slow builds.',
    rules: ['DJR911'],
    sources: {
      '000': ['Create requirements-dev.txt for dev dependencies'],
      '004': ['`requirements_production.txt` has production packages', '`dj-database-url` for cloud database support', '`psycopg2-binary` for PostgreSQL'],
    },
    supersedes: {
      advice: 'psycopg2-binary as the production PostgreSQL driver',
      replacement: 'psycopg (3), or psycopg2 built from source',
      reason: "psycopg2's own documentation recommends the binary wheel for development only: it bundles its own libpq and OpenSSL, which do not get the system's security updates.",
    },
  },
  {
    id: 'dependencies.updates-automated',
    category: 'dependencies',
    title: 'A bot (Dependabot, Renovate) proposes dependency updates as pull requests',
    why: 'Security releases only help once installed: a bot opens a pull request per release, and the tests say whether it can be merged.',
    rules: ['DJR912'],
    sources: {
      '000': ['Set up Dependabot for automated updates'],
    },
  },
  {
    id: 'dependencies.vulnerability-scan',
    category: 'dependencies',
    title: 'Dependencies are scanned for known vulnerabilities in CI (pip-audit, safety)',
    why: 'Most compromises use known vulnerabilities in outdated packages; scanning in CI catches them before attackers do.',
    manual: true,
    sources: {
      '000': ['Run pip-audit for security vulnerabilities'],
      '002': ['safety check'],
      '003': ['Implement automated security scanning'],
    },
  },
];

/**
 * Backend seed items deliberately not in the checklist. Frontend items (React, Next.js, Nuxt,
 * Vercel) are out of scope altogether and not listed here.
 */
export const LEFT_OUT: readonly LeftOut[] = [
  { seed: '000', text: 'Add type hints to all Python functions', reason: 'Code quality (type hints, mypy, PEP 8, DRY, constants): worthwhile, but not a production-readiness property.' },
  { seed: '000', text: 'Separate business logic from views (service layer)', reason: 'Code organisation, not production readiness.' },
  { seed: '000', text: 'Move magic numbers to constants', reason: 'Code quality, not production readiness.' },
  { seed: '000', text: 'Implement feature flags for gradual rollouts', reason: 'A product-delivery practice; not needed to be production ready.' },
  { seed: '000', text: 'Track user engagement metrics', reason: 'Product analytics (section 32), not readiness.' },
  { seed: '000', text: 'Create active sessions view for users', reason: 'A product feature (session-management dashboard); the security part (recording logins) is auth.account-activity.' },
  { seed: '000', text: 'Implement ETags for conditional requests', reason: 'A performance optimisation; caching infrastructure itself is deployment.shared-cache.' },
  { seed: '000', text: 'Add localization support for error messages', reason: 'UX (section 40); the security part (no leaked internals) is api.error-responses.' },
  { seed: '000', text: 'Create Dockerfile for backend', reason: 'Containers are one way to deploy, not a requirement; when a Dockerfile exists, deployment.container-user and deployment.wsgi-server judge it.' },
  { seed: '000', text: 'Consider Kubernetes for production (optional)', reason: 'An infrastructure choice, not a readiness criterion.' },
  { seed: '002', text: 'Remove dead code (commented ConnectionToken model)', reason: 'Code quality, not production readiness.' },
  { seed: '002', text: 'Add filtering and search capabilities', reason: 'An API feature, not readiness.' },
  { seed: '002', text: 'Add pre-commit hooks (black, flake8, mypy)', reason: 'Developer tooling; CI itself is deployment.ci-cd.' },
  { seed: '002', text: 'Frontend API Key Exposure', reason: 'A Nuxt frontend issue (the seed says so); frontend items are out of scope.' },
  { seed: '004', text: 'Check analytics are working', reason: 'Product analytics, not readiness.' },
];
