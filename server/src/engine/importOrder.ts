/**
 * Where a new import goes among a module's leading imports, the way isort orders them: sections
 * (`__future__`, the standard library, other packages, relative imports) separated by a blank
 * line; within a section `import x` before `from x import y`, each by module name, case
 * ignored (isort's default; a block sorted by module name alone, `force_sort_within_sections`,
 * is followed too). A block that is not sorted either way gets the import after the last one of
 * its section: the file's order is the user's, never reshuffled.
 */

/** Top-level modules of the Python standard library (3.8-3.13; private ones left out). */
const STDLIB = new Set(
  (
    'abc aifc argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect builtins bz2 ' +
    'cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent ' +
    'configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal ' +
    'difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput ' +
    'fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq ' +
    'hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3 ' +
    'linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt ' +
    'multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev ' +
    'pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats ' +
    'pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource ' +
    'rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket ' +
    'socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct ' +
    'subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap ' +
    'threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle types typing ' +
    'unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml ' +
    'xmlrpc zipapp zipfile zipimport zlib zoneinfo'
  ).split(' '),
);

/** An import statement as isort sees it. */
export interface ImportShape {
  /** Dotted module (`os.path`; for `from . import x`, ''). */
  module: string;
  /** `from` imports: true. */
  from: boolean;
  /** Leading dots of a relative import. */
  level: number;
  /** Which run of imports (separated by blank lines) it is in: third-party and the project's own packages are two. */
  run?: number;
}

/** 0 `__future__`, 1 standard library, 2 other packages (third-party and the project's), 3 relative. */
export function importSection(i: ImportShape): number {
  if (i.level > 0) return 3;
  if (i.module === '__future__') return 0;
  return STDLIB.has(i.module.split('.')[0]) ? 1 : 2;
}

type Key = (i: ImportShape) => string;

/** isort's default: straight imports first, then `from` imports, each by module. */
const BY_TYPE: Key = (i) => `${i.from ? 1 : 0}\u0000${i.module.toLowerCase()}`;
/** `force_sort_within_sections`: by module only. */
const BY_MODULE: Key = (i) => `${i.module.toLowerCase()}\u0000${i.from ? 1 : 0}`;

function sortedBy(list: readonly ImportShape[], key: Key): boolean {
  for (let k = 1; k < list.length; k++) if (key(list[k - 1]) > key(list[k])) return false;
  return true;
}

/**
 * Where `added` goes among `block` (the leading imports, in file order): before the entry of
 * that index (`before`), or after it (`after`); `group` when it opens a new section (a blank
 * line separates it from its neighbours).
 */
export function importSlot(block: readonly ImportShape[], added: ImportShape): { index: number; where: 'before' | 'after'; group: boolean } | undefined {
  if (block.length === 0) return undefined;
  const section = importSection(added);
  const sections = block.map(importSection);
  // the first run holding that section (other packages: third-party before the project's own)
  const first = block[sections.indexOf(section)]?.run;
  const same = block.map((i, k) => ({ i, k })).filter((x) => sections[x.k] === section && x.i.run === first);
  if (same.length > 0) {
    const list = same.map((x) => x.i);
    for (const key of [BY_TYPE, BY_MODULE]) {
      if (!sortedBy(list, key)) continue;
      const next = same.find((x) => key(added) < key(x.i));
      return next ? { index: next.k, where: 'before', group: false } : { index: same[same.length - 1].k, where: 'after', group: false };
    }
    return { index: same[same.length - 1].k, where: 'after', group: false };
  }
  // a new section: before the first later one, else after the block
  const later = sections.findIndex((s) => s > section);
  if (later >= 0 && sections.slice(later).every((s) => s > section)) return { index: later, where: 'before', group: true };
  if (later < 0) return { index: block.length - 1, where: 'after', group: true };
  return undefined; // sections interleaved: not an isort file (the caller appends after the block)
}

/**
 * isort's order of the names of a `from` import (order_by_type): CONSTANTS, then Classes, then
 * everything else, each case-insensitively by name (then as written).
 */
const NAME_KEY = (name: string): string => {
  const rank = name.length > 1 && name === name.toUpperCase() && /[A-Z]/.test(name) ? 0 : /^[A-Z]/.test(name) ? 1 : 2;
  return `${rank}${name.toLowerCase()}\u0000${name}`;
};

/**
 * Where `added` goes among the names of one `from` import (`config, AutoConfig`): the index of
 * the name it goes before, in isort's order when the names are in that order; else
 * `names.length` (at the end: the file's order is the user's, never reshuffled).
 */
export function nameSlot(names: readonly string[], added: string): number {
  const keys = names.map(NAME_KEY);
  for (let k = 1; k < keys.length; k++) if (keys[k - 1] > keys[k]) return names.length;
  const next = keys.findIndex((key) => NAME_KEY(added) < key);
  return next < 0 ? names.length : next;
}
