// What the top bar needs to know at start, before the views it opens are loaded: whether the
// person may use the admin page and the Developer page. The views themselves (admin.js,
// developer.js) are loaded on demand (import()), so a first load does not carry them.
import { get } from './api.js';

// True when the signed-in person is a global administrator (the organisation resource is theirs).
export async function isAdmin() {
  try { await get('/api/v1/admin/organization'); return true; } catch { return false; }
}

export function isAdminPath(path = location.pathname) {
  return path === '/admin' || path.startsWith('/admin/');
}

// True when the person may register connectors, or has registrations to manage.
export async function canUseDeveloper() {
  try {
    const r = await get('/api/v1/connectorRegistrations');
    return !!(r.canRegister || (r.value && r.value.length));
  } catch { return false; }
}
