export { readAptSources, parseDeb822Sources, parseOneLineSources, type AptSource, type ReadAptSourcesOptions } from './apt-sources.js';
export { chooseRootfsBase, DEBIAN_SUITE, UBUNTU_SUITE, type ChooseRootfsBaseOptions, type RootfsBase } from './rootfs-base.js';
export { DebootstrapProgressParser, parseAptStatusLine, type RootfsProgress } from './progress.js';
export {
  BUILD_LOCK_NAME,
  buildDesktopRootfs,
  desktopRootfsKey,
  type BuildDesktopRootfsOptions,
  type DesktopRootfsKeyOptions,
  type RootfsBuild,
} from './build-desktop-rootfs.js';
export {
  BUILDER_VERSION,
  DESKTOP_BRIDGE_PORT,
  DESKTOP_BUNDLE_FOLDER,
  DESKTOP_ENTRY,
  DESKTOP_ENTRY_NAME,
  DESKTOP_EXEC_AGENT,
  DESKTOP_EXEC_AGENT_NAME,
  DESKTOP_PACKAGES,
  DESKTOP_UID,
  DESKTOP_USER,
  IMAGE_DESCRIPTION_PATH,
  desktopImageChanges,
} from './desktop-image.js';
export { cacheKey, hashFolder, type RootfsInputs } from './cache-key.js';
export {
  MANIFEST_NAME,
  MANIFEST_VERSION,
  mergeManifestEntry,
  readManifest,
  type RootfsManifest,
  type RootfsManifestEntry,
} from './manifest.js';
export { mountPointsBelow, removeBuildFolder, unmountBelow } from './mounts.js';
export { isRootfsError, RootfsError, type RootfsDiagnostics, type RootfsErrorCode } from './errors.js';
