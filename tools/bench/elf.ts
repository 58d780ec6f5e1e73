/**
 * Figures for `npm run bench -- --only=elf`: reading and attributing a large real firmware ELF (feather-nrf52840,
 * with fmt, strconv and encoding/json, built here by the real tinygo) with src/core/elf, against what a user would
 * run instead, `llvm-nm-19 -S` plus parsing its output, on the same file in the same run (as a ratio); and building
 * the symbol view's rows for 5,000 symbols (the pure code the webview runs, without a DOM).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { elfSizeReport } from '../../src/core/elf';
import { symbolData, symbolLines, symbolRowsHtml, type PanelSymbol } from '../../src/core/size/symbols';
import { squarify } from '../../src/core/size/treemap';

export interface ElfBenchFigures {
  elf: string;
  bytes: number;
  symbols: number;
  oursMs: number;
  llvmNmMs: number;
  /** oursMs / llvmNmMs (medians): below 1, reading in the extension host is faster than spawning llvm-nm. */
  ratio: number;
  /** Lines llvm-nm printed (every alias, the zero-sized ones too). */
  llvmNmRows: number;
  runs: number;
  render5000: { symbols: number; largestMs: number; byPackageMs: number; treemapMs: number; htmlKB: number };
}

const PROGRAM = `package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

type Reading struct {
	Name  string  \`json:"name"\`
	Value float64 \`json:"value"\`
	At    int64   \`json:"at"\`
}

func main() {
	for i := 0; ; i++ {
		r := Reading{Name: "t" + strconv.Itoa(i), Value: float64(i) / 3, At: time.Now().Unix()}
		b, err := json.Marshal(r)
		if err != nil {
			println(err.Error())
		}
		var back Reading
		_ = json.Unmarshal(b, &back)
		fmt.Printf("%s %v %q\\n", b, back, strconv.FormatFloat(back.Value, 'g', -1, 64))
		time.Sleep(time.Second)
	}
}
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void, runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

/** The large firmware, built once per tinygo and kept in test-output/ (a build takes a minute on a cold cache). */
function largeFirmware(tinygo: string, outDir: string): string {
  const elf = path.join(outDir, 'bench-large-feather-nrf52840.elf');
  if (fs.existsSync(elf)) return elf;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-bench-elf-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/benchelf\n\ngo 1.22\n');
    fs.writeFileSync(path.join(dir, 'main.go'), PROGRAM);
    execFileSync(tinygo, ['build', '-target=feather-nrf52840', '-o', elf, '.'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return elf;
}

export function benchElf(outDir: string, runs = 15): ElfBenchFigures | { skipped: string } {
  const tinygo = process.env.TGW_TINYGO ?? 'tinygo';
  if (spawnSync(tinygo, ['version']).status !== 0) return { skipped: 'no tinygo (eval "$(bash scripts/install-tinygo.sh)")' };
  if (spawnSync('llvm-nm-19', ['--version']).status !== 0) return { skipped: 'llvm-nm-19 is not installed' };
  const elf = largeFirmware(tinygo, outDir);
  const bytes = fs.statSync(elf).size;
  let report = elfSizeReport(elf, fs.readFileSync(elf));
  // Both sides start from the path: ours reads the file and builds every symbol with package, section and line;
  // llvm-nm's side spawns it and turns each output line into an object with address, size, type and name.
  const oursMs = time(() => { report = elfSizeReport(elf, fs.readFileSync(elf)); }, runs);
  let nmCount = 0;
  const llvmNmMs = time(() => {
    const out = execFileSync('llvm-nm-19', ['-S', elf], { encoding: 'utf8', maxBuffer: 256 << 20 });
    const rows: { address: number; size: number; type: string; name: string }[] = [];
    for (const l of out.split('\n')) {
      const m = /^([0-9a-f]+) ([0-9a-f]+) (\w) (.*)$/.exec(l);
      if (m) rows.push({ address: Number.parseInt(m[1]!, 16), size: Number.parseInt(m[2]!, 16), type: m[3]!, name: m[4]! });
    }
    nmCount = rows.length;
  }, runs);

  // 5,000 symbols: the firmware's own, then copies under other names until there are 5,000 (a large program).
  const data = symbolData(report);
  const base = data.symbols;
  const many: PanelSymbol[] = [];
  for (let i = 0; many.length < 5000; i++) {
    const s = base[i % base.length]!;
    many.push(i < base.length ? s : { ...s, name: `${s.name}#${Math.floor(i / base.length)}`, package: `${s.package}/copy${Math.floor(i / base.length) % 40}` });
  }
  const big = { ...data, symbols: many };
  let html = '';
  const largestMs = time(() => {
    const lines = symbolLines(big, { grouping: 'largest', filter: '', expanded: [] }, 5000);
    html = symbolRowsHtml(lines, 0, lines.length, 0);
  }, runs);
  const expanded = [...new Set(many.map((s) => s.package))];
  const byPackageMs = time(() => {
    const lines = symbolLines(big, { grouping: 'package', filter: '', expanded }, 5000);
    symbolRowsHtml(lines, 0, lines.length, 0, true);
  }, runs);
  const perPackage = new Map<string, number>();
  for (const s of many) perPackage.set(s.package, (perPackage.get(s.package) ?? 0) + s.size);
  const treemapMs = time(() => { squarify([...perPackage].map(([key, value]) => ({ key, value })), 1000, 240); }, runs);
  return {
    elf: path.basename(elf), bytes, symbols: report.symbols.length, oursMs, llvmNmMs, ratio: oursMs / llvmNmMs, runs,
    render5000: { symbols: many.length, largestMs, byPackageMs, treemapMs, htmlKB: Math.round(html.length / 1024) },
    llvmNmRows: nmCount,
  };
}
