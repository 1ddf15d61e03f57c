// TEMPORARY until the checklist model lands (server/src/engine/checklist): replaced in the same session.
import type { AnalysisResult, FileSystem, PartialConfig } from '../engine';
import type { JsonChecklistItem } from './formatters';
import type { CliIO } from './run';

export function checklistJson(_fs: FileSystem, _root: string, _result: AnalysisResult): JsonChecklistItem[] {
  return [];
}

export async function writeReport(_path: string, _output: string | undefined, _cli: PartialConfig, _io: CliIO): Promise<string | undefined> {
  throw new Error('the checklist report is not available yet');
}
