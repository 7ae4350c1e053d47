import type { HardwareEncoderKind, ResolvedPipelineDescription } from '../description.js';
import type { InspectedElement } from '../probe/inspect-output.js';
import type { PropertyValue } from './elements.js';

/**
 * One common setting mapped to an element property. Property names and enum values changed between GStreamer
 * versions, so a setting lists every known name and value, GStreamer 1.22's first. When the element was inspected,
 * the first name and value it has are used, and a setting it lacks is left out. Without inspection the first name and
 * value are used.
 */
interface Setting {
  names: readonly string[];
  /**
   * A fixed value, or enum nicks in order of preference with the one to use when the element was not inspected
   * (default the first).
   */
  value: PropertyValue | { choices: readonly string[]; uninspected?: string };
  /** Render only when inspection shows the property, because older versions lack it. */
  inspectedOnly?: boolean;
}

/** Returns the raw format an encoder is fed: NV12 for hardware encoders (the va and qsv ones take nothing else). */
export function encoderInputFormat(kind: ResolvedPipelineDescription['encoder']['kind']): 'I420' | 'NV12' {
  return kind === 'x264enc' || kind === 'openh264enc' ? 'I420' : 'NV12';
}

function vaSettings(bitrateKbps: number, keyframeInterval: number): Setting[] {
  return [
    { names: ['rate-control'], value: { choices: ['cbr', 'vbr'] } },
    { names: ['bitrate'], value: bitrateKbps },
    { names: ['key-int-max'], value: keyframeInterval },
    { names: ['b-frames'], value: 0 },
    { names: ['ref-frames'], value: 1 },
    // Target usage 7 is the fastest encode that the driver offers.
    { names: ['target-usage'], value: 7 },
  ];
}

function nvidiaSettings(bitrateKbps: number, keyframeInterval: number): Setting[] {
  return [
    // GStreamer 1.24's nvcudah264enc adds presets p1 (fastest) to p7 and a separate tune; 1.22 has only the
    // low-latency presets, which 1.24 keeps.
    { names: ['preset'], value: { choices: ['p1', 'low-latency-hq', 'low-latency'], uninspected: 'low-latency-hq' } },
    { names: ['tune'], value: { choices: ['ultra-low-latency', 'low-latency'] }, inspectedOnly: true },
    { names: ['rc-mode', 'rate-control'], value: { choices: ['cbr-ld-hq', 'cbr'] } },
    { names: ['bitrate'], value: bitrateKbps },
    { names: ['gop-size'], value: keyframeInterval },
    // nvh264enc registers bframes only when the GPU can code B-frames, so inspection may leave it out.
    { names: ['bframes', 'b-frames'], value: 0 },
    { names: ['zerolatency', 'zero-reorder-delay'], value: true },
    { names: ['rc-lookahead'], value: 0, inspectedOnly: true },
  ];
}

const HARDWARE_SETTINGS: Record<HardwareEncoderKind, (bitrateKbps: number, keyframeInterval: number) => Setting[]> = {
  vah264enc: vaSettings,
  vah264lpenc: vaSettings,
  vaapih264enc: (bitrateKbps, keyframeInterval) => [
    { names: ['rate-control'], value: { choices: ['cbr', 'vbr'] } },
    { names: ['bitrate'], value: bitrateKbps },
    { names: ['keyframe-period'], value: keyframeInterval },
    { names: ['max-bframes'], value: 0 },
    { names: ['quality-level'], value: 7 },
  ],
  nvh264enc: nvidiaSettings,
  nvcudah264enc: (bitrateKbps, keyframeInterval) =>
    nvidiaSettings(bitrateKbps, keyframeInterval).map((setting) =>
      // nvcudah264enc in GStreamer 1.22 to 1.24 spells these rate-control and b-frames, and has no zerolatency.
      setting.names[0] === 'rc-mode' || setting.names[0] === 'bframes' || setting.names[0] === 'zerolatency'
        ? { ...setting, names: [...setting.names].reverse() }
        : setting,
    ),
  qsvh264enc: (bitrateKbps, keyframeInterval) => [
    { names: ['rate-control'], value: { choices: ['cbr', 'vbr'] } },
    { names: ['bitrate'], value: bitrateKbps },
    { names: ['gop-size'], value: keyframeInterval },
    { names: ['b-frames'], value: 0 },
    { names: ['ref-frames'], value: 1 },
    { names: ['target-usage'], value: 7 },
    { names: ['low-latency'], value: true },
  ],
  // vtenc_h264_hw outputs the avc stream format only; h264parse converts it to the byte stream.
  vtenc_h264_hw: (bitrateKbps, keyframeInterval) => [
    { names: ['bitrate'], value: bitrateKbps },
    { names: ['max-keyframe-interval'], value: keyframeInterval },
    { names: ['allow-frame-reordering'], value: false },
    { names: ['realtime'], value: true },
  ],
};

function chooseValue(setting: Setting, inspected: InspectedElement | undefined, name: string): PropertyValue | undefined {
  if (typeof setting.value !== 'object') {
    return setting.value;
  }

  const known = inspected?.properties[name]?.values ?? [];

  if (known.length === 0) {
    return setting.value.uninspected ?? setting.value.choices[0];
  }

  return setting.value.choices.find((choice) => known.includes(choice));
}

function applySettings(settings: readonly Setting[], inspected: InspectedElement | undefined): Record<string, PropertyValue> {
  const properties: Record<string, PropertyValue> = {};

  for (const setting of settings) {
    if (inspected === undefined && setting.inspectedOnly) {
      continue;
    }

    const name = inspected === undefined ? setting.names[0] : setting.names.find((candidate) => candidate in inspected.properties);

    if (name === undefined) {
      continue;
    }

    const value = chooseValue(setting, inspected, name);

    if (value !== undefined) {
      properties[name] = value;
    }
  }

  return properties;
}

/**
 * Maps the common settings to a hardware encoder's properties, using the property names and enum values of
 * `inspected` when given and GStreamer 1.22's otherwise.
 */
export function hardwareEncoderProperties(
  kind: HardwareEncoderKind,
  description: ResolvedPipelineDescription,
  inspected?: InspectedElement,
): Record<string, PropertyValue> {
  const settings = HARDWARE_SETTINGS[kind](description.bitrateKbps, description.keyframeInterval);

  return applySettings(settings, inspected);
}
