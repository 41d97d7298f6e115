/** The log's channels beyond `log.search` (export, verify, retention, overview). */
export const logChannels = {} as const;
