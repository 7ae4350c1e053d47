export { CHROMIUM_PATHS, launchChromium } from './chromium.js';
