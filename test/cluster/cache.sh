# Shared by build.sh and crds.sh (sourced, not run): where the cache lives and how keys are made.
# Expects $here to be test/cluster.

cache_root="${KUBECTL_NETPOL_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-netpol/cluster}"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 | cut -d' ' -f1
  else openssl dgst -sha256 -r | sed 's/ .*//'
  fi
}

# First 16 hex digits of sha256 over the named files (paths relative to $here).
hash_files() {
  local f
  for f in "$@"; do echo "== $f"; cat "$here/$f"; done | sha256 | cut -c1-16
}

# Go's default install location is often not on PATH in non-login shells (CI).
find_go() {
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
    PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null 2>&1
}
