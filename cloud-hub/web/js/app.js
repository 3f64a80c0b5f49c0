/** The dashboard shell: session check, hash router, navigation. */
import { api, setCsrf } from './api.js';
import { h, mount } from './dom.js';
import { analyticsView } from './views/analytics.js';
import { driveView } from './views/drive.js';
import { drivesView } from './views/drives.js';
import { fleetView } from './views/fleet.js';
import { kbView } from './views/kb.js';
import { loginView } from './views/login.js';
import { otaView } from './views/ota.js';

const main = document.getElementById('main');
const top = document.getElementById('top');
/** Signed-in user, or null. */
export const session = { user: null };
let cleanup = null;

const routes = [
  [/^#\/fleet$/, () => fleetView(main)],
  [/^#\/drives$/, () => drivesView(main)],
  [/^#\/drives\/([0-9a-f-]{36})$/, (m) => driveView(main, m[1], session)],
  [/^#\/analytics$/, () => analyticsView(main)],
  [/^#\/kb$/, () => kbView(main, session)],
  [/^#\/ota$/, () => otaView(main, session)],
];

async function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  const hash = location.hash || '#/fleet';
  if (hash === '#/login' || !session.user) {
    top.hidden = true;
    loginView(main, async (user, csrf) => {
      session.user = user;
      setCsrf(csrf);
      showUser();
      location.hash = '#/fleet';
      await route();
    });
    return;
  }
  top.hidden = false;
  for (const a of top.querySelectorAll('nav a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href')));
  for (const [re, view] of routes) {
    const m = re.exec(hash);
    if (m) {
      try {
        cleanup = (await view(m)) ?? null;
      } catch (err) {
        mount(main, h('p', { class: 'error' }, `Could not load: ${err.message}`));
      }
      return;
    }
  }
  location.hash = '#/fleet';
}

function showUser() {
  document.getElementById('who').textContent = session.user ? `${session.user.username} (${session.user.role})` : '';
}

document.getElementById('logout').addEventListener('click', async () => {
  await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
  session.user = null;
  setCsrf(null);
  location.hash = '#/login';
});

window.addEventListener('hashchange', route);

(async () => {
  try {
    const me = await fetch('/api/v1/auth/me', { credentials: 'same-origin' });
    if (me.ok) {
      const body = await me.json();
      session.user = body.user;
      setCsrf(body.csrf);
      showUser();
    }
  } catch { /* not signed in */ }
  if (!session.user) location.hash = '#/login';
  await route();
})();
