/**
 * The floor plan's dependency rules (docs/architecture.md): imports point one way,
 * cli -> server -> modules -> db -> foundations (lib, errors, config), and no file cycles.
 * `npm test` runs `npm run check:layers`; what the tree broke before the rules existed is
 * listed in .dependency-cruiser-known-violations.json and shrinks as files move; anything
 * new fails with the rule's name.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other, directly or around a loop: one of them holds what both need, or a hook turns the arrow around.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'db-is-a-foundation',
      severity: 'error',
      comment: 'db/ (connections, dialects, migrator, transactions) knows no module: modules depend on it, not the reverse.',
      from: { path: '^src/db/' },
      to: { path: '^src/(modules|server|cli|sdk)/' },
    },
    {
      name: 'foundations-import-no-feature',
      severity: 'error',
      comment: 'lib/, errors/ and config/ are below everything: they import nothing of db, modules, server or cli.',
      from: { path: '^src/(lib|errors|config)/' },
      to: { path: '^src/(db|modules|server|cli)/' },
    },
    {
      name: 'modules-not-up',
      severity: 'error',
      comment: 'A module is given what it needs; it never reaches up into the composition root (server/) or the command line (cli/).',
      from: { path: '^src/modules/' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'server-not-cli',
      severity: 'error',
      comment: 'HTTP and the composition root know nothing of the command line.',
      from: { path: '^src/server/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'routes-not-composition-root',
      severity: 'error',
      comment: 'A route registers with the narrow dependencies it uses, not the whole service bag of server/services.ts.',
      from: { path: '-routes\\.ts$' },
      to: { path: '^src/server/services\\.ts$' },
    },
    {
      name: 'sdk-stands-alone',
      severity: 'error',
      comment: 'The SDK is published on its own: it imports nothing of the server at run time (types of the route schemas it mirrors are fine).',
      from: { path: '^src/sdk/' },
      to: { path: '^src/(?!sdk/)', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
