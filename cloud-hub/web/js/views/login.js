import { api } from '../api.js';
import { h, mount } from '../dom.js';

/** Sign-in form; calls done(user, csrf). */
export function loginView(main, done) {
  const err = h('p', { class: 'error', role: 'alert' });
  const user = h('input', { name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card login', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      const r = await api('/api/v1/auth/login', { method: 'POST', body: { username: user.value, password: pass.value } });
      await done(r.user, r.csrf);
    } catch (e2) {
      err.textContent = e2.message;
    }
  } },
  h('h1', {}, 'Argus — sign in'),
  h('label', {}, 'User', user),
  h('label', {}, 'Password', pass),
  h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
  err);
  mount(main, form);
  user.focus();
}
