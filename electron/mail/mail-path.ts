/** Where the token server answers the mail relay's JSON endpoint (electron/mail/http-endpoint.ts). */
export const MAIL_PATH = '/v1/mail';
