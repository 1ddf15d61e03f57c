/**
 * The commands of the extension (ids and titles, as in package.json "contributes.commands",
 * category "Django Readiness"). No vscode import: a test checks package.json against it.
 */
import { SHOW_RULE_DOCUMENTATION_COMMAND } from '../../server/src/protocol/messages';

export const COMMANDS = {
  restartServer: 'djangoReadiness.restartServer',
  showLogs: 'djangoReadiness.showLogs',
  fixAllInFile: 'djangoReadiness.fixAllInFile',
  recheckWorkspace: 'djangoReadiness.recheckWorkspace',
  showRuleDocumentation: SHOW_RULE_DOCUMENTATION_COMMAND,
  chooseProductionSettingsModule: 'djangoReadiness.chooseProductionSettingsModule',
} as const;

export type CommandName = keyof typeof COMMANDS;

export const COMMAND_TITLES: Record<CommandName, string> = {
  restartServer: 'Restart Language Server',
  showLogs: 'Show Logs',
  fixAllInFile: 'Fix All Safe Problems in This File',
  recheckWorkspace: 'Re-check Workspace',
  showRuleDocumentation: 'Show Rule Documentation…',
  chooseProductionSettingsModule: 'Choose the Production Settings Module…',
};

export const CATEGORY = 'Django Readiness';
