// Sign-in is Django's: the page that loads the console requires a signed-in
// session (it redirects to the login page otherwise). The console only notices
// when the session ends (401/403 from the API) and sends the browser back there.
import { csrfToken } from './http.js';

export function authProvider(settings) {
  const toLogin = () => window.location.assign(settings.loginUrl);
  return {
    login: () => Promise.resolve(),
    checkAuth: () => Promise.resolve(),
    checkError: (error) => {
      if (error?.status === 401) {
        toLogin();
        return Promise.reject(error);
      }
      return Promise.resolve();
    },
    getIdentity: () => Promise.resolve({ id: settings.username, fullName: settings.username }),
    getPermissions: () => Promise.resolve(null),
    logout: async () => {
      // Django's LogoutView takes a POST with the CSRF token.
      await fetch(settings.logoutUrl, {
        method: 'POST',
        headers: { 'X-CSRFToken': csrfToken() },
        credentials: 'same-origin',
      });
      toLogin();
      return false;
    },
  };
}
