// The viewer side of the fan-out benchmark, started by fan-out.mjs through child_process.fork: many WebSocket
// viewers in one process, apart from the bridge, so their work does not count as the bridge's CPU time.
//
// Messages from the parent: `connect` with the stream URL, the token, the number of viewers and whether to add one
// viewer that stops reading. `start` and `stop` mark the measured interval. Messages to the parent: `connected`, then
// `result` with the delivery delays of the viewers that keep reading. The delay of a video message is the receive
// time minus the send time that the benchmark's source put into the access unit (see send-time-sei.mjs).
import { decodeServerMessage, offeredVersionSubprotocols } from '@deskvm/stream-protocol';
import WebSocket from 'ws';

import { percentile, wallClockUs } from '../support/statistics.mjs';
import { readSendTime } from './send-time-sei.mjs';

const sockets = [];
const delaysMs = [];
const framesPerViewer = [];
let measuring = false;

/** Opens one viewer the way browsers do, with the token in a subprotocol, and resolves when it is open. */
function openViewer(streamUrl, token, index, { reads }) {
  const socket = new WebSocket(streamUrl, [...offeredVersionSubprotocols(), `deskvm.token.${token}`]);
  sockets.push(socket);

  if (reads) {
    framesPerViewer[index] = 0;
    socket.on('message', (data) => {
      const receivedUs = wallClockUs();
      const message = decodeServerMessage(new Uint8Array(data.buffer, data.byteOffset, data.length));
      if (!measuring || message.type !== 'video') {
        return;
      }
      const sendTimeUs = readSendTime(data);
      if (sendTimeUs === undefined) {
        throw new Error(`Viewer ${index} received a video message without the send-time SEI: the bridge dropped it.`);
      }
      // NOTE: the delay includes this process's own queueing, because one event loop reads every viewer in turn.
      delaysMs.push((receivedUs - sendTimeUs) / 1000);
      framesPerViewer[index] += 1;
    });
  }

  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      if (!reads) {
        // Stops reading from the TCP socket: the kernel buffers fill, then the bridge's send buffer for this viewer.
        socket.pause();
      }
      resolve();
    });
    socket.once('error', (error) => reject(new Error(`Viewer ${index} failed to connect to ${streamUrl}: ${error.message}`)));
  });
}

process.on('message', async (message) => {
  if (message.type === 'connect') {
    const { streamUrl, token, viewers, stalledViewer } = message;
    const opened = [];
    for (let index = 0; index < viewers; index += 1) {
      opened.push(openViewer(streamUrl, token, index, { reads: true }));
    }
    if (stalledViewer) {
      opened.push(openViewer(streamUrl, token, viewers, { reads: false }));
    }
    await Promise.all(opened);
    process.send({ type: 'connected' });
  } else if (message.type === 'start') {
    measuring = true;
  } else if (message.type === 'stop') {
    measuring = false;
    process.send({
      type: 'result',
      samples: delaysMs.length,
      p50Ms: percentile(delaysMs, 50),
      p95Ms: percentile(delaysMs, 95),
      p99Ms: percentile(delaysMs, 99),
      maxMs: percentile(delaysMs, 100),
      minFramesPerViewer: Math.min(...framesPerViewer),
      maxFramesPerViewer: Math.max(...framesPerViewer),
    });
    for (const socket of sockets) {
      socket.terminate();
    }
    process.disconnect();
  }
});

// Exits with the parent, because after the IPC channel closes no message can end the viewers.
process.once('disconnect', () => {
  for (const socket of sockets) {
    socket.terminate();
  }
  process.exit(0);
});
