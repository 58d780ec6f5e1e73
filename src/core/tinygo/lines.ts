/**
 * The lines of a tool's output, for the parsers of tinygo's stdout/stderr. A final newline does not make an empty last
 * line, so line indexes match what the tool printed. Lines keep a `\r` (Windows): parsers report unparsed lines
 * as printed and read them through `withoutCR`.
 */
export function outputLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

export function withoutCR(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
