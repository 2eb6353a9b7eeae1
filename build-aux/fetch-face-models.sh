#!/bin/sh
# Puts the face models into DIR (the build tree's models/): the three ONNX files of the
# npm package faceplugin-face-recognition-js 0.0.1 (MIT), fetched with `npm pack` (which
# checks the registry's integrity hash and runs none of the package's scripts, nor
# installs its JavaScript dependencies) and checked here against the hashes below.
# Without npm or the registry it says so and leaves DIR without models: the console
# then identifies no one, and the tests that need the models skip.
set -eu
dir=${1:?usage: fetch-face-models.sh DIR}
package=faceplugin-face-recognition-js@0.0.1
tarball_sha256=7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba
models="fr_detect.onnx:6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854
fr_landmark.onnx:f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258
fr_feature.onnx:87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581"

have_all() {
  for entry in $models; do
    name=${entry%%:*}
    [ -f "$dir/$name" ] || return 1
  done
}
have_all && exit 0

warn() {
  echo "fetch-face-models: $*; face recognition stays off and its tests skip" >&2
  exit 0
}
command -v npm >/dev/null 2>&1 || warn "npm is not installed"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "Fetching the face models ($package) with npm"
npm pack --silent --pack-destination "$work" "$package" >/dev/null 2>"$work/npm.log" ||
  warn "npm pack $package failed: $(tail -n 3 "$work/npm.log")"
tarball=$(ls "$work"/*.tgz)
echo "$tarball_sha256  $tarball" | sha256sum --check --status ||
  { echo "fetch-face-models: $package does not have the expected SHA-256; not using it" >&2; exit 1; }

mkdir -p "$dir"
tar -xzf "$tarball" -C "$work" package/LICENSE $(for entry in $models; do echo "package/model/${entry%%:*}"; done)
for entry in $models; do
  name=${entry%%:*}
  echo "${entry#*:}  $work/package/model/$name" | sha256sum --check --status ||
    { echo "fetch-face-models: $name does not have the expected SHA-256" >&2; exit 1; }
done
for entry in $models; do
  mv "$work/package/model/${entry%%:*}" "$dir/"
done
mv "$work/package/LICENSE" "$dir/LICENSE.faceplugin"
echo "Face models in $dir"
