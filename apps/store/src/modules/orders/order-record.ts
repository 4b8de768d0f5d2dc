// The Order document as the store keeps it: ids, integer cents and epoch times. The API view with
// names is built from it by the workflows (they may read the catalogs; this module does not).

import type { OrderStatus } from '../../database/schema.js';

export interface OrderItemRecord {
  lineNo: number;
  productId: string;
  colorId: string | null;
  sizeId: string | null;
  quantity: number;
  priceCents: number;
  amountCents: number;
}

export interface OrderRecord {
  id: string;
  number: string;
  date: number;
  customerId: string | null;
  address: string;
  warehouseId: string | null;
  courierId: string | null;
  status: OrderStatus;
  comment: string;
  posted: boolean;
  /** Status and courier as of the last posting (null when not posted). */
  postedStatus: OrderStatus | null;
  postedCourierId: string | null;
  items: OrderItemRecord[];
  totalCents: number;
  createdAt: number;
  updatedAt: number;
}

/** What a client sends to save an order. */
export interface OrderInput {
  date?: string;
  customerId: string | null;
  address: string;
  warehouseId: string | null;
  courierId: string | null;
  status: OrderStatus;
  comment?: string;
  items: Array<{
    productId: string;
    colorId: string | null;
    sizeId: string | null;
    quantity: number;
    price?: number;
  }>;
}
