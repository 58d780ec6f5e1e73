import { ByteCursor } from './bytes';
import { ElfError } from './error';
import type { ElfFile } from './elf';
import { readForm, type FormContext } from './dwarfUnits';

/** One row of a DWARF line table (the state machine's registers at an emitted row). */
export interface LineRow {
  readonly address: number;
  /** Index into the table's `files` as the program gives it (1-based before DWARF 5, 0-based from 5). */
  readonly file: number;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly endSequence: boolean;
}

export interface LineFileEntry {
  readonly name: string;
  readonly dir: number;
}

/** The line program of one unit: its header and the rows it produces. */
export interface LineTable {
  /** Offset of the table in `.debug_line` (what a unit's DW_AT_stmt_list names). */
  readonly offset: number;
  readonly version: number;
  readonly addressSize: number;
  readonly directories: readonly string[];
  readonly files: readonly LineFileEntry[];
  readonly rows: readonly LineRow[];
}

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

/** Parses every line program in `.debug_line` (versions 2 to 5, 32- and 64-bit DWARF). Empty without the section. */
export function parseDebugLine(elf: ElfFile): LineTable[] {
  const data = elf.sectionData('.debug_line');
  if (!data) return [];
  const ctxBase = { str: elf.sectionData('.debug_str'), lineStr: elf.sectionData('.debug_line_str') };
  const defaultAddressSize = elf.bits / 8;
  const tables: LineTable[] = [];
  const c = new ByteCursor(data, 0, data.length, '.debug_line');
  while (c.remaining > 0) {
    const offset = c.offset;
    let length = c.u32();
    let offsetSize = 4;
    if (length === 0xffffffff) {
      length = c.u64();
      offsetSize = 8;
    } else if (length >= 0xfffffff0) throw new ElfError(`.debug_line: reserved unit length at offset ${offset}`);
    const end = c.offset + length;
    if (end > data.length) throw new ElfError(`.debug_line: table at offset ${offset} runs past the section`);
    tables.push(parseTable(new ByteCursor(data, c.offset, end, `.debug_line table at offset ${offset}`), offset, offsetSize, defaultAddressSize, ctxBase));
    c.seek(end);
  }
  return tables;
}

function parseTable(
  c: ByteCursor,
  offset: number,
  offsetSize: number,
  defaultAddressSize: number,
  strings: Pick<FormContext, 'str' | 'lineStr'>,
): LineTable {
  const version = c.u16();
  if (version < 2 || version > 5) throw new ElfError(`.debug_line table at offset ${offset}: unsupported version ${version}`);
  let addressSize = defaultAddressSize;
  if (version >= 5) {
    addressSize = c.u8();
    c.u8(); // segment selector size
    if (addressSize !== 2 && addressSize !== 4 && addressSize !== 8) {
      throw new ElfError(`.debug_line table at offset ${offset}: address size ${addressSize}`);
    }
  }
  const headerLength = c.uN(offsetSize);
  const programStart = c.offset + headerLength;
  if (programStart > c.end) throw new ElfError(`.debug_line table at offset ${offset}: header runs past the table`);
  const minInst = c.u8();
  if (version >= 4) c.u8(); // maximum_operations_per_instruction: only VLIW uses op_index; ARM, x86 have 1
  const defaultIsStmt = c.u8() !== 0;
  const lineBase = c.i8();
  const lineRange = c.u8();
  const opcodeBase = c.u8();
  if (lineRange === 0) throw new ElfError(`.debug_line table at offset ${offset}: line_range is 0`);
  const opLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) opLengths.push(c.u8());

  const directories: string[] = [];
  const files: LineFileEntry[] = [];
  if (version >= 5) {
    const ctx: FormContext = { offsetSize, addressSize, version, ...strings };
    for (const e of readEntries(c, ctx)) directories.push(e.path ?? '');
    for (const e of readEntries(c, ctx)) files.push({ name: e.path ?? '', dir: e.dir ?? 0 });
  } else {
    for (let d = c.cstring(); d !== ''; d = c.cstring()) directories.push(d);
    for (let f = c.cstring(); f !== ''; f = c.cstring()) {
      const dir = c.uleb();
      c.uleb(); // modification time
      c.uleb(); // length
      files.push({ name: f, dir });
    }
  }

  c.seek(programStart);
  const rows: LineRow[] = [];
  let address = 0, file = 1, line = 1, column = 0, isStmt = defaultIsStmt;
  // A sequence whose address is a 64-bit tombstone (discarded code) is read but not kept.
  let dead = false;
  const reset = () => { address = 0; file = 1; line = 1; column = 0; isStmt = defaultIsStmt; dead = false; };
  const emit = (endSequence: boolean) => { if (!dead) rows.push({ address, file, line, column, isStmt, endSequence }); };
  // Every opcode consumes at least one byte, so this loop ends with the table.
  while (c.remaining > 0) {
    const op = c.u8();
    if (op >= opcodeBase) {
      const adjusted = op - opcodeBase;
      address += Math.floor(adjusted / lineRange) * minInst;
      line += lineBase + (adjusted % lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = c.uleb();
        if (len === 0) break;
        const next = c.offset + len;
        if (next > c.end) throw new ElfError(`.debug_line table at offset ${offset}: extended opcode runs past the table`);
        const sub = c.u8();
        if (sub === 1) { // end_sequence
          emit(true);
          reset();
        } else if (sub === 2) { // set_address
          const size = len - 1;
          if (size === 8 || size === 4 || size === 2) address = c.address(size);
          if (address >= Number.MAX_SAFE_INTEGER - 1) { dead = true; address = 0; }
        } else if (sub === 3) { // define_file (DWARF 2-4)
          const name = c.cstring();
          files.push({ name, dir: c.uleb() });
        }
        c.seek(next);
        break;
      }
      case 1: emit(false); break; // copy
      case 2: address += c.uleb() * minInst; break; // advance_pc
      case 3: line += c.sleb(); break; // advance_line
      case 4: file = c.uleb(); break; // set_file
      case 5: column = c.uleb(); break; // set_column
      case 6: isStmt = !isStmt; break; // negate_stmt
      case 7: break; // set_basic_block
      case 8: address += Math.floor((255 - opcodeBase) / lineRange) * minInst; break; // const_add_pc
      case 9: address += c.u16(); break; // fixed_advance_pc
      case 10: case 11: break; // prologue_end, epilogue_begin
      default: // set_isa (12) and opcodes this reader does not know: skip their LEB128 operands
        for (let i = 0; i < (opLengths[op - 1] ?? 0); i++) c.uleb();
    }
    // Addresses wrap at the address size, as in the producer's arithmetic.
    if (addressSize === 4) address = address % 0x100000000;
    else if (address > Number.MAX_SAFE_INTEGER) throw new ElfError(`.debug_line table at offset ${offset}: address overflow`);
  }
  return { offset, version, addressSize, directories, files, rows };
}

function readEntries(c: ByteCursor, ctx: FormContext): { path?: string; dir?: number }[] {
  const formatCount = c.u8();
  const format: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) format.push([c.uleb(), c.uleb()]);
  const count = c.uleb();
  // Each entry takes at least one byte unless every form is zero-sized; cap by what is left so a hostile count
  // cannot spin.
  if (count > c.remaining) throw new ElfError(`.debug_line: ${count} entries cannot fit in ${c.remaining} bytes`);
  const out: { path?: string; dir?: number }[] = [];
  for (let i = 0; i < count; i++) {
    const e: { path?: string; dir?: number } = {};
    for (const [type, form] of format) {
      const v = readForm(c, form, ctx, 0);
      if (type === DW_LNCT_path && typeof v === 'string') e.path = v;
      else if (type === DW_LNCT_directory_index && typeof v === 'number') e.dir = v;
    }
    out.push(e);
  }
  return out;
}
