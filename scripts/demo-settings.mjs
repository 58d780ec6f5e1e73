// The settings `npm start` adds for the demo: what scripts/setup-test-host.sh installed, so the extension uses it
// (the pinned gopls: without the setting the demo opened with "gopls is not installed", TGW_GOPLS being read by
// nothing). They go into the machine's settings (user-data/Machine/settings.json, the Settings editor's Remote tab):
// tinygo.gopls.path is machine-overridable, and code-server, a remote window, does not take it from User settings
// (seen: written there, the extension did not find gopls). A module of its own so the UI tests apply the same
// (run-vscode-tests.mjs is the runner itself: importing it from a test would wait for the run to end).
export function demoSettings(host) {
  return host.TGW_GOPLS ? { 'tinygo.gopls.path': host.TGW_GOPLS } : {};
}
