// Every server the benchmark compares, in the order of the table's columns.

import { socketIoKind } from './socketio-target.js';
import type { ServerName, TargetKind } from './target.js';
import { vestnikKind } from './vestnik-target.js';
import { wsKind } from './ws-target.js';

export const KINDS: readonly TargetKind[] = [vestnikKind, socketIoKind, wsKind];

export function kindNamed(name: ServerName): TargetKind {
  const kind = KINDS.find((k) => k.name === name);
  if (kind === undefined) throw new Error(`no server kind named ${name}`);
  return kind;
}
