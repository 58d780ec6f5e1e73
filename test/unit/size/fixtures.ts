import * as fs from 'node:fs';
import * as path from 'node:path';

// Tests run from out/test/unit/size, but fixtures are not compiled: read them from the source tree.
export const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/size');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}
