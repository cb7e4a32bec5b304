/**
 * node:fs for the modules `hookd emit` loads on every hook (its own and the SQLite path it shares). `import ... from 'node:fs'`
 * builds the ESM namespace of node:fs, which reads every export, ReadStream included, and
 * so loads fs streams, a noticeable share of a hook's start-up budget (docs/performance.md).
 * getBuiltinModule hands over the CommonJS module as loaded.
 */
export const fs = process.getBuiltinModule('node:fs');
