#!/bin/sh
# Every source or template with a translatable string must be listed in po/POTFILES.in.
top="$1"
cd "$top" || exit 1
missing=0
for file in $(grep -rlE '(_\(|N_\(|translatable="yes")' src ui data --include='*.c' --include='*.ui' --include='*.in' --include='*.xml' | sort); do
  case "$file" in *.gresource.xml) continue ;; esac
  if ! grep -qx "$file" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $file"
    missing=1
  fi
done
for file in $(grep -v '^#' po/POTFILES.in); do
  [ -f "$file" ] || { echo "listed in po/POTFILES.in but missing: $file"; missing=1; }
done
exit $missing
