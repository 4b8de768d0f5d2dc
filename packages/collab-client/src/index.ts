export {
  connect,
  CollabClient,
  type AttachOptions,
  type ConnectOptions,
  type ConnectionState,
  type ClientEvents,
  type Detach,
  type HistoryPage,
} from './client.js';
export {
  Subscription,
  type SubscribedEvent,
  type SubscribingEvent,
  type SubscriptionEvents,
  type SubscriptionOptions,
  type SubscriptionState,
  type UnsubscribedEvent,
} from './subscription.js';
export type { BackoffOptions } from './backoff.js';
export type { WebSocketConstructor, WebSocketLike } from './web-socket.js';
export {
  VestnikError,
  isVestnikError,
  type ConversationRef,
  type ErrorCode,
  type Message,
} from '@vestnik/protocol';
