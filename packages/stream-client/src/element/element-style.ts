// touch-action: none keeps the browser from panning or zooming on touch, which would cancel the pointer events that
// carry touch input to the desktop.
const STYLE = `
:host { display: block; position: relative; background: #000; outline: none; touch-action: none; user-select: none; }
:host(:focus-visible) { box-shadow: inset 0 0 0 2px #4c8dff; }
video, canvas { display: block; width: 100%; height: 100%; object-fit: contain; }
[hidden] { display: none !important; }
`;

/**
 * Styles the shadow root with a constructed style sheet, which a page's Content-Security-Policy does not block
 * (a `<style>` element would need `style-src 'unsafe-inline'`). Browsers without constructed sheets get the element.
 */
export function applyStyle(shadow: ShadowRoot): void {
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    shadow.adoptedStyleSheets = [sheet];
    return;
  }

  const style = document.createElement('style');
  style.textContent = STYLE;
  shadow.prepend(style);
}
