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
