/** A unified diff by lines; settings files are small, so a plain LCS table is cheap. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  const a = lines(before);
  const b = lines(after);
  const w = b.length + 1;
  // Past a few million cells the table would cost real memory: show the whole files instead.
  if (a.length * b.length > 4_000_000)
    return `--- ${fromLabel}\n+++ ${toLabel}\n${a.map((t) => `-${t}\n`).join('')}${b.map((t) => `+${t}\n`).join('')}`;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const ops: { mark: ' ' | '-' | '+'; text: string; ai: number; bi: number }[] = [];
  for (let i = 0, j = 0; i < a.length || j < b.length; ) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ mark: ' ', text: a[i]!, ai: i++, bi: j++ });
    else if (i < a.length && (j === b.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!))
      ops.push({ mark: '-', text: a[i]!, ai: i++, bi: j });
    else ops.push({ mark: '+', text: b[j]!, ai: i, bi: j++ });
  }
  let out = `--- ${fromLabel}\n+++ ${toLabel}\n`;
  const changed = ops.flatMap((op, k) => (op.mark === ' ' ? [] : [k]));
  for (let h = 0; h < changed.length; ) {
    let end = h;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * context) end++;
    const hunk = ops.slice(Math.max(0, changed[h]! - context), changed[end]! + context + 1);
    const aLen = hunk.filter((op) => op.mark !== '+').length;
    const bLen = hunk.filter((op) => op.mark !== '-').length;
    const start = (index: number, length: number) => (length === 0 ? index : index + 1);
    out += `@@ -${start(hunk[0]!.ai, aLen)},${aLen} +${start(hunk[0]!.bi, bLen)},${bLen} @@\n`;
    out += hunk.map((op) => `${op.mark}${op.text}\n`).join('');
    h = end + 1;
  }
  return out;
}

function lines(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}
