/**
 * The team's ticks on manual checklist items, stored in the repository so everyone (and the
 * CLI) sees the same state: `.django-readiness/checklist.json`
 *
 *   {
 *     "version": 1,
 *     "items": {
 *       "database.restore-tested": { "done": true, "by": "alice", "date": "2026-02-01" }
 *     }
 *   }
 *
 * Unknown item ids are kept (an item may come back, or belong to a newer version), keys are
 * written sorted so diffs stay small, and the file ends with a newline.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { FileSystem } from '../project';

export const MANUAL_STATE_DIR = '.django-readiness';
export const MANUAL_STATE_FILE = 'checklist.json';

export interface ManualTick {
  done: boolean;
  /** Who ticked it (free text: a name or a login). */
  by?: string;
  /** When, as an ISO date (YYYY-MM-DD). */
  date?: string;
  /** An optional note: where the evidence is (runbook link, ticket...). */
  note?: string;
}

export interface ManualState {
  version: 1;
  items: Record<string, ManualTick>;
}

export function emptyManualState(): ManualState {
  return { version: 1, items: {} };
}

/** `<root>/.django-readiness/checklist.json` */
export function manualStatePath(root: string): string {
  return path.join(root, MANUAL_STATE_DIR, MANUAL_STATE_FILE);
}

/**
 * The tick file that applies to `root`: the nearest `.django-readiness/checklist.json` at or
 * above root, stopping at the repository root (a folder with `.git`); when there is none, the
 * path where it would be created (in root).
 */
export function findManualStateFile(fs: FileSystem, root: string): { file: string; exists: boolean } {
  let dir = path.resolve(root);
  for (let i = 0; i < 32; i++) {
    const f = manualStatePath(dir);
    if (fs.exists(f)) return { file: f, exists: true };
    if (fs.exists(path.join(dir, '.git'))) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { file: manualStatePath(path.resolve(root)), exists: false };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the file text; an invalid file yields an empty state and an error message. */
export function parseManualState(text: string): { state: ManualState; errors: string[] } {
  const state = emptyManualState();
  const errors: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { state, errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  if (!isRecord(data)) return { state, errors: ['the file must hold a JSON object'] };
  if (data.version !== undefined && data.version !== 1) errors.push(`unknown version ${JSON.stringify(data.version)} (expected 1); reading it as version 1`);
  const items = data.items;
  if (items === undefined) return { state, errors };
  if (!isRecord(items)) return { state, errors: [...errors, '"items" must be an object'] };
  for (const [id, raw] of Object.entries(items)) {
    if (typeof raw === 'boolean') {
      state.items[id] = { done: raw };
      continue;
    }
    if (!isRecord(raw) || typeof raw.done !== 'boolean') {
      errors.push(`item ${JSON.stringify(id)}: expected {"done": true|false, ...}`);
      continue;
    }
    const tick: ManualTick = { done: raw.done };
    if (typeof raw.by === 'string') tick.by = raw.by;
    if (typeof raw.date === 'string') tick.date = raw.date;
    if (typeof raw.note === 'string') tick.note = raw.note;
    state.items[id] = tick;
  }
  return { state, errors };
}

/** Reads the state that applies to `root` (see findManualStateFile); missing or invalid = empty. */
export function loadManualState(fs: FileSystem, root: string): ManualState {
  return readManualState(fs, root).state;
}

/** Like loadManualState, with the file path and the problems found in it. */
export function readManualState(fs: FileSystem, root: string): { state: ManualState; file: string; exists: boolean; errors: string[] } {
  const { file, exists } = findManualStateFile(fs, root);
  const text = exists ? fs.readFile(file) : undefined;
  if (text === undefined) return { state: emptyManualState(), file, exists: false, errors: [] };
  return { file, exists: true, ...parseManualState(text) };
}

/** A new state with the item ticked (tick) or un-ticked (undefined: the entry is removed). */
export function setManualTick(state: ManualState, id: string, tick: ManualTick | undefined): ManualState {
  const items = { ...state.items };
  if (tick) items[id] = { ...tick };
  else delete items[id];
  return { version: 1, items };
}

/** The file text of a state: stable key order, two-space indent, final newline. */
export function manualStateText(state: ManualState): string {
  const items: Record<string, ManualTick> = {};
  for (const id of Object.keys(state.items).sort()) {
    const t = state.items[id];
    const out: ManualTick = { done: t.done };
    if (t.by !== undefined) out.by = t.by;
    if (t.date !== undefined) out.date = t.date;
    if (t.note !== undefined) out.note = t.note;
    items[id] = out;
  }
  return JSON.stringify({ version: 1, items }, null, 2) + '\n';
}

/**
 * Writes the state to `file` (an absolute path, usually findManualStateFile(...).file) through
 * `write` (default: node:fs, creating the folder). Returns the text written.
 */
export function saveManualState(file: string, state: ManualState, write: (file: string, text: string) => void = writeWithNodeFs): string {
  const text = manualStateText(state);
  write(file, text);
  return text;
}

function writeWithNodeFs(file: string, text: string): void {
  nodeFs.mkdirSync(path.dirname(file), { recursive: true });
  nodeFs.writeFileSync(file, text, 'utf8');
}

/** Today as YYYY-MM-DD (local time). */
export function isoDate(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Reads the tick file of `root`, applies one tick (or removes it), and writes it back.
 * Refuses (throws) when the existing file cannot be read faithfully, rather than overwrite
 * entries it did not understand.
 */
export function updateManualState(fs: FileSystem, root: string, id: string, tick: ManualTick | undefined, write?: (file: string, text: string) => void): { file: string; state: ManualState; text: string } {
  const current = readManualState(fs, root);
  const blocking = current.errors.filter((e) => !e.startsWith('unknown version'));
  if (blocking.length > 0) throw new Error(`${current.file}: ${blocking.join('; ')}. Fix the file by hand first.`);
  const state = setManualTick(current.state, id, tick);
  const text = saveManualState(current.file, state, write);
  return { file: current.file, state, text };
}
