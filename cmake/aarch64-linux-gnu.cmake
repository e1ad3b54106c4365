# SPDX-License-Identifier: LGPL-2.1-or-later
# Cross-build for aarch64 with Debian's cross gcc and arm64 multiarch
# libraries; tests run under qemu-user with the host's arm64 loader and libc.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /)
# Debian's multiarch layout: arm64 libraries and .pc files under aarch64-linux-gnu.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
