#!/bin/sh
# The EmbedFilesPlugin's generator: writes OUTPUT.swift declaring, for each NAME=PATH argument,
# `static let NAME: [EmbeddedFile]` with every regular file at or under PATH (relative path,
# executable bit, bytes as base64), sorted by path (C locale) so the output is deterministic.
# Plain POSIX sh + coreutils (find, sort, base64): no tool to build for the host.
# Usage: embed-files.sh OUTPUT.swift NAME=PATH [NAME=PATH …]
set -eu
output=$1
shift
temporary="$output.tmp.$$"
{
    printf '// Generated at build time by Plugins/EmbedFilesPlugin/embed-files.sh; never edit or commit.\n\n'
    printf 'extension EmbeddedFiles {\n'
    for pair in "$@"; do
        name=${pair%%=*}
        root=${pair#*=}
        printf '    public static let %s: [EmbeddedFile] = [\n' "$name"
        if [ -d "$root" ]; then
            (cd "$root" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) | while IFS= read -r path; do
                case $path in *\"*|*\\*) echo "embed-files.sh: unsupported file name: $path" >&2; exit 1;; esac
                if [ -x "$root/$path" ]; then executable=true; else executable=false; fi
                printf '        EmbeddedFile(path: "%s", executable: %s, base64: "%s"),\n' \
                    "$path" "$executable" "$(base64 -w 0 < "$root/$path")"
            done
        elif [ -f "$root" ]; then
            printf '        EmbeddedFile(path: "%s", executable: false, base64: "%s"),\n' \
                "$(basename "$root")" "$(base64 -w 0 < "$root")"
        fi
        printf '    ]\n'
    done
    printf '}\n'
} > "$temporary"
# Replaced only when it changes, so an unchanged theme does not recompile the target.
if cmp -s "$temporary" "$output"; then rm -f "$temporary"; else mv "$temporary" "$output"; fi
