// Who is signed in: the token lives in this tab's session storage only.
const KEY = "cadap.session";
const listeners = new Set();

export const session = {
  token: null,
  user: null,
  load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
      if (saved?.token) Object.assign(this, saved);
    } catch { /* nothing saved */ }
  },
  start(token, user) {
    this.token = token;
    this.user = user;
    sessionStorage.setItem(KEY, JSON.stringify({ token, user }));
    listeners.forEach((l) => l());
  },
  end() {
    this.token = null;
    this.user = null;
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  expired() {
    if (this.token) this.end();
  },
  onChange(listener) {
    listeners.add(listener);
  },
  has(role) {
    return this.user?.roles?.includes(role) ?? false;
  },
};
