export {
  connect,
  CollabClient,
  type ConnectOptions,
  type ConnectionState,
  type ClientEvents,
  type Detach,
  type HistoryPage,
} from './client.js';
export type { AttachOptions } from './channel.js';
export type { WebSocketConstructor, WebSocketLike } from './web-socket.js';
export { VestnikError, isVestnikError, type ErrorCode, type Message } from '@vestnik/protocol';
