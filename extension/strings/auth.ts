/** Signing in and out: the login form and what a failed REST call says (Q6). */
export const auth = {
  title: 'Sign in to Sidedesk',
  subtitle: 'Use the operator account your admin created.',
  server: 'Server URL',
  serverHint: 'Where your Sidedesk server runs, e.g. https://chat.example.com',
  email: 'Email',
  password: 'Password',
  submit: 'Sign in',
  submitting: 'Signing in…',
  sessionExpired: 'Your session has ended. Please sign in again.',
  /** A REST call answered 401 (the token was revoked or expired) outside the login form. */
  sessionEnded: 'Your session has ended. Sign in again.',
  wrongPassword: 'Wrong email or password.',
  rateLimited: 'Too many attempts. Wait a minute and try again.',
  unreachable: (url: string) => `Can't reach the server at ${url}. Check the URL and that the server is running.`,
  invalidUrl: 'Enter a valid http(s) URL.',
  missingFields: 'Enter your email and password.',
  serverRefused: (message: string) => `The server refused the request: ${message}`,
  /** A5: the right password for an operator an admin disabled. */
  accountDisabled: 'This account is disabled. Ask an admin of your team to enable it.',

  /** A5: "Forgot password?" on the sign-in form. */
  forgotPassword: 'Forgot password?',
  resetTitle: 'Set a new password',
  resetIntro: 'Enter the email you sign in with. We will send you a link to set a new password.',
  resetSubmit: 'Send the link',
  resetSubmitting: 'Sending…',
  resetSent: (email: string) => `If ${email} signs in to Sidedesk on this server, a link to set a new password is on its way. It works once, for one hour.`,
  resetBack: 'Back to sign in',
  resetMissingEmail: 'Enter your email address.',
};
