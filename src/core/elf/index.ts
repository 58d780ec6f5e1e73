export { ElfError } from './error';
export { EM_ARM, parseElf, PT_LOAD, SHT_NOBITS, SHT_SYMTAB, sectionLoadAddress, symbolAddress } from './elf';
export type { ElfFile, ElfSection, ElfSegment, ElfSymbol, SymbolBind, SymbolType } from './elf';
export { parseDebugLine } from './dwarfLine';
export type { LineFileEntry, LineRow, LineTable } from './dwarfLine';
export { LineLookup, addr2line } from './addr2line';
export type { SourceLocation } from './addr2line';
export { FirmwareLineCache } from './firmwareLines';
export type { FirmwareLines } from './firmwareLines';
