// Courier notifications: which transitions of an order call for one (the seed's 4.16-4.17 with its
// duplicates fixed), and the message itself, written in the posting's own transaction.

import type { CollabTransaction, Message } from '@vestnik/collab';
import type { NotificationData } from '@vestnik/store-api';
import type { OrderStatus } from '../../database/schema.js';
import { serviceConversation } from './service-conversation.js';

export type NotificationKind = 'assigned' | 'unassigned';

export interface CourierNotice {
  courierId: string;
  kind: NotificationKind;
}

/**
 * An order's status and courier as of its last posting, and as it is now being posted (or, with
 * `posted: false`, as its posting is cancelled).
 */
export interface PostingChange {
  before: { posted: boolean; status: OrderStatus | null; courierId: string | null };
  after: { posted?: boolean; status: OrderStatus; courierId: string | null };
}

/**
 * The notices a posting calls for: the order becomes In work (its courier is told); an In work
 * order gets another courier (both are told); an In work order is taken back, by cancelling its
 * posting or posting it as New (its courier is told it was taken off them). Done is the
 * courier's own end of an order and calls for none; so does posting again unchanged.
 */
export function courierNotices(change: PostingChange): CourierNotice[] {
  const { before, after } = change;
  const wasInWork = before.posted && before.status === 'InWork' && before.courierId !== null;
  const isInWork = after.posted !== false && after.status === 'InWork' && after.courierId !== null;
  if (wasInWork && !isInWork) {
    const finished = after.posted !== false && after.status === 'Done';
    return finished ? [] : [{ courierId: before.courierId as string, kind: 'unassigned' }];
  }
  if (!isInWork || after.courierId === null) return [];
  if (!wasInWork) return [{ courierId: after.courierId, kind: 'assigned' }];
  if (before.courierId === after.courierId) return [];
  return [
    { courierId: after.courierId, kind: 'assigned' },
    { courierId: before.courierId as string, kind: 'unassigned' },
  ];
}

export function noticeText(kind: NotificationKind, orderNumber: string): string {
  return kind === 'assigned'
    ? `New order No. ${orderNumber} for you`
    : `Order No. ${orderNumber} was taken off you`;
}

/** Writes one notice, addressed to the courier's collaboration user only; its data is the API's. */
export function sendCourierNotice(
  tx: CollabTransaction,
  notice: CourierNotice & { collabUserId: string; orderId: string; orderNumber: string },
): Promise<Message> {
  const text = noticeText(notice.kind, notice.orderNumber);
  return tx.createMessage({
    conversation: serviceConversation,
    text,
    recipients: [notice.collabUserId],
    data: {
      text,
      order: { $ref: 'Order', id: notice.orderId },
      courier: { $ref: 'Courier', id: notice.courierId },
      kind: notice.kind,
      number: notice.orderNumber,
    } satisfies NotificationData,
  });
}
