/** Every contender, in table order: manycore first, then the peers, then the hand-written reference. */
import type { Contender, ContenderKey } from './contender.ts';
import { manycoreContender } from './manycore.ts';
import { piscinaContender } from './piscina.ts';
import { poolifierContender } from './poolifier.ts';
import { rawContender } from './raw.ts';
import { tinypoolContender } from './tinypool.ts';
import { workerpoolContender } from './workerpool.ts';

export const CONTENDERS: readonly Contender[] = [
  manycoreContender,
  piscinaContender,
  tinypoolContender,
  workerpoolContender,
  poolifierContender,
  rawContender,
];

export function contenderByKey(key: string): Contender {
  const found = CONTENDERS.find((contender) => contender.key === (key as ContenderKey));
  if (found === undefined)
    throw new Error(`unknown contender "${key}" (known: ${CONTENDERS.map((c) => c.key).join(', ')})`);
  return found;
}
