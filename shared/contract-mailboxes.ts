import { takes } from './channel-spec.js';
import type { MailboxInfo } from './dto.js';
import * as S from './schemas.js';

/** Mailboxes, and which API users may send from each. */
export const mailboxesChannels = {
  'mailboxes.list': takes(S.emptyInput).returns<MailboxInfo[]>(),
  'mailboxes.create': takes(S.createMailboxInput).returns<MailboxInfo>(),
  'mailboxes.update': takes(S.updateMailboxInput).returns<MailboxInfo>(),
  'mailboxes.delete': takes(S.mailboxRef).returns<null>(),
  'mailboxes.assign': takes(S.assignmentInput).returns<MailboxInfo>(),
  'mailboxes.unassign': takes(S.assignmentInput).returns<MailboxInfo>(),
} as const;
