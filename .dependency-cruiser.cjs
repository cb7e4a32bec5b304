/**
 * The floor plan's dependency rules (docs/architecture.md). Imports point one way:
 *
 *   cli -> runtime -> http -> modules -> db -> core      (sdk stands alone)
 *
 * and inside modules/ from the top of MODULE_ORDER to its bottom. A module may import
 * only modules listed after it; modules on one line are peers and import none of each
 * other. `npm test` runs `npm run check:layers`: a forbidden import or a cycle fails with
 * the rule's name.
 */
const MODULE_ORDER = [
  ['metrics', 'health', 'emit', 'integrations', 'settings'],
  ['automation'],
  ['teams'],
  ['notifications'],
  ['channels'],
  ['config'],
  ['rules'],
  ['tasks'],
  ['performance', 'stats', 'cost-figures'],
  ['executions', 'analytics', 'sessions', 'hooks', 'telemetry'],
  ['derivation', 'stream'],
  ['cost'],
  ['events'],
  ['capture', 'partitions', 'tokens'],
];

const below = (rank) => MODULE_ORDER.slice(rank + 1).flat();
const moduleRules = MODULE_ORDER.flatMap((line, rank) =>
  line.map((name) => {
    const allowed = [name, ...below(rank)];
    return {
      name: `module-order-${name}`,
      severity: 'error',
      comment: `modules/${name} may import only ${below(rank).join(', ') || 'no other module'} (MODULE_ORDER in .dependency-cruiser.cjs).`,
      from: { path: `^src/modules/${name}/` },
      to: { path: '^src/modules/', pathNot: `^src/modules/(${allowed.join('|')})/` },
    };
  }),
);

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
      name: 'no-unknown-folder',
      severity: 'error',
      comment: 'Every file lives in a folder of the floor plan, so the rules below cover it; a new top-level folder joins them here first.',
      from: { path: '^src/', pathNot: '^src/(cli|runtime|http|modules/[^/]+|db|core|sdk)/' },
      to: {},
    },
    {
      name: 'core-is-the-floor',
      severity: 'error',
      comment: 'core/ (errors, config, access, time, shared schemas) imports nothing else of src/.',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'db-is-a-foundation',
      severity: 'error',
      comment: 'db/ (connections, the SQL dialect, migrator, transactions) knows no module: modules depend on it, not the reverse.',
      from: { path: '^src/db/' },
      to: { path: '^src/(?!db/|core/)' },
    },
    {
      name: 'modules-not-up',
      severity: 'error',
      comment: 'A module is given what it needs: it never reaches up into http/, runtime/ (the composition root) or cli/.',
      from: { path: '^src/modules/' },
      to: { path: '^src/(http|runtime|cli|sdk)/' },
    },
    {
      name: 'http-not-up',
      severity: 'error',
      comment: 'HTTP registers routes on services it is handed; it knows nothing of the composition root or the command line.',
      from: { path: '^src/http/' },
      to: { path: '^src/(runtime|cli)/' },
    },
    {
      name: 'runtime-not-cli',
      severity: 'error',
      comment: 'The composition root knows nothing of the command line.',
      from: { path: '^src/runtime/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'routes-not-composition-root',
      severity: 'error',
      comment: 'A route registers with the narrow dependencies it uses, not the whole service bag of runtime/services.ts.',
      from: { path: '-routes\\.ts$' },
      to: { path: '^src/runtime/' },
    },
    {
      name: 'sdk-stands-alone',
      severity: 'error',
      comment: 'The SDK is published on its own: it imports nothing of the server at run time (types of the route schemas it mirrors are fine).',
      from: { path: '^src/sdk/' },
      to: { path: '^src/(?!sdk/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'module-in-order',
      severity: 'error',
      comment: 'A new folder under modules/ takes its place in MODULE_ORDER first, so its imports are checked too.',
      from: { path: '^src/modules/', pathNot: `^src/modules/(${MODULE_ORDER.flat().join('|')})/` },
      to: {},
    },
    ...moduleRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
