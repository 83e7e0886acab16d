import ArgumentParser

// The sweep options as command-line words again, for the A/B gate, which runs each side's own binary as
// `attnbench sweep …`. Only options that `sweep` had when the A/B gate was written are emitted (an older
// revision must understand them); `--output` is left to the race.

extension ShapeOptions {
    var commandLine: [String] {
        var words = ["--seq", seq.defaultValueDescription, "--heads", heads.defaultValueDescription,
                     "--head-dim", String(headDim), "--batch", String(batch), "--causal", causal.rawValue]
        if let seqKV { words += ["--seq-kv", seqKV.defaultValueDescription] }
        if let kvHeads { words += ["--kv-heads", String(kvHeads)] }
        return words
    }
}

extension RunOptions {
    var commandLine: [String] {
        var words = ["--kernels", kernels.defaultValueDescription, "--threads", threads.defaultValueDescription,
                     "--pin", pin.defaultValueDescription, "--schedule", schedule.rawValue,
                     "--repetitions", String(repetitions), "--min-time", String(minTime), "--warmup", String(warmup),
                     "--seed", String(seed), "--check-rows", String(checkRows), "--quiet"]
        if let maxMemory { words += ["--max-memory", String(maxMemory.bytes)] }
        if allowDebug { words.append("--allow-debug") }
        return words
    }
}
