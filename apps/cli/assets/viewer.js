// The viewer page of `deskvm serve`. Settings come from the URL fragment, which the browser never sends to a server:
//   #token=...        the session token (required); it reaches the bridge only inside the WebSocket handshake, and
//                     the page removes it from the address bar and history once it has read it
//   &decode=auto      decode path: auto (WebCodecs where the browser supports the codec, else MSE), webcodecs or mse
//   &stats=1          show the stats overlay (frames per second, bitrate, latency, dropped frames, decode path)
//   &resize=1         resize the desktop to the window
//   &lock=1           lock the pointer on click and send relative motion
//   &view=1           view only: send no keyboard, pointer or clipboard input
import { defineDeskvmPlayer } from '/deskvm-player.js';

const status = document.getElementById('status');
const settings = new URLSearchParams(window.location.hash.slice(1));
const token = settings.get('token');
const decodePath = settings.get('decode') ?? 'auto';

// The token is removed from the address bar, the history entry and so from screenshots of the window. The other
// settings stay, so a reload keeps them, but it then shows the missing-token message.
if (settings.has('token')) {
  const remaining = new URLSearchParams(settings);
  remaining.delete('token');
  const fragment = remaining.toString();
  const url = `${window.location.pathname}${window.location.search}${fragment === '' ? '' : `#${fragment}`}`;
  history.replaceState(history.state, '', url);
}

function showStatus(text) {
  status.textContent = text;
  status.hidden = false;
}

if (!token) {
  showStatus('Missing token: open the address that deskvm printed (deskvm view prints it again), including its #token=… part.');
} else if (!['auto', 'webcodecs', 'mse'].includes(decodePath)) {
  showStatus(`Invalid decode=${decodePath}: use auto, webcodecs or mse.`);
} else {
  defineDeskvmPlayer();
  const player = document.createElement('deskvm-player');
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  player.setAttribute('url', `${scheme}//${window.location.host}/stream`);
  player.setAttribute('decode-path', decodePath);
  const flags = [
    ['stats', 'stats-overlay'],
    ['resize', 'follow-resize'],
    ['lock', 'pointer-lock'],
    ['view', 'view-only'],
  ];
  for (const [setting, attribute] of flags) {
    if (settings.get(setting) === '1') {
      player.setAttribute(attribute, '');
    }
  }

  player.addEventListener('deskvm-connected', () => showStatus('Connected, waiting for the first frame…'));
  player.addEventListener('deskvm-playing', (event) => {
    showStatus(`Live (${event.detail.decodePath})`);
    setTimeout(() => {
      status.hidden = true;
    }, 2000);
  });
  player.addEventListener('deskvm-disconnected', (event) => {
    if (event.detail.code === 4001) {
      showStatus('The token was rejected: open the address that deskvm view prints.');
      return;
    }
    showStatus(event.detail.reconnecting ? `Disconnected (code ${event.detail.code}), reconnecting…` : 'Disconnected');
  });
  player.addEventListener('deskvm-error', (event) => {
    // A dropped connection shows as deskvm-disconnected, with the reconnect state.
    if (event.detail.fatal || event.detail.code !== 'CLIENT_ERR_CONNECTION_CLOSED') {
      showStatus(`Error ${event.detail.code}: ${event.detail.message}`);
    }
  });
  player.addEventListener('deskvm-clipboard', (event) => {
    if (!event.detail.written) {
      showStatus('The desktop clipboard changed, but this browser did not allow copying it to the local clipboard.');
    }
  });

  document.getElementById('stage').append(player);
  // The token goes in as a property, so it never appears in the DOM.
  player.token = token;
  player.focus();
  window.deskvmPlayer = player;
}
