// The viewer page of `deskvm serve`. The token comes from the URL fragment (#token=...), which the browser never
// sends to a server, and goes to the bridge only inside the WebSocket handshake.
import { defineDeskvmPlayer } from '/deskvm-player.js';

const status = document.getElementById('status');
const token = new URLSearchParams(window.location.hash.slice(1)).get('token');

if (!token) {
  status.textContent = 'Missing token: open the URL that `deskvm serve` printed, including its #token=… part.';
} else {
  defineDeskvmPlayer();
  const player = document.createElement('deskvm-player');
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  player.setAttribute('url', `${scheme}//${window.location.host}/stream`);
  player.setAttribute('token', token);
  player.addEventListener('deskvm-connected', () => {
    status.textContent = 'Connected, waiting for the first frame…';
  });
  player.addEventListener('deskvm-playing', () => {
    status.textContent = 'Live';
  });
  player.addEventListener('deskvm-error', (event) => {
    status.textContent = `Error ${event.detail.code}: ${event.detail.message}`;
  });
  document.getElementById('stage').append(player);
  window.deskvmPlayer = player;
}
