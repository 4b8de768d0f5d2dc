// An application's catalogue beside the protocol's: its errors carry their own status and message,
// are told apart from the protocol's, and cannot redefine a protocol code. The type checker refuses
// a code that no catalogue declares (the @ts-expect-error lines fail `tsc` if it ever accepts one).

import { describe, expect, it } from 'vitest';
import { defineErrorCatalogue, isCodedError, isVestnikError, VestnikError } from './errors.js';

const shopErrors = defineErrorCatalogue({
  OUT_OF_STOCK: { status: 409, message: 'Not enough stock.' },
  COUPON_EXPIRED: { status: 422, message: 'The coupon has expired.' },
});

describe('an application catalogue', () => {
  it('makes errors with its codes, statuses and messages', () => {
    const error = shopErrors.error('OUT_OF_STOCK');
    expect(error).toBeInstanceOf(VestnikError);
    expect(error).toMatchObject({ code: 'OUT_OF_STOCK', status: 409, message: 'Not enough stock.' });
    const explained = shopErrors.error('COUPON_EXPIRED', 'Coupon X1 expired on 1 May.', { coupon: 'X1' });
    expect(explained.status).toBe(422);
    expect(explained.toBody()).toEqual({
      code: 'COUPON_EXPIRED',
      message: 'Coupon X1 expired on 1 May.',
      details: { coupon: 'X1' },
    });
  });

  it('tells its errors from the protocol’s', () => {
    const own = shopErrors.error('OUT_OF_STOCK');
    const protocol = new VestnikError('NOT_FOUND');
    expect(shopErrors.is(own)).toBe(true);
    expect(shopErrors.is(own, 'OUT_OF_STOCK')).toBe(true);
    expect(shopErrors.is(own, 'COUPON_EXPIRED')).toBe(false);
    expect(shopErrors.is(protocol)).toBe(false);
    expect(isVestnikError(protocol, 'NOT_FOUND')).toBe(true);
    expect(isVestnikError(own)).toBe(false);
    expect(isCodedError(own) && isCodedError(protocol)).toBe(true);
    expect(isCodedError(new Error('plain'))).toBe(false);
    expect(shopErrors.has('OUT_OF_STOCK')).toBe(true);
    expect(shopErrors.has('NOT_FOUND')).toBe(false);
    expect(shopErrors.codes).toEqual(['OUT_OF_STOCK', 'COUPON_EXPIRED']);
  });

  it('may not redefine a protocol code nor give a status that is not an error', () => {
    // @ts-expect-error: NOT_FOUND belongs to the protocol's catalogue.
    expect(() => defineErrorCatalogue({ NOT_FOUND: { status: 410, message: 'Gone.' } })).toThrow(
      /NOT_FOUND is a code of the protocol/,
    );
    expect(() => defineErrorCatalogue({ ODD: { status: 200, message: 'Fine.' } })).toThrow(/from 400 to 599/);
  });

  it('accepts only declared codes (checked by tsc)', () => {
    // @ts-expect-error: OUT_OF_STOCK is the shop's code, not the protocol's.
    expect(() => new VestnikError('OUT_OF_STOCK')).toThrow('No error code');
    // @ts-expect-error: NO_SUCH_CODE is declared nowhere.
    expect(() => shopErrors.error('NO_SUCH_CODE')).toThrow('No error code');
    // @ts-expect-error: a catalogue's own code, with its status, is made by its error() only.
    const forged = () => new VestnikError({ code: 'FORGED', status: 400, message: 'x' });
    expect(forged).toBeTypeOf('function');
  });
});

describe('a protocol error', () => {
  it('takes its status and default message from the protocol’s catalogue', () => {
    const error = new VestnikError('UNAVAILABLE');
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    expect(error.message).toBe('The service is temporarily unavailable; try again.');
  });
});
