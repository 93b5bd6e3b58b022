# Shared set-up for scripts/demo and scripts/test: installs what tally needs
# on Debian 12, when it is missing.  Sourced, not run.

TALLY_PACKAGES=(
  cmake ninja-build g++ binutils pkg-config
  clang-14 llvm-14-dev libclang-14-dev
  clang-19 llvm-19-dev libclang-19-dev
  libclang-cpp14-dev libclang-cpp19-dev
  libgtest-dev libgmock-dev nlohmann-json3-dev zlib1g-dev
  libboost-dev libfmt-dev
  libclang-rt-14-dev libclang-rt-19-dev
  libsqlite3-dev
)

# Installs the given Debian packages, those that are missing, with apt-get.
tally_ensure_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "tally: installing ${missing[*]}"
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

tally_install_packages() {
  tally_ensure_packages "${TALLY_PACKAGES[@]}"
}
