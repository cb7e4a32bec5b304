// US dollars as the agents report them and hookd prices them: always in the dollar's own
// form ($1,234.56), whatever the browser's language, as the figures are US dollars.

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const exact = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 6 });
const short = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 0, maximumFractionDigits: 4 });

/** "$1,234.56", "$0.05", "<$0.01" (more than nothing, less than a cent), "$0.00"; "—" when unknown. */
export function moneyText(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  // Below half a cent the rounding would say $0.00, as if it cost nothing.
  if (usd > 0 && usd < 0.005) return '<$0.01';
  return dollars.format(usd);
}

/** To the millionth of a dollar, as stored: "$0.0123", "$4.06"; for hovering a rounded figure. */
export function exactMoneyText(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  return exact.format(usd);
}

/** A chart axis's steps: "$0", "$0.002", "$2.5", "$1,250": no trailing zeros, and steps under a cent apart stay apart. */
export function axisMoneyText(usd: number): string {
  return short.format(usd);
}
