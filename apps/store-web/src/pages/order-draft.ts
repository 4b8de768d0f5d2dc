// The order being edited: what the inputs hold (strings, as typed) and how it becomes an OrderInput.
import type { Order, OrderInput, OrderStatus } from '../api/types.js';

export interface DraftLine {
  key: number;
  productId: string;
  colorId: string;
  sizeId: string;
  quantity: string;
  price: string;
}

export interface OrderDraft {
  customerId: string;
  address: string;
  warehouseId: string;
  courierId: string;
  status: OrderStatus;
  comment: string;
  lines: DraftLine[];
}

let nextKey = 1;

export function emptyLine(): DraftLine {
  return { key: nextKey++, productId: '', colorId: '', sizeId: '', quantity: '1', price: '' };
}

export function emptyDraft(): OrderDraft {
  return {
    customerId: '',
    address: '',
    warehouseId: '',
    courierId: '',
    status: 'New',
    comment: '',
    lines: [emptyLine()],
  };
}

export function draftOf(order: Order): OrderDraft {
  return {
    customerId: order.customer?.id ?? '',
    address: order.address,
    warehouseId: order.warehouse?.id ?? '',
    courierId: order.courier?.id ?? '',
    status: order.status,
    comment: order.comment,
    lines: order.items.map((item) => ({
      key: nextKey++,
      productId: item.product.id,
      colorId: item.color?.id ?? '',
      sizeId: item.size?.id ?? '',
      quantity: String(item.quantity),
      price: String(item.price),
    })),
  };
}

function toNumber(text: string): number {
  const n = Number(text.replace(',', '.').trim());
  // The server explains a bad number next to its field; NaN would not survive JSON.
  return Number.isFinite(n) ? n : -1;
}

export function inputOf(draft: OrderDraft): OrderInput {
  return {
    customerId: draft.customerId || null,
    address: draft.address,
    warehouseId: draft.warehouseId || null,
    courierId: draft.courierId || null,
    status: draft.status,
    comment: draft.comment,
    // A line without a product is an empty row of the grid, not something to save.
    items: draft.lines
      .filter((line) => line.productId)
      .map((line) => ({
        productId: line.productId,
        colorId: line.colorId || null,
        sizeId: line.sizeId || null,
        quantity: toNumber(line.quantity),
        ...(line.price.trim() === '' ? {} : { price: toNumber(line.price) }),
      })),
  };
}

/** The amount of a line as the server will compute it: quantity * price, in cents. */
export function lineAmount(line: DraftLine, productPrice: number | undefined): number {
  const quantity = Number(line.quantity);
  const price = line.price.trim() === '' ? (productPrice ?? 0) : Number(line.price);
  if (!Number.isFinite(quantity) || !Number.isFinite(price)) return 0;
  return Math.round(quantity * price * 100) / 100;
}
