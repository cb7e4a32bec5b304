import { expect, it } from 'vitest';
import { axisMoneyText, exactMoneyText, moneyText } from './money.ts';

it('says dollars to the cent, with thousands separators, and tiny amounts as under a cent', () => {
  expect([null, undefined, Number.NaN, 0, 0.000001, 0.0049, 0.005, 0.05, 4.06, 1234.56, 1_234_567.891].map(moneyText)).toEqual([
    '—',
    '—',
    '—',
    '$0.00',
    '<$0.01',
    '<$0.01',
    '$0.01',
    '$0.05',
    '$4.06',
    '$1,234.56',
    '$1,234,567.89',
  ]);
});

it('says the stored amount to the millionth when asked for it exactly', () => {
  expect([null, 0, 0.0123, 0.000001, 4.06, 1234.5].map(exactMoneyText)).toEqual([
    '—',
    '$0.00',
    '$0.0123',
    '$0.000001',
    '$4.06',
    '$1,234.50',
  ]);
});

it('says the steps of a chart axis short, telling apart steps under a cent', () => {
  expect([0, 0.002, 0.004, 0.5, 1, 2.5, 1250].map(axisMoneyText)).toEqual(['$0', '$0.002', '$0.004', '$0.5', '$1', '$2.5', '$1,250']);
});
