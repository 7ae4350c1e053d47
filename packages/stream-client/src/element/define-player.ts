import { StreamClientError } from '../errors.js';
import { DeskvmPlayerElement } from './player-element.js';

/**
 * Registers `DeskvmPlayerElement` under `tagName` (default `deskvm-player`) and returns the registered class. A second
 * call with the same name returns the class already registered, and another name registers a subclass, because the
 * custom element registry takes each class only once.
 *
 * @throws StreamClientError `CLIENT_ERR_DOM_UNAVAILABLE` outside a browser, and `CLIENT_ERR_INVALID_OPTION` when
 *   another element already uses `tagName`
 */
export function defineDeskvmPlayer(tagName = 'deskvm-player'): typeof DeskvmPlayerElement {
  if (typeof customElements === 'undefined') {
    throw new StreamClientError(
      'CLIENT_ERR_DOM_UNAVAILABLE',
      `Cannot define <${tagName}>: customElements is not available here. Call defineDeskvmPlayer() in a browser.`,
    );
  }

  const existing = customElements.get(tagName);
  if (existing !== undefined) {
    if (existing !== DeskvmPlayerElement && !(existing.prototype instanceof DeskvmPlayerElement)) {
      throw new StreamClientError(
        'CLIENT_ERR_INVALID_OPTION',
        `Cannot define <${tagName}>: another custom element uses that name. Pass another tag name.`,
      );
    }
    return existing as typeof DeskvmPlayerElement;
  }

  const alreadyRegistered = customElements.getName(DeskvmPlayerElement) !== null;
  const elementClass = alreadyRegistered ? class extends DeskvmPlayerElement {} : DeskvmPlayerElement;
  customElements.define(tagName, elementClass);

  return elementClass;
}
