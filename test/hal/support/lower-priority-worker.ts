import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../../../hal/base/thread-priority.ts';

const nice = lowerThisThreadPriority((workerData as { steps: number }).steps);
const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
parentPort!.postMessage({ nice, tidNice: getPriority(tid), tid });
