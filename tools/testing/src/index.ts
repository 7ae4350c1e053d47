export { CHROMIUM_PATHS, launchChromium } from './chromium.js';
export { BUSYBOX_APPLETS, BUSYBOX_PATH, BUSYBOX_REPOSITORY, busyboxImage, dockerEngineAddress } from './docker.js';
