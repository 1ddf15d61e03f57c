/**
 * What the pieces of the language server share: the connection's host, the client's
 * capabilities, the rules, the file systems (the disk behind a cache, the open documents over
 * it) and the open documents. One ServerContext per DjangoReadinessServer.
 */
import type { ClientCapabilities, ConfigurationItem, FileSystemWatcher, PublishDiagnosticsParams, WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeFileSystem, OverlayFileSystem, type FileSystem } from '../engine/project';
import type { Rule, RuleMeta } from '../engine/rule';
import type { LogLevelSetting } from '../protocol/settings';
import { CachingFileSystem } from './cachedFs';
import { pathToUri } from './uri';

export type LogLevel = 'error' | 'warn' | 'info' | 'log';

/** What the server needs from its connection (connection.ts implements it; tests may fake it). */
export interface ServerHost {
  publishDiagnostics(params: PublishDiagnosticsParams): void;
  sendNotification(method: string, params: unknown): void;
  /** workspace/configuration (only called when the client supports it). */
  getConfiguration(items: ConfigurationItem[]): Promise<unknown[]>;
  /** Dynamic registration of workspace/didChangeWatchedFiles. */
  registerFileWatchers(watchers: FileSystemWatcher[]): Promise<void>;
  /** Dynamic registration of workspace/didChangeConfiguration for a section. */
  registerConfigurationChange(section: string): Promise<void>;
  /** workspace/applyEdit: asks the client to apply an edit (the checklist's "Apply fix"). */
  applyEdit(label: string, edit: WorkspaceEdit): Promise<{ applied: boolean; failureReason?: string }>;
  log(level: LogLevel, message: string): void;
}

export interface OpenDoc {
  uri: string;
  doc: TextDocument;
}

/** Which host log levels a logLevel setting lets through ('log' is the debug level). */
const ALLOWED: Record<LogLevelSetting, readonly LogLevel[]> = {
  error: ['error'],
  warn: ['error', 'warn'],
  info: ['error', 'warn', 'info'],
  debug: ['error', 'warn', 'info', 'log'],
};

export class ServerContext {
  readonly metaByCode = new Map<string, RuleMeta>();
  /** The host, its log filtered by `logLevel` (djangoReadiness.logLevel). */
  readonly host: ServerHost;
  /** djangoReadiness.logLevel (a window setting: the latest folder settings decide). */
  logLevel: LogLevelSetting = 'info';
  /** When the server was created (performance.now()): start-up timings are relative to it. */
  readonly startedAt = performance.now();
  /** The disk (links followed only inside the workspace folders: see Folders.add). */
  readonly nodeFs: FileSystem;
  /** The disk, cached (watched files invalidate it). */
  readonly diskFs: CachingFileSystem;
  /** Open documents over the (cached) disk: what every analyzer reads. */
  readonly fs: OverlayFileSystem;
  /** Open documents by path. */
  readonly docs = new Map<string, OpenDoc>();
  caps: ClientCapabilities = {};
  disposed = false;

  constructor(
    host: ServerHost,
    readonly rules: Rule[],
    disk: FileSystem = new NodeFileSystem(),
  ) {
    this.host = Object.create(host) as ServerHost;
    this.host.log = (level, message) => {
      if (ALLOWED[this.logLevel].includes(level)) host.log(level, message);
    };
    for (const r of rules) this.metaByCode.set(r.meta.code, r.meta);
    this.nodeFs = disk;
    this.diskFs = new CachingFileSystem(disk);
    this.fs = new OverlayFileSystem(this.diskFs);
  }

  /** The URI of a file: the open document's (as the client sent it), else a file: URI. */
  uriOf(p: string): string {
    return this.docs.get(p)?.uri ?? pathToUri(p);
  }

  /** The version of an open document; null for a file that is not open. */
  docVersion(p: string): number | null {
    return this.docs.get(p)?.doc.version ?? null;
  }

  get documentChanges(): boolean {
    return !!this.caps.workspace?.workspaceEdit?.documentChanges;
  }

  get canCreateFiles(): boolean {
    const we = this.caps.workspace?.workspaceEdit;
    return !!we?.documentChanges && !!we.resourceOperations?.includes('create');
  }

  get resolveSupport(): boolean {
    return this.caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') ?? false;
  }

  /** Runs `fn`, logging (never throwing) what it throws. */
  guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.host.log('error', `${what} failed: ${(e as Error).stack ?? String(e)}`);
    }
  }

  guardValue<T>(what: string, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      this.host.log('error', `${what} failed: ${(e as Error).stack ?? String(e)}`);
      return fallback;
    }
  }
}
