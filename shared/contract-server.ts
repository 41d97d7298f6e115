/** The token server's channels (status, settings, keys, TLS, provider ranges, credential files). */
export const serverChannels = {} as const;
