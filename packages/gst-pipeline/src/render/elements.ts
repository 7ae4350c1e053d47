import { PipelineError } from '../errors.js';

/** A value of an element property or caps field. */
export type PropertyValue = string | number | boolean;

/**
 * Characters allowed in a property value or caps field on argv. gst-launch-1.0 escapes each argument and joins them
 * into one pipeline description (`gst_parse_launchv_full` in gst/gstparse.c), which the pipeline parser then splits
 * again, so a value with other characters might start a new element, property or caps field. `resolveDescription`
 * already rejects such values, and this check keeps a future field from reaching argv unvalidated.
 */
const SAFE_VALUE = /^[A-Za-z0-9_.:/+-]+$/;

function propertyArgument(element: string, name: string, value: PropertyValue): string {
  const text = String(value);

  if (!SAFE_VALUE.test(text)) {
    throw new PipelineError(
      'PIPELINE_ERR_INVALID_DESCRIPTION',
      `Invalid value ${JSON.stringify(text)} for ${element} property ${name}: use only letters, digits and _ . : / + -.`,
    );
  }

  return `${name}=${text}`;
}

/** Renders an element and its properties as argv items: the factory name, then one `name=value` item each. */
export function element(name: string, properties: Record<string, PropertyValue> = {}): string[] {
  return [name, ...Object.entries(properties).map(([key, value]) => propertyArgument(name, key, value))];
}

/** Renders a caps filter as one argv item, such as `video/x-raw,format=I420,width=320`. */
export function caps(mediaType: string, fields: Record<string, PropertyValue>): string[] {
  const parts = Object.entries(fields).map(([key, value]) => propertyArgument(mediaType, key, value));

  return [[mediaType, ...parts].join(',')];
}

/** Joins stages with `!` items. */
export function linkStages(stages: readonly string[][]): string[] {
  const argv: string[] = [];

  for (const [index, stage] of stages.entries()) {
    if (index > 0) {
      argv.push('!');
    }

    argv.push(...stage);
  }

  return argv;
}
