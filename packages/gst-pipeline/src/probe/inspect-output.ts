import { stripVTControlCharacters } from 'node:util';

/** One property of an element as `gst-inspect-1.0 ELEMENT` lists it. */
export interface InspectedProperty {
  /** The type line's first words, such as `Boolean`, `Unsigned Integer` or `Enum "GstX264EncPreset"`. */
  type: string;
  /** The nicks of an enum or flags property, in the order listed; empty for other types. */
  values: string[];
}

/** The parsed output of `gst-inspect-1.0 ELEMENT` for one element. */
export interface InspectedElement {
  /** The element factory name, such as `vah264enc`. */
  name: string;
  /** The properties by name. */
  properties: Record<string, InspectedProperty>;
  /** The raw formats the sink pad template accepts, such as `['NV12']`; empty when the template lists none. */
  sinkFormats: string[];
}

const PROPERTY_LINE = /^ {2}([a-z0-9][a-z0-9-]*)\s*: /;
const ENUM_VALUE_LINE = /^\s+\(-?\d+\): (\S+)/;
const FLAGS_VALUE_LINE = /^\s+\(0x[0-9a-f]+\): (\S+)/;
const TYPE_LINE = /^\s{20,}(Boolean|Integer|Unsigned Integer|Integer64|Unsigned Integer64|Float|Double|String|Enum "[^"]+"|Flags "[^"]+"|Object of type "[^"]+"|Boxed pointer of type "[^"]+"|Pointer|Fraction|[A-Z][A-Za-z ]+)/;
const FORMAT_LINE = /^\s+format: (.+)$/;

/** Splits a caps field value such as `{ (string)I420, (string)NV12 }` or `NV12` into format names. */
function parseFormats(value: string): string[] {
  return value
    .replace(/[{}]/g, '')
    .split(',')
    .map((part) => part.replace('(string)', '').trim())
    .filter((part) => part.length > 0);
}

/** Returns the lines of a top-level section, such as `Element Properties:`, up to the next unindented line. */
function section(lines: readonly string[], heading: string): string[] {
  const start = lines.findIndex((line) => line.trimEnd() === heading);

  if (start === -1) {
    return [];
  }

  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.length > 0 && !line.startsWith(' '));

  return end === -1 ? rest : rest.slice(0, end);
}

function parseSinkFormats(lines: readonly string[]): string[] {
  const formats: string[] = [];
  let inSink = false;

  for (const line of section(lines, 'Pad Templates:')) {
    if (/^ {2}\S/.test(line)) {
      inSink = line.trim().startsWith('SINK template');
      continue;
    }

    const format = FORMAT_LINE.exec(line);

    if (inSink && format) {
      formats.push(...parseFormats(format[1]).filter((name) => !formats.includes(name)));
    }
  }

  return formats;
}

function parseProperties(lines: readonly string[]): Record<string, InspectedProperty> {
  const properties: Record<string, InspectedProperty> = {};
  let current: InspectedProperty | undefined;

  for (const line of section(lines, 'Element Properties:')) {
    const name = PROPERTY_LINE.exec(line);

    if (name) {
      current = { type: '', values: [] };
      properties[name[1]] = current;
      continue;
    }

    if (current === undefined) {
      continue;
    }

    const value = ENUM_VALUE_LINE.exec(line) ?? FLAGS_VALUE_LINE.exec(line);

    if (value) {
      current.values.push(value[1]);
      continue;
    }

    const type = TYPE_LINE.exec(line);

    if (type && current.type === '' && !line.trim().startsWith('flags:')) {
      current.type = type[1].trim();
    }
  }

  return properties;
}

/**
 * Parses the output of `gst-inspect-1.0 ELEMENT` in the layout of GStreamer 1.22: the element's
 * properties with their enum values, and the formats of its sink pad template. Parse with colour off
 * (`GST_INSPECT_NO_COLORS=1` or output to a pipe, which gst-inspect-1.0 detects).
 */
export function parseInspectOutput(name: string, output: string): InspectedElement {
  const lines = stripVTControlCharacters(output).split('\n');

  return { name, properties: parseProperties(lines), sinkFormats: parseSinkFormats(lines) };
}

/** Parses `gst-inspect-1.0 --version` output, returning the GStreamer version such as `1.22.0`, or undefined. */
export function parseGstVersion(output: string): string | undefined {
  return /GStreamer (\d+\.\d+\.\d+)/.exec(output)?.[1];
}
