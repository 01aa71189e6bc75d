# Sourced by ./run and ./test: checks what a fresh machine must have, and installs the Debian
# speech packages when it can (as root).
# shellcheck shell=bash

die() { echo "parley: $*" >&2; exit 1; }

require_prerequisites() {
  command -v java >/dev/null 2>&1 || die "Java not found: install JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)."
  local version
  version=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [[ "${version%%.*}" -ge 17 ]] 2>/dev/null || die "Java ${version:-unknown} found; Parley needs 17 or newer."
  command -v mvn >/dev/null 2>&1 || die "Maven not found: install Maven 3.8+ (Debian: apt-get install maven)."
  command -v npm >/dev/null 2>&1 || die "Node.js/npm not found: install Node 20+ (it builds the dashboard)."
  command -v perl >/dev/null 2>&1 || die "perl not found (Debian ships it in every install; tests use it to send signals)."
  require_speech_packages
}

# The offline speech stack runs in-process from Debian packages: flite (voices), PocketSphinx and its
# US English model, sox for test audio, chromium for the browser tests.
SPEECH_PACKAGES=(flite libflite1 libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us sox chromium)

missing_speech_packages() {
  local package
  for package in "${SPEECH_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
  done
}

require_speech_packages() {
  command -v dpkg-query >/dev/null 2>&1 \
    || die "dpkg-query not found: Parley's offline speech needs Debian packages (${SPEECH_PACKAGES[*]})."
  local missing
  missing=$(missing_speech_packages | tr '\n' ' ')
  [[ -z "${missing// }" ]] && return 0
  local command="apt-get install -y ${missing% }"
  [[ $(id -u) -eq 0 ]] || die "Debian packages missing: ${missing% }. Install them with: sudo $command"
  echo "parley: installing ${missing% }" >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${missing% } >&2 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${missing% } >&2; } \
    || die "could not install ${missing% }; run: $command"
}
