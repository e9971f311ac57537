// Public surface of the parsing library. Pure TypeScript: no DOM, no React, no Node.
export * from './types.ts';
export * from './addr.ts';
export { parse, StreamParser } from './parse/scanner.ts';
export type { ParseOptions } from './parse/scanner.ts';
export { Snapshot, MAX_DIAGNOSTICS, guardBytes } from './parse/snapshot.ts';
export type { AreaColumns, SnapshotFacts } from './parse/snapshot.ts';
export { buildModel, computeTotals, topEntries, REGION_MODULES, REGION_NONE, REGION_VMALLOC } from './model/model.ts';
export type { Model, Totals, Hole, HoleBucket } from './model/model.ts';
export { detectLayout } from './model/layout.ts';
export type { Layout, Region, RegionId } from './model/layout.ts';
export { summarize } from './summary.ts';
export type { Summary } from './summary.ts';
export { formatBytes, formatCount } from './format.ts';
