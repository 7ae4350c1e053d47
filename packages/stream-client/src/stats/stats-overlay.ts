import type { PlayerStats } from './stats-collector.js';

/** Formats stats as the overlay's lines, such as `webcodecs 59.9 fps 4.20 Mbit/s`. */
export function formatStats(stats: PlayerStats): string[] {
  const optionalMs = (value: number | undefined): string => (value === undefined ? '–' : `${value.toFixed(0)} ms`);

  return [
    `${stats.decodePath ?? 'no decoder'} ${stats.framesPerSecond.toFixed(1)} fps ${(stats.bitrateBitsPerSecond / 1e6).toFixed(2)} Mbit/s`,
    `latency ${optionalMs(stats.latencyMs)} rtt ${optionalMs(stats.roundTripMs)} encoder ${optionalMs(stats.encoderLatencyMs)}`,
    `dropped ${stats.droppedFrames} of ${stats.presentedFrames + stats.droppedFrames} decode errors ${stats.decodeErrors} reconnects ${stats.reconnects}`,
  ];
}

/**
 * Writes stats into an element as monospace text in the top-left corner of its positioned parent. The element is
 * created by the caller (the player element puts it in its shadow root) and only its text changes here.
 */
export class StatsOverlay {
  constructor(private readonly element: HTMLElement) {
    Object.assign(element.style, {
      position: 'absolute',
      top: '0',
      left: '0',
      margin: '0',
      padding: '4px 6px',
      font: '12px/1.3 ui-monospace, monospace',
      color: '#fff',
      background: 'rgba(0, 0, 0, 0.6)',
      whiteSpace: 'pre',
      pointerEvents: 'none',
    });
  }

  /** Replaces the text with `stats`. */
  update(stats: PlayerStats): void {
    this.element.textContent = formatStats(stats).join('\n');
  }
}
