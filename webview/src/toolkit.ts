/**
 * The only file that knows about @vscode/webview-ui-toolkit. It was deprecated on 2025-01-01 (its base, FAST
 * Foundation, was retired) but still works; everything else in the panel asks this file for elements by role, so
 * moving to plain HTML with the --vscode-* theme variables, or to @vscode-elements/elements, changes only this file.
 *
 * The package table is a native <table>, not vscode-data-grid: 2,000 packages must render in well under 200 ms,
 * and a native table gives screen readers row and column headers for free. The toolkit supplies the filter field,
 * the progress ring and the small goroutine-stack grid. Badges are plain spans in the badge colours: FAST's badge
 * template (behind vscode-badge and vscode-tag) carries a style attribute, which the panel's CSP (no inline styles)
 * reports as a violation on every load.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeLink,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(), vsCodeDataGrid(), vsCodeDataGridCell(), vsCodeDataGridRow(), vsCodeLink(), vsCodeProgressRing(), vsCodeTextField(),
  );
}

/** Tag names, for markup built as text (the caller escapes the content). */
export const TAG = {
  button: 'vscode-button',
  link: 'vscode-link',
  progressRing: 'vscode-progress-ring',
  textField: 'vscode-text-field',
  grid: 'vscode-data-grid',
  gridRow: 'vscode-data-grid-row',
  gridCell: 'vscode-data-grid-cell',
} as const;

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function badge(text: string, extraClass = ''): string {
  return `<span class="badge ${esc(extraClass)}">${esc(text)}</span>`;
}

export function progressRing(label: string): string {
  return `<${TAG.progressRing} aria-label="${esc(label)}"></${TAG.progressRing}>`;
}

/** A text field; `onInput` gets its value after each keystroke. */
export function textField(host: HTMLElement, opts: { placeholder: string; label: string; value: string; onInput: (value: string) => void }): HTMLElement {
  const el = document.createElement(TAG.textField) as HTMLElement & { value: string };
  el.setAttribute('placeholder', opts.placeholder);
  el.setAttribute('aria-label', opts.label);
  el.id = 'filter';
  el.value = opts.value;
  el.setAttribute('value', opts.value);
  el.addEventListener('input', () => opts.onInput(el.value ?? ''));
  host.appendChild(el);
  return el;
}

export function setTextFieldValue(el: HTMLElement, value: string): void {
  (el as HTMLElement & { value: string }).value = value;
}

/** A read-only grid (header row + rows of text), for small tables. */
export function grid(headers: string[], rows: string[][], label: string): string {
  const head = `<${TAG.gridRow} row-type="header">${headers
    .map((h, i) => `<${TAG.gridCell} cell-type="columnheader" grid-column="${i + 1}">${esc(h)}</${TAG.gridCell}>`)
    .join('')}</${TAG.gridRow}>`;
  const body = rows
    .map((r) => `<${TAG.gridRow}>${r.map((c, i) => `<${TAG.gridCell} grid-column="${i + 1}">${esc(c)}</${TAG.gridCell}>`).join('')}</${TAG.gridRow}>`)
    .join('');
  return `<${TAG.grid} aria-label="${esc(label)}" generate-header="none">${head}${body}</${TAG.grid}>`;
}
