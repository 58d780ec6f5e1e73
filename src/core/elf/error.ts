/** Thrown for input that is not a readable ELF (or DWARF inside it); the message is meant for the user. */
export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}
