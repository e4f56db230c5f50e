#!/usr/bin/env bash
# Fetch the front-end packages from the npm registry and copy only the files the site needs
# into static/vendor/<name>/, each with its VERSION and LICENSE file.
#
# Run it by hand when a version changes, then commit static/vendor/. Neither the running site
# nor `make demo` needs npm: they use the committed files.
#
#   scripts/vendor-frontend.sh            # the pinned versions below
#   HTMX_VERSION=2.0.12 scripts/vendor-frontend.sh
#
# Not vendored on purpose: @utrecht/design-tokens. Its LICENSE.md says the tokens are
# proprietary assets of Gemeente Utrecht ("The open source license does NOT apply"), so we
# may not redistribute them. Our own theme tokens live in static/css/theme.css instead (the
# NL Design System way: shared component CSS, an organisation's own theme).
set -euo pipefail

HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
LEAFLET_VERSION="${LEAFLET_VERSION:-1.9.4}"
UTRECHT_CSS_VERSION="${UTRECHT_CSS_VERSION:-9.0.4}"
AXE_VERSION="${AXE_VERSION:-4.14.1}"

cd "$(dirname "$0")/.."
VENDOR="static/vendor"
command -v npm >/dev/null || { echo "npm is required to vendor front-end packages" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# fetch SPEC: download one package tarball (no dependencies, no install scripts) and unpack it
# into $TMP/<safe name>/package; prints that directory.
fetch() {
  local spec="$1" safe dir tarball
  safe="$(echo "$spec" | tr '@/' '__')"
  dir="$TMP/$safe"
  mkdir -p "$dir"
  tarball="$(cd "$dir" && npm pack --silent "$spec")"
  tar -xzf "$dir/$tarball" -C "$dir"
  echo "$dir/package"
}

# install_pkg SRC DEST FILE...: copy FILEs (paths inside the package) flat into DEST, plus the
# licence and a VERSION file.
install_pkg() {
  local src="$1" dest="$2"
  shift 2
  rm -rf "$dest"
  mkdir -p "$dest"
  for f in "$@"; do
    mkdir -p "$dest/$(dirname "$f" | sed 's#^dist\(/\|$\)##')"
    cp "$src/$f" "$dest/$(echo "$f" | sed 's#^dist/##')"
  done
  # No source maps are vendored, so no file may point at one: a dangling sourceMappingURL
  # makes collectstatic's manifest storage fail (production) and browsers fetch a 404.
  find "$dest" -type f \( -name '*.js' -o -name '*.css' \) -exec \
    sed -i -E '/^\/[/*][#@] sourceMappingURL=[^ ]*( \*\/)?$/d' {} +
  local lic
  lic="$(ls "$src" | grep -i -m1 '^licen[cs]e' || true)"
  [ -n "$lic" ] || { echo "no licence file in $src" >&2; exit 1; }
  cp "$src/$lic" "$dest/$lic"
  node -p "require('$src/package.json').name + '@' + require('$src/package.json').version + ' (' + require('$src/package.json').license + ')'" >"$dest/VERSION"
  echo "vendored $(cat "$dest/VERSION") -> $dest"
}

src="$(fetch "htmx.org@$HTMX_VERSION")"
install_pkg "$src" "$VENDOR/htmx" dist/htmx.min.js

src="$(fetch "leaflet@$LEAFLET_VERSION")"
install_pkg "$src" "$VENDOR/leaflet" dist/leaflet.js dist/leaflet.css \
  dist/images/marker-icon.png dist/images/marker-icon-2x.png dist/images/marker-shadow.png \
  dist/images/layers.png dist/images/layers-2x.png

src="$(fetch "@utrecht/component-library-css@$UTRECHT_CSS_VERSION")"
install_pkg "$src" "$VENDOR/utrecht" dist/index.css

src="$(fetch "axe-core@$AXE_VERSION")"
install_pkg "$src" "$VENDOR/axe-core" axe.min.js LICENSE-3RD-PARTY.txt

du -sh "$VENDOR"
