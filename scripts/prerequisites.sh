# Sourced by ./run and ./test: checks the three things a fresh machine must have.
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
}
