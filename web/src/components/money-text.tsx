import { exactMoneyText, moneyText } from '../money.ts';

/** Dollars to the cent ("<$0.01" under one), the stored amount on hover. */
export function MoneyText({ usd }: { usd: number }) {
  return <span title={exactMoneyText(usd)}>{moneyText(usd)}</span>;
}
