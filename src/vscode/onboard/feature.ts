/**
 * Onboarding: the walkthrough, "New Project" and debugging the board with Cortex-Debug (issue 18's glue).
 */
import * as vscode from 'vscode';
import type { Ctx, Started, ToolchainApi } from '../services';
import { folderOr, activeFolder } from '../folders';
import { CORTEX_DEBUG_TYPE, CortexDebugConfigurations, cortexDebugInstalled, explainMissingCortexDebug, folderLaunch } from './debugProvider';
import { asNewProjectRequest, newProject, type NewProjectResult } from './newProject';
import { describeToolchain, openWalkthroughOnce, pickTinygo, trackContext, walkthroughsEnabled, WALKTHROUGH_REF } from './walkthrough';

type Prompt = (message: string, ...items: string[]) => Thenable<string | undefined>;

export interface OnboardService {
  newProject(arg?: unknown): Promise<NewProjectResult>;
  /** What the Cortex-Debug provider gives for a folder (the provider VS Code calls). */
  debugConfigurations(folder?: vscode.WorkspaceFolder): Promise<vscode.DebugConfiguration[]>;
  /** Whether the first activation opened the walkthrough. */
  readonly walkthroughOpenedOnActivation: Promise<boolean>;
}

export type DebugOutcome = { kind: 'started' | 'not-started' | 'cortex-debug-missing' } | { kind: 'refused'; message: string };

export function activateOnboard(ctx: Ctx & { toolchain: ToolchainApi }, seams: { prompt: Prompt }): Started<OnboardService, {
  newProject(arg?: unknown): Promise<NewProjectResult>;
  debug(arg?: unknown): Promise<DebugOutcome>;
  pickTinygo(arg?: unknown): Promise<string | undefined>;
  checkInstall(): Promise<string>;
  openWalkthrough(): Thenable<unknown>;
}> {
  // Read at call time: the tests swap the toolchain (testing.useToolchain) after activation.
  const toolchain = (): ToolchainApi => ctx.toolchain;
  const provider = new CortexDebugConfigurations(toolchain, ctx.exec, ctx.log);
  const disposables: vscode.Disposable[] = [
    vscode.debug.registerDebugConfigurationProvider(CORTEX_DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(CORTEX_DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    ...trackContext(ctx.toolchain, activeFolder),
  ];
  const walkthroughOpenedOnActivation = openWalkthroughOnce(ctx.extension.globalState, walkthroughsEnabled(ctx.extension.extensionMode)).catch((err: unknown) => {
    ctx.log.appendLine(`[onboard] the walkthrough did not open: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  });

  const service: OnboardService = {
    newProject: (arg) => newProject(toolchain(), ctx.exec, asNewProjectRequest(arg)),
    debugConfigurations: (folder) => provider.provideDebugConfigurations(folderOr(folder)),
    walkthroughOpenedOnActivation,
  };
  return {
    service,
    disposables,
    commands: {
      newProject: service.newProject,
      debug: async (arg) => {
        if (!cortexDebugInstalled()) {
          await explainMissingCortexDebug(seams.prompt);
          return { kind: 'cortex-debug-missing' };
        }
        const folder = folderOr(arg && typeof arg === 'object' && 'uri' in arg ? arg as vscode.WorkspaceFolder : undefined);
        const r = await folderLaunch(toolchain(), ctx.exec, folder);
        if ('message' in r) {
          void vscode.window.showErrorMessage(`TinyGo: ${r.message}`);
          return { kind: 'refused', message: r.message };
        }
        const first = r.plan.configurations[0];
        if (!first) {
          void vscode.window.showErrorMessage(`TinyGo: no debug configuration for ${r.target}: ${r.plan.notes.join(' ')}`);
          return { kind: 'refused', message: r.plan.notes.join(' ') };
        }
        const ok = await vscode.debug.startDebugging(folder, first as unknown as vscode.DebugConfiguration);
        return { kind: ok ? 'started' : 'not-started' };
      },
      pickTinygo: (arg) => pickTinygo(toolchain(), typeof arg === 'string' ? arg : undefined),
      checkInstall: async () => {
        const d = describeToolchain(await toolchain().state(true));
        void vscode.window.showInformationMessage(`TinyGo: ${d}`);
        return d;
      },
      openWalkthrough: () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_REF, false),
    },
  };
}
