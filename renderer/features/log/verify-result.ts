import type { LogVerifyResult } from '../../../shared/log.dto.js';
import { i18n } from '../../i18n/i18n.js';

/** The verify result in plain words: a title, one sentence, and the event to look at when there is one. */
export interface VerifySummary {
  intact: boolean;
  title: string;
  message: string;
  /** The first event that fails the check (link it); null when the chain is intact. */
  eventId: number | null;
}


export function describeVerifyResult(result: LogVerifyResult): VerifySummary {
  const t = i18n.getFixedT(null, 'log', 'verify');
  const archived = result.anchorId !== null ? t('archived', { id: result.anchorId }) : '';
  const problem = result.firstProblem;
  // The chain is intact but its head does not match a signed checkpoint: what the chain alone cannot see.
  if (!result.ok && problem === null) return describeCheckpointProblem(result.checkpoint);
  if (result.ok || problem === null) {
    return { intact: true, title: t('intactTitle'), message: t('intact', { count: result.checked, archived }), eventId: null };
  }
  const before = t('checkedBefore', { count: result.checked });
  const after = problem.previousId === null ? t('startOfLog') : t('eventNumber', { id: problem.previousId });
  return {
    intact: false,
    title: t('alteredTitle'),
    message: problem.problem === 'edited' ? t('edited', { id: problem.id, before }) : t('brokenLink', { id: problem.id, after, before }),
    eventId: problem.id,
  };
}

function describeCheckpointProblem(c: LogVerifyResult['checkpoint']): VerifySummary {
  const t = i18n.getFixedT(null, 'log', 'verify');
  const title = t('alteredTitle');
  switch (c.verdict) {
    case 'missing_tail':
      return {
        intact: false,
        title,
        message: t('missingTail', { id: String(c.id), head: c.headId === null ? t('noEvent') : `#${c.headId}` }),
        eventId: c.headId,
      };
    case 'forged_chain':
      return { intact: false, title, message: t('forgedChain', { id: String(c.id) }), eventId: c.id };
    case 'checkpoint_removed':
      return { intact: false, title, message: t('checkpointRemoved'), eventId: null };
    default:
      return { intact: false, title, message: t('forgedCheckpoint'), eventId: null };
  }
}
