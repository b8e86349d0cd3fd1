import { readFileSync } from 'node:fs';

/**
 * The installed version of a dependency, read from node_modules: some packages (piscina) do not
 * export `./package.json`, so `require('x/package.json')` throws.
 */
export function packageVersion(name: string): string {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}
