/**
 * The one size panel (createOrShow / revive / dispose, as in vscode-extension-samples' webview-sample): a CSP of
 * default-src 'none' with a nonce for the script, resources only from webview/dist, and every message checked
 * against src/core/protocol.ts in both directions.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { validateHostMessage, validateWebviewMessage, type HostMessage, type WebviewMessage } from '../../core/protocol';

export const VIEW_TYPE = 'tinygo.sizeReport';
const TITLE = 'TinyGo Size';

export interface PanelHost {
  /** The webview asked for data (first load, or after a reload). */
  onReady(panel: SizePanel): void;
  onMessage(message: Exclude<WebviewMessage, { type: 'ready' }>): void;
  log(line: string): void;
}

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // Not kept alive while hidden: the webview's own state (setState) brings data, sort and filter back at once.
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'webview', 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class SizePanel implements vscode.Disposable {
  static current: SizePanel | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private disposed = false;

  static createOrShow(extensionUri: vscode.Uri, host: PanelHost, preserveFocus = false): SizePanel {
    if (SizePanel.current) {
      SizePanel.current.panel.reveal(undefined, preserveFocus);
      return SizePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, { viewColumn: vscode.ViewColumn.Active, preserveFocus }, panelOptions(extensionUri));
    SizePanel.current = new SizePanel(panel, extensionUri, host);
    return SizePanel.current;
  }

  /** From the WebviewPanelSerializer after a window reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, host: PanelHost): SizePanel {
    SizePanel.current?.dispose();
    panel.webview.options = panelOptions(extensionUri);
    SizePanel.current = new SizePanel(panel, extensionUri, host);
    return SizePanel.current;
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly host: PanelHost) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    this.subs.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const m = validateWebviewMessage(raw);
        if (!m.ok) {
          host.log(`[size] dropped a message from the panel: ${m.error}`);
          return;
        }
        if (m.value.type === 'ready') host.onReady(this);
        else host.onMessage(m.value);
      }),
    );
  }

  post(message: HostMessage): void {
    if (this.disposed) return;
    // The host checks its own messages too: a bad one would be dropped silently by the webview.
    const v = validateHostMessage(message);
    if (!v.ok) {
      this.host.log(`[size] not sending an invalid message to the panel: ${v.error}`);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const w = this.panel.webview;
    const nonce = crypto.randomBytes(18).toString('base64');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'webview', 'dist');
    const script = w.asWebviewUri(vscode.Uri.joinPath(dist, 'panel.js'));
    const style = w.asWebviewUri(vscode.Uri.joinPath(dist, 'panel.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${w.cspSource}`,
      `font-src ${w.cspSource}`,
      // FAST (under the toolkit) probes :focus-visible with a <style> that carries the csp-nonce meta's nonce.
      `style-src ${w.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" href="${style.toString()}">
<title>${TITLE}</title>
</head>
<body>
<main id="app" aria-label="TinyGo size report"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (SizePanel.current === this) SizePanel.current = undefined;
    this.panel.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
