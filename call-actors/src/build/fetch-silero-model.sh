#!/usr/bin/env bash
# Puts the Silero VAD v5 model (MIT licence) on the classpath at build time. It ships inside the
# npm package @ricky0123/vad-web; the repository does not carry it. Run by call-actors/pom.xml:
#   fetch-silero-model.sh <work dir for the npm tarball> <resource dir the model goes to>
set -euo pipefail

PACKAGE="@ricky0123/vad-web@0.0.31"
TARBALL="ricky0123-vad-web-0.0.31.tgz"
ENTRY="package/dist/silero_vad_v5.onnx"
SIZE=2327524
SHA256="2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f"

work_dir=$1
resource_dir=$2
model="$resource_dir/silero_vad_v5.onnx"

die() { echo "fetch-silero-model: $*" >&2; exit 1; }

verified() {
  [[ -f "$1" ]] && [[ $(stat -c %s "$1") -eq $SIZE ]] \
    && [[ $(sha256sum "$1" | cut -d' ' -f1) == "$SHA256" ]]
}

if verified "$model"; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || die "npm not found: it fetches the Silero VAD model ($PACKAGE). Install Node 18+."
mkdir -p "$work_dir" "$resource_dir"
(cd "$work_dir" && npm pack --silent "$PACKAGE" >/dev/null) \
  || die "'npm pack $PACKAGE' failed: the npm registry must be reachable (or the package in the npm cache)."
tar -xzf "$work_dir/$TARBALL" -C "$work_dir" "$ENTRY" || die "$TARBALL has no $ENTRY."
verified "$work_dir/$ENTRY" || die "$ENTRY from $PACKAGE is not the expected model: want $SIZE bytes, SHA-256 $SHA256; got $(stat -c %s "$work_dir/$ENTRY") bytes, $(sha256sum "$work_dir/$ENTRY" | cut -d' ' -f1)."
cp "$work_dir/$ENTRY" "$model"
