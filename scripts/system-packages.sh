# Lists the Debian and Ubuntu packages that deskvm needs on the host, by purpose. Sourced by setup.sh.
#   start: what `npm start` runs: GStreamer with x264, an X server, a window manager, a terminal and a clock for
#          `deskvm serve`, and the Docker engine and debootstrap that build and run the desktop container for `deskvm up`
#   test:  what `npm test` runs on top of that (a decoder for checks, Chromium, X tools that paint the screen and
#          read back input and the clipboard, zstd to compress test images, a static busybox for small test images, and a registry to pull them from)

start_packages=(
  gstreamer1.0-tools
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly
  gstreamer1.0-x
  xvfb
  openbox
  xterm
  x11-apps
  x11-utils
  x11-xserver-utils
  fonts-dejavu-core
  docker.io
  debootstrap
)

test_packages=(
  "${start_packages[@]}"
  gstreamer1.0-libav
  gstreamer1.0-pipewire
  xdotool
  xclip
  zstd
  busybox-static
  docker-registry
)

# Debian ships Chromium as a normal package. Ubuntu's chromium-browser package only installs the snap, which needs a
# running snapd; DESKVM_CHROMIUM can point at any Chromium or Chrome binary instead.
chromium_package() {
  local id=""
  if [[ -r /etc/os-release ]]; then
    id=$(. /etc/os-release && echo "${ID:-}")
  fi
  if [[ "$id" == ubuntu ]]; then
    echo chromium-browser
  else
    echo chromium
  fi
}
