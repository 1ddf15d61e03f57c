/**
 * Secret masking. No secret value may ever leave the engine unmasked: messages, hovers,
 * logs, JSON and SARIF show at most a short prefix and the length.
 */
export function maskSecret(value: string): string {
  if (value.length === 0) return "''";
  const prefixLength = value.length >= 16 ? 3 : value.length >= 8 ? 2 : 0;
  return `'${value.slice(0, prefixLength)}${'*'.repeat(4)}' (${value.length} chars)`;
}

/** Removes the password from a URL/DSN such as postgres://user:pass@host/db. */
export function maskUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)(@)/i, (_m, a: string, _p: string, c: string) => `${a}****${c}`);
}
