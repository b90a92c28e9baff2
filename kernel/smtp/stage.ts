/** Where in the SMTP dialogue a reply was given (RFC 5321 command stages). */
export type SmtpStage = 'connect' | 'helo' | 'mail' | 'rcpt' | 'data';
