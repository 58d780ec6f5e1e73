import * as vscode from 'vscode';

/**
 * Opens the Settings editor on one of our settings, in the tab where it can be set: a machine path
 * (`machine-overridable`) belongs to this machine, which in a remote window (code-server, SSH, WSL) is the Remote
 * tab; the workspace tab, where the editor opens by default there, does not list it.
 */
export async function openSetting(key: string): Promise<void> {
  const query = `@id:${key}`;
  const command = vscode.env.remoteName ? 'workbench.action.openRemoteSettings' : 'workbench.action.openGlobalSettings';
  try {
    await vscode.commands.executeCommand(command, { query });
  } catch {
    // A host without that command (the web without a remote): the default tab, filtered to the setting.
    await vscode.commands.executeCommand('workbench.action.openSettings', query);
  }
}
