// For adapter packages and the tests of every package: the fixture shape and the port's
// conformance suite (which imports vitest; load it from tests only).

export type { StorageFixture } from './storage-fixture.js';
export { runStorageConformance } from './storage-conformance.js';
