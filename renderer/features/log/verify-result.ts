import type { LogVerifyResult } from '../../../shared/log.dto.js';
import { formatCount } from '../../lib/format.js';

/** The verify result in plain words: a title, one sentence, and the event to look at when there is one. */
export interface VerifySummary {
  intact: boolean;
  title: string;
  message: string;
  /** The first event that fails the check (link it); null when the chain is intact. */
  eventId: number | null;
}


export function describeVerifyResult(result: LogVerifyResult): VerifySummary {
  const archived = result.anchorId !== null ? ` (events up to #${result.anchorId} are in the retention archive)` : '';
  const problem = result.firstProblem;
  // The chain is intact but its head does not match a signed checkpoint: what the chain alone cannot see.
  if (!result.ok && problem === null) return describeCheckpointProblem(result.checkpoint);
  if (result.ok || problem === null) {
    return {
      intact: true,
      title: 'The log is intact',
      message: `All ${formatCount(result.checked)} events check out: none was edited, deleted or reordered${archived}.`,
      eventId: null,
    };
  }
  const after = problem.previousId === null ? 'the start of the log' : `event #${problem.previousId}`;
  return {
    intact: false,
    title: 'The log was altered',
    message:
      problem.problem === 'edited'
        ? `Event #${problem.id} was changed after it was written. ${formatCount(result.checked)} events before it check out.`
        : `Event #${problem.id} does not follow ${after}: events between them were deleted, inserted or reordered. ${formatCount(result.checked)} events before it check out.`,
    eventId: problem.id,
  };
}

function describeCheckpointProblem(c: LogVerifyResult['checkpoint']): VerifySummary {
  const title = 'The log was altered';
  switch (c.verdict) {
    case 'missing_tail':
      return {
        intact: false,
        title,
        message: `Its newest events were removed: a signed checkpoint vouches for events up to #${c.id}, but the log ends at ${c.headId === null ? 'no event' : `#${c.headId}`}.`,
        eventId: c.headId,
      };
    case 'forged_chain':
      return {
        intact: false,
        title,
        message: `Event #${c.id} no longer has the hash its signed checkpoint recorded: events were edited and every hash after them recomputed.`,
        eventId: c.id,
      };
    case 'checkpoint_removed':
      return { intact: false, title, message: "The log's signed checkpoints were removed.", eventId: null };
    default:
      return { intact: false, title, message: "A checkpoint of the log's head was not signed with this store's key: it was forged or altered.", eventId: null };
  }
}
