// The order form's draft: what it sends to the server, and the amounts it shows before saving.
import { describe, expect, it } from 'vitest';
import type { Order } from '../api/types.js';
import { draftOf, emptyDraft, emptyLine, inputOf, lineAmount } from './order-draft.js';

describe('order draft', () => {
  it('sends chosen references, leaves out empty rows, and keeps the price only when typed', () => {
    const draft = emptyDraft();
    draft.customerId = 'c1';
    draft.status = 'InWork';
    draft.lines = [
      { ...emptyLine(), productId: 'p1', colorId: 'red', sizeId: '', quantity: '2', price: '' },
      emptyLine(),
      { ...emptyLine(), productId: 'p2', quantity: '1', price: '9,5' },
    ];
    expect(inputOf(draft)).toEqual({
      customerId: 'c1',
      address: '',
      warehouseId: null,
      courierId: null,
      status: 'InWork',
      comment: '',
      items: [
        { productId: 'p1', colorId: 'red', sizeId: null, quantity: 2 },
        { productId: 'p2', colorId: null, sizeId: null, quantity: 1, price: 9.5 },
      ],
    });
  });

  it('sends a number the server will refuse, with its message, for text that is not one', () => {
    const draft = emptyDraft();
    draft.lines = [{ ...emptyLine(), productId: 'p1', quantity: 'two' }];
    expect(inputOf(draft).items[0]!.quantity).toBe(-1);
  });

  it("computes a line's amount in cents, with the product's price when none is typed", () => {
    expect(lineAmount({ ...emptyLine(), quantity: '3', price: '' }, 19.9)).toBe(59.7);
    expect(lineAmount({ ...emptyLine(), quantity: '3', price: '0.1' }, 19.9)).toBe(0.3);
    expect(lineAmount({ ...emptyLine(), quantity: 'x', price: '' }, 19.9)).toBe(0);
  });

  it('turns a saved order back into a draft', () => {
    const ref = (id: string) => ({ id, code: id, name: id });
    const order: Order = {
      id: 'o1',
      number: '000001',
      date: '2026-11-27T10:00:00.000Z',
      customer: ref('c1'),
      address: 'Street 1',
      warehouse: ref('w1'),
      courier: null,
      status: 'New',
      posted: false,
      comment: '',
      items: [
        { lineNo: 1, product: ref('p1'), color: null, size: ref('s1'), quantity: 2, price: 5, amount: 10 },
      ],
      total: 10,
      createdAt: '2026-11-27T10:00:00.000Z',
      updatedAt: '2026-11-27T10:00:00.000Z',
    };
    const draft = draftOf(order);
    expect(inputOf(draft)).toEqual({
      customerId: 'c1',
      address: 'Street 1',
      warehouseId: 'w1',
      courierId: null,
      status: 'New',
      comment: '',
      items: [{ productId: 'p1', colorId: null, sizeId: 's1', quantity: 2, price: 5 }],
    });
  });
});
