/** The port the image's CMD serves the desktop on inside the container. */
export const DESKTOP_BRIDGE_PORT = 8080;

/** The user the image runs as: uid 1000, home /home/agent, shell /bin/bash. */
export const DESKTOP_USER = 'agent';

/** The uid (and gid) of `DESKTOP_USER`. */
export const DESKTOP_UID = 1000;

/** The folder in the image that receives the in-sandbox bundle folder. */
export const DESKTOP_BUNDLE_FOLDER = '/opt/deskvm';

/** The bundle's entry file name, as apps/cli's bundle target writes it. */
export const DESKTOP_ENTRY_NAME = 'deskvm-desktop.mjs';

/** Path of the bundle entry inside the image, for a CMD override such as the host-network case. */
export const DESKTOP_ENTRY = `${DESKTOP_BUNDLE_FOLDER}/${DESKTOP_ENTRY_NAME}`;

/** The exec agent's file name in the bundle folder, as apps/cli's bundle target writes it. */
export const DESKTOP_EXEC_AGENT_NAME = 'exec-agent.mjs';

/** Path of vm-native's exec agent inside the image, for `NativeVmOptions.execAgent`: run it with `node`. */
export const DESKTOP_EXEC_AGENT = `${DESKTOP_BUNDLE_FOLDER}/${DESKTOP_EXEC_AGENT_NAME}`;

/** The image's description file, which records the builder version, the base and the packages. */
export const IMAGE_DESCRIPTION_PATH = '/etc/deskvm-image.json';

/**
 * The version of the build recipe, part of the cache key. Raise it when the build steps change what goes into the
 * rootfs, so cached tarballs of the old recipe are not reused.
 */
export const BUILDER_VERSION = 1;

/**
 * The packages of the second build step. x11-apps has xclock, x11-xserver-utils has xrandr and xsetroot (which
 * `deskvm serve` runs), gstreamer1.0-x has ximagesrc, gstreamer1.0-plugins-ugly has x264enc, and
 * gstreamer1.0-plugins-bad has openh264enc and the VA-API encoders that mesa-va-drivers serves.
 */
export const DESKTOP_PACKAGES: readonly string[] = [
  'xvfb',
  'openbox',
  'xterm',
  'x11-apps',
  'x11-utils',
  'x11-xserver-utils',
  'fonts-dejavu-core',
  'gstreamer1.0-tools',
  'gstreamer1.0-plugins-base',
  'gstreamer1.0-plugins-good',
  'gstreamer1.0-plugins-bad',
  'gstreamer1.0-plugins-ugly',
  'gstreamer1.0-x',
  'mesa-va-drivers',
  'nodejs',
  'procps',
  'ca-certificates',
];

/**
 * Returns the Dockerfile instructions for `docker import --change`: run as `DESKTOP_USER` in its home, and serve the
 * desktop on 0.0.0.0:`DESKTOP_BRIDGE_PORT` with a JSON ready line. The token comes from DESKVM_TOKEN when the
 * container sets it.
 */
export function desktopImageChanges(): string[] {
  const command = ['node', DESKTOP_ENTRY, 'serve', '--host', '0.0.0.0', '--port', String(DESKTOP_BRIDGE_PORT), '--json'];

  return [
    `USER ${DESKTOP_USER}`,
    `WORKDIR /home/${DESKTOP_USER}`,
    `ENV HOME=/home/${DESKTOP_USER}`,
    'ENV LANG=C.UTF-8',
    `EXPOSE ${DESKTOP_BRIDGE_PORT}`,
    `CMD ${JSON.stringify(command)}`,
  ];
}
