export * from './schema.js';
export { loadManifest, manifestFromSource, entryFile, entryBase, findEntry, entryLine } from './load.js';
export type { LoadManifestOptions, DataDirHolder } from './load.js';
export { sha256File, fileSize } from './hash.js';
export { verifyManifest, assertVerified } from './verify.js';
export type { VerifyItem, VerifyReport, VerifyStatus, VerifyProgress, VerifyOptions } from './verify.js';
export { addManifestEntry } from './add.js';
export type { NewEntryFields, AddEntryOptions } from './add.js';
