import { describe, expect, it } from 'vitest';
import { validatorSans } from './validator-sans.js';

describe('validatorSans', () => {
  it('names the hosts of the p2p address and REST URL plus localhost', () => {
    expect(validatorSans('10.0.0.7:7101', 'https://Validator-1.example.org:8443')).toEqual({
      dns: ['localhost', 'validator-1.example.org'],
      ips: ['127.0.0.1', '10.0.0.7'],
    });
  });

  it('leaves out hosts that are not valid DNS names', () => {
    expect(validatorSans('node_1.internal:7101', 'http://under_score:8080')).toEqual({ dns: ['localhost'], ips: ['127.0.0.1'] });
  });

  it('handles IPv6 literals and missing addresses', () => {
    expect(validatorSans('[::1]:7101', null)).toEqual({ dns: ['localhost'], ips: ['127.0.0.1', '::1'] });
    expect(validatorSans(null, null)).toEqual({ dns: ['localhost'], ips: ['127.0.0.1'] });
  });
});
