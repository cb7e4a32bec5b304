// node bench/cpu-profile-summary.ts <file.cpuprofile> [top]
// Where the server's CPU went, from a V8 profile written with BENCH_PROFILE=1: self time
// by package/area, then self and inclusive time by function.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byArea: [string, number][];
  bySelf: [string, number][];
  byInclusive: [string, number][];
}

/** Groups a frame's source into something a reader recognises: a package, a hookd file, a Node subsystem. */
function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native / V8 builtins)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg ${pkg[1]}`;
  const own = /\/(dist|src)\/(.+)$/.exec(url);
  if (own) return `hookd ${own[2]}`;
  const internal = /^node:internal\/([^/]+(?:\/[^/]+)?)/.exec(url);
  if (internal) return `node ${internal[1]}`;
  return url.startsWith('node:') ? `node ${url.slice(5)}` : url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? ` ${url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where}`;
}

export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const area = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    totalUs += us;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const a = areaOf(node.callFrame.url, node.callFrame.functionName);
    area.set(a, (area.get(a) ?? 0) + us);
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + us);
    // Each function counts once per sample even when it recurses.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = frameName(byId.get(cur)!);
      if (seen.has(frame)) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + us);
    }
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, us / 1000] as [string, number]);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    byArea: ranked(area),
    bySelf: ranked(self),
    byInclusive: ranked(inclusive).filter(([name]) => !name.startsWith('(root)')),
  };
}

function print(summary: ProfileSummary): void {
  const busy = summary.totalMs - summary.idleMs;
  const line = ([name, ms]: [string, number]) =>
    `  ${ms.toFixed(0).padStart(8)} ms  ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${name}`;
  console.log(
    `profile: ${(summary.totalMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s, busy ${(busy / 1000).toFixed(1)} s (percentages are of busy time)`,
  );
  console.log('\nself time by area:');
  summary.byArea.forEach((e) => console.log(line(e)));
  console.log('\nself time by function:');
  summary.bySelf.forEach((e) => console.log(line(e)));
  console.log('\ninclusive time by function:');
  summary.byInclusive.forEach((e) => console.log(line(e)));
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/cpu-profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  print(summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(process.argv[3] ?? 25)));
}
