// The package's own files (package.json, spec.json, schemas/) sit at its root, one level above this module
// however it runs: src/packageFiles.ts (tests), build/packageFiles.js (tsc) or inlined in a bundle
// dist/<command>.js, where import.meta.url is the bundle's own address.
export function packageFile(path: string): URL {
  return new URL(`../${path}`, import.meta.url);
}
