import type { Host } from './Host';
import { ElectronHost } from './ElectronHost';
import { WebHost, tokenFromHash } from './WebHost';

const TOKEN_KEY = 'visionbench.token';

export type HostChoice = { ok: true; host: Host } | { ok: false; reason: string };

/**
 * Picks the transport once, at start: the preload's bridge inside Electron, otherwise the
 * `visionbench serve` bridge with the token from the URL. The token is then kept in session
 * storage and taken out of the address bar, so it does not end up in screenshots or history.
 */
export function pickHost(win: Window = window): HostChoice {
  if (win.visionbench) return { ok: true, host: new ElectronHost(win.visionbench) };
  const fromHash = tokenFromHash(win.location.hash);
  if (fromHash) {
    win.sessionStorage.setItem(TOKEN_KEY, fromHash);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  const token = fromHash ?? win.sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    return { ok: false, reason: 'This page needs the address that `visionbench serve` printed, including its #token=… part.' };
  }
  return { ok: true, host: new WebHost({ origin: win.location.origin, token }) };
}
