import Foundation
import PackagePlugin

/// Records the source tree's git commit at build time: before every build, `git -C <package root>`
/// writes `BuildStamp.generated.swift` with the short hash (`-dirty` with uncommitted changes, `unknown`
/// outside a checkout or without git). The file is replaced only when its text changes, so an unchanged
/// commit rebuilds nothing. A binary run anywhere else reports the commit it was built from.
@main
struct BuildStampPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "stamp")
        let root = context.package.directoryURL.path
        let script = """
            set -u
            out="$1/BuildStamp.generated.swift"; mkdir -p "$1"
            hash=$(git -C "$2" rev-parse --short HEAD 2>/dev/null) || hash=unknown
            if [ "$hash" != unknown ] && [ -n "$(git -C "$2" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
                hash="$hash-dirty"
            fi
            text="/// Generated before each build by BuildStampPlugin; do not edit.
            let buildCommit = \\"$hash\\""
            [ -f "$out" ] && [ "$(cat "$out")" = "$text" ] || printf '%s\\n' "$text" > "$out"
            """
        return [.prebuildCommand(displayName: "Recording the source commit",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "stamp", output.path, root],
                                 outputFilesDirectory: output)]
    }
}
