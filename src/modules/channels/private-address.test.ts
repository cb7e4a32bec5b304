import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './private-address.ts';

const privateV4 = [
  '0.0.0.0',
  '0.255.255.255',
  '10.0.0.1',
  '10.255.255.255',
  '100.64.0.1',
  '100.127.255.255',
  '127.0.0.1',
  '127.255.255.254',
  '169.254.169.254',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.1',
  '192.0.0.255',
  '192.168.1.1',
  '198.18.0.1',
  '198.19.255.255',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
];

const publicV4 = [
  '1.1.1.1',
  '8.8.8.8',
  '9.255.255.255',
  '11.0.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '126.255.255.255',
  '128.0.0.0',
  '169.253.255.255',
  '169.255.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.0.1.0',
  '192.167.255.255',
  '192.169.0.0',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255',
];

const privateV6 = [
  '::',
  '::1',
  '0:0:0:0:0:0:0:1',
  '0000:0000:0000:0000:0000:0000:0000:0001',
  'fc00::1',
  'fd12:3456:789a::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf:ffff::1',
  'ff02::1',
  'FF05::2',
  // IPv4-mapped and -compatible, dotted and hex, judged by the IPv4 inside.
  '::ffff:127.0.0.1',
  '::FFFF:127.0.0.1',
  '::ffff:7f00:1',
  '0:0:0:0:0:ffff:7f00:0001',
  '::ffff:10.0.0.1',
  '::ffff:a9fe:a9fe',
  '::127.0.0.1',
  '::7f00:1',
  '::ffff:0.0.0.0',
  // NAT64 well-known prefix.
  '64:ff9b::127.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:0:0:0:0:c0a8:101',
];

const publicV6 = [
  '2001:4860:4860::8888',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  'fec0::1', // just past fe80::/10
  'fbff::1', // just before fc00::/7
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '64:ff9b::8.8.8.8',
  '64:ff9b::808:808',
  '::8.8.8.8',
];

describe('isPrivateAddress', () => {
  it.each(privateV4)('refuses IPv4 %s', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(publicV4)('allows IPv4 %s', (ip) => expect(isPrivateAddress(ip)).toBe(false));
  it.each(privateV6)('refuses IPv6 %s', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(publicV6)('allows IPv6 %s', (ip) => expect(isPrivateAddress(ip)).toBe(false));

  // Spellings that are not IP addresses (as the URL parser's input, not its output) fail
  // closed: a caller that skipped normalising gets a refusal, never a pass.
  it.each(['127.1', '2130706433', '0x7f.0.0.1', '0177.0.0.1', '010.0.0.1', 'localhost', 'example.com', '', '1.2.3.4.', '[::1]', ':::1'])(
    'treats the non-address %j as private',
    (text) => expect(isPrivateAddress(text)).toBe(true),
  );
});
