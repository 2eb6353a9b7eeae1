#!/bin/sh
# Installs the Debian packages of build-aux/debian-packages.txt that are missing.
# Needs root, or sudo; does nothing when everything is there.
set -eu
here=$(dirname "$0")
list="$here/debian-packages.txt"

missing=""
for package in $(grep -v '^#' "$list" | grep -v '^$'); do
  # A command of the package's name from elsewhere (NodeSource's npm, say) will do.
  [ "$package" = npm ] && command -v npm >/dev/null 2>&1 && continue
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $package" ;;
  esac
done

[ -z "$missing" ] && exit 0

echo "Installing the missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
  run=""
elif command -v sudo >/dev/null 2>&1; then
  run="sudo"
else
  echo "These packages are missing and this is neither root nor sudo:$missing" >&2
  echo "Install them as root: apt-get install$missing" >&2
  exit 1
fi
$run apt-get update -q
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -q --no-install-recommends $missing
