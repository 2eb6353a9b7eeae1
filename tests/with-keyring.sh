#!/bin/sh
# Runs a test in a private D-Bus session with an unlocked GNOME Keyring whose files
# live in a temporary home, so tests never touch the user's keyring.
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec "$@"   # the test skips, saying why, when it finds no Secret Service
fi
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}"   # keep the simulator's footage cache
home=$(mktemp -d)
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config"
dbus-run-session -- sh -c '
  printf nigran-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$@"' sh "$@"
status=$?
rm -rf "$home"
exit $status
