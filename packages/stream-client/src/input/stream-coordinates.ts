/** A rectangle in CSS pixels, such as `Element.getBoundingClientRect()` returns. */
export interface ClientRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A point in stream pixels. */
export interface StreamPoint {
  x: number;
  y: number;
}

/**
 * Maps a point in client CSS pixels to stream pixels, for a picture of `streamWidth` x `streamHeight` drawn with
 * `object-fit: contain` in `rect`: scaled to fit and centred, with bars on two sides. Points on the bars clamp to the
 * nearest edge pixel, so a drag that leaves the picture still ends at its border. Returns undefined when either size
 * is zero.
 */
export function toStreamPoint(
  clientX: number,
  clientY: number,
  rect: ClientRect,
  streamWidth: number,
  streamHeight: number,
): StreamPoint | undefined {
  if (rect.width <= 0 || rect.height <= 0 || streamWidth <= 0 || streamHeight <= 0) {
    return undefined;
  }

  const scale = Math.min(rect.width / streamWidth, rect.height / streamHeight);
  const pictureLeft = rect.left + (rect.width - streamWidth * scale) / 2;
  const pictureTop = rect.top + (rect.height - streamHeight * scale) / 2;

  const x = Math.floor((clientX - pictureLeft) / scale);
  const y = Math.floor((clientY - pictureTop) / scale);

  return { x: clamp(x, 0, streamWidth - 1), y: clamp(y, 0, streamHeight - 1) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
