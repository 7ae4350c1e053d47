import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Returns the text of a file under test/fixtures. */
export function fixture(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8');
}

/** Returns the absolute path of a file or folder under test/. */
export function testPath(path: string): string {
  return fileURLToPath(new URL(`../${path}`, import.meta.url));
}
